import assert from "node:assert/strict";
import { z } from "zod";
import type { StreamDef } from "../connector/mod.ts";
import { incrementalSince, prepareRecords } from "./records.ts";

const HOUR = 3_600_000;
const now = Date.parse("2026-11-22T12:00:00Z");
const weekly = { incremental: { lookbackMs: 7 * 24 * HOUR } } as const;

Deno.test("incremental reads start at the earlier of the high-water mark and now minus the look-back", () => {
  const job = { mode: "incremental", options: {} };
  // synced yesterday: the 7-day window reaches further back
  assert.equal(
    incrementalSince(weekly, job, "2026-11-21T12:00:00Z", now)?.toISOString(),
    "2026-11-15T12:00:00.000Z",
  );
  // last synced a month ago: everything since then is read, nothing is skipped
  assert.equal(
    incrementalSince(weekly, job, "2026-10-01T00:00:00Z", now)?.toISOString(),
    "2026-10-01T00:00:00.000Z",
  );
  // a schedule's look-back replaces the stream's default
  const scheduled = { mode: "incremental", options: { lookback_hours: 24 } };
  assert.equal(
    incrementalSince(weekly, scheduled, "2026-11-22T06:00:00Z", now)?.toISOString(),
    "2026-11-21T12:00:00.000Z",
  );
});

Deno.test("full, forced, never-synced and full-only streams read everything; since wins over all", () => {
  assert.equal(incrementalSince(weekly, { mode: "full", options: {} }, "2026-11-21T00:00:00Z", now), null);
  assert.equal(
    incrementalSince(weekly, { mode: "incremental", options: { force: true } }, "2026-11-21T00:00:00Z", now),
    null,
  );
  assert.equal(incrementalSince(weekly, { mode: "incremental", options: {} }, null, now), null);
  assert.equal(
    incrementalSince(
      { incremental: "full" },
      { mode: "incremental", options: {} },
      "2026-11-21T00:00:00Z",
      now,
    ),
    null,
  );
  assert.equal(
    incrementalSince(weekly, { mode: "full", options: { since: "2026-01-01T00:00:00Z" } }, null, now)
      ?.toISOString(),
    "2026-01-01T00:00:00.000Z",
  );
});

const stream: StreamDef = {
  name: "things",
  target: "public.things",
  schema: z.object({ id: z.string(), n: z.number(), updated_at: z.string() }),
  key: (r: { id: string }) => r.id,
  updatedAt: (r: { updated_at: string }) => r.updated_at,
  toRow: (r: { id: string; n: number; updated_at: string }) => {
    if (r.n < 0) throw new Error("negative n");
    return { id: r.id, n: r.n, updated_at: r.updated_at };
  },
  incremental: "full",
  fetchPage: () => Promise.resolve({ records: [], nextCursor: null }),
};

Deno.test("records that break the schema or the mapping are set aside with their key; the rest become rows", () => {
  const page = prepareRecords(stream, [
    { id: "a", n: 1, updated_at: "2026-01-02T00:00:00Z" },
    { id: "b", n: "one", updated_at: "2026-01-03T00:00:00Z" },
    { id: "c", n: -1, updated_at: "2026-01-04T00:00:00Z" },
    { n: 2 },
    { id: "d", n: 4, updated_at: "2026-01-05T00:00:00Z" },
  ], "things:first");
  assert.deepEqual(page.rows.map((r) => r.id), ["a", "d"]);
  assert.deepEqual(page.failures.map((f) => [f.key, f.errorClass]), [
    ["b", "validation"],
    ["c", "transform"],
    ["things:first#3", "validation"],
  ]);
  assert.match(page.failures[0].error, /^things record "b": does not match the things schema: field "n": /);
  assert.equal(page.failures[1].error, 'things record "c": could not be mapped to public.things: negative n');
  // the high-water mark only counts records that landed
  assert.equal(page.maxUpdatedAt, "2026-01-05T00:00:00.000Z");
});

Deno.test("a record whose key cannot be read is a transform failure, not also a row", () => {
  const stream = {
    name: "things",
    target: "public.things",
    schema: z.object({ id: z.string().optional() }),
    key: (r: { id?: string }) => {
      if (!r.id) throw new Error("no id");
      return r.id;
    },
    toRow: (r: { id?: string }) => ({ id: r.id ?? null }),
    incremental: "full",
    fetchPage: () => Promise.resolve({ records: [], nextCursor: null }),
  } as unknown as StreamDef;
  const page = prepareRecords(stream, [{ id: "a" }, {}]);
  assert.deepEqual(page.rows, [{ id: "a" }]);
  assert.deepEqual(page.keys, ["a"]);
  assert.deepEqual(page.failures.map((f) => [f.errorClass, f.error]), [
    ["transform", 'things record "page#1": could not be mapped to public.things: no id'],
  ]);
});

Deno.test("a failed record is keyed by its id whatever the key field is called, else by its place", () => {
  const hl = {
    ...stream,
    schema: z.object({ _id: z.string(), amount: z.number() }),
    key: (r: { _id: string }) => r._id,
    toRow: (r: { _id: string; amount: number }) => ({ id: r._id, amount: r.amount }),
  } as unknown as StreamDef;
  const page = prepareRecords(hl, [{ _id: "ord_1", amount: "x" }, { amount: 1 }, { id: 7 }], "orders:100");
  assert.deepEqual(page.failures.map((f) => f.key), ["ord_1", "orders:100#1", "7"]);
});

Deno.test("records are sanitised before they are validated: rows, raw and keys hold storable text", () => {
  const raw = {
    ...stream,
    schema: z.object({ id: z.string(), n: z.number(), updated_at: z.string(), note: z.string() }),
    toRow: (r: Record<string, unknown>) => ({ id: r.id, n: r.n, raw: r }),
  } as unknown as StreamDef;
  const page = prepareRecords(raw, [
    { id: "a\u0000", n: 1, updated_at: "2026-01-02T00:00:00Z", note: "x\ud83d" },
    { id: "b", n: 2, updated_at: "2026-01-02T00:00:00Z", note: "fine" },
    { id: "c\u0000", n: "bad", updated_at: "2026-01-02T00:00:00Z", note: "" },
  ]);
  assert.equal(page.sanitised, 2);
  assert.deepEqual(page.keys, ["a", "b"]);
  assert.deepEqual(JSON.parse(page.json)[0], {
    id: "a",
    n: 1,
    raw: { id: "a", n: 1, updated_at: "2026-01-02T00:00:00Z", note: "x\ufffd" },
  });
  assert.equal(page.failures[0].key, "c");
  assert.deepEqual((page.failures[0].payload as { id: string }).id, "c");
  // a clean page is not copied
  const clean = prepareRecords(raw, [{ id: "b", n: 2, updated_at: "2026-01-02T00:00:00Z", note: "ok" }]);
  assert.equal(clean.sanitised, 0);
});

Deno.test("given the target's columns, a uniform page is COPY text (sanitised like JSON), else JSON", () => {
  const raw = {
    ...stream,
    schema: z.object({ id: z.string(), n: z.number(), note: z.string() }),
    toRow: (r: Record<string, unknown>) => ({ id: r.id, n: r.n, raw: r }),
  } as unknown as StreamDef;
  const columns = new Map(
    [["id", "text"], ["n", "bigint"], ["raw", "jsonb"]].map(([name, type]) => [name, { name, type }]),
  );
  const page = prepareRecords(
    raw,
    [{ id: "a\u0000", n: 1, note: "x\ud83d\t" }, { id: "b", n: 2, note: "ok" }],
    "p",
    columns,
  );
  assert.equal(page.sanitised, 1);
  assert.equal(page.json, "");
  assert.deepEqual(page.copy, {
    columns: ["id", "n", "raw"],
    text: 'a\t1\t{"id":"a","n":1,"note":"x\ufffd\\\\t"}\nb\t2\t{"id":"b","n":2,"note":"ok"}\n',
  });
  // a page COPY cannot carry as JSON would (here: an object for a text column) stays JSON
  const odd = prepareRecords(
    { ...raw, toRow: (r) => ({ id: r, n: 1 }) } as StreamDef,
    [{ id: "c", n: 1, note: "" }],
    "p",
    columns,
  );
  assert.equal(odd.copy, null);
  assert.deepEqual(JSON.parse(odd.json), [{ id: { id: "c", n: 1, note: "" }, n: 1 }]);
});
