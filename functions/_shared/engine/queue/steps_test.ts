import assert from "node:assert/strict";
import { recordOutcome } from "./steps.ts";

Deno.test("a one-record merge's counts name what became of the record", () => {
  assert.equal(recordOutcome({ inserted: 1, updated: 0, unchanged: 0, stale: 0 }, 0), "inserted");
  assert.equal(recordOutcome({ inserted: 0, updated: 0, unchanged: 0, stale: 1 }, 0), "stale");
  assert.equal(recordOutcome({ inserted: 0, updated: 1 }, 1), "failed");
  assert.equal(recordOutcome(null, 0), "skipped");
});
