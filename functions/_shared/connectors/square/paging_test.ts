import assert from "node:assert/strict";
import { HttpClient } from "../../engine/http/mod.ts";
import { ValidationError } from "../../engine/errors.ts";
import {
  advanceLocationCursor,
  chunk,
  decodeLocationCursor,
  encodeLocationCursor,
  fetchAcrossLocations,
} from "./paging.ts";

const locs = Array.from({ length: 23 }, (_, i) => `L${i}`);

Deno.test("chunk splits location ids into groups of at most ten, in order", () => {
  const parts = chunk(locs, 10);
  assert.deepEqual(parts.map((p) => p.length), [10, 10, 3]);
  assert.deepEqual(parts.flat(), locs);
  assert.deepEqual(chunk([], 10), []);
  assert.throws(() => chunk(locs, 0), RangeError);
});

Deno.test("a location cursor round-trips and is opaque", () => {
  const c = { locations: locs, chunk: 2, cursor: "sq/+=cursor" };
  const s = encodeLocationCursor(c);
  assert.match(s, /^sqloc1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeLocationCursor(s), c);
});

Deno.test("a damaged location cursor is a validation error naming it", () => {
  for (
    const bad of [
      "nope",
      "sqloc1.!!!",
      encodeLocationCursor({ locations: locs, chunk: 0, cursor: null }).slice(0, 12),
    ]
  ) {
    assert.throws(() => decodeLocationCursor(bad), ValidationError);
  }
});

Deno.test("advancing keeps Square's cursor within a chunk, then moves to the next chunk, then ends", () => {
  const at = { locations: locs, chunk: 0, cursor: null };
  assert.deepEqual(advanceLocationCursor(at, "abc", 10), { ...at, cursor: "abc" });
  assert.deepEqual(advanceLocationCursor({ ...at, cursor: "abc" }, undefined, 10), {
    ...at,
    chunk: 1,
    cursor: null,
  });
  assert.equal(advanceLocationCursor({ ...at, chunk: 2 }, null, 10), null);
  assert.equal(advanceLocationCursor({ ...at, chunk: 22 }, "", 1), null);
});

Deno.test("fetchAcrossLocations lists locations once, then pages chunk by chunk", async () => {
  const calls: string[] = [];
  const http = new HttpClient({
    source: "square",
    baseUrl: "http://square.test",
    headers: {},
    fetchImpl: (input) => {
      calls.push(String(input));
      return Promise.resolve(Response.json({ locations: locs.map((id) => ({ id })) }));
    },
  });
  const ctx = { http, config: { accessToken: "t" }, since: null, until: null, pageSize: 100 };
  const seen: string[][] = [];
  const read = (ids: string[], sq: string | null) => {
    seen.push([...ids, `@${sq}`]);
    return Promise.resolve({
      records: [ids[0]],
      cursor: sq === null && ids[0] === "L0" ? "next" : undefined,
    });
  };
  let cursor: string | null = null;
  const records: unknown[] = [];
  do {
    const page = await fetchAcrossLocations(ctx, cursor, 10, read);
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(calls.length, 1);
  assert.deepEqual(seen.map((s) => [s[0], s.length - 1, s.at(-1)]), [
    ["L0", 10, "@null"],
    ["L0", 10, "@next"],
    ["L18", 10, "@null"],
    ["L7", 3, "@null"],
  ]);
  assert.deepEqual(records, ["L0", "L0", "L18", "L7"]);
});

Deno.test("configured location ids are used without listing locations", async () => {
  const http = new HttpClient({
    source: "square",
    baseUrl: "http://square.test",
    headers: {},
    fetchImpl: () => {
      throw new Error("no request expected");
    },
  });
  const ctx = {
    http,
    config: { accessToken: "t", locationIds: ["A", "B", "A"] },
    since: null,
    until: null,
    pageSize: 10,
  };
  const page = await fetchAcrossLocations(ctx, null, 10, (ids) => Promise.resolve({ records: ids }));
  assert.deepEqual(page, { records: ["A", "B"], nextCursor: null });
});
