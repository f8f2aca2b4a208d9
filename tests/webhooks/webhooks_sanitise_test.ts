// A correctly signed webhook whose body holds text Postgres cannot store (U+0000, a lone
// surrogate) is stored sanitised (engine/records/sanitise.ts) and acknowledged, never refused and lost.
import assert from "node:assert/strict";
import { highlevelEvent, signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { highlevelKeys, squareEvent, squareRequest, testApp } from "./_app.ts";

Deno.test("a signed Square webhook with NUL and a lone surrogate is stored sanitised, not refused", async () => {
  await using t = await testApp();
  const event = squareEvent("customer.updated", "CUST\u00001", "evt-nul-1");
  (event.data.object as Record<string, unknown>).note = "Smith \ud83d\u0000 ok";
  const body = JSON.stringify(event);
  assert.ok(body.includes("\\u0000") && body.includes("\\ud83d"));
  const res = await t.app.request(await squareRequest(body));
  assert.equal(res.status, 202, await res.clone().text());
  const [row] = await t.sql`select event_id, payload from sync.webhook_inbox`;
  assert.equal(row.event_id, "evt-nul-1");
  assert.equal(row.payload.data.id, "CUST1");
  assert.equal(row.payload.data.object.note, "Smith \ufffd ok");
});

Deno.test("a signed HighLevel webhook with NUL in its event id and body is stored sanitised", async () => {
  await using t = await testApp();
  const keys = await highlevelKeys();
  const body = JSON.stringify(
    highlevelEvent("ContactUpdate", { id: "c1", firstName: "Ann\u0000" }, { webhookId: "w\u0000-1" }),
  );
  const res = await t.app.request("/sync/webhooks/highlevel", {
    method: "POST",
    headers: { "content-type": "application/json", ...(await signHighLevelBody(keys, body)) },
    body,
  });
  assert.ok(res.status === 202 || res.status === 200, `${res.status} ${await res.clone().text()}`);
  const [row] = await t.sql`select event_id, payload from sync.webhook_inbox`;
  assert.equal(row.event_id, "w-1");
  assert.equal(row.payload.firstName, "Ann");
});
