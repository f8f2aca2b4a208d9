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
