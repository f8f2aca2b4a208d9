// HighLevel webhook deliveries for tests: key pairs generated here (Ed25519 for x-ghl-signature,
// RSA for the legacy x-wh-signature), signed bodies and a sender.

export interface HighLevelSigningKeys {
  /** PEM (SPKI) public keys to configure the receiver with. */
  ed25519PublicKeyPem: string;
  rsaPublicKeyPem: string;
  ed25519: CryptoKeyPair;
  rsa: CryptoKeyPair;
}

function pem(der: ArrayBuffer): string {
  const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

const b64 = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf)));

export async function generateHighLevelKeys(): Promise<HighLevelSigningKeys> {
  const ed25519 = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const rsa = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  return {
    ed25519,
    rsa,
    ed25519PublicKeyPem: pem(await crypto.subtle.exportKey("spki", ed25519.publicKey)),
    rsaPublicKeyPem: pem(await crypto.subtle.exportKey("spki", rsa.publicKey)),
  };
}

/** Signature headers for a body: x-ghl-signature (Ed25519), or only x-wh-signature when legacy. */
export async function signHighLevelBody(
  keys: HighLevelSigningKeys,
  body: string,
  opts: { legacy?: boolean; both?: boolean } = {},
): Promise<Record<string, string>> {
  const bytes = new TextEncoder().encode(body);
  const out: Record<string, string> = {};
  if (!opts.legacy || opts.both) {
    out["x-ghl-signature"] = b64(await crypto.subtle.sign("Ed25519", keys.ed25519.privateKey, bytes));
  }
  if (opts.legacy || opts.both) {
    out["x-wh-signature"] = b64(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", keys.rsa.privateKey, bytes));
  }
  return out;
}

let counter = 0;

/** A HighLevel event body: {type, locationId, webhookId, timestamp, ...data}. */
export function highlevelEvent(
  type: string,
  data: Record<string, unknown>,
  opts: { locationId?: string; webhookId?: string; timestamp?: string | number } = {},
): Record<string, unknown> {
  return {
    type,
    locationId: opts.locationId ?? "fakeLocation0001",
    ...data,
    webhookId: opts.webhookId ?? `wh-${Date.now().toString(36)}-${(++counter).toString(36)}`,
    timestamp: opts.timestamp ?? new Date().toISOString(),
  };
}

/** POSTs a signed delivery the way HighLevel does. */
export async function sendHighLevelWebhook(
  url: string,
  event: Record<string, unknown>,
  keys: HighLevelSigningKeys,
  opts: { legacy?: boolean; fetch?: (req: Request) => Response | Promise<Response> } = {},
): Promise<Response> {
  const body = JSON.stringify(event);
  const req = new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await signHighLevelBody(keys, body, opts)) },
    body,
  });
  return await (opts.fetch ?? fetch)(req);
}
