// Automatic retries end to end: the ops tick queues retry jobs for failed items whose backoff is
// over, the worker re-fetches them through the connector (rate limiter and all), records that
// recover are resolved, and records that keep failing are given up with one alert.
import assert from "node:assert/strict";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase, type Sql } from "../_support/db.ts";
import { fakeConfig, runInProcess } from "./_support.ts";

/** Lets `minutes` pass for the failed items (their backoff), then runs one ops tick. */
async function tick(sql: Sql, minutes: number) {
  await sql`update sync.failed_items set next_retry_at = next_retry_at - make_interval(mins => ${minutes}),
    last_attempt_at = last_attempt_at - make_interval(mins => ${minutes})`;
  const [{ r }] = await sql`select sync.ops_tick() as r`;
  return r as Record<string, number>;
}

const recovery = async (sql: Sql) =>
  (await sql`select retried::int, recovered::int, still_failing::int, given_up::int, open::int
    from sync.get_recovery_stats(1) where stream is null and connector = 'square'`)[0];

Deno.test("the tick retries failed records on its own; those fixed at the source recover", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 21, locations: 1, orders: 300 });
  try {
    const broken = fake.state.malform("orders", 4);
    const config = fakeConfig(fake.url);
    await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    assert.equal((await runInProcess(tdb.url, config)).at(-1)?.status, "partial");

    assert.equal((await tick(tdb.sql, 0)).retry_jobs, 0, "not before the first backoff (1 minute)");
    assert.equal((await tick(tdb.sql, 2)).retry_jobs, 1, "then one retry job for square");
    const [job] = await tdb.sql`select mode, trigger, streams from sync.jobs where trigger = 'retry'`;
    assert.deepEqual([job.mode, job.streams], ["retry", ["orders"]]);
    assert.equal(
      (await runInProcess(tdb.url, config)).at(-1)?.status,
      "partial",
      "still broken at the source",
    );
    assert.deepEqual(await recovery(tdb.sql), {
      retried: 4,
      recovered: 0,
      still_failing: 4,
      given_up: 0,
      open: 4,
    });
    assert.equal(
      (await tick(tdb.sql, 1)).retry_jobs,
      0,
      "a minute later the second backoff (2 minutes) is not over",
    );

    fake.state.heal();
    assert.equal((await tick(tdb.sql, 10)).retry_jobs, 1);
    assert.equal((await runInProcess(tdb.url, config)).at(-1)?.status, "succeeded");
    assert.deepEqual(await recovery(tdb.sql), {
      retried: 4,
      recovered: 4,
      still_failing: 0,
      given_up: 0,
      open: 0,
    });
    const [{ n }] = await tdb.sql`select count(*)::int n from square.orders where id = any (${broken})`;
    assert.equal(n, 4, "the recovered records landed");
    assert.equal((await tick(tdb.sql, 60)).retry_jobs, 0, "nothing left to retry");
  } finally {
    await fake.close();
  }
});

Deno.test("a record failing failed_item_max_attempts times is given up: permanent, alerted once, not retried", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 22, locations: 1, orders: 200 });
  try {
    fake.state.malform("orders", 3);
    await tdb.sql`update sync.notification_settings set failed_item_max_attempts = 2, daily_summary = false`;
    const config = fakeConfig(fake.url);
    await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    await runInProcess(tdb.url, config);
    assert.equal((await tick(tdb.sql, 2)).retry_jobs, 1);
    await runInProcess(tdb.url, config);
    const items = await tdb.sql`select permanent, attempts, next_retry_at from sync.failed_items`;
    assert.ok(items.every((i) => i.permanent && i.attempts === 2 && i.next_retry_at === null));

    const t = await tick(tdb.sql, 60 * 24 * 3);
    assert.deepEqual([t.retry_jobs, t.retries_exhausted], [0, 1], "never retried again; one alert");
    const [alert] = await tdb
      .sql`select source, payload from sync.notifications where kind = 'retries_exhausted'`;
    assert.equal(alert.source, "square/default");
    assert.equal(alert.payload.count, 3);
    assert.equal(alert.payload.items.length, 3);
    assert.equal((await tick(tdb.sql, 60 * 24 * 4)).retries_exhausted, 0, "alerted once");
    assert.deepEqual(await recovery(tdb.sql), {
      retried: 3,
      recovered: 0,
      still_failing: 0,
      given_up: 3,
      open: 3,
    });
  } finally {
    await fake.close();
  }
});
