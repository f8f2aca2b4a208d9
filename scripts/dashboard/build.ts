// Builds the console: esbuild bundles dashboard/src (with @supabase/supabase-js and Chart.js
// from npm, pinned in deno.json) into dashboard/dist/app.js, next to index.html and style.css.
// dashboard/dist/ is what gets hosted (any static host; see docs/console.md).
//   deno task dashboard:build [--config config.json]
import * as esbuild from "esbuild";
import { parseArgs } from "node:util";

const root = new URL("../../", import.meta.url);
export const distDir = new URL("dashboard/dist/", root);

/** Bundles the console into dashboard/dist; writes config.json there when given. */
export async function buildDashboard(
  opts: { config?: Record<string, unknown>; minify?: boolean; sourcemap?: boolean; outDir?: URL } = {},
) {
  const out = opts.outDir ?? distDir;
  await Deno.mkdir(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [new URL("dashboard/src/main.js", root).pathname],
    outfile: new URL("app.js", out).pathname,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    minify: opts.minify ?? true,
    sourcemap: opts.sourcemap ?? true,
    legalComments: "linked",
    logLevel: "silent",
    absWorkingDir: new URL(".", root).pathname,
  });
  for (const name of ["index.html", "style.css"]) {
    await Deno.copyFile(new URL(`dashboard/${name}`, root), new URL(name, out));
  }
  if (opts.config) {
    await Deno.writeTextFile(new URL("config.json", distDir), JSON.stringify(opts.config, null, 2));
  }
  await esbuild.stop();
  return result;
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { config: { type: "string" } } });
  const config = values.config ? JSON.parse(await Deno.readTextFile(values.config)) : undefined;
  await buildDashboard({ config });
  const size = (await Deno.stat(new URL("app.js", distDir))).size;
  console.log(`dashboard/dist/app.js: ${(size / 1024).toFixed(0)} KB`);
}
