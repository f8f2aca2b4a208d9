// Live progress through Realtime, measured: (1) latency from a committed progress report to the
// supabase-js callback through the local stand-in, (2) what the broadcast costs the progress path:
// sync.report_progress with the realtime schema present vs absent, side by side.
//   deno run -A scripts/bench/realtime.ts [--events 500]
import { parseArgs } from "node:util";
import { createClient } from "@supabase/supabase-js";
import { Jwt } from "hono/utils/jwt";
import { startRealtime } from "../realtime/server.ts";
import { createTestDatabase } from "../../tests/_support/db.ts";

const { values } = parseArgs({ args: Deno.args, options: { events: { type: "string", default: "500" } } });
const N = Number(values.events);
const secret = "bench-only-jwt-secret-000000000000000000";
const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

await using db = await createTestDatabase();
const [job] = await db.sql`select * from sync.create_job('square', array['orders'])`;

// (1) latency
const rt = await startRealtime({ dbUrl: db.url, jwtSecret: secret });
const token = await Jwt.sign(
  {
    sub: "bench",
    role: "authenticated",
    app_metadata: { role: "admin" },
    exp: Math.floor(Date.now() / 1000) + 3600,
  },
  secret,
);
const sb = createClient(rt.url, "local-anon-key", { accessToken: () => Promise.resolve(token) });
await sb.realtime.setAuth(token);
const sentAt = new Map<number, number>();
const latencies: number[] = [];
let resolveAll: () => void;
const all = new Promise<void>((r) => (resolveAll = r));
const channel = sb.channel(`sync:job:${job.id}`, { config: { private: true } });
channel.on("broadcast", { event: "sync_progress" }, ({ payload }) => {
  const t0 = sentAt.get(Number(payload.done));
  if (t0 !== undefined) latencies.push(performance.now() - t0);
  if (latencies.length === N) resolveAll();
});
await new Promise<void>((r, j) =>
  channel.subscribe((s, e) => (s === "SUBSCRIBED" ? r() : s !== "CLOSED" && j(e ?? new Error(s))))
);
for (let i = 1; i <= N; i++) {
  sentAt.set(i, performance.now());
  await db.sql`select sync.report_progress(${job.id}, 'orders', 1, ${N})`;
}
await Promise.race([all, new Promise((r) => setTimeout(r, 60_000))]);
await sb.removeAllChannels();
await rt.close();
console.log(
  `broadcast latency, report_progress call -> supabase-js callback (${latencies.length}/${N} events):`,
);
console.log(`  p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`);

// (2) cost on the progress path, side by side
await using plain = await createTestDatabase();
await plain.sql.unsafe("drop schema realtime cascade");
const [job2] = await plain.sql`select * from sync.create_job('square', array['orders'])`;
async function perCall(sql: typeof db.sql, id: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await sql`select sync.report_progress(${id}, 'orders', 1, null)`;
  return ((performance.now() - t0) / N) * 1000;
}
await perCall(db.sql, Number(job.id)); // warm-up
await perCall(plain.sql, Number(job2.id));
const withRt = await perCall(db.sql, Number(job.id));
const without = await perCall(plain.sql, Number(job2.id));
console.log(`sync.report_progress per call (${N} calls each, one connection):`);
console.log(`  with realtime.send (one insert into realtime.messages + pg_notify): ${withRt.toFixed(0)} µs`);
console.log(`  without the realtime schema (pg_notify only):                    ${without.toFixed(0)} µs`);
const [{ n }] = await db.sql`select count(*)::int as n from realtime.messages`;
console.log(`realtime.messages rows written: ${n}`);
