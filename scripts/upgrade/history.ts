// The released history of supabase/migrations: every distinct state of the folder on main's
// first-parent history, oldest first, kept in scripts/upgrade/history.json.gz so a checkout without
// git history (or a shallow clone) can still build a database as any earlier landing left it.
//   deno run -A scripts/upgrade/history.ts --refresh   rewrite the file from git (after a landing)
//   deno run -A scripts/upgrade/history.ts             list the states
import postgres from "postgres";

export type Sql = ReturnType<typeof postgres>;

export interface MigrationState {
  /** the first first-parent commit of main whose supabase/migrations is this state */
  commit: string;
  date: string;
  /** file names, sorted, with the key of each file's text in `texts` */
  files: { name: string; text: string }[];
}

interface HistoryFile {
  states: { commit: string; date: string; files: [string, string][] }[];
  texts: Record<string, string>;
}

const root = new URL("../../", import.meta.url);
const historyFile = new URL("scripts/upgrade/history.json.gz", root);

async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  return await new Response(stream).text();
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The states in the committed history file, oldest first. */
export async function loadHistory(): Promise<MigrationState[]> {
  const file: HistoryFile = JSON.parse(await gunzip(await Deno.readFile(historyFile)));
  return file.states.map((s) => ({
    commit: s.commit,
    date: s.date,
    files: s.files.map(([name, key]) => ({ name, text: file.texts[key] })),
  }));
}

function git(args: string[]): string {
  const out = new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "piped" }).outputSync();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** The states of supabase/migrations on first-parent history up to `head`, read from git. */
export function statesFromGit(
  head = "HEAD",
): { states: HistoryFile["states"]; texts: Record<string, string> } {
  const commits = git([
    "log",
    "--first-parent",
    "--reverse",
    "--format=%H %cI",
    head,
    "--",
    "supabase/migrations",
  ])
    .trim().split("\n").filter(Boolean).map((l) => l.split(" "));
  const states: HistoryFile["states"] = [];
  const texts: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [commit, date] of commits) {
    const files = git(["ls-tree", commit, "supabase/migrations/"]).trim().split("\n").filter(Boolean)
      .map((l) => {
        const [meta, path] = l.split("\t");
        return [path.replace("supabase/migrations/", ""), meta.split(" ")[2]] as [string, string];
      }).filter(([name]) => name.endsWith(".sql")).sort((a, b) => a[0] < b[0] ? -1 : 1);
    if (!files.length) continue;
    const key = files.map((f) => f.join(":")).join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    for (const [, blob] of files) texts[blob] ??= git(["cat-file", "blob", blob]);
    states.push({ commit: commit.slice(0, 12), date, files });
  }
  return { states, texts };
}

/** The text of the history file for these states (stable: sorted keys, no timestamps). */
export async function historyBytes(h: { states: HistoryFile["states"]; texts: Record<string, string> }) {
  const texts = Object.fromEntries(Object.entries(h.texts).sort(([a], [b]) => a < b ? -1 : 1));
  return await gzip(JSON.stringify({ states: h.states, texts }));
}

/** Creates `name` from `template` and applies the state's migrations the way `supabase migration up`
 * does: each file in one transaction, its version recorded in supabase_migrations.schema_migrations. */
export async function buildState(adminUrl: string, template: string, name: string, state: MigrationState) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations
        (version text not null primary key, statements text[], name text)`);
    for (const f of state.files) {
      const [version, ...rest] = f.name.replace(/\.sql$/, "").split("_");
      await sql.begin(async (tx) => {
        await tx.unsafe(f.text).catch((err) => {
          throw new Error(`state ${state.commit}: applying ${f.name} failed: ${err.message}`, { cause: err });
        });
        await tx`insert into supabase_migrations.schema_migrations (version, name, statements)
          values (${version}, ${rest.join("_")}, ${[f.text]})`;
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return url.toString();
}

if (import.meta.main) {
  if (Deno.args.includes("--refresh")) {
    const h = statesFromGit();
    await Deno.writeFile(historyFile, await historyBytes(h));
    console.log(
      `${h.states.length} states, ${Object.keys(h.texts).length} distinct files → ${historyFile.pathname}`,
    );
  } else {
    for (const s of await loadHistory()) console.log(`${s.commit} ${s.date} ${s.files.length} migrations`);
  }
}
