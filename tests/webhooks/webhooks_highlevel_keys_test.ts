// HighLevel's Ed25519 webhook public key in every form the official SDK
// (@gohighlevel/api-client WebhookManager.toEd25519PublicKey) accepts: PEM, or the raw 32-byte
// key as base64 or hex; the SPKI DER as base64 or hex too.
import assert from "node:assert/strict";
import { encodeBase64 } from "../../functions/_shared/encoding.ts";
import { verifyHighLevelSignature } from "../../functions/_shared/connectors/highlevel/webhook_signature.ts";
import { generateHighLevelKeys, signHighLevelBody } from "../fakes/highlevel/mod.ts";

const BODY = JSON.stringify({ type: "OrderCreate", webhookId: "w1", timestamp: "2026-01-01T00:00:00Z" });
const hex = (b: ArrayBuffer) =>
  Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("the Ed25519 public key is accepted as PEM, raw base64, raw hex, SPKI base64 and SPKI hex", async () => {
  const keys = await generateHighLevelKeys();
  const raw = await crypto.subtle.exportKey("raw", keys.ed25519.publicKey);
  const spki = await crypto.subtle.exportKey("spki", keys.ed25519.publicKey);
  const sig = (await signHighLevelBody(keys, BODY))["x-ghl-signature"];
  const forms: Record<string, string> = {
    pem: keys.ed25519PublicKeyPem,
    "raw base64": encodeBase64(raw),
    "raw hex": hex(raw),
    "raw hex, upper case, padded": `  ${hex(raw).toUpperCase()}\n`,
    "spki base64": encodeBase64(spki),
    "spki hex": hex(spki),
  };
  for (const [form, key] of Object.entries(forms)) {
    assert.equal(
      await verifyHighLevelSignature({ ed25519PublicKey: key }, BODY, { ghl: sig }),
      "ed25519",
      form,
    );
    assert.equal(
      await verifyHighLevelSignature({ ed25519PublicKey: key }, BODY + " ", { ghl: sig }),
      false,
      `${form}: tampered body`,
    );
  }
  for (const bad of ["zz".repeat(32), hex(raw).slice(2), "not a key"]) {
    assert.equal(await verifyHighLevelSignature({ ed25519PublicKey: bad }, BODY, { ghl: sig }), false, bad);
  }
});
