// One measured Ireland Pay transactions sync (BENCH_VARIANT=declarative|handwritten), run as its
// own process: the real runner until done; prints one JSON line with the runner's CPU.
import { handwrittenIrelandpay } from "./irelandpay_handwritten.ts";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { loadConfig } from "../../functions/_shared/config.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { cpuSeconds } from "./_cpu.ts";

const variant = Deno.env.get("BENCH_VARIANT") ?? "declarative";
const connector = variant === "handwritten" ? handwrittenIrelandpay : irelandpayConnector;
const config = loadConfig(Deno.env, ["irelandpay"]);
const sql = connect(config.dbUrl, 3);
const job = await db.createJob(sql, {
  connector: "irelandpay",
  streams: ["transactions"],
  mode: "full",
  trigger: "api",
  options: { since: "2024-04-01T00:00:00.000Z" },
});
const started = performance.now();
const cpuBefore = cpuSeconds("self");
const outcomes = await runUntilIdle({
  sql,
  connectors: { irelandpay: connector },
  connectorConfig: () => config.connectors.irelandpay ?? {},
  workerId: `bench-${variant}`,
}, { budgetMs: 15 * 60_000 });
const runnerCpu = cpuSeconds("self") - cpuBefore;
const seconds = (performance.now() - started) / 1000;
const done = await db.getJob(sql, job.id);
await sql.end();
console.log(JSON.stringify({
  variant,
  status: outcomes.at(-1)?.status,
  records: Number((done?.stats as { records?: number }).records ?? 0),
  seconds,
  runnerCpu,
}));
