// HighLevel webhook signatures: x-ghl-signature is an Ed25519 signature (base64) of the raw
// body, checked with HighLevel's published public key; deliveries that carry only the legacy
// x-wh-signature (RSA-SHA256, PKCS#1 v1.5, with the published PEM key) are checked with that.
import { decodeBase64, decodeHex, pemToDer, utf8 } from "../../encoding.ts";

export const HIGHLEVEL_SIGNATURE_HEADER = "x-ghl-signature";
export const HIGHLEVEL_LEGACY_SIGNATURE_HEADER = "x-wh-signature";

export interface HighLevelKeys {
  /** Ed25519 public key: PEM (SPKI), or the raw 32 bytes (or SPKI DER) as hex or base64. */
  ed25519PublicKey?: string | null;
  /** RSA public key (PEM, SPKI) for the legacy x-wh-signature header. */
  rsaPublicKey?: string | null;
}

export type HighLevelVerdict = "ed25519" | "rsa" | false;

const cache = new Map<string, Promise<CryptoKey | null>>();

function importOnce(id: string, load: () => Promise<CryptoKey>): Promise<CryptoKey | null> {
  let key = cache.get(id);
  if (!key) {
    key = load().catch(() => null);
    cache.set(id, key);
  }
  return key;
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo: prefix + the 32 raw key bytes = SPKI. */
const ED25519_SPKI_PREFIX = "302a300506032b6570032100";

/**
 * The bytes of an Ed25519 public key given as the official SDK accepts it: PEM, or the raw
 * 32-byte key as hex (64 digits) or base64; also its SPKI DER as hex or base64. Hex is tried
 * first (64 hex digits are valid base64 too).
 */
export function ed25519KeyBytes(text: string): Uint8Array<ArrayBuffer> | null {
  const t = text.trim();
  if (!t.includes("-----BEGIN")) {
    if (/^[0-9a-fA-F]{64}$/.test(t)) return decodeHex(t);
    if (new RegExp(`^${ED25519_SPKI_PREFIX}[0-9a-f]{64}$`, "i").test(t)) return decodeHex(t);
  }
  return pemToDer(t);
}

function ed25519Key(text: string): Promise<CryptoKey | null> {
  return importOnce(`ed:${text}`, () => {
    const der = ed25519KeyBytes(text);
    if (!der) throw new Error("not PEM, hex or base64");
    return der.length === 32
      ? crypto.subtle.importKey("raw", der, { name: "Ed25519" }, false, ["verify"])
      : crypto.subtle.importKey("spki", der, { name: "Ed25519" }, false, ["verify"]);
  });
}

function rsaKey(pem: string): Promise<CryptoKey | null> {
  return importOnce(`rsa:${pem}`, () => {
    const der = pemToDer(pem);
    if (!der) throw new Error("not base64");
    return crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
  });
}

/**
 * Verifies a HighLevel delivery. The Ed25519 header wins when present (a bad one is not
 * rescued by a legacy header); otherwise the legacy RSA header is tried. Returns the scheme
 * that verified, or false.
 */
export async function verifyHighLevelSignature(
  keys: HighLevelKeys,
  rawBody: string,
  headers: { ghl?: string | null; legacy?: string | null },
): Promise<HighLevelVerdict> {
  const body = utf8(rawBody);
  if (headers.ghl) {
    if (!keys.ed25519PublicKey) return false;
    const key = await ed25519Key(keys.ed25519PublicKey);
    const sig = decodeBase64(headers.ghl);
    if (!key || !sig || sig.length !== 64) return false;
    return (await crypto.subtle.verify("Ed25519", key, sig, body)) ? "ed25519" : false;
  }
  if (headers.legacy) {
    if (!keys.rsaPublicKey) return false;
    const key = await rsaKey(keys.rsaPublicKey);
    const sig = decodeBase64(headers.legacy);
    if (!key || !sig || sig.length < 64 || sig.length > 1024) return false;
    return (await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, sig, body)) ? "rsa" : false;
  }
  return false;
}
