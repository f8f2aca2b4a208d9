// Reads the JSON report of `supabase db lint` / `supabase db advisors` (stdin or a file) and exits 1
// when it names any finding. plpgsql_check's own caveat "cannot determinate a result of dynamic SQL"
// (a record filled by EXECUTE, which it says carries "a risk of related false alarms") is printed but
// not counted. Used by scripts/test.sh.
//   deno run -A scripts/lib/lint_findings.ts <report-file>
type Issue = { level?: string; message?: string; detail?: string };
type Entry = Issue & { function?: string; name?: string; issues?: Issue[] };

const text = await Deno.readTextFile(Deno.args[0]);
const start = text.search(/^\[/m);
const entries: Entry[] = start < 0 ? [] : JSON.parse(text.slice(start, text.lastIndexOf("]") + 1));
let findings = 0;
for (const e of entries) {
  for (const issue of e.issues ?? [e]) {
    const caveat = /cannot determinate a result of dynamic SQL/.test(issue.message ?? "");
    if (!caveat) findings++;
    console.log(
      `${caveat ? "(not counted) " : ""}${e.function ?? e.name}: ${issue.level} ${issue.message ?? e.detail}`,
    );
  }
}
Deno.exit(findings > 0 ? 1 : 0);
