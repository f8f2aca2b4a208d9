import assert from "node:assert/strict";
import { bytesEqual, decodeBase64, decodeHex, encodeBase64, encodeHex, secretsEqual } from "./encoding.ts";

Deno.test("secretsEqual matches only the same text, whatever the lengths", () => {
  assert.equal(secretsEqual("sb_secret_abc", "sb_secret_abc"), true);
  assert.equal(secretsEqual("sb_secret_abc", "sb_secret_abd"), false);
  assert.equal(secretsEqual("sb_secret_abc", "sb_secret_ab"), false);
  assert.equal(secretsEqual("", "x"), false);
  assert.equal(secretsEqual("ü", "ü"), true);
  assert.equal(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])), false);
});

Deno.test("base64 round-trips, URL-safe and unpadded forms decode, non-base64 is null", () => {
  const bytes = new Uint8Array([251, 255, 0, 1]);
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  assert.deepEqual(decodeBase64("-_8AAQ"), bytes);
  assert.equal(decodeBase64("not base64!"), null);
});

Deno.test("hex round-trips bytes, lower case", () => {
  const bytes = new Uint8Array([0, 1, 15, 16, 171, 255]);
  assert.equal(encodeHex(bytes), "00010f10abff");
  assert.deepEqual(decodeHex("00010F10abff"), bytes);
});
