// End to end against an independent fake of IRIS CRM's documented API v1 (tests/fakes/iris): a
// history from 2024-04-01 through the HTTP API and the worker lands every merchant (also those not
// modified since), every transaction and every residual row in IRIS's own field types, a 17-digit
// amount to the cent, and a second run changes nothing (issue 28, items 1, 2, 3 and 5).
import assert from "node:assert/strict";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { FAKE_IRIS_KEY, startFakeIris } from "../fakes/iris/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { apiClient } from "./_app.ts";

Deno.test("an IRIS history from 2024-04-01 lands every merchant, transaction and residual row exactly", async () => {
  const fake = startFakeIris({ merchants: 5, perMonth: 2, maxPerPage: { residuals: 3 }, rateLimitEvery: 41 });
  const [may] = fake.world.residuals.get("2024-05")!;
  may.sales_amount = "100000000001624.26";
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors: { irelandpay: irelandpayConnector },
      connectorConfig: () => ({
        apiKey: FAKE_IRIS_KEY,
        baseUrl: fake.url,
        pageSize: 4,
        rateLimitRequests: 0,
        httpBaseDelayMs: 1,
        httpMaxDelayMs: 5,
      }),
      budgetMs: 120_000,
    });
    const started = await call("POST", "/sync/jobs", { connector: "irelandpay", since: "2024-04-01" });
    assert.equal(started.status, 202);
    await work();
    const { body: shown } = await call("GET", `/sync/jobs/${started.body.job.id}`);
    assert.equal(shown.job.status, "succeeded", shown.job.error);
    const residualRows = [...fake.world.residuals.values()].reduce((n, rows) => n + rows.length, 0);
    const [counts] = await db.sql`select
      (select count(*)::int from irelandpay.merchants) as merchants,
      (select count(*)::int from irelandpay.transactions) as transactions,
      (select count(*)::int from irelandpay.residuals) as residuals`;
    assert.deepEqual(counts, {
      merchants: 5, // three of them last modified before April 2024
      transactions: fake.world.transactions.length,
      residuals: residualRows,
    });
    const [m] = await db.sql`select active, modified, opened::text from irelandpay.merchants
      where mid = '800100000005'`;
    assert.equal(m.active, false);
    assert.equal(m.opened, fake.world.merchants[4].opened);
    const [r] = await db.sql`select sales_amount::text, period::text, raw->>'sales_amount' as raw_amount
      from irelandpay.residuals where mid = ${String(may.mid)} and period = '2024-05-01'`;
    assert.deepEqual(r, {
      sales_amount: "100000000001624.26",
      period: "2024-05-01",
      raw_amount: "100000000001624.26",
    });
    const t = fake.world.transactions[0];
    const [txn] = await db.sql`select mid, amount::text from irelandpay.transactions where id = ${
      String(t.id)
    }`;
    assert.deepEqual(txn, { mid: String(t.mid), amount: t.amount });

    // the same history again: nothing changes
    const again = await call("POST", "/sync/jobs", { connector: "irelandpay", since: "2024-04-01" });
    await work();
    const { body: second } = await call("GET", `/sync/jobs/${again.body.job.id}`);
    assert.equal(second.job.status, "succeeded", second.job.error);
    for (const p of second.progress) assert.equal(p.inserted + p.updated, 0, `${p.phase} wrote rows again`);
  } finally {
    await fake.close();
  }
});
