import assert from "node:assert/strict";
import { apiTypeName, modifiedWindow, nextBubbleCursor, parseBubbleCursor, streamName } from "./paging.ts";

Deno.test("a Bubble cursor is the offset of the next record", () => {
  assert.equal(parseBubbleCursor(null), 0);
  assert.equal(parseBubbleCursor("200"), 200);
  for (const bad of ["", "-1", "1.5", "abc", "1e3"]) assert.throws(() => parseBubbleCursor(bad), RangeError);
});

Deno.test("the listing continues while remaining is above 0, and ends on an empty page", () => {
  assert.equal(nextBubbleCursor(0, 100, 250), "100");
  assert.equal(nextBubbleCursor(100, 100, 150), "200");
  assert.equal(nextBubbleCursor(200, 50, 0), null);
  assert.equal(nextBubbleCursor(0, 0, 10), null);
  assert.equal(nextBubbleCursor(0, 100, undefined), null);
});

Deno.test("an incremental window is Modified Date greater than since (and less than until)", () => {
  assert.deepEqual(modifiedWindow(null, null), []);
  const since = new Date("2026-03-01T10:00:00Z");
  const until = new Date("2026-03-02T10:00:00Z");
  assert.deepEqual(modifiedWindow(since, null), [
    { key: "Modified Date", constraint_type: "greater than", value: "2026-03-01T10:00:00.000Z" },
  ]);
  assert.deepEqual(modifiedWindow(since, until)[1], {
    key: "Modified Date",
    constraint_type: "less than",
    value: "2026-03-02T10:00:00.000Z",
  });
});

Deno.test("type names: API path lowercase without spaces, stream names snake case", () => {
  assert.equal(apiTypeName("Order Item"), "orderitem");
  assert.equal(apiTypeName(" user "), "user");
  assert.equal(streamName("Order Item"), "order_item");
  assert.equal(streamName("orderItem"), "order_item");
  assert.equal(streamName("user"), "user");
  assert.equal(streamName("Invoice-Line 2"), "invoice_line_2");
});
