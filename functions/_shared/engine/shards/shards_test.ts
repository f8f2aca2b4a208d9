import assert from "node:assert/strict";
import {
  isWindowedRead,
  MAX_SHARDS,
  planWindows,
  shardedHighWaterMark,
  shardsFor,
  shardWindowOn,
} from "./shards.ts";

const full = { mode: "full" as const, options: { shards: 4 } };

Deno.test("shardsFor: full and historical reads of shardable streams only", () => {
  assert.equal(shardsFor(full, { shardable: true }), 4);
  assert.equal(shardsFor(full, { shardable: false }), 1, "a stream that cannot read a window");
  assert.equal(shardsFor(full, {}), 1);
  assert.equal(shardsFor({ mode: "incremental", options: { shards: 4 } }, { shardable: true }), 1);
  assert.equal(
    shardsFor({ mode: "incremental", options: { shards: 4, since: "2026-01-01T00:00:00Z" } }, {
      shardable: true,
    }),
    4,
    "a historical read",
  );
  assert.equal(shardsFor({ mode: "full", options: { shards: 4, dryRun: true } }, { shardable: true }), 1);
  assert.equal(shardsFor({ mode: "reconcile", options: { shards: 4 } }, { shardable: true }), 1);
  assert.equal(shardsFor({ mode: "full", options: {} }, { shardable: true }), 1);
  assert.equal(shardsFor({ mode: "full", options: { shards: 2.5 } }, { shardable: true }), 1);
  assert.equal(shardsFor({ mode: "full", options: { shards: 1000 } }, { shardable: true }), MAX_SHARDS);
  assert.equal(isWindowedRead({ mode: "single", options: {} }), false);
});

Deno.test("planWindows: equal parts, open first start and last end, covering every time", () => {
  const w = planWindows({
    from: new Date("2026-01-01T00:00:00Z"),
    to: new Date("2026-01-05T00:00:00Z"),
    n: 4,
    openStart: null,
    openEnd: null,
  });
  assert.deepEqual(w, [
    { start: null, end: "2026-01-02T00:00:00.000Z" },
    { start: "2026-01-02T00:00:00.000Z", end: "2026-01-03T00:00:00.000Z" },
    { start: "2026-01-03T00:00:00.000Z", end: "2026-01-04T00:00:00.000Z" },
    { start: "2026-01-04T00:00:00.000Z", end: null },
  ]);
  // each window starts where the one before ended
  for (let i = 1; i < w.length; i++) assert.equal(w[i].start, w[i - 1].end);
});

Deno.test("planWindows: a historical window keeps the job's since and until", () => {
  const w = planWindows({
    from: new Date("2026-01-01T00:00:00Z"),
    to: new Date("2026-01-03T00:00:00Z"),
    n: 2,
    openStart: "2026-01-01T00:00:00.000Z",
    openEnd: "2026-01-03T00:00:00.000Z",
  });
  assert.deepEqual(w, [
    { start: "2026-01-01T00:00:00.000Z", end: "2026-01-02T00:00:00.000Z" },
    { start: "2026-01-02T00:00:00.000Z", end: "2026-01-03T00:00:00.000Z" },
  ]);
});

Deno.test("planWindows: nothing to go by, or a range too short, gives fewer windows", () => {
  const one = { start: null, end: null };
  assert.deepEqual(planWindows({ from: null, to: new Date(), n: 8, openStart: null, openEnd: null }), [one]);
  const t = new Date("2026-01-01T00:00:00.000Z");
  assert.deepEqual(planWindows({ from: t, to: t, n: 8, openStart: null, openEnd: null }), [one]);
  const three = planWindows({ from: t, to: new Date(t.getTime() + 3), n: 8, openStart: null, openEnd: null });
  assert.equal(three.length, 3, "at least a millisecond per window");
  assert.equal(
    planWindows({ from: t, to: new Date(t.getTime() + 1e9), n: 500, openStart: null, openEnd: null })
      .length,
    MAX_SHARDS,
  );
});

Deno.test("shardedHighWaterMark: the newest version read, never past the planning time", () => {
  const planned = "2026-11-01T00:00:00.000Z";
  assert.equal(
    shardedHighWaterMark(["2026-01-01T00:00:00.000Z", null, "2026-03-01T00:00:00.000Z"], planned),
    "2026-03-01T00:00:00.000Z",
  );
  assert.equal(
    shardedHighWaterMark(["2026-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"], planned),
    planned,
  );
  assert.equal(shardedHighWaterMark([null, undefined, ""], planned), null);
});

Deno.test("a full read's shards split creation time where the stream can; a historical read's, update time", () => {
  const created = { createdAt: () => "2026-01-01T00:00:00Z" };
  assert.equal(shardWindowOn({ mode: "full", options: {} }, created), "created");
  assert.equal(shardWindowOn({ mode: "full", options: { since: "2026-01-01" } }, created), undefined);
  assert.equal(shardWindowOn({ mode: "incremental", options: { since: "2026-01-01" } }, created), undefined);
  assert.equal(shardWindowOn({ mode: "full", options: {} }, {}), undefined);
});
