// What completeness costs (issue 17): a full read of N Square orders from the in-process fake Square
// API through the real runner, side by side without the id check (`completenessIds: false`: Square
// gives no total, so the read is unverified) and with it (SearchOrders with return_entries after
// the read, as shipped); then a reconcile that finds 1% of the orders missing here and 10 rows the
// source no longer has. Figures, not a timed test.
//   deno run -A scripts/bench/completeness.ts [--orders 20000] [--latency-ms 0]
import { parseArgs } from "node:util";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../../tests/fakes/square/mod.ts";
import { freshDatabase } from "../lib/database.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { orders: { type: "string", default: "20000" }, "latency-ms": { type: "string", default: "0" } },
});
const n = Number(values.orders);
const latencyMs = Number(values["latency-ms"]);
const fake = startFakeSquare({ seed: 7, orders: n, customers: 50 });
if (latencyMs > 0) fake.state.fault = () => new Promise((r) => setTimeout(() => r(undefined), latencyMs));
const sql: Sql = connect(await freshDatabase("syncline_bench_completeness"), 3);

async function run(mode: "full" | "reconcile", streams: string[], extra: Record<string, unknown> = {}) {
  const job = await db.createJob(sql, { connector: "square", streams, mode, trigger: "api" });
  const before = fake.state.requests.total ?? 0;
  const started = performance.now();
  await runUntilIdle({
    sql,
    connectors,
    connectorConfig: () => ({
      accessToken: FAKE_SQUARE_TOKEN,
      baseUrl: fake.url,
      rateLimitRequests: 0,
      ...extra,
    }),
    workerId: "bench",
  }, { budgetMs: 30 * 60_000 });
  const seconds = (performance.now() - started) / 1000;
  const [p] = (await db.getProgress(sql, job.id)).filter((x) => x.phase === "orders");
  const done = await db.getJob(sql, job.id);
  return {
    status: done!.status,
    seconds,
    requests: (fake.state.requests.total ?? 0) - before,
    completeness:
      (p as unknown as { completeness?: Record<string, unknown> | null } | undefined)?.completeness ?? null,
  };
}

try {
  await run("full", ["locations", "customers"]);
  const rows: [string, Awaited<ReturnType<typeof run>>][] = [];
  await sql`truncate square.orders`;
  rows.push(["full read, no id check", await run("full", ["orders"], { completenessIds: false })]);
  await sql`truncate square.orders`;
  rows.push(["full read + id check", await run("full", ["orders"])]);
  const missing = fake.state.keys("orders").filter((_, i) => i % 100 === 0);
  await sql`delete from square.orders where id = any(${missing})`;
  await sql.unsafe(`insert into square.orders
    select (jsonb_populate_record(null::square.orders, to_jsonb(o) || jsonb_build_object('id', 'GONE-' || g))).*
    from (select * from square.orders limit 1) o, generate_series(1, 10) g`);
  rows.push([`reconcile (${missing.length} missing, 10 gone)`, await run("reconcile", ["orders"])]);

  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  console.log(`\n${fmt(n)} Square orders, fake latency ${latencyMs} ms per request, rate limiter off\n`);
  console.log(
    `${"run".padEnd(34)} ${"status".padEnd(10)} ${"seconds".padStart(8)} ${"requests".padStart(9)}  result`,
  );
  for (const [name, r] of rows) {
    const c = r.completeness ?? {};
    const what = c.reconcile
      ? JSON.stringify(c.reconcile)
      : `${c.status}${c.method ? ` by ${c.method}` : ""}${c.reason ? ` (${c.reason})` : ""}`;
    console.log(
      `${name.padEnd(34)} ${r.status.padEnd(10)} ${r.seconds.toFixed(2).padStart(8)} ${
        fmt(r.requests).padStart(9)
      }  ${what}`,
    );
  }
  const [off, on] = [rows[0][1], rows[1][1]];
  console.log(
    `\nthe id check adds ${((on.seconds / off.seconds - 1) * 100).toFixed(0)}% wall time and ${
      on.requests - off.requests
    } requests (${fmt(n / (on.requests - off.requests))} ids per request)`,
  );
} finally {
  await sql.end();
  await fake.close();
}
