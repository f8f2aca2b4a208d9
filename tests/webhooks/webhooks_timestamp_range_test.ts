// A signed delivery whose timestamp is no valid instant (1e17, -1e17, 20 digits, NaN-like text) is
// refused with a 4xx naming the field, on every provider; never a 500 (issue 25, item 1).
import assert from "node:assert/strict";
import { checkTimestamp, parseTimestamp } from "../../functions/_shared/webhooks/timestamp.ts";
import { highlevelEvent, signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { BUBBLE_SECRET, highlevelKeys, inboxCount, squareEvent, squareRequest, testApp } from "./_app.ts";

const OUT_OF_RANGE: (string | number)[] = [
  1e17,
  -1e17,
  "99999999999999999999",
  "99999999999999999",
  8.64e15 + 1,
  -8.64e15 - 1,
  Number.MAX_VALUE,
  "1" + "0".repeat(99),
  "+275760-09-13T00:00:00.001Z",
];

Deno.test("parseTimestamp gives null for numbers that are no valid instant; checkTimestamp says invalid", () => {
  const now = Date.parse("2026-05-01T10:00:00Z");
  for (const v of OUT_OF_RANGE) {
    assert.equal(parseTimestamp(v), null, `parseTimestamp(${String(v).slice(0, 30)})`);
    const t = checkTimestamp(v, now, undefined, "created_at");
    assert.equal(t.ok, false);
    assert.equal(!t.ok && t.reason, "invalid");
    assert.match(!t.ok ? t.message : "", /^Webhook created_at ".*" is not a date/);
  }
  // the edges of the valid range still parse (and are then stale or in the future)
  assert.equal(parseTimestamp(8.64e15), 8.64e15);
  assert.equal(checkTimestamp(8.64e15, now).ok, false);
});

const bodyFor = (provider: string, i: number, ts: string | number) => {
  if (provider === "square") {
    return JSON.stringify(squareEvent("payment.updated", "P1", `range-${i}`, String(ts)));
  }
  if (provider === "highlevel") {
    return JSON.stringify(
      highlevelEvent("OrderCreate", { _id: "o1" }, { webhookId: `range-${i}`, timestamp: ts }),
    );
  }
  return JSON.stringify({ id: `range-${i}`, stream: "orders", timestamp: ts });
};

async function signed(provider: string, body: string, headers: Record<string, string> = {}) {
  if (provider === "square") return await squareRequest(body, undefined, headers);
  const sig = provider === "highlevel"
    ? await signHighLevelBody(await highlevelKeys(), body)
    : { "x-webhook-secret": BUBBLE_SECRET };
  return new Request(`http://localhost/sync/webhooks/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...sig, ...headers },
    body,
  });
}

Deno.test("a signed webhook with an out-of-range timestamp is a 4xx naming the field on every provider", async () => {
  await using t = await testApp({
    webhookSettings: { irelandpay: { secret: BUBBLE_SECRET } },
  });
  let i = 0;
  for (const provider of ["square", "highlevel", "bubble", "irelandpay"]) {
    const field = provider === "square" ? "created_at" : "timestamp";
    for (const ts of OUT_OF_RANGE) {
      const res = await t.app.request(await signed(provider, bodyFor(provider, i++, ts)));
      const text = await res.text();
      assert.ok(res.status === 400 || res.status === 401, `${provider} ${ts}: ${res.status} ${text}`);
      const body = JSON.parse(text);
      assert.equal(body.error.code, "invalid_timestamp", text);
      assert.match(body.error.message, new RegExp(`Webhook ${field} `), text);
    }
    // the shared-secret scheme also reads the x-event-timestamp header
    if (provider === "bubble" || provider === "irelandpay") {
      const body = JSON.stringify({ id: `hdr-${i++}`, stream: "orders" });
      const res = await t.app.request(
        await signed(provider, body, { "x-event-timestamp": "99999999999999999" }),
      );
      const text = await res.text();
      assert.equal(res.status, 400, text);
      assert.match(
        JSON.parse(text).error.message,
        /Webhook x-event-timestamp "99999999999999999" is not a date/,
      );
    }
  }
  assert.equal(await inboxCount(t.sql), 0);
});
