// Cool-down per stream: a burst of webhook events for a stream that ran less than its cool-down
// ago starts no job; when the gap is over, every event of the gap is coalesced into one job.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { processInbox } from "../../functions/_shared/webhooks/process.ts";
import { inbox } from "../../functions/_shared/webhooks/inbox.ts";
import { createTestDatabase, type Sql } from "../_support/db.ts";

const deps = (sql: Sql) => ({ sql, connectors, connectorConfig: () => ({}) });

async function receive(sql: Sql, eventId: string, type: string, id: string) {
  await inbox.receive(sql, {
    provider: "highlevel",
    eventId,
    eventType: type,
    account: "default",
    payload: { type, id, locationId: "fakeLocation0001", webhookId: eventId },
  });
}

async function finishedRun(sql: Sql, streams: string[]) {
  const [job] =
    await sql`select id from sync.create_job('highlevel', ${streams}::text[], 'default', 'incremental')`;
  await sql`select sync.claim_job('w1')`;
  await sql`select sync.finish_job(${job.id}, 'w1', 'succeeded')`;
}

Deno.test("webhook events in a stream's cool-down wait, then become one job with every record id", async () => {
  await using db = await createTestDatabase();
  const { sql } = db;
  await sql`select sync.set_stream_cooldown('highlevel', 'orders', 300)`;
  await finishedRun(sql, ["orders"]);

  for (let i = 1; i <= 5; i++) await receive(sql, `w-${i}`, "OrderUpdate", `order-${i % 3}`);
  const first = await processInbox(deps(sql));
  assert.deepEqual([first.claimed, first.deferred, first.jobs.length], [5, 5, 0], "no job inside the gap");
  const waiting = await sql`select status, error, claimed_until > now() + interval '290 seconds' as aside
    from sync.webhook_inbox order by id`;
  assert.ok(
    waiting.every((w) => w.status === "processing" && w.aside && /^cooling down until /.test(w.error)),
  );
  assert.equal((await processInbox(deps(sql))).claimed, 0, "set aside until the gap ends: not claimed again");

  // a contact event has no cool-down: it runs at once
  await receive(sql, "w-c", "ContactUpdate", "contact-1");
  const second = await processInbox(deps(sql));
  assert.equal(second.jobs.length, 1);
  const [contactJob] = await sql`select streams from sync.jobs where id = ${second.jobs[0]}`;
  assert.deepEqual(contactJob.streams, ["contacts"]);

  // the gap is over (the last run ended 301 s ago): one job for the whole burst
  await sql`update sync.stream_status set last_run_at = now() - interval '301 seconds' where stream = 'orders'`;
  await sql`update sync.webhook_inbox set claimed_until = now() - interval '1 second' where claimed_until is not null`;
  const third = await processInbox(deps(sql));
  assert.equal(third.jobs.length, 1, "one job for the five events");
  const [job] = await sql`select mode, trigger, options from sync.jobs where id = ${third.jobs[0]}`;
  assert.deepEqual([job.mode, job.trigger], ["single", "webhook"]);
  assert.deepEqual([...job.options.records.orders].sort(), ["order-0", "order-1", "order-2"]);
  const [counts] = await sql`select count(*) filter (where status = 'processed')::int as done,
    count(*) filter (where job_id = ${third.jobs[0]})::int as coalesced from sync.webhook_inbox`;
  assert.deepEqual([counts.done, counts.coalesced], [6, 5]);
});

Deno.test("without a cool-down an event after a run starts its job at once (the old behaviour)", async () => {
  await using db = await createTestDatabase();
  await finishedRun(db.sql, ["orders"]);
  await receive(db.sql, "w-1", "OrderUpdate", "order-1");
  const r = await processInbox(deps(db.sql));
  assert.equal(r.jobs.length, 1);
});
