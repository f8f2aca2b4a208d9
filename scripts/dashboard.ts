// Builds and serves the operator console locally, with the local Realtime stand-in:
//   deno task dashboard [--port 8000] [--api http://127.0.0.1:54321/sync] [--realtime-port 54340]
// (SYNCLINE_DB_URL and SYNCLINE_JWT_SECRET for the stand-in; --no-realtime to go without it, and the
// console says so and polls). On Supabase, host dashboard/dist/ on any static host (docs/console.md).
import { parseArgs } from "node:util";
import { buildDashboard, distDir } from "./dashboard/build.ts";
import { type RealtimeServer, startRealtime } from "./realtime/server.ts";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript",
  css: "text/css",
  json: "application/json",
  map: "application/json",
  txt: "text/plain; charset=utf-8",
};

export interface ConsoleConfig {
  api: string;
  supabaseUrl?: string | null;
  supabaseAnonKey?: string | null;
  auth?: "token" | "supabase";
}

/** Serves dashboard/dist (built) and the given config.json. */
export function serveDashboard(
  port: number,
  config: ConsoleConfig,
  onListen?: (port: number) => void,
  dir: URL = distDir,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { port, hostname: "127.0.0.1", onListen: ({ port }) => onListen?.(port) },
    async (req) => {
      const path = new URL(req.url).pathname;
      const name = path === "/" ? "index.html" : path.slice(1);
      if (name === "config.json") return Response.json(config, { headers: { "cache-control": "no-store" } });
      if (!/^[a-z0-9_-]+(\.[a-z]+)+$/i.test(name)) return new Response("not found", { status: 404 });
      try {
        const body = await Deno.readFile(new URL(name, dir));
        return new Response(body, {
          headers: { "content-type": TYPES[name.split(".").pop()!] ?? "text/plain" },
        });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}

export interface RunningConsole {
  url: string;
  realtime: RealtimeServer | null;
  close(): Promise<void>;
}

/** Builds the console, starts the Realtime stand-in (unless realtime is null) and serves both. */
export async function startConsole(opts: {
  port?: number;
  api: string;
  realtime: Parameters<typeof startRealtime>[0] | null;
  /** "supabase": sign in with Supabase Auth at the Realtime origin (hosted-like); default "token" */
  auth?: "token" | "supabase";
  /** where the build goes (default dashboard/dist/; tests build into their own folder) */
  outDir?: URL;
  /** a quick build (no minification, no source map), for tests */
  quick?: boolean;
}): Promise<RunningConsole> {
  await buildDashboard({ outDir: opts.outDir, ...(opts.quick ? { minify: false, sourcemap: false } : {}) });
  const realtime = opts.realtime ? await startRealtime(opts.realtime) : null;
  const server = serveDashboard(
    opts.port ?? 0,
    {
      api: opts.api,
      supabaseUrl: realtime?.url ?? null,
      // the stand-in ignores the API key; a Supabase project's anon key goes here when hosted
      supabaseAnonKey: realtime ? "local-anon-key" : null,
      auth: opts.auth ?? "token",
    },
    undefined,
    opts.outDir,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    realtime,
    async close() {
      await server.shutdown();
      await realtime?.close();
    },
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "8000" },
      api: { type: "string", default: Deno.env.get("SYNCLINE_API_URL") ?? "http://127.0.0.1:54321/sync" },
      "realtime-port": { type: "string", default: "54340" },
      "no-realtime": { type: "boolean", default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, got "${values.port}"`);
    Deno.exit(2);
  }
  const jwtSecret = Deno.env.get("SYNCLINE_JWT_SECRET");
  const dbUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
  if (!values["no-realtime"] && !jwtSecret) {
    console.error("SYNCLINE_JWT_SECRET is needed by the local Realtime stand-in (or pass --no-realtime)");
    Deno.exit(2);
  }
  const c = await startConsole({
    port,
    api: values.api,
    realtime: values["no-realtime"]
      ? null
      : { dbUrl, jwtSecret: jwtSecret!, port: Number(values["realtime-port"]) },
  });
  console.log(`console on ${c.url} (API ${values.api})`);
  if (c.realtime) console.log(`local Realtime stand-in on ${c.realtime.url}`);
}
