// `supabase functions deploy sync --use-api` (CLI 3.x) uploads the entrypoint and every local file
// it finds by scanning import/export statements with a regular expression, resolving "./" and "../"
// paths from each file (so functions/_shared outside supabase/functions is included) after applying
// the import map's prefixes; it never runs Deno's resolver. A file Deno loads but that scan misses
// would be absent from the deployed bundle. This test scans the way the CLI does and compares the
// result with Deno's own module graph of the function.
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;
const entry = "functions/sync/index.ts";

/** Local files the CLI's scan reaches from the entrypoint (paths relative to the checkout). */
function cliScan(start: string, imports: Record<string, string>): Set<string> {
  // import|export ... from "x"  /  import("x") — as the CLI's scanner reads statements
  const statement =
    /(?:import|export)\s+(?:{[^{}]+}|.*?)\s*(?:from)?\s*['"](.*?)['"]|import\(\s*['"](.*?)['"]\)/gi;
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    let text: string;
    try {
      text = Deno.readTextFileSync(root + file);
    } catch {
      continue;
    }
    seen.add(file);
    for (const m of text.matchAll(statement)) {
      let spec = (m[1] || m[2] || "").trim();
      for (const [prefix, target] of Object.entries(imports)) {
        if (spec.startsWith(prefix)) spec = target + spec.slice(prefix.length);
      }
      if (!spec.startsWith("./") && !spec.startsWith("../")) continue;
      const resolved = new URL(spec, `file:///${file}`).pathname.slice(1);
      if (/\.[a-z]+$/.test(resolved)) queue.push(resolved);
    }
  }
  return seen;
}

/** The import map supabase/config.toml deploys the function with (relative to the checkout). */
async function deployImportMap(): Promise<string> {
  const toml = await Deno.readTextFile(`${root}supabase/config.toml`);
  const section = toml.split(/^\[/m).find((s) => s.startsWith("functions.sync]"));
  const m = section?.match(/^import_map\s*=\s*"([^"]+)"/m);
  assert.ok(m, "supabase/config.toml sets [functions.sync] import_map");
  return new URL(m[1], `file:///supabase/`).pathname.slice(1);
}

Deno.test("every local module of the sync function is found by the Supabase CLI's upload scan", async () => {
  const importMap = await deployImportMap();
  const scanned = cliScan(entry, JSON.parse(await Deno.readTextFile(root + importMap)).imports ?? {});
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-config", "--import-map", importMap, entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: { specifier: string }[] };
  const local = graph.modules.map((m) => m.specifier).filter((s) => s.startsWith("file://"))
    .map((s) => decodeURIComponent(new URL(s).pathname).slice(root.length));
  assert.ok(local.length > 20, `the function has ${local.length} local modules`);
  const missed = local.filter((f) => !scanned.has(f));
  assert.deepEqual(missed, [], "modules Deno loads that the CLI would not upload");
});

Deno.test("the function reads no file at run time (only imported modules are deployed)", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(root + dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(root + p);
        if (/Deno\.(readTextFile|readFile|open)\w*\(/.test(text)) offenders.push(p);
      }
    }
  };
  await walk("functions");
  assert.deepEqual(offenders, []);
});

Deno.test("the function's import map has only what functions/ imports, at deno.json's versions", async () => {
  const importMap = await deployImportMap();
  assert.equal(importMap, "functions/import_map.json");
  const map = JSON.parse(await Deno.readTextFile(root + importMap)).imports as Record<string, string>;
  const denoJson = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).imports as Record<string, string>;
  for (const [name, target] of Object.entries(map)) assert.equal(target, denoJson[name], `"${name}"`);
  // every bare specifier the function's files import (tests included: they run on the runtime's Deno)
  const used = new Set<string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(root + dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts")) {
        for (const m of (await Deno.readTextFile(root + p)).matchAll(/\bfrom\s+"([^".][^"]*)"/g)) {
          if (!m[1].startsWith("node:")) used.add(m[1].startsWith("hono/") ? "hono/" : m[1]);
        }
      }
    }
  };
  await walk("functions");
  assert.deepEqual([...used].sort(), Object.keys(map).sort());
});
