// Checks that the function can run in a Supabase Edge Runtime user worker (Deno 2.1, restricted):
//   1. no bare Node global (setImmediate, Buffer, global, process, __dirname, require...) in functions/:
//      Deno 2.1 and the runtime give those to code inside node_modules only;
//   2. no Deno API a user worker lacks or fakes: subprocesses (Deno.Command, Deno.run, Deno.kill),
//      Deno.exit and signal listeners (no-ops there), env writes, the file-system calls the runtime
//      blocklists, and file writes outside /tmp;
//   3. the deploy bundle under 20 MB, measured as the runtime's bundler builds it: the entrypoint's
//      module graph under supabase/config.toml's import map, plus every file of each npm package it
//      resolves (or the whole node_modules folder when the config makes one: nodeModulesDir).
// Usage: deno run -A scripts/edge_check.ts [--root <dir>] [--import-map <file>] [--config <deno.json>]
// Prints one line per finding and the bundle size; exit code 1 on any finding.

export interface Finding {
  file: string;
  line: number;
  rule: "node-global" | "deno-api";
  message: string;
}

export const BUNDLE_LIMIT_BYTES = 20 * 1024 * 1024;

const NODE_GLOBALS = ["setImmediate", "clearImmediate", "Buffer", "global", "process", "require"];

/** The API a user worker lacks (ext/runtime/js/bootstrap.js and denoOverrides.js of supabase/edge-runtime). */
const MISSING_DENO_APIS: Record<string, string> = {
  Command: "subprocesses are not available in a user worker",
  run: "subprocesses are not available in a user worker",
  kill: "a no-op in a user worker (no processes to signal)",
  exit: "a no-op in a user worker: the runtime ends the worker",
  addSignalListener: "a no-op in a user worker (no signals)",
  removeSignalListener: "a no-op in a user worker (no signals)",
  chdir: "blocklisted in a user worker",
  chmod: "blocklisted in a user worker",
  chown: "blocklisted in a user worker",
  copyFile: "blocklisted in a user worker",
  link: "blocklisted in a user worker",
  symlink: "blocklisted in a user worker",
  rename: "blocklisted in a user worker",
  truncate: "blocklisted in a user worker",
  utime: "blocklisted in a user worker",
  readLink: "blocklisted in a user worker",
};

/** Calls that write files: allowed only under /tmp (the only writable folder of a user worker). */
const WRITES = ["writeFile", "writeTextFile", "mkdir", "remove", "create", "makeTempDir", "makeTempFile"];

/** `text` with comments blanked and string contents blanked (template expressions kept), lines intact. */
export function codeOnly(text: string): string {
  let out = "";
  let i = 0;
  const braces: number[] = []; // depth of `${` per open template
  let depth = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += c + blank(text.slice(i + 1, j)) + (text[j] ?? "");
      i = j + 1;
    } else if (c === "`" || (c === "}" && braces.length && braces[braces.length - 1] === depth)) {
      if (c === "}") braces.pop();
      let j = i + 1;
      while (j < text.length && text[j] !== "`" && !(text[j] === "$" && text[j + 1] === "{")) {
        j += text[j] === "\\" ? 2 : 1;
      }
      out += c + blank(text.slice(i + 1, j));
      if (text[j] === "$") {
        braces.push(depth);
        out += "${";
        i = j + 2;
      } else {
        out += text[j] ?? "";
        i = j + 1;
      }
    } else {
      if (c === "{") depth++;
      if (c === "}") depth--;
      out += c;
      i++;
    }
  }
  return out;
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Deno APIs a user worker lacks, and writes outside /tmp, in one file's text. */
export function denoApiFindings(file: string, text: string): Finding[] {
  const code = codeOnly(text);
  const found: Finding[] = [];
  const add = (index: number, message: string) =>
    found.push({ file, line: lineOf(text, index), rule: "deno-api", message });
  for (const m of code.matchAll(/\bDeno\s*\.\s*([A-Za-z]+?)(Sync)?\b/g)) {
    const name = m[1];
    if (MISSING_DENO_APIS[name]) add(m.index, `Deno.${name}${m[2] ?? ""}: ${MISSING_DENO_APIS[name]}`);
  }
  for (const m of code.matchAll(/\bDeno\s*\.\s*env\s*\.\s*(set|delete)\b/g)) {
    add(
      m.index,
      `Deno.env.${m[1]}: the function's environment is read-only (secrets are set with supabase secrets)`,
    );
  }
  for (const m of code.matchAll(/\bDeno\s*\.\s*([A-Za-z]+?)(Sync)?\s*\(/g)) {
    if (!WRITES.includes(m[1])) continue;
    if (m[1] === "makeTempDir" || m[1] === "makeTempFile") continue; // under /tmp by default
    // the first argument as written (the code-only text blanks string contents)
    const arg = text.slice(m.index + m[0].length).match(/^\s*(["'`])([^"'`$]*)/);
    const path = arg?.[2];
    if (path !== undefined && (path === "/tmp" || path.startsWith("/tmp/"))) continue;
    add(
      m.index,
      `Deno.${m[1]}${m[2] ?? ""}(${path === undefined ? "<not a literal path>" : JSON.stringify(path)}): ` +
        "a user worker may write only under /tmp",
    );
  }
  for (
    const m of code.matchAll(
      /\bDeno\s*\.\s*open(Sync)?\s*\([^)]*\b(write|append|create|truncate)\s*:\s*true/g,
    )
  ) {
    add(m.index, `Deno.open${m[1] ?? ""} for writing: a user worker may write only under /tmp`);
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Node globals `deno lint` cannot see as such (it knows setImmediate, Buffer, global, process). */
export function extraNodeGlobalFindings(file: string, text: string): Finding[] {
  const code = codeOnly(text);
  const found: Finding[] = [];
  const declared = (name: string) =>
    new RegExp(
      `\\b(const|let|var|function|class)\\s+${name}\\b|\\bimport\\s+${name}\\b|` +
        `\\bimport\\s*(type\\s*)?\\{[^}]*\\b${name}\\b`,
    ).test(code);
  for (const name of ["__dirname", "__filename", "require", "module"]) {
    if (declared(name)) continue;
    const use = name === "require"
      ? /(?<![.\w$])require\s*\(/g
      : name === "module"
      ? /(?<![.\w$])module\s*\.\s*exports\b/g
      : new RegExp(`(?<![.\\w$])${name}\\b`, "g");
    for (const m of code.matchAll(use)) {
      found.push({
        file,
        line: lineOf(text, m.index),
        rule: "node-global",
        message: `${name}: a Node global`,
      });
    }
  }
  const viaGlobalThis = new RegExp(`\\bglobalThis\\s*\\.\\s*(${NODE_GLOBALS.join("|")})\\b`, "g");
  for (const m of code.matchAll(viaGlobalThis)) {
    // reading globalThis.process to see whether it exists is how code tells the runtimes apart
    const rest = code.slice(m.index + m[0].length);
    if (/^\s*\?\./.test(rest) || /^\s*(===|!==)\s*undefined/.test(rest)) continue;
    found.push({
      file,
      line: lineOf(text, m.index),
      rule: "node-global",
      message: `globalThis.${m[1]}: a Node global (import it from node:${
        m[1] === "Buffer" ? "buffer" : "..."
      })`,
    });
  }
  return found;
}

/** deno lint's scope-aware no-node-globals and no-process-global over `files`. */
export async function lintNodeGlobals(deno: string, root: string, files: string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const out = await new Deno.Command(deno, {
    args: ["lint", "--no-config", "--json", "--rules-include=no-node-globals,no-process-global", ...files],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    diagnostics: { filename: string; code: string; message: string; range: { start: { line: number } } }[];
  };
  return report.diagnostics
    .filter((d) => d.code === "no-node-globals" || d.code === "no-process-global")
    .map((d) => ({
      file: d.filename.replace(/^file:\/\//, "").replace(`${root}/`, ""),
      line: d.range.start.line,
      rule: "node-global" as const,
      message: `${d.code}: ${d.message} (import it from node:…)`,
    }));
}

/** Every .ts file under `dir` (relative to root), tests included unless `skipTests`. */
export async function sourceFiles(root: string, dir: string, skipTests = false): Promise<string[]> {
  const files: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(`${root}/${d}`)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts") && !(skipTests && p.endsWith("_test.ts"))) files.push(p);
    }
  };
  await walk(dir);
  return files.sort();
}

/** Apparent size of every file under `dir`, in bytes (symlinks not followed). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) total += await folderBytes(p);
    else if (e.isFile) total += (await Deno.stat(p)).size;
  }
  return total;
}

export interface BundleSize {
  bytes: number;
  modules: number;
  moduleBytes: number;
  npm: { name: string; bytes: number }[];
  how: string;
}

/**
 * The bundle the runtime's eszip builder makes for `entry`: its module graph's sources (counted twice,
 * source and emitted code) plus, with `importMap`, every file of each npm package the graph resolves;
 * with `config` a deno.json whose nodeModulesDir makes a node_modules folder, that whole folder.
 */
export async function bundleSize(opts: {
  deno: string;
  root: string;
  entry: string;
  importMap?: string;
  config?: string;
}): Promise<BundleSize> {
  const args = ["info", "--json", ...(opts.config ? ["--config", opts.config] : ["--no-config"])];
  if (opts.importMap) args.push("--import-map", opts.importMap);
  const out = await new Deno.Command(opts.deno, {
    args: [...args, opts.entry],
    cwd: opts.root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno info failed: ${new TextDecoder().decode(out.stderr)}`);
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string; size?: number }[];
    npmPackages?: Record<string, { name: string; version: string; localPath?: string }>;
  };
  const local = graph.modules.filter((m) =>
    m.specifier.startsWith("file://") && !m.specifier.includes("/npm/")
  );
  const moduleBytes = local.reduce((n, m) => n + (m.size ?? 0), 0) * 2;
  const config = opts.config ? JSON.parse(await Deno.readTextFile(`${opts.root}/${opts.config}`)) : {};
  let npm: { name: string; bytes: number }[] = [];
  let how: string;
  if (config.nodeModulesDir && config.nodeModulesDir !== "none") {
    const dir = `${opts.root}/node_modules`;
    npm = [{ name: "node_modules/ (every package the config resolves)", bytes: await folderBytes(dir) }];
    how = `${opts.config} (nodeModulesDir "${config.nodeModulesDir}": the whole node_modules folder)`;
  } else {
    for (const [id, p] of Object.entries(graph.npmPackages ?? {})) {
      if (p.localPath) npm.push({ name: id, bytes: await folderBytes(p.localPath) });
    }
    how = opts.importMap ?? opts.config ?? "no import map";
  }
  const bytes = moduleBytes + npm.reduce((n, p) => n + p.bytes, 0);
  return { bytes, modules: local.length, moduleBytes, npm, how };
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The import map supabase/config.toml's [functions.sync] deploys with (relative to root). */
export async function deployImportMap(root: string): Promise<string> {
  const toml = await Deno.readTextFile(`${root}/supabase/config.toml`);
  const section = toml.split(/^\[/m).find((s) => s.startsWith("functions.sync]"));
  const m = section?.match(/^import_map\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error("supabase/config.toml sets no [functions.sync] import_map");
  return new URL(m[1], "file:///supabase/").pathname.slice(1);
}

export async function checkFunction(opts: {
  root: string;
  deno: string;
  dir?: string;
  entry?: string;
  importMap?: string;
  config?: string;
}): Promise<{ findings: Finding[]; bundle: BundleSize }> {
  const dir = opts.dir ?? "functions";
  const files = await sourceFiles(opts.root, dir);
  const code = await sourceFiles(opts.root, dir, true);
  const findings = await lintNodeGlobals(opts.deno, opts.root, files);
  for (const f of files) {
    const text = await Deno.readTextFile(`${opts.root}/${f}`);
    findings.push(...extraNodeGlobalFindings(f, text));
    // tests run under the CLI (they may start processes and write fixtures); deployed code may not
    if (code.includes(f)) findings.push(...denoApiFindings(f, text));
  }
  const importMap = opts.config ? opts.importMap : opts.importMap ?? await deployImportMap(opts.root);
  const bundle = await bundleSize({
    deno: opts.deno,
    root: opts.root,
    entry: opts.entry ?? `${dir}/sync/index.ts`,
    importMap,
    config: opts.config,
  });
  return { findings, bundle };
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  const root = arg("--root") ?? new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const { findings, bundle } = await checkFunction({
    root,
    deno: Deno.execPath(),
    importMap: arg("--import-map"),
    config: arg("--config"),
  });
  for (const f of findings) console.log(`${f.file}:${f.line}: ${f.rule}: ${f.message}`);
  const over = bundle.bytes > BUNDLE_LIMIT_BYTES;
  console.log(
    `bundle ${mb(bundle.bytes)} of ${mb(BUNDLE_LIMIT_BYTES)} (${bundle.how}): ${bundle.modules} modules ` +
      `${mb(bundle.moduleBytes)}, npm ${bundle.npm.map((p) => `${p.name} ${mb(p.bytes)}`).join(", ")}` +
      (over ? " — over the Edge Functions limit" : ""),
  );
  if (findings.length > 0 || over) {
    console.log(`${findings.length} finding(s)${over ? ", bundle over the limit" : ""}`);
    Deno.exit(1);
  }
}
