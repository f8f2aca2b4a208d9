import assert from "node:assert/strict";
import { type CopyColumn, copyNeedsSanitising, copyPage, escapeCopy } from "./copy_rows.ts";
import { parseJsonExact } from "../json.ts";

const columns = (types: Record<string, string>): Map<string, CopyColumn> =>
  new Map(Object.entries(types).map(([name, type]) => [name, { name, type }]));
const target = columns({
  id: "text",
  name: "text",
  n: "bigint",
  doc: "jsonb",
  at: "timestamp with time zone",
});

Deno.test("escapeCopy escapes backslash, tab, newline and CR, and nothing else", () => {
  assert.equal(escapeCopy('plain 😀 "q" ,;'), 'plain 😀 "q" ,;');
  assert.equal(escapeCopy("a\\b\tc\nd\re\\N"), "a\\\\b\\tc\\nd\\re\\\\N");
});

Deno.test("copyPage writes one line per row: text escaped, null as \\N, JSON for jsonb columns", () => {
  const page = copyPage([
    { id: "a\tb", name: null, n: 5, doc: { s: "x\ny", q: "\\" }, at: "2026-01-01T00:00:00Z" },
    { id: "c", name: "", n: -0, doc: "str", at: new Date("2026-01-02T00:00:00Z") },
  ], target);
  assert.deepEqual(page, {
    columns: ["id", "name", "n", "doc", "at"],
    text: 'a\\tb\t\\N\t5\t{"s":"x\\\\ny","q":"\\\\\\\\"}\t2026-01-01T00:00:00Z\n' +
      'c\t\t0\t"str"\t2026-01-02T00:00:00.000Z\n',
  });
});

Deno.test("copyPage writes what JSON would send: NaN and JSON null as \\N, exact big integers digit for digit", () => {
  const big = parseJsonExact('{"v": 92233720368547758071}') as { v: unknown };
  const page = copyPage([{ id: "a", name: true, n: big.v, doc: null, at: null }, {
    id: "b",
    name: 1.5,
    n: Number.NaN,
    doc: Number.POSITIVE_INFINITY,
    at: null,
  }], target);
  assert.equal(page?.text, "a\ttrue\t92233720368547758071\t\\N\t\\N\nb\t1.5\t\\N\t\\N\t\\N\n");
});

Deno.test("copyPage refuses pages it cannot write as the JSON path would", () => {
  const ok = { id: "a", name: "x", n: 1, doc: {}, at: null };
  assert.equal(copyPage([], target), null, "empty page");
  assert.equal(copyPage([ok, { id: "b", name: "x", n: 1, doc: {} }], target), null, "a row without a column");
  assert.equal(copyPage([ok, { ...ok, extra: 1 }], target), null, "a row with another column");
  assert.equal(copyPage([ok, { ...ok, name: undefined }], target), null, "undefined: JSON drops the key");
  assert.equal(copyPage([ok, { ...ok, name: { a: 1 } }], target), null, "an object for a text column");
  assert.equal(copyPage([ok, { ...ok, n: 1e21 }], target), null, "a number JSON spells with an exponent");
  assert.equal(copyPage([{ ...ok, doc: () => 1 }], target), null, "a function for a jsonb column");
  assert.equal(
    copyPage([ok], columns({ id: "text", name: "json", n: "int", doc: "jsonb", at: "date" })),
    null,
  );
  // the same columns in another order are still one page
  const reordered = copyPage([ok, { at: null, doc: {}, n: 2, name: "y", id: "b" }], target);
  assert.equal(reordered?.text, "a\tx\t1\t{}\t\\N\nb\ty\t2\t{}\t\\N\n");
});

Deno.test("copyNeedsSanitising flags a NUL or a lone surrogate, in text or as a JSON escape", () => {
  assert.equal(copyNeedsSanitising("a\tb 😀\n"), false);
  assert.equal(copyNeedsSanitising("a\0b\n"), true);
  assert.equal(copyNeedsSanitising("a\ud800b\n"), true);
  assert.equal(copyNeedsSanitising('{"s":"\\\\u0000"}\n'), true);
  assert.equal(copyNeedsSanitising('{"s":"\\\\udc00"}\n'), true);
});
