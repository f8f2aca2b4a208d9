// Square webhook signatures: x-square-hmacsha256-signature is base64(HMAC-SHA256(signature key,
// notification URL + raw body)). The URL must be the subscription's, byte for byte.
import { bytesEqual, decodeBase64, encodeBase64, utf8 } from "../../encoding.ts";

export const SQUARE_SIGNATURE_HEADER = "x-square-hmacsha256-signature";

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** base64 HMAC-SHA256 of url + body: what Square sends (tests and the fake sign with it). */
export async function signSquare(
  signatureKey: string,
  notificationUrl: string,
  body: string,
): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(signatureKey), utf8(notificationUrl + body));
  return encodeBase64(mac);
}

/** True when the header is Square's signature of notificationUrl + rawBody under signatureKey. */
export async function verifySquareSignature(
  signatureKey: string,
  notificationUrl: string,
  rawBody: string,
  header: string | null | undefined,
): Promise<boolean> {
  if (!signatureKey || !header) return false;
  const given = decodeBase64(header);
  if (!given || given.length !== 32) return false;
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await hmacKey(signatureKey), utf8(notificationUrl + rawBody)),
  );
  return bytesEqual(mac, given);
}
