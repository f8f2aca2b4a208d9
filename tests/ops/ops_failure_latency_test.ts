// "Failures reported within 15 minutes": the time from a job failing to its notification being
// delivered, through the ops tick (every minute, as pg_cron runs it) and the worker it wakes, on
// a simulated clock: each tick is sync.ops_tick(t) and, when it reports a due notification,
// deliverPendingNotifications at t. The channel can be down for the first attempts.
import assert from "node:assert/strict";
import { deliverPendingNotifications } from "../../functions/_shared/notify/mod.ts";
import { createTestDatabase, type Sql } from "../_support/db.ts";

/** The receiver is on this machine: the local-development switch (SYNCLINE_ALLOW_LOCAL_URLS). */
const LOCAL = { allowLocal: true };

/** A Slack-compatible receiver that answers 500 to the first `down` deliveries. */
function receiver(down: number) {
  let calls = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    await req.text();
    return new Response(++calls <= down ? "down" : "ok", { status: calls <= down ? 500 : 200 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/slack`,
    calls: () => calls,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

async function failJob(sql: Sql): Promise<Date> {
  const [job] =
    await sql`select id from sync.create_job('square', array['orders'], 'default', 'incremental')`;
  await sql`select sync.claim_job('w1')`;
  const [done] =
    await sql`select finished_at from sync.finish_job(${job.id}, 'w1', 'failed', 'Square answered 401')`;
  return new Date(done.finished_at);
}

/** Ticks once a minute (on the minute, like pg_cron) from the failure until delivery; seconds taken. */
async function secondsToDelivery(
  down: number,
): Promise<{ seconds: number; ticks: number; attempts: number }> {
  await using db = await createTestDatabase();
  await using rx = receiver(down);
  // only the failure is measured (the daily summary, on by default, would share the channel)
  await db.sql`update sync.notification_settings set daily_summary = false`;
  const failedAt = await failJob(db.sql);
  let tick = new Date(Math.ceil(failedAt.getTime() / 60_000) * 60_000);
  for (let ticks = 1; ticks <= 60; ticks++, tick = new Date(tick.getTime() + 60_000)) {
    const [{ r }] = await db.sql`select sync.ops_tick(${tick}::timestamptz) as r`;
    if (r.due_notifications > 0) {
      // the tick wakes the worker (pg_net on Supabase, the worker loop locally), which delivers
      const now = tick;
      await deliverPendingNotifications(db.sql, { slackWebhookUrl: rx.url, targets: LOCAL }, {
        now: () => now,
      });
    }
    const [n] = await db
      .sql`select status, sent_at, attempts from sync.notifications where kind = 'job_failed'`;
    if (n.status === "sent") {
      return {
        seconds: (new Date(n.sent_at).getTime() - failedAt.getTime()) / 1000,
        ticks,
        attempts: Number(n.attempts),
      };
    }
  }
  throw new Error("not delivered within 60 ticks");
}

Deno.test("a failure reaches the channel at the first tick after it (under a minute)", async () => {
  const r = await secondsToDelivery(0);
  console.log(`failure -> notification, channel up: ${r.seconds.toFixed(1)} s (${r.ticks} tick, 1 attempt)`);
  assert.equal(r.attempts, 1);
  assert.ok(r.seconds > 0 && r.seconds <= 60, `${r.seconds} s`);
});

Deno.test("with the channel down for 4 attempts the failure still arrives within 15 minutes", async () => {
  const r = await secondsToDelivery(4);
  console.log(
    `failure -> notification, 4 failed attempts: ${(r.seconds / 60).toFixed(1)} min (${r.ticks} ticks)`,
  );
  assert.equal(r.attempts, 5);
  // retries after 30 s, 1, 2, 4 min, each taken at the next whole-minute tick: 8 min after the first tick
  assert.ok(r.seconds > 480 && r.seconds <= 540, `${r.seconds} s`);
  assert.ok(r.seconds <= 15 * 60);
});

Deno.test("the promise's limit: a fifth failed attempt pushes delivery past 15 minutes", async () => {
  const r = await secondsToDelivery(5);
  console.log(`failure -> notification, 5 failed attempts: ${(r.seconds / 60).toFixed(1)} min`);
  assert.ok(r.seconds > 15 * 60 && r.seconds <= 17 * 60, `${r.seconds} s`);
});
