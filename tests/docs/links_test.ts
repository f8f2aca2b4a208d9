// The README stays one screen, and no document points nowhere: every relative link in README.md and
// docs/*.md names a file that exists, and its #anchor a heading of that file (GitHub's heading ids).
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const README_MAX_LINES = 60;

/** The documents checked: README.md, CHANGELOG.md and every docs/*.md. */
function documents(): URL[] {
  const docs = [...Deno.readDirSync(new URL("docs/", ROOT))]
    .filter((e) => e.isFile && e.name.endsWith(".md"))
    .map((e) => new URL(`docs/${e.name}`, ROOT));
  return [new URL("README.md", ROOT), new URL("CHANGELOG.md", ROOT), ...docs];
}

/** Markdown text without fenced code blocks and inline code (links there are examples, not links). */
function prose(md: string): string {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The heading ids GitHub gives a document: text lowercased, punctuation dropped, spaces as hyphens. */
export function headingIds(md: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const body = md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, text] of body.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link's text
      .replace(/[`*]/g, "")
      .toLowerCase();
    const base = plain.replace(/[^\p{L}\p{N}\p{M} _-]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** Relative link targets of a document: [text](target) and ![alt](target), without external URLs. */
export function relativeLinks(md: string): string[] {
  const out: string[] = [];
  for (const [, target] of prose(md).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
    out.push(target);
  }
  return out;
}

Deno.test("the README is one screen: at most 60 lines", () => {
  const lines = Deno.readTextFileSync(new URL("README.md", ROOT)).trimEnd().split("\n").length;
  assert.ok(
    lines <= README_MAX_LINES,
    `README.md has ${lines} lines (at most ${README_MAX_LINES}): move detail to docs/`,
  );
});

Deno.test("every relative link in README.md and docs/*.md names an existing file and heading", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const doc of documents()) {
    const md = Deno.readTextFileSync(doc);
    const name = doc.pathname.slice(ROOT.pathname.length);
    for (const link of relativeLinks(md)) {
      checked++;
      const [path, anchor] = link.split("#", 2);
      const target = path === "" ? doc : new URL(decodeURI(path), doc);
      let text: string | null = null;
      try {
        const info = Deno.statSync(target);
        if (info.isFile && target.pathname.endsWith(".md")) text = Deno.readTextFileSync(target);
      } catch {
        broken.push(`${name}: ${link} (no such file)`);
        continue;
      }
      if (anchor !== undefined && text !== null && !headingIds(text).has(decodeURIComponent(anchor))) {
        broken.push(`${name}: ${link} (no heading #${anchor})`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 50, `only ${checked} links found: is the link pattern still right?`);
});

Deno.test("heading ids follow GitHub's rule, so the anchor check means what a reader clicks", () => {
  const ids = headingIds(
    "# Syncline\n## Shards: backfills at the rate limit (issue 17, items 4–5), 2026-11-30\n" +
      "### Merge rules (`sync.merge_rows(target, rows)`)\n## Notes\n## Notes\n```\n# not a heading\n```\n",
  );
  assert.deepEqual([...ids], [
    "syncline",
    "shards-backfills-at-the-rate-limit-issue-17-items-45-2026-11-30",
    "merge-rules-syncmerge_rowstarget-rows",
    "notes",
    "notes-1",
  ]);
  assert.deepEqual(relativeLinks("[a](docs/x.md#y) [b](https://e.x) `[c](z.md)` ![i](p.png)"), [
    "docs/x.md#y",
    "p.png",
  ]);
});
