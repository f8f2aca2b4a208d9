import assert from "node:assert/strict";
import { jsonDepth, MAX_JSON_DEPTH } from "./json_depth.ts";

Deno.test("jsonDepth counts arrays and objects, ignores brackets in strings, stops past the limit", () => {
  assert.equal(jsonDepth("42"), 0);
  assert.equal(jsonDepth('{"a": [1, {"b": []}]}'), 4);
  assert.equal(jsonDepth('{"a": "[[[{{{\\"]]]"}'), 1);
  assert.equal(jsonDepth('["\\\\", ["x"]]'), 2);
  assert.equal(jsonDepth("[".repeat(40_000) + "]".repeat(40_000)), MAX_JSON_DEPTH + 1);
  assert.equal(jsonDepth("[".repeat(10) + "]".repeat(10), 5), 6);
  assert.equal(jsonDepth("[[]][[]]"), 2);
});
