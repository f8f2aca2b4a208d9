// Square orders end to end: a full read is checked id by id (SearchOrders gives no total, its
// return_entries listing names every order), and a reconcile re-fetches the orders missing here
// and marks the one Square no longer has deleted.
import assert from "node:assert/strict";
import { createApp } from "../../functions/sync/app.ts";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { adminToken, JWT_SECRET, WORKER_SECRET } from "./_app.ts";

Deno.test("Square orders: a full read is complete by ids; reconcile re-fetches 3 and marks 1 deleted", async () => {
  const fake = startFakeSquare({ seed: 11, orders: 300, customers: 40 });
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
    const run = async (body: Record<string, unknown>) => {
      const started = await app.request("/sync/jobs", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ connector: "square", ...body }),
      });
      assert.equal(started.status, 202);
      const id = (await started.json()).job.id;
      await app.request("/sync/worker", {
        method: "POST",
        headers: { "x-syncline-worker-secret": WORKER_SECRET },
      });
      const shown = await app.request(`/sync/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } });
      return await shown.json();
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
