// A bulk promote job killed mid-run: its worker loses the job after two batches (lease expired)
// and a third batch dies inside its transaction; another worker resumes after the checkpoint. The
// result equals an uninterrupted run's, every root is judged once, progress counts each root once.
import assert from "node:assert/strict";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { promotionDb } from "../../functions/_shared/promotion/db.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig, runInProcess } from "../reliability/_support.ts";
import { productionChecksum } from "./_promotion.ts";

const ROOTS = 290;

async function imported(url: string, fakeUrl: string) {
  const sql = connect(url, 2);
  await sql`select sync.create_job('square', array['locations', 'customers', 'catalog_categories',
    'catalog_items', 'catalog_variations', 'orders', 'payments'], 'default', 'full')`;
  await sql.end();
  // no promotionPlan in the settings: import only
  const out = await runInProcess(url, fakeConfig(fakeUrl));
  assert.equal(out.at(-1)?.status, "succeeded");
}

Deno.test("a promote job killed mid-run resumes after its last finished root; the result equals an uninterrupted run", async () => {
  const fake = startFakeSquare({
    seed: 22,
    orders: 300,
    payments: ROOTS,
    customers: 50,
    items: 12,
    events: true,
  });
  await using a = await createTestDatabase();
  await using b = await createTestDatabase();
  const sqlA = connect(a.url, 3), sqlB = connect(b.url, 3);
  try {
    await imported(a.url, fake.url);
    await imported(b.url, fake.url);
    const run = (sql: typeof sqlA, workerId: string) =>
      runUntilIdle({
        sql,
        connectors: { square: squareConnector },
        connectorConfig: () => fakeConfig(fake.url),
        workerId,
      }, { budgetMs: 60_000 });

    // the reference: one uninterrupted run
    const ref = await promotionDb.start(sqlB, { plan: "square_event_sales", batchSize: 40 });
    assert.equal((await run(sqlB, "ref"))[0].status, "partial");

    // the interrupted run: worker A promotes two batches, then a third dies in its transaction
    const job = await promotionDb.start(sqlA, { plan: "square_event_sales", batchSize: 40 });
    const jobId = Number(job.id);
    await sqlA`select * from sync.claim_job('worker-a', 60)`;
    const batch = () =>
      promotionDb.next(sqlA, {
        jobId,
        worker: "worker-a",
        plan: "square_event_sales",
        batch: 40,
        leaseSeconds: 60,
      });
    await batch();
    await batch();
    const crash = new Error("killed");
    await assert.rejects(
      sqlA.begin(async (tx) => {
        await tx`select sync.promote_next(${jobId}, 'worker-a', 'square_event_sales', 40, 60)`;
        throw crash;
      }),
      (err) => err === crash,
    );
    const [cp] = await sqlA`select last_root_id from sync.promotion_checkpoints where job_id = ${jobId}`;
    const [{ judged }] = await sqlA`select count(*)::int as judged from sync.promotion_roots`;
    assert.equal(judged, 80);
    assert.ok(cp.last_root_id);
    // worker A is presumed dead: its lease runs out and worker B claims the job
    await sqlA`update sync.jobs set lease_expires_at = now() - interval '1 second' where id = ${jobId}`;
    const outcome = await run(sqlA, "worker-b");
    assert.equal(outcome[0].jobId, jobId);
    assert.equal(outcome[0].status, "partial");
    await assert.rejects(batch(), /lease|held by|worker-a/i);

    assert.equal(await productionChecksum(sqlA), await productionChecksum(sqlB));
    const [p] = await sqlA`select done, total from sync.progress where job_id = ${jobId}`;
    assert.equal(Number(p.done), ROOTS);
    assert.equal(Number(p.total), ROOTS);
    const [{ max }] = await sqlA`select max(attempts)::int as max from sync.promotion_roots`;
    assert.equal(max, 1, "every root judged exactly once");
    const [{ roots }] = await sqlB`select count(*)::int as roots from sync.promotion_roots where job_id = ${
      Number(ref.id)
    }`;
    assert.equal(roots, ROOTS);
  } finally {
    await sqlA.end();
    await sqlB.end();
    await fake.close();
  }
});
