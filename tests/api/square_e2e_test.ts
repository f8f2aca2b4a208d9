// End to end: the HTTP API starts Square syncs, the worker endpoint runs them against the fake
// Square API, and the rows land in square.* — then an incremental sync after changes at the
// source writes exactly those, and a column the team added to square.orders survives. Orders are
// checked id by id after a full read (SearchOrders gives no total; its return_entries listing names
// every order), and a reconcile re-fetches the orders missing here and marks the one Square lost.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { apiClient } from "./_app.ts";

/** The app with every connector, Square's API being the fake at fakeUrl; call the API, run the worker. */
async function squareApp(sql: Sql, fakeUrl: string) {
  return await apiClient({
    sql,
    connectors,
    connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fakeUrl, rateLimitRequests: 0 }),
  });
}

Deno.test("HTTP API -> worker -> fake Square -> square.* rows; incremental picks up exactly the changes", async () => {
  const fake = startFakeSquare({ seed: 5, orders: 1_200, customers: 150 });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await squareApp(db.sql, fake.url);

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

Deno.test("Square orders: a full read is complete by ids; reconcile re-fetches 3 and marks 1 deleted", async () => {
  const fake = startFakeSquare({ seed: 11, orders: 300, customers: 40 });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await squareApp(db.sql, fake.url);
    const run = async (body: Record<string, unknown>) => {
      const started = await call("POST", "/sync/jobs", { connector: "square", ...body });
      assert.equal(started.status, 202);
      await work();
      return (await call("GET", `/sync/jobs/${started.body.job.id}`)).body;
    };

    const full = await run({ mode: "full", streams: ["locations", "customers", "orders"] });
    assert.equal(full.job.status, "succeeded", full.job.error);
    const orders = full.progress.find((p: { phase: string }) => p.phase === "orders");
    assert.deepEqual(orders.completeness, { status: "complete", method: "ids", source: 300, landed: 300 });

    const lost = fake.state.keys("orders").slice(0, 3);
    await db.sql`delete from square.orders where id = any(${lost})`;
    await db.sql.unsafe(`insert into square.orders
      select (jsonb_populate_record(null::square.orders, to_jsonb(o) || '{"id": "ORDER-GONE-AT-SQUARE"}')).*
      from square.orders o limit 1`);

    const rec = await run({ mode: "reconcile", streams: ["orders"] });
    assert.equal(rec.job.status, "succeeded", rec.job.error);
    const c = rec.progress[0].completeness;
    assert.deepEqual(c.reconcile, { listed: 300, refetched: 3, undeleted: 0, deleted: 1, vanished: 0 });
    assert.equal(c.status, "complete");
    const [gone] = await db.sql`select _deleted_at from square.orders where id = 'ORDER-GONE-AT-SQUARE'`;
    assert.ok(gone._deleted_at);
    const [{ n }] = await db.sql`select count(*)::int n from square.orders where id = any(${lost})`;
    assert.equal(n, 3);
  } finally {
    await fake.close();
  }
});
