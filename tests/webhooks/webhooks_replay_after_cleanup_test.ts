// A shared-secret delivery (no signed timestamp: the event id is its only replay guard) replayed
// after the retention cleanup removed its inbox row is still refused as a duplicate.
import assert from "node:assert/strict";
import { BUBBLE_SECRET, inboxCount, testApp } from "./_app.ts";

Deno.test("a replay after the cleanup removed the inbox row is still a duplicate (200, nothing stored)", async () => {
  await using t = await testApp();
  const deliver = () =>
    t.app.request("http://localhost/sync/webhooks/bubble", {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": BUBBLE_SECRET },
      body: JSON.stringify({ id: "evt-replay-1", type: "order.updated", stream: "orders", ids: ["o1"] }),
    });
  assert.equal((await deliver()).status, 202);
  await t.sql`update sync.webhook_inbox set status = 'processed', received_at = now() - interval '2 days',
    processed_at = now() - interval '2 days'`;
  await t.sql`update sync.webhook_dedup set first_seen_at = now() - interval '2 days'`;
  const deleted = await t.sql`select table_name, deleted::int from sync.cleanup_old_sync_data(1)
    where table_name like 'webhook%' order by 1`;
  assert.deepEqual(deleted.map((r) => [r.table_name, r.deleted]), [["webhook_dedup", 0], [
    "webhook_inbox",
    1,
  ]]);
  assert.equal(await inboxCount(t.sql), 0);
  const replay = await deliver();
  assert.equal(replay.status, 200);
  assert.deepEqual(await replay.json(), { received: true, duplicate: true, id: null });
  assert.equal(await inboxCount(t.sql), 0);
});
