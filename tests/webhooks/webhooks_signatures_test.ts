// Every signature scheme: valid, wrong key, tampered body; and the replay window.
import assert from "node:assert/strict";
import { verifyHighLevelSignature } from "../../functions/_shared/connectors/highlevel/webhook_signature.ts";
import { verifySharedSecret } from "../../functions/_shared/webhooks/shared_secret.ts";
import {
  signSquare,
  verifySquareSignature,
} from "../../functions/_shared/connectors/square/webhook_signature.ts";
import { checkTimestamp } from "../../functions/_shared/webhooks/timestamp.ts";
import { generateHighLevelKeys, signHighLevelBody } from "../fakes/highlevel/mod.ts";

const URL_ = "https://example.supabase.co/functions/v1/sync/webhooks/square";
const BODY = JSON.stringify({ event_id: "e1", type: "payment.updated", created_at: "2026-01-01T00:00:00Z" });

Deno.test("square signature verifies over notification URL + body", async () => {
  const sig = await signSquare("key-1", URL_, BODY);
  assert.equal(await verifySquareSignature("key-1", URL_, BODY, sig), true);
  assert.equal(await verifySquareSignature("key-2", URL_, BODY, sig), false, "wrong key");
  assert.equal(await verifySquareSignature("key-1", URL_, BODY + " ", sig), false, "tampered body");
  assert.equal(await verifySquareSignature("key-1", URL_ + "?x=1", BODY, sig), false, "other URL");
  assert.equal(await verifySquareSignature("key-1", URL_, BODY, null), false, "no header");
  assert.equal(await verifySquareSignature("key-1", URL_, BODY, "not base64!"), false, "garbage header");
});

Deno.test("highlevel Ed25519 signature verifies, and a bad one is not rescued by the legacy header", async () => {
  const keys = await generateHighLevelKeys();
  const other = await generateHighLevelKeys();
  const cfg = { ed25519PublicKey: keys.ed25519PublicKeyPem, rsaPublicKey: keys.rsaPublicKeyPem };
  const h = await signHighLevelBody(keys, BODY);
  assert.equal(await verifyHighLevelSignature(cfg, BODY, { ghl: h["x-ghl-signature"] }), "ed25519");
  const wrong = await signHighLevelBody(other, BODY);
  assert.equal(
    await verifyHighLevelSignature(cfg, BODY, { ghl: wrong["x-ghl-signature"] }),
    false,
    "wrong key",
  );
  assert.equal(
    await verifyHighLevelSignature(cfg, BODY + "x", { ghl: h["x-ghl-signature"] }),
    false,
    "tampered",
  );
  const both = await signHighLevelBody(keys, BODY, { both: true });
  assert.equal(
    await verifyHighLevelSignature(cfg, BODY, {
      ghl: wrong["x-ghl-signature"],
      legacy: both["x-wh-signature"],
    }),
    false,
  );
});

Deno.test("highlevel legacy RSA x-wh-signature verifies when no Ed25519 header is sent", async () => {
  const keys = await generateHighLevelKeys();
  const other = await generateHighLevelKeys();
  const cfg = { ed25519PublicKey: keys.ed25519PublicKeyPem, rsaPublicKey: keys.rsaPublicKeyPem };
  const h = await signHighLevelBody(keys, BODY, { legacy: true });
  assert.equal(await verifyHighLevelSignature(cfg, BODY, { legacy: h["x-wh-signature"] }), "rsa");
  const wrong = await signHighLevelBody(other, BODY, { legacy: true });
  assert.equal(await verifyHighLevelSignature(cfg, BODY, { legacy: wrong["x-wh-signature"] }), false);
  assert.equal(await verifyHighLevelSignature(cfg, BODY.slice(1), { legacy: h["x-wh-signature"] }), false);
  assert.equal(
    await verifyHighLevelSignature({ ed25519PublicKey: cfg.ed25519PublicKey }, BODY, {
      legacy: h["x-wh-signature"],
    }),
    false,
    "no RSA key configured",
  );
  assert.equal(await verifyHighLevelSignature(cfg, BODY, {}), false, "no header");
});

Deno.test("shared secret compares exactly", () => {
  assert.equal(verifySharedSecret("s3cret", "s3cret"), true);
  assert.equal(verifySharedSecret("s3cret", "s3cret "), false);
  assert.equal(verifySharedSecret("s3cret", "other"), false);
  assert.equal(verifySharedSecret("s3cret", null), false);
  assert.equal(verifySharedSecret("", ""), false, "an empty secret never matches");
});

Deno.test("timestamp window refuses stale and future deliveries", () => {
  const now = Date.parse("2026-03-01T12:00:00Z");
  assert.equal(checkTimestamp("2026-03-01T11:58:00Z", now).ok, true);
  assert.equal(checkTimestamp(now / 1000 - 30, now).ok, true, "epoch seconds");
  const stale = checkTimestamp("2026-03-01T11:54:59Z", now);
  assert.equal(stale.ok === false && stale.reason, "stale");
  const future = checkTimestamp("2026-03-01T12:05:00Z", now);
  assert.equal(future.ok === false && future.reason, "future");
  const missing = checkTimestamp(undefined, now);
  assert.equal(missing.ok === false && missing.reason, "missing");
  const bad = checkTimestamp("yesterday-ish", now);
  assert.equal(bad.ok === false && bad.reason, "invalid");
});
