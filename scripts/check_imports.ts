// The import graph of every .ts file under the given folders (default functions/, scripts/ and
// tests/): reports each import circle (`import type` counts: a circle of types is still a circle a
// reader has to hold in their head) and each import that bypasses a module's door: under
// functions/_shared/engine/ a folder with a mod.ts is a module, and a file outside it may import
// only that mod.ts. (The connectors' and tests/fakes' mod.ts are entry points, not yet sole doors.)
// Exits 1 on any finding. Run by scripts/test.sh.
//   deno run --allow-read scripts/check_imports.ts [folder ...]

/** One import or re-export of a file: its specifier as written and whether it is type-only. */
export interface ImportEdge {
  specifier: string;
  typeOnly: boolean;
}

/** Folders under which a mod.ts is its module's only door. */
export const DOOR_ROOTS = ["functions/_shared/engine/"];

/** The findings over a set of files (paths relative to one root, with forward slashes). */
export interface ImportReport {
  /** each set of files that import one another in a circle, with its shortest circle */
  cycles: { files: string[]; circle: string[] }[];
  /** an import of a module's inner file from outside the module */
  bypasses: { from: string; to: string; door: string }[];
}

const STATEMENT_START = /^(import|export)\b/;

/**
 * The static import and export-from specifiers of a TypeScript source. Only statements that start
 * at column 0 count (as `deno fmt` writes them), so code quoted inside strings or templates is not
 * taken for an import; dynamic `import()` is a deliberate late edge and is not counted.
 */
export function importSpecifiers(source: string): ImportEdge[] {
  const lines = source.split("\n");
  const edges: ImportEdge[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (!STATEMENT_START.test(first) || /^import\s*\(/.test(first)) continue;
    if (first.startsWith("export") && !/^export\s+(type\s+)?(\*|\{)/.test(first)) continue;
    // gather the statement: up to its specifier, or its end when it has none (export { a, b };)
    let text = first;
    let j = i;
    while (!/["'][^"']+["']/.test(text) && !/;\s*$/.test(text) && j + 1 < lines.length) {
      text += "\n" + lines[++j];
    }
    i = j;
    const m = text.match(/^(import|export)\s+(type\s+)?([\s\S]*?)\s*["']([^"']+)["']/);
    if (!m) continue;
    const [, keyword, typeWord, clause] = m;
    if (keyword === "export" && !/\bfrom\s*$/.test(clause)) continue;
    if (keyword === "import" && clause !== "" && !/\bfrom\s*$/.test(clause)) continue;
    edges.push({ specifier: m[4], typeOnly: typeWord !== undefined });
  }
  return edges;
}

function dirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "" : path.slice(0, at);
}

/** A relative specifier resolved against the importing file; null for bare and URL specifiers. */
export function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return null;
  const parts = dirname(from) === "" ? [] : dirname(from).split("/");
  for (const part of specifier.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

/** Tarjan's strongly connected components; each component of two or more files holds a circle. */
function components(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(part.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return found;
}

/** The shortest circle through `start` inside one component (breadth-first), for the message. */
function circleThrough(start: string, graph: Map<string, string[]>, inside: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k];
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let u = v; u !== start; path.unshift(u)) u = previous.get(u)!;
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * The circles and door bypasses among `files` (path → source; paths relative to one root). A mod.ts
 * is a door when its path starts with one of `doorRoots`.
 */
export function checkImports(files: Map<string, string>, doorRoots: string[] = DOOR_ROOTS): ImportReport {
  const graph = new Map<string, string[]>();
  const isDoor = (p: string) => p.endsWith("/mod.ts") && doorRoots.some((root) => p.startsWith(root));
  const doors = new Set([...files.keys()].filter(isDoor).map(dirname));
  const bypasses: ImportReport["bypasses"] = [];
  for (const [path, source] of files) {
    const targets: string[] = [];
    for (const edge of importSpecifiers(source)) {
      const to = resolveSpecifier(path, edge.specifier);
      if (to === null || !files.has(to)) continue;
      targets.push(to);
      // every module (folder with a mod.ts) that holds the target but not the importer
      for (let dir = dirname(to); dir !== ""; dir = dirname(dir)) {
        if (!doors.has(dir) || path.startsWith(dir + "/") || to === `${dir}/mod.ts`) continue;
        bypasses.push({ from: path, to, door: `${dir}/mod.ts` });
      }
    }
    graph.set(path, [...new Set(targets)].sort());
  }
  const cycles = components(graph).map((files) => ({
    files,
    circle: circleThrough(files[0], graph, new Set(files)),
  }));
  return { cycles, bypasses };
}

async function readTree(root: string, folder: string, into: Map<string, string>): Promise<void> {
  for await (const entry of Deno.readDir(`${root}/${folder}`)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "node_modules" && !entry.name.startsWith(".")) {
      await readTree(root, path, into);
    } else if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      into.set(path, await Deno.readTextFile(`${root}/${path}`));
    }
  }
}

/** The report as lines a reader can act on; empty when there is nothing to report. */
export function describe(report: ImportReport): string[] {
  return [
    ...report.cycles.map((c) =>
      `import circle among ${c.files.length} file(s) (${c.files.join(", ")}), e.g. ${c.circle.join(" -> ")}`
    ),
    ...report.bypasses.map((b) => `bypasses ${b.door}: ${b.from} imports ${b.to}`),
  ];
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const folders = Deno.args.length > 0 ? Deno.args : ["functions", "scripts", "tests"];
  const files = new Map<string, string>();
  for (const folder of folders) await readTree(root, folder.replace(/\/$/, ""), files);
  const lines = describe(checkImports(files));
  for (const line of lines) console.log(line);
  console.log(
    `${files.size} files: ${lines.length === 0 ? "no import circle, no bypassed mod.ts" : ""}${
      lines.length > 0 ? `${lines.length} finding(s)` : ""
    }`,
  );
  Deno.exit(lines.length > 0 ? 1 : 0);
}
