// Which List Orders entries are read by id: new ones and ones listed newer than the stored copy.
import assert from "node:assert/strict";
import { entriesToRead, orderQuery } from "./orders.ts";

Deno.test("an entry is read by id when it is new or listed newer than stored, compared as instants", () => {
  const stored = new Map([["a", "2026-01-01T00:00:00.000Z"], ["b", "2026-01-01T00:00:00.000Z"]]);
  const entries = [
    { _id: "a", updatedAt: "2026-01-01T00:00:00Z" }, // same instant, other spelling: unchanged
    { _id: "b", updatedAt: "2026-01-01T00:00:00.001Z" }, // newer
    { _id: "c", updatedAt: "2025-01-01T00:00:00Z" }, // not stored
    { _id: "a", updatedAt: "not a date" }, // unreadable: read, its answer decides
    { updatedAt: "2026-01-01T00:00:00Z" }, // no id: kept, fails validation with the reason
  ];
  assert.deepEqual(entriesToRead(entries, stored).map((e) => e._id ?? "-"), ["b", "c", "a", "-"]);
  assert.equal(entriesToRead(entries, null).length, 5, "full and forced runs read every entry");
});

Deno.test("order routes send altId, and altType only when configured for an older API", () => {
  assert.deepEqual(orderQuery({ accessToken: "t", locationId: "loc" }), { altId: "loc" });
  assert.deepEqual(orderQuery({ accessToken: "t", locationId: "loc", orderAltType: "location" }), {
    altId: "loc",
    altType: "location",
  });
});
