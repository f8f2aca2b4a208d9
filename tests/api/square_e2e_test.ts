// End to end: the HTTP API starts Square syncs, the worker endpoint runs them against the fake
// Square API, and the rows land in square.* — then an incremental sync after changes at the
// source writes exactly those, and a column the team added to square.orders survives.
import assert from "node:assert/strict";
import { createApp } from "../../functions/sync/app.ts";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { adminToken, JWT_SECRET, WORKER_SECRET } from "./_app.ts";

Deno.test("HTTP API -> worker -> fake Square -> square.* rows; incremental picks up exactly the changes", async () => {
  const fake = startFakeSquare({ seed: 5, orders: 1_200, customers: 150 });
  await using db = await createTestDatabase();
  try {
    const app = createApp({
      sql: db.sql,
      connectors,
      connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
      auth: { jwtSecret: JWT_SECRET, jwksUrl: null, workerSecret: WORKER_SECRET },
      budgetMs: 60_000,
      log: () => {},
    });
    const token = await adminToken();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const work = () =>
      app.request("/sync/worker", { method: "POST", headers: { "x-syncline-worker-secret": WORKER_SECRET } });

    const full = await call("POST", "/sync/jobs", { connector: "square", mode: "full" });
    assert.equal(full.status, 202);
    assert.equal((await work()).status, 200);
    const fullJob = await call("GET", `/sync/jobs/${full.body.job.id}`);
    assert.equal(fullJob.body.job.status, "succeeded", fullJob.body.job.error);
    const counts = Object.fromEntries(
      (await db.sql`select 'orders' as t, count(*)::int as n from square.orders
        union all select 'customers', count(*)::int from square.customers
        union all select 'payments', count(*)::int from square.payments
        union all select 'locations', count(*)::int from square.locations`).map((r) => [r.t, r.n]),
    );
    assert.deepEqual(counts, {
      orders: 1_200,
      customers: 150,
      payments: 1_200,
      locations: fake.state.world.tables.locations.count,
    });
    const [order] = await db
      .sql`select id, location_id, total_amount, currency, raw from square.orders limit 1`;
    assert.ok(order.location_id && order.currency && typeof order.total_amount === "string");
    assert.equal(order.raw.id, order.id);

    await db.sql.unsafe(`alter table square.orders add column team_note text`);
    await db.sql`update square.orders set team_note = 'VIP' where id = ${order.id}`;
    const touched = fake.state.touch("orders", [order.id, ...fake.state.keys("orders").slice(10, 19)]);
    fake.state.touch("customers", 4);

    const inc = await call("POST", "/sync/jobs", { connector: "square", streams: ["orders", "customers"] });
    assert.equal(inc.status, 202);
    await work();
    const incJob = await call("GET", `/sync/jobs/${inc.body.job.id}`);
    assert.equal(incJob.body.job.status, "succeeded", incJob.body.job.error);
    const streams = incJob.body.job.stats.streams;
    assert.equal(streams.orders.updated, touched.length);
    assert.equal(streams.orders.inserted, 0);
    assert.equal(streams.customers.updated, 4);
    const [kept] = await db.sql`select team_note, _last_job_id from square.orders where id = ${order.id}`;
    assert.equal(kept.team_note, "VIP");
    assert.equal(Number(kept._last_job_id), inc.body.job.id);
  } finally {
    await fake.close();
  }
});
