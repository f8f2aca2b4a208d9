// Immediate promotion interrupted: the worker loses its database connection right after a page of
// payments committed and before that page was promoted. The job goes back to the queue, the next
// claim resumes it after the page, and at the end of the stream the job judges again every root it
// wrote: production equals an uninterrupted sync's, nothing is left pending.
import assert from "node:assert/strict";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig } from "../reliability/_support.ts";
import { productionChecksum } from "./_promotion.ts";

const STREAMS = [
  "locations",
  "customers",
  "catalog_categories",
  "catalog_items",
  "catalog_variations",
  "orders",
];

async function sync(url: string, fakeUrl: string, connector: Connector): Promise<JobOutcome[]> {
  const sql = connect(url, 3);
  try {
    await sql`select sync.create_job('square', ${[...STREAMS, "payments"]}::text[], 'default', 'full')`;
    return await runUntilIdle({
      sql,
      connectors: { square: connector },
      connectorConfig: () => fakeConfig(fakeUrl, { pageSize: 40, promotionPlan: "square_event_sales" }),
      workerId: `w-${crypto.randomUUID().slice(0, 6)}`,
    }, { budgetMs: 120_000 });
  } finally {
    await sql.end();
  }
}

Deno.test("a sync that loses its connection between a page's commit and its promotion still promotes that page", async () => {
  const fake = startFakeSquare({
    seed: 24,
    orders: 220,
    payments: 200,
    customers: 40,
    items: 10,
    events: true,
  });
  await using a = await createTestDatabase();
  await using b = await createTestDatabase();
  try {
    let lost = 0;
    const flaky: Connector = {
      ...squareConnector,
      async afterCommit(ctx) {
        if (ctx.stream.name === "payments" && ctx.keys?.length && lost++ === 1) {
          // the second payments page has committed; the connection drops before it is promoted
          throw Object.assign(new Error("connection reset by peer"), { code: "08006" });
        }
        await squareConnector.afterCommit!(ctx);
      },
    };
    const interrupted = await sync(a.url, fake.url, flaky);
    // the fixture has roots that cannot be promoted (no attendee): both syncs end partial for them
    assert.deepEqual(interrupted.map((o) => o.status), ["lost", "partial"]);
    assert.equal(interrupted[0].jobId, interrupted[1].jobId);
    const reference = await sync(b.url, fake.url, squareConnector);
    assert.deepEqual(reference.map((o) => o.status), ["partial"]);

    assert.equal(await productionChecksum(a.sql), await productionChecksum(b.sql));
    const [{ status }] = await a.sql`select sync.get_promotion_status('square_event_sales') as status`;
    assert.equal(status.roots.pending, 0);
    assert.ok(status.roots.promoted > 100);
    assert.ok(status.roots.failed > 0, "the fixture's failed roots");
    const failedOf = async (sql: typeof a.sql, jobId: number) =>
      Number(
        (await sql`select failed from sync.progress where job_id = ${jobId} and phase = 'promotion'`)[0]
          ?.failed,
      );
    assert.equal(await failedOf(a.sql, interrupted[1].jobId), status.roots.failed);
    assert.equal(await failedOf(b.sql, reference[0].jobId), status.roots.failed);
    assert.equal(status.orphan_total, 0);
  } finally {
    await fake.close();
  }
});
