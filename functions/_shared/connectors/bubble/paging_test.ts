import assert from "node:assert/strict";
import {
  apiTypeName,
  keysetQuery,
  modifiedWindow,
  nextBubbleCursor,
  parseBubbleCursor,
  streamName,
} from "./paging.ts";

const T = "2026-03-01T10:00:00.000Z";
const U = "2026-03-01T10:00:00.005Z";

Deno.test("a Bubble cursor is {after, skip, done}; an old offset cursor starts over; garbage is refused", () => {
  assert.equal(parseBubbleCursor(null), null);
  assert.equal(parseBubbleCursor("200"), null);
  assert.deepEqual(parseBubbleCursor(JSON.stringify({ after: T, skip: 2, done: 100 })), {
    after: T,
    skip: 2,
    done: 100,
  });
  for (
    const bad of [
      "",
      "-1",
      "abc",
      "{}",
      '{"after":"x","skip":0,"done":0}',
      '{"after":"' + T + '","skip":-1,"done":0}',
    ]
  ) {
    assert.throws(() => parseBubbleCursor(bad), RangeError, bad);
  }
});

Deno.test("the next page starts at the last Created Date, skipping the things of that instant already read", () => {
  const c1 = JSON.parse(nextBubbleCursor(null, [T, T, U, U], 10)!);
  assert.deepEqual(c1, { after: U, skip: 2, done: 4 });
  assert.deepEqual(keysetQuery(c1), {
    constraints: [{
      key: "Created Date",
      constraint_type: "greater than",
      value: "2026-03-01T10:00:00.004Z",
    }],
    offset: 2,
  });
  // a page that stays inside one instant adds to the skip instead of looping
  const c2 = JSON.parse(nextBubbleCursor(c1, [U, U, U], 5)!);
  assert.deepEqual(c2, { after: U, skip: 5, done: 7 });
  assert.deepEqual(keysetQuery(null), { constraints: [], offset: 0 });
});

Deno.test("the listing ends when remaining is 0 or a page is empty", () => {
  assert.equal(nextBubbleCursor(null, [T], 0), null);
  assert.equal(nextBubbleCursor(null, [], 10), null);
  assert.equal(nextBubbleCursor(null, [T], undefined), null);
  assert.throws(() => nextBubbleCursor(null, [undefined], 3), RangeError);
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
