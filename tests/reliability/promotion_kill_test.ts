// A bulk promote job whose worker process is SIGKILLed mid-run and restarted: production and the
// per-root records equal an uninterrupted run's, and every root is judged exactly once.
import assert from "node:assert/strict";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { promotionDb } from "../../functions/_shared/promotion/db.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { productionChecksum } from "../api/_promotion.ts";
import { fakeConfig, jobStatus, runInProcess, spawnWorker, waitFor } from "./_support.ts";

const ROOTS = 600;

async function importOnly(url: string, fakeUrl: string): Promise<void> {
  const sql = connect(url, 1);
  await sql`select sync.create_job('square', array['locations', 'customers', 'catalog_categories',
    'catalog_items', 'catalog_variations', 'orders', 'payments'], 'default', 'full')`;
  await sql.end();
  const out = await runInProcess(url, fakeConfig(fakeUrl));
  assert.equal(out.at(-1)?.status, "succeeded");
}

Deno.test("a promote job's worker killed with SIGKILL mid-run resumes; the result equals an uninterrupted run", async () => {
  const fake = startFakeSquare({
    seed: 25,
    orders: 640,
    payments: ROOTS,
    customers: 80,
    items: 12,
    events: true,
  });
  await using a = await createTestDatabase();
  await using b = await createTestDatabase();
  const sqlA = connect(a.url, 2), sqlB = connect(b.url, 2);
  try {
    await importOnly(a.url, fake.url);
    await importOnly(b.url, fake.url);
    await promotionDb.start(sqlB, { plan: "square_event_sales", batchSize: 25 });
    assert.equal((await runInProcess(b.url, {}))[0].status, "partial");

    const job = await promotionDb.start(sqlA, { plan: "square_event_sales", batchSize: 25 });
    const jobId = Number(job.id);
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const worker = spawnWorker(a.url, fake.url);
      const before = (await jobStatus(sqlA, jobId)).done;
      // kill once a batch or two more have committed (or the job ended first)
      await waitFor(
        "promotion progress",
        async () => {
          const s = await jobStatus(sqlA, jobId);
          return s.done >= before + 50 || !["queued", "running"].includes(s.status);
        },
        120_000,
        20,
      );
      if (["queued", "running"].includes((await jobStatus(sqlA, jobId)).status)) kills++;
      await worker.kill();
    }
    const last = spawnWorker(a.url, fake.url);
    const final = await waitFor(
      "the promote job to finish",
      async () => {
        const s = await jobStatus(sqlA, jobId);
        return ["queued", "running"].includes(s.status) ? null : s;
      },
      180_000,
      100,
    );
    await last.kill();

    assert.equal(final.status, "partial", final.error ?? "");
    assert.ok(kills >= 1, "at least one kill landed mid-run");
    assert.equal(final.done, ROOTS, "progress counts each root once");
    assert.equal(await productionChecksum(sqlA), await productionChecksum(sqlB));
    const [{ max }] = await sqlA`select max(attempts)::int as max from sync.promotion_roots`;
    assert.equal(max, 1, "every root judged exactly once");
  } finally {
    await sqlA.end();
    await sqlB.end();
    await fake.close();
  }
});
