// One measured sync, run as its own process so its memory is its own: creates a full sync of
// the given streams, runs the real runner until done, samples RSS, prints one JSON line.
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { loadConfig } from "../../functions/_shared/config.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { cpuSeconds } from "./_cpu.ts";

const streams = (Deno.env.get("BENCH_STREAMS") ?? "orders").split(",");
const config = loadConfig(Deno.env, Object.keys(connectors));
const sql = connect(config.dbUrl, 3);
const startRss = Deno.memoryUsage().rss;
let peak = 0;
const sample = () => (peak = Math.max(peak, Deno.memoryUsage().rss));
const timer = setInterval(sample, 20);
const job = await db.createJob(sql, { connector: "square", streams, mode: "full", trigger: "api" });
const started = performance.now();
const cpuBefore = cpuSeconds("self");
const outcomes = await runUntilIdle({
  sql,
  connectors,
  connectorConfig: (c) => config.connectors[c] ?? {},
  workerId: "bench",
}, { budgetMs: 15 * 60_000 });
const seconds = (performance.now() - started) / 1000;
const runnerCpu = cpuSeconds("self") - cpuBefore;
// the Postgres backends of this run's connections (created for it, so their total is the run's)
const backends =
  await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
  union all select pg_backend_pid()`;
const postgresCpu = backends.reduce((sum, b) => sum + cpuSeconds(Number(b.pid)), 0);
sample();
clearInterval(timer);
const done = await db.getJob(sql, job.id);
await sql.end();
console.log(JSON.stringify({
  status: outcomes.at(-1)?.status,
  records: Number((done?.stats as { records?: number }).records ?? 0),
  seconds,
  peakRssMb: peak / 1048576,
  startRssMb: startRss / 1048576,
  runnerCpu,
  postgresCpu,
}));
