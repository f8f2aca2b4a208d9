// HighLevel incremental benchmark (issue 18, item 7): an incremental orders sync after 20
// changes among 10,000 orders, against the fake HighLevel enforcing the documented 100 requests
// per 10 s, through the real runner and the shared Postgres rate limiter. Prints requests and
// seconds for:
//   after  - this code: the listing (100 pages) + a read by id of each changed order, limiter at
//            the documented budget (100 per 10 s, at most 10 a second: ~9.7 requests/s sustained);
//   before - what the code before did, reproduced with options: every order re-read by id
//            (`force`) and the old token bucket's rate (half the limit sustained: 50 per 10 s).
//   deno run -A scripts/bench/highlevel_incremental.ts [--orders 10000] [--changes 20] [--before]
// The initial full sync runs with both limits off (it only prepares the table).
import { parseArgs } from "node:util";
import { highlevelConnector } from "../../functions/_shared/connectors/highlevel/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import {
  FAKE_HIGHLEVEL_LOCATION,
  FAKE_HIGHLEVEL_TOKEN,
  startFakeHighLevel,
} from "../../tests/fakes/highlevel/mod.ts";
import { freshDatabase } from "../lib/database.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    orders: { type: "string", default: "10000" },
    changes: { type: "string", default: "20" },
    before: { type: "boolean", default: false },
  },
});
const orders = Number(values.orders);
const changes = Number(values.changes);

const dbUrl = await freshDatabase("syncline_bench_highlevel");
const sql = connect(dbUrl, 4);
const fake = startFakeHighLevel({ seed: 18, products: 20, contacts: 0, orders, rateLimitMax: 0 });
const base = {
  accessToken: FAKE_HIGHLEVEL_TOKEN,
  locationId: FAKE_HIGHLEVEL_LOCATION,
  baseUrl: fake.url,
  pageSize: 100,
  httpMaxAttempts: 8,
};

async function run(
  label: string,
  config: Record<string, unknown>,
  mode: "full" | "incremental",
  force = false,
) {
  const before = fake.state.requests.total;
  const limited = { ...fake.state.requests };
  const t0 = performance.now();
  const job = await db.createJob(sql, {
    connector: "highlevel",
    streams: ["orders"],
    mode,
    options: { force },
  });
  for (;;) {
    const out = await runUntilIdle({
      sql,
      connectors: { highlevel: highlevelConnector },
      connectorConfig: () => config,
      workerId: `bench-${label}`,
    }, { budgetMs: 3_600_000 });
    if (out.length === 0 || out.at(-1)!.status !== "yielded") break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const [j] = await sql`select status, error from sync.jobs where id = ${job.id}`;
  const [p] =
    await sql`select done, inserted, updated, unchanged from sync.progress where job_id = ${job.id}`;
  const byId = (fake.state.requests["GET /payments/orders/:id"] ?? 0) -
    (limited["GET /payments/orders/:id"] ?? 0);
  const row = {
    run: label,
    status: j.status,
    requests: fake.state.requests.total - before,
    readsById: byId,
    seconds: Number(seconds.toFixed(1)),
    requestsPerSecond: Number(((fake.state.requests.total - before) / seconds).toFixed(2)),
    merged: `${p.done} (${p.inserted} new, ${p.updated} updated, ${p.unchanged} unchanged)`,
  };
  console.log(JSON.stringify(row));
  if (j.status !== "succeeded") console.log(`  ${j.error}`);
  return row;
}

try {
  await run("setup (full, limits off)", { ...base, rateLimitRequests: 0 }, "full");
  fake.state.rateLimitMax = 100; // the documented 100 requests per 10 s, enforced by the fake
  const quiet = () => new Promise((r) => setTimeout(r, fake.state.rateLimitIntervalMs)); // a fresh window
  fake.state.touch("orders", changes);
  await quiet();
  const rows = [await run("after", base, "incremental")];
  if (values.before) {
    fake.state.touch("orders", changes);
    await quiet();
    rows.push(
      await run("before", { ...base, rateLimitRequests: 50, rateLimitWindowMs: 10_000 }, "incremental", true),
    );
  }
  console.table(rows);
} finally {
  await sql.end({ timeout: 5 });
  await fake.close();
}
