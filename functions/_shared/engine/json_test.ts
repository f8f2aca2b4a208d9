import assert from "node:assert/strict";
import { isExactNumber, parseJsonExact } from "./json.ts";

Deno.test("integers beyond 2^53 survive parse and stringify digit for digit; the rest is JSON.parse", () => {
  const text = '{"id":"000100000000000000000001","big":123456789012345678901234567890,' +
    '"neg":-9007199254740993,"list":[1,9007199254740992,2.5e300,0.1],"s":"12345678901234567890","n":null}';
  const v = parseJsonExact(text) as Record<string, unknown>;
  assert.equal(
    JSON.stringify(v),
    '{"id":"000100000000000000000001","big":123456789012345678901234567890,' +
      '"neg":-9007199254740993,"list":[1,9007199254740992,2.5e+300,0.1],"s":"12345678901234567890","n":null}',
  );
  assert.ok(isExactNumber(v.big));
  assert.equal((v.list as unknown[])[1], 9007199254740992, "2^53 itself is exact as a number");
  assert.equal(v.s, "12345678901234567890", "strings are strings");
  assert.deepEqual(parseJsonExact('{"a":1,"b":[true,"x"]}'), { a: 1, b: [true, "x"] });
  assert.throws(() => parseJsonExact("{oops"), SyntaxError);
});

Deno.test("decimals of 16+ significant digits keep their text; shorter ones are plain numbers", () => {
  const text = '{"sales_amount":100000000001624.26,"net":-0.10000000000000001,"e":1.2345678901234567e5,' +
    '"short":1624.26,"zeros":100.000000000000000,"tiny":0.000000000000001,"list":[12345678901234.5]}';
  const v = parseJsonExact(text) as Record<string, unknown>;
  assert.equal(
    JSON.stringify(v),
    '{"sales_amount":100000000001624.26,"net":-0.10000000000000001,"e":1.2345678901234567e5,' +
      '"short":1624.26,"zeros":100,"tiny":1e-15,"list":[12345678901234.5]}',
  );
  assert.ok(isExactNumber(v.sales_amount));
  assert.equal(v.short, 1624.26);
  assert.equal(JSON.stringify(JSON.parse(text).sales_amount), "100000000001624.27", "what JSON.parse does");
});
