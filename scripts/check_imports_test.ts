import assert from "node:assert/strict";
import { checkImports, describe, importSpecifiers } from "./check_imports.ts";

const src = (...lines: string[]) => lines.join("\n") + "\n";

// a small bad tree: a circle held only by `import type`, a three-file circle through a mod.ts, and
// an import of a module's inner file from outside it
const BAD = new Map<string, string>([
  ["e/a.ts", src('import type { B } from "./b.ts";', "export type A = B;")],
  ["e/b.ts", src('import type { A } from "./a.ts";', "export type B = { a?: A };")],
  ["e/m/mod.ts", src('export * from "./inner.ts";')],
  ["e/m/inner.ts", src("import {", "  c,", '} from "../c.ts";', "export const inner = c;")],
  ["e/c.ts", src('import { inner } from "./m/mod.ts";', "export const c = 1;", "export { inner };")],
  ["e/outside.ts", src('import { inner } from "./m/inner.ts";', "export const o = inner;")],
  ["e/fine.ts", src('import { o } from "./outside.ts";', "export const f = o;")],
]);

Deno.test("check_imports finds a circle of type-only imports, a circle through a mod.ts and a bypassed door", () => {
  const report = checkImports(BAD, ["e/"]);
  assert.deepEqual(report.cycles.map((c) => c.files), [
    ["e/a.ts", "e/b.ts"],
    ["e/c.ts", "e/m/inner.ts", "e/m/mod.ts"],
  ]);
  assert.deepEqual(report.cycles[0].circle, ["e/a.ts", "e/b.ts", "e/a.ts"]);
  assert.deepEqual(report.cycles[1].circle, ["e/c.ts", "e/m/mod.ts", "e/m/inner.ts", "e/c.ts"]);
  assert.deepEqual(report.bypasses, [{ from: "e/outside.ts", to: "e/m/inner.ts", door: "e/m/mod.ts" }]);
  assert.deepEqual(describe(report), [
    "import circle among 2 file(s) (e/a.ts, e/b.ts), e.g. e/a.ts -> e/b.ts -> e/a.ts",
    "import circle among 3 file(s) (e/c.ts, e/m/inner.ts, e/m/mod.ts), e.g. e/c.ts -> e/m/mod.ts -> e/m/inner.ts -> e/c.ts",
    "bypasses e/m/mod.ts: e/outside.ts imports e/m/inner.ts",
  ]);
});

Deno.test("check_imports: a mod.ts outside the door roots is no door; a tree without circles is clean", () => {
  const report = checkImports(BAD, ["elsewhere/"]);
  assert.deepEqual(report.bypasses, []);
  const clean = new Map([...BAD].filter(([p]) => !["e/b.ts", "e/c.ts"].includes(p)));
  clean.set("e/c.ts", src("export const c = 1;"));
  assert.deepEqual(checkImports(clean, ["elsewhere/"]), { cycles: [], bypasses: [] });
});

Deno.test("importSpecifiers reads multi-line, type-only and re-export statements, not code in strings or comments", () => {
  const edges = importSpecifiers(src(
    "// import { x } from './commented.ts';",
    'import assert from "node:assert/strict";',
    "import {",
    "  type A,",
    "  b,",
    '} from "./multi.ts";',
    'import type { T } from "./types.ts";',
    'export * from "./star.ts";',
    'export type { U } from "./u.ts";',
    "export { b };",
    "export function f() {}",
    'import "./side_effect.ts";',
    "const quoted = `",
    '  import { y } from "./in_template.ts";',
    "`;",
    'const late = await import("./dynamic.ts");',
  ));
  assert.deepEqual(edges, [
    { specifier: "node:assert/strict", typeOnly: false },
    { specifier: "./multi.ts", typeOnly: false },
    { specifier: "./types.ts", typeOnly: true },
    { specifier: "./star.ts", typeOnly: false },
    { specifier: "./u.ts", typeOnly: true },
    { specifier: "./side_effect.ts", typeOnly: false },
  ]);
});
