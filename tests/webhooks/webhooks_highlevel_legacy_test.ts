// HighLevel signs with Ed25519 only since 2026-07-01: a delivery that carries only the legacy RSA
// x-wh-signature is refused unless the operator turned the fallback on for an old app
// (HIGHLEVEL_WEBHOOK_LEGACY_RSA=true) (issue 25, item 8).
import assert from "node:assert/strict";
import { highlevelEvent, signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { highlevelKeys, inboxCount, testApp } from "./_app.ts";

async function legacyDelivery(webhookId: string) {
  const body = JSON.stringify(highlevelEvent("OrderCreate", { _id: "o1" }, { webhookId }));
  return new Request("http://localhost/sync/webhooks/highlevel", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(await signHighLevelBody(await highlevelKeys(), body, { legacy: true })),
    },
    body,
  });
}

Deno.test("a HighLevel delivery signed only with the legacy RSA header is refused by default, naming the switch", async () => {
  await using t = await testApp();
  const res = await t.app.request(await legacyDelivery("legacy-1"));
  const json = await res.json();
  assert.equal(res.status, 401, JSON.stringify(json));
  assert.equal(json.error.code, "invalid_signature");
  assert.match(json.error.message, /legacy x-wh-signature is not accepted/);
  assert.match(json.error.message, /HIGHLEVEL_WEBHOOK_LEGACY_RSA=true/);
  assert.equal(await inboxCount(t.sql), 0);
});

Deno.test("HIGHLEVEL_WEBHOOK_LEGACY_RSA=true accepts the legacy RSA header for old apps", async () => {
  const keys = await highlevelKeys();
  await using t = await testApp({
    config: { highlevel: { webhookRsaPublicKey: keys.rsaPublicKeyPem, webhookLegacyRsa: "true" } },
    webhookSettings: { highlevel: { ed25519PublicKey: keys.ed25519PublicKeyPem } },
  });
  const res = await t.app.request(await legacyDelivery("legacy-2"));
  assert.equal(res.status, 202, await res.clone().text());
  assert.equal(await inboxCount(t.sql), 1);
});
