// The Ireland Pay history (month windows × merchants) with the worker process SIGKILLed in the
// middle and restarted: the second worker goes on from the saved window, not from April 2024,
// and the tables end equal to the source — nothing lost, nothing doubled.
import assert from "node:assert/strict";
import postgres from "postgres";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { decodeCursor } from "../../functions/_shared/connectors/declarative/paging.ts";
import { FAKE_IRELANDPAY_KEY, startFakeIrelandPay } from "../fakes/irelandpay/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { jobFinished, spawnWorker, waitFor } from "./_support.ts";

Deno.test("an Ireland Pay history killed mid-way resumes window by window; every record lands once", async () => {
  const fake = startFakeIrelandPay({ seed: 9, merchants: 6, perMonth: 6, delayMs: 3 });
  await using t = await createTestDatabase();
  const watch = postgres(t.url, { max: 1, onnotice: () => {} });
  const env = {
    IRELANDPAY_API_KEY: FAKE_IRELANDPAY_KEY,
    IRELANDPAY_BASE_URL: fake.url,
    IRELANDPAY_RATE_LIMIT_REQUESTS: "0",
    IRELANDPAY_PAGE_SIZE: "4",
  };
  try {
    const job = await db.createJob(t.sql, {
      connector: "irelandpay",
      streams: ["merchants", "transactions", "residuals"],
      mode: "incremental",
      options: { since: "2024-04-01T00:00:00.000Z" },
    });
    const w = fake.state.world;
    let worker = spawnWorker(t.url, fake.url, env);
    // kill once a third of the transactions have landed
    await waitFor(
      "a third of the history",
      async () => {
        const [r] = await watch`select coalesce(sum(done), 0)::int as done from sync.progress
        where job_id = ${job.id} and phase = 'transactions'`;
        return r.done >= w.transactions.length / 3;
      },
      120_000,
      20,
    );
    await worker.kill();
    const [cp] =
      await watch`select cursor from sync.checkpoints where connector = 'irelandpay' and stream = 'transactions'`;
    const at = decodeCursor(cp.cursor);
    assert.ok(at.window! > "2024-04-01", `killed in window ${at.window}`);
    const firstWindowReads = () => countRequests(fake.state.requests.log, "start_date=2024-04-01");
    const before = firstWindowReads();

    worker = spawnWorker(t.url, fake.url, env);
    const final = await jobFinished(watch, job.id, 180_000, 50);
    await worker.kill();
    assert.equal(final.status, "succeeded", final.error ?? "");
    // April 2024 was not read again after the restart
    assert.equal(firstWindowReads(), before);
    const [n] = await t.sql`select
      (select count(*)::int from irelandpay.merchants) as merchants,
      (select count(*)::int from irelandpay.transactions) as transactions,
      (select count(distinct id)::int from irelandpay.transactions) as distinct_transactions,
      (select count(*)::int from irelandpay.residuals) as residuals`;
    assert.deepEqual(n, {
      merchants: w.merchants.length,
      transactions: w.transactions.length,
      distinct_transactions: w.transactions.length,
      residuals: w.residuals.length,
    });
  } finally {
    await watch.end({ timeout: 5 });
    await fake.close();
  }
});

function countRequests(log: string[], needle: string): number {
  return log.filter((l) => l.includes(needle)).length;
}
