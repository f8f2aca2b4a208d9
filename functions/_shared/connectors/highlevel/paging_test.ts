// Contact search cursors: searchAfter from the first page on, page numbers only as a fallback.
import assert from "node:assert/strict";
import { decodeContactsCursor, encodeContactsCursor, nextContactsCursor } from "./paging.ts";

Deno.test("contact search continues after the last contact's searchAfter from the first page on", () => {
  assert.equal(decodeContactsCursor(null), null);
  assert.deepEqual(nextContactsCursor(null, 2, 2, [1700000000000, "c2"]), {
    searchAfter: [1700000000000, "c2"],
  });
  assert.equal(
    nextContactsCursor({ searchAfter: [1, "a"] }, 2, 1, [2, "b"]),
    null,
    "a short page is the last",
  );
  const c = { searchAfter: [1700000000000, "c2"] };
  assert.deepEqual(decodeContactsCursor(encodeContactsCursor(c)), c);
});

Deno.test("without searchAfter in the answer, page numbers within the 10,000 window, then a clear error", () => {
  assert.deepEqual(nextContactsCursor(null, 100, 100, undefined), { page: 2 });
  assert.deepEqual(nextContactsCursor({ page: 2 }, 100, 100, undefined), { page: 3 });
  assert.throws(() => nextContactsCursor({ page: 100 }, 100, 100, undefined), /no searchAfter/);
  assert.throws(() => decodeContactsCursor("after:[oops"), RangeError);
  assert.deepEqual(decodeContactsCursor("page:7"), { page: 7 }, "an older run's cursor still resumes");
});
