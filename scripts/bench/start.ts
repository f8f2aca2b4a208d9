// How soon a manual sync starts: POST /sync/jobs on the function server (no separate worker
// running) until the first progress notification of that job, and until it has finished.
// Locally the function runs the job in-process (no pg_net); on Supabase pg_net calls the worker
// endpoint instead, which cannot be timed here. Before this change a job waited for a polling
// worker (250 ms locally) or the next ops tick (up to 60 s on Supabase).
//   deno run -A scripts/bench/start.ts [--runs 5]
import { parseArgs } from "node:util";
import postgres from "postgres";
import { Jwt } from "hono/utils/jwt";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../../tests/fakes/square/mod.ts";
import { freshDatabase } from "../lib/database.ts";
import { RUNNER_V8_FLAGS } from "../lib/v8.ts";
import { freePort } from "../lib/ports.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const root = new URL("../..", import.meta.url).pathname;
const SECRET = "bench-only-jwt-secret-not-a-real-one-000000";

const dbUrl = await freshDatabase("syncline_bench_start");
const fake = startFakeSquare({ seed: 7, orders: 200, customers: 200 });
const port = freePort();
const server = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "functions/sync/index.ts"],
  cwd: root,
  env: {
    SYNCLINE_DB_URL: dbUrl,
    SYNCLINE_JWT_SECRET: SECRET,
    SYNCLINE_WORKER_SECRET: "bench-only-worker-secret-0000000000000",
    SYNCLINE_PORT: String(port),
    SQUARE_BASE_URL: fake.url,
    SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
    SQUARE_RATE_LIMIT_REQUESTS: "0",
  },
  stdout: "null",
  stderr: "null",
}).spawn();
const api = `http://127.0.0.1:${port}/sync`;
const now = Math.floor(Date.now() / 1000);
const token = await Jwt.sign({
  sub: "bench",
  role: "authenticated",
  aud: "authenticated",
  app_metadata: { role: "admin" },
  exp: now + 3600,
}, SECRET);
for (let i = 0; i < 100; i++) {
  try {
    const r = await fetch(`${api}/health`);
    await r.body?.cancel();
    if (r.ok) break;
  } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
const firstProgress = new Map<number, number>();
// the first sign of work: a progress row, or the job turning "running" (not its queued insert)
await sql.listen("sync_progress", (payload) => {
  const event = JSON.parse(payload);
  const started = event.table === "progress" || event.record?.status === "running";
  const id = Number(event.job_id);
  if (started && !firstProgress.has(id)) firstProgress.set(id, performance.now());
});

const figures: { first: number; done: number; worker: string }[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const res = await fetch(`${api}/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ connector: "square", streams: ["locations"], mode: "full" }),
  });
  const body = await res.json();
  if (res.status !== 202) throw new Error(`POST /jobs answered ${res.status}: ${JSON.stringify(body)}`);
  const id = body.job.id as number;
  let done = 0;
  while (!done) {
    const [{ status }] = await sql<{ status: string }[]>`select status from sync.jobs where id = ${id}`;
    if (!["queued", "running"].includes(status)) done = performance.now();
    else await new Promise((r) => setTimeout(r, 5));
  }
  figures.push({ first: (firstProgress.get(id) ?? NaN) - t0, done: done - t0, worker: body.worker });
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`runs: ${runs}; worker: ${[...new Set(figures.map((f) => f.worker))].join(", ")}`);
console.log(
  `request -> first progress event: median ${med(figures.map((f) => f.first)).toFixed(1)} ms, ` +
    `max ${Math.max(...figures.map((f) => f.first)).toFixed(1)} ms`,
);
console.log(
  `request -> job finished (Square locations, full): median ${med(figures.map((f) => f.done)).toFixed(1)} ms`,
);
await sql.end();
server.kill();
await server.status;
await fake.close();
