import assert from "node:assert/strict";
import { mayNeedSanitising, sanitiseRecords, sanitiseText, sanitiseValue } from "./sanitise.ts";

Deno.test("U+0000 is removed and lone surrogates become U+FFFD; paired surrogates and other text stay", () => {
  assert.equal(sanitiseText("a\u0000b"), "ab");
  assert.equal(sanitiseText("Smith \ud83d"), "Smith \ufffd");
  assert.equal(sanitiseText("\udc00x"), "\ufffdx");
  assert.equal(sanitiseText("\udc00\ud83d"), "\ufffd\ufffd", "a low before a high is two lone halves");
  assert.equal(sanitiseText("ok 😀 \u00e9 \u0001"), "ok 😀 \u00e9 \u0001");
  assert.equal(sanitiseText("\ud83d\ude00\u0000\ud83d"), "😀\ufffd");
});

Deno.test("sanitiseValue walks objects and arrays, keys included, and copies only what changed", () => {
  const clean = { a: [1, "x", { b: null }], c: true };
  const same = sanitiseValue(clean);
  assert.equal(same.changed, false);
  assert.equal(same.value, clean);

  const dirty = { keep: { deep: [1, 2] }, "k\u0000": ["ok", "n\u0000"], s: "\ud800" };
  const out = sanitiseValue(dirty);
  assert.equal(out.changed, true);
  assert.deepEqual(out.value, { keep: { deep: [1, 2] }, k: ["ok", "n"], s: "\ufffd" });
  assert.equal((out.value as typeof dirty).keep, dirty.keep, "unchanged parts are shared, not copied");
  assert.equal(dirty.s, "\ud800", "the input is not modified");
});

Deno.test("sanitiseRecords counts the records it changed", () => {
  const records = [{ id: "1" }, { id: "2", n: "a\u0000" }, "x\ud83d", 3];
  const out = sanitiseRecords(records);
  assert.equal(out.count, 2);
  assert.deepEqual(out.records, [{ id: "1" }, { id: "2", n: "a" }, "x\ufffd", 3]);
  assert.equal(out.records[0], records[0]);
  const none = [{ id: "1" }];
  assert.equal(sanitiseRecords(none).records, none);
});

Deno.test("mayNeedSanitising spots what JSON.stringify writes for NUL and lone surrogates, never misses", () => {
  assert.equal(mayNeedSanitising(JSON.stringify([{ a: "clean 😀 \u00e9" }])), false);
  assert.equal(mayNeedSanitising(JSON.stringify([{ a: "x\u0000" }])), true);
  assert.equal(mayNeedSanitising(JSON.stringify([{ a: "x\ud83d" }])), true);
  assert.equal(mayNeedSanitising(JSON.stringify([{ a: "x\udfff" }])), true);
  assert.equal(mayNeedSanitising(JSON.stringify([{ "k\u0000": 1 }])), true);
  // a literal backslash-u0000 is a false alarm (the slow path then finds nothing), never a miss
  assert.equal(mayNeedSanitising(JSON.stringify(["\\u0000"])), true);
  for (let c = 0; c < 0x10000; c += 7) {
    const s = String.fromCharCode(c);
    assert.equal(mayNeedSanitising(JSON.stringify([s])), sanitiseText(s) !== s, `U+${c.toString(16)}`);
  }
});

Deno.test("an exact big integer (JSON.rawJSON) next to a dirty string is kept as it is", () => {
  const raw = (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON("123456789012345678901234567890");
  const { value, changed } = sanitiseValue({ amount: raw, note: "a\u0000b" });
  assert.equal(changed, true);
  assert.equal(JSON.stringify(value), '{"amount":123456789012345678901234567890,"note":"ab"}');
});
