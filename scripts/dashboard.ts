// Serves the static dashboard locally: deno run -A scripts/dashboard.ts [--port 8000]
// (on Supabase, host dashboard/ on any static host; it only talks to the JSON API).
import { parseArgs } from "node:util";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript",
  css: "text/css",
};
const root = new URL("../dashboard/", import.meta.url);

export function serveDashboard(
  port: number,
  onListen?: (port: number) => void,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { port, hostname: "127.0.0.1", onListen: ({ port }) => onListen?.(port) },
    async (req) => {
      const path = new URL(req.url).pathname;
      const name = path === "/" ? "index.html" : path.slice(1);
      if (!/^[a-z0-9_-]+\.(html|js|css)$/.test(name)) return new Response("not found", { status: 404 });
      try {
        const body = await Deno.readFile(new URL(name, root));
        return new Response(body, { headers: { "content-type": TYPES[name.split(".").pop()!] } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { port: { type: "string", default: "8000" } } });
  serveDashboard(Number(values.port), (p) => console.log(`dashboard on http://127.0.0.1:${p}/`));
}
