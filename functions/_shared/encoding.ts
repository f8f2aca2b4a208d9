// Byte helpers shared by the signature schemes, the API keys and the installer: base64, hex and PEM, and the
// one constant-time compare (bytesEqual, secretsEqual) every secret check uses.

/** Decodes standard or URL-safe base64 (padding optional); null when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const s = text.trim().replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "");
  if (s === "" || !/^[A-Za-z0-9+/]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s + "=".repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function encodeBase64(bytes: ArrayBuffer | Uint8Array): string {
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = "";
  for (let i = 0; i < u.length; i += 0x8000) bin += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Lower-case hex of bytes (digests, generated secrets). */
export function encodeHex(bytes: ArrayBuffer | Uint8Array): string {
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(u, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of an even-length hex string (the caller checks it is hex). */
export function decodeHex(hex: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** The DER bytes of a PEM block ("-----BEGIN PUBLIC KEY-----"), or of bare base64. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> | null {
  const body = pem.replace(/-----(BEGIN|END)[^-]+-----/g, "").replace(/\s+/g, "");
  return decodeBase64(body);
}

/** Compares two byte strings in time independent of where they differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Compares two secrets (as UTF-8) in time independent of where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  return bytesEqual(utf8(a), utf8(b));
}

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
