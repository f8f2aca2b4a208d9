// A correctly signed delivery nested 40,000 deep (inside the body, where Square puts the object)
// is refused with 400 and the JSON error shape, for every provider, and nothing is stored; it
// used to reach Postgres, whose jsonb parser gives up ("stack depth limit exceeded": a 500).
import assert from "node:assert/strict";
import { signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { BUBBLE_SECRET, highlevelKeys, inboxCount, squareEvent, squareRequest, testApp } from "./_app.ts";

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

Deno.test("signed webhooks nested 40,000 deep get 400, nothing stored; 60 deep still lands", async () => {
  await using t = await testApp();
  const square = JSON.stringify(squareEvent("payment.updated", "P1", "deep-1")).replace(
    '"object":{}',
    `"object":{"x":${deep(40_000)}}`,
  );
  const hl = `{"type":"OrderCreate","locationId":"L1","_id":"o1","webhookId":"deep-2","timestamp":"${
    new Date().toISOString()
  }","x":${deep(40_000)}}`;
  const requests = [
    await squareRequest(square),
    new Request("http://localhost/sync/webhooks/highlevel", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(await signHighLevelBody(await highlevelKeys(), hl)),
      },
      body: hl,
    }),
    new Request("http://localhost/sync/webhooks/bubble", {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": BUBBLE_SECRET },
      body: `{"id":"deep-3","type":"x","x":${deep(40_000)}}`,
    }),
  ];
  for (const req of requests) {
    const res = await t.app.request(req);
    const body = await res.json();
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(body.error.code, "invalid_json");
    assert.match(body.error.message, /nested deeper than 64 levels/);
  }
  assert.equal(await inboxCount(t.sql), 0);
  const fine = JSON.stringify(squareEvent("payment.updated", "P2", "deep-4")).replace(
    '"object":{}',
    `"object":{"x":${deep(60)}}`,
  );
  assert.equal((await t.app.request(await squareRequest(fine))).status, 202);
  assert.equal(await inboxCount(t.sql), 1);
});
