import assert from "node:assert/strict";
import {
  BUNDLE_LIMIT_BYTES,
  bundleSize,
  checkFunction,
  codeOnly,
  denoApiFindings,
  extraNodeGlobalFindings,
} from "./edge_check.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** A checkout-shaped folder with the function's files `files` (paths under functions/). */
async function sample(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "edge_check_" });
  await Deno.mkdir(`${dir}/supabase`);
  await Deno.writeTextFile(
    `${dir}/supabase/config.toml`,
    '[functions.sync]\nentrypoint = "../functions/sync/index.ts"\nimport_map = "../functions/import_map.json"\n',
  );
  await Deno.mkdir(`${dir}/functions/sync`, { recursive: true });
  await Deno.writeTextFile(`${dir}/functions/import_map.json`, '{ "imports": {} }\n');
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/functions/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/functions/${path}`, text);
  }
  return dir;
}

const BAD_NODE = `export function later(f: () => void) {
  setImmediate(f);
}
export const bytes = Buffer.from("a");
export const env = process.env.HOME;
export const g = global;
export const here = __dirname;
export const lib = require("x");
globalThis.setImmediate(() => {});
`;

const GOOD_NODE = `import { setImmediate } from "node:timers";
import process from "node:process";
import { Buffer } from "node:buffer";
// setImmediate, Buffer and process in a comment; "require(x)" and \`__dirname \${"global"}\` in strings
export function later(f: () => void, o: { process: number; global: number }) {
  setImmediate(f);
  return [Buffer.from("a"), process.pid, o.process, o.global];
}
export const cpu = (globalThis as { process?: { cpuUsage?: () => unknown } }).process?.cpuUsage;
`;

Deno.test("the Edge check finds each bare Node global in the function's files and nothing in imported or quoted ones", async () => {
  const dir = await sample({ "sync/index.ts": 'import "../_shared/bad.ts";\n', "_shared/bad.ts": BAD_NODE });
  const good = await sample({ "sync/index.ts": GOOD_NODE });
  try {
    const { findings } = await checkFunction({ root: dir, deno: Deno.execPath() });
    const lines = findings.filter((f) => f.file === "functions/_shared/bad.ts").map((f) => f.line).sort((
      a,
      b,
    ) => a - b);
    assert.deepEqual(lines, [2, 4, 5, 6, 7, 8, 9], JSON.stringify(findings, null, 1));
    assert.ok(findings.every((f) => f.rule === "node-global"));
    const clean = await checkFunction({ root: good, deno: Deno.execPath() });
    assert.deepEqual(clean.findings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(good, { recursive: true });
  }
});

Deno.test("the Edge check finds Deno APIs a user worker lacks and file writes outside /tmp (tests exempt)", async () => {
  const bad = `const p = new Deno.Command("ls").spawn();
Deno.run({ cmd: ["ls"] });
Deno.exit(1);
Deno.addSignalListener("SIGTERM", () => {});
Deno.env.set("A", "b");
Deno.env.delete("A");
await Deno.writeTextFile("/etc/passwd", "x");
await Deno.writeTextFile("/tmp/ok.txt", "x");
await Deno.mkdir(someDir);
await Deno.rename("/tmp/a", "/tmp/b");
const f = await Deno.open("/var/x", { write: true });
const n = Deno.env.get("A") ?? Deno.readTextFileSync; // reading is allowed
// Deno.exit(2) in a comment, "Deno.Command" in a string
`;
  const findings = denoApiFindings("x.ts", bad);
  assert.deepEqual(
    findings.map((f) => f.line),
    [1, 2, 3, 4, 5, 6, 7, 9, 10, 11],
    JSON.stringify(findings, null, 1),
  );
  assert.match(findings[0].message, /Deno\.Command: subprocesses/);
  assert.match(
    findings[6].message,
    /Deno\.writeTextFile\("\/etc\/passwd"\): a user worker may write only under \/tmp/,
  );
  assert.match(findings[7].message, /Deno\.mkdir\(<not a literal path>\)/);
  const dir = await sample({ "sync/index.ts": "export {};\n", "sync/index_test.ts": bad });
  try {
    assert.deepEqual((await checkFunction({ root: dir, deno: Deno.execPath() })).findings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("codeOnly blanks comments and string contents, keeps template expressions and line numbers", () => {
  const text = 'a("x // y"); // Buffer\n/* process\n */ b(`t ${c("s")} u`);\n';
  const code = codeOnly(text);
  assert.equal(code.split("\n").length, text.split("\n").length);
  assert.ok(!/Buffer|process|\/\/ y/.test(code), code);
  assert.match(code, /b\(` +\$\{c\(" "\)\} +`\);/);
  assert.deepEqual(
    extraNodeGlobalFindings("x.ts", "const __dirname = 1;\nexport const d = __dirname;\n"),
    [],
  );
});

Deno.test({
  name:
    "the deployed function passes the Edge check with a bundle under 20 MB; the repository's deno.json would be over",
  // the measure reads Deno's npm cache and the checkout's node_modules (scripts/test.sh installs both)
  async fn() {
    const { findings, bundle } = await checkFunction({ root, deno: Deno.execPath() });
    assert.deepEqual(findings, []);
    assert.ok(bundle.bytes > 1_000_000 && bundle.bytes <= BUNDLE_LIMIT_BYTES, `${bundle.bytes} bytes`);
    assert.deepEqual(bundle.npm.map((p) => p.name.replace(/@.*/, "")).sort(), [
      "hono",
      "jose",
      "postgres",
      "zod",
    ]);
    const whole = await bundleSize({
      deno: Deno.execPath(),
      root,
      entry: "functions/sync/index.ts",
      config: "deno.json",
    });
    assert.ok(whole.bytes > BUNDLE_LIMIT_BYTES, `deno.json's bundle: ${whole.bytes} bytes`);
  },
});

Deno.test("scripts/edge_check.ts prints the findings and the bundle size and exits 1 on a bad sample", async () => {
  const dir = await sample({ "sync/index.ts": "setImmediate(() => Deno.exit(0));\n" });
  try {
    const run = async (checkout: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${root}/scripts/edge_check.ts`, "--root", checkout],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: out.code,
        text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
      };
    };
    const bad = await run(dir);
    assert.equal(bad.code, 1, bad.text);
    assert.match(bad.text, /functions\/sync\/index\.ts:1: node-global: no-node-globals/);
    assert.match(bad.text, /functions\/sync\/index\.ts:1: deno-api: Deno\.exit: a no-op in a user worker/);
    assert.match(bad.text, /^bundle 0\.0 MB of 20\.0 MB \(functions\/import_map\.json\)/m);
    const good = await run(root);
    assert.equal(good.code, 0, good.text);
    assert.match(good.text, /^bundle \d+\.\d MB of 20\.0 MB \(functions\/import_map\.json\): \d+ modules/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
