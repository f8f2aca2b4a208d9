import assert from "node:assert/strict";
import type { Job } from "../types.ts";
import {
  catchUpSince,
  type ListingPlanInput,
  parseListingState,
  planListing,
  serialiseListingState,
} from "./listing_plan.ts";

const HOUR = 3_600_000;
const now = Date.parse("2026-11-29T12:00:00Z");
const stream = { incremental: { lookbackMs: 24 * HOUR } } as const;
const job = (id: number, mode: Job["mode"], options: Job["options"] = {}) => ({ id, mode, options });
const interrupted = (jobId: number, since: string | null) => ({
  cursor: "page-7",
  high_water_mark: "2026-11-20T00:00:00Z",
  state: {
    job_id: jobId,
    running: true,
    since,
    run_max: "2026-11-28T00:00:00.000Z",
    source_total: 900,
    started_by: jobId,
  },
});
const plan = (input: Partial<ListingPlanInput> & Pick<ListingPlanInput, "job">) =>
  planListing({ stream, checkpoint: null, now, ...input });

Deno.test("a stream never read starts a new window over all records and records the start", () => {
  const p = plan({ job: job(5, "incremental") });
  assert.equal(p.resuming, false);
  assert.equal(p.since, null);
  assert.equal(p.cursor, null);
  assert.equal(p.startedBy, 5);
  assert.deepEqual(p.startState, {
    job_id: 5,
    running: true,
    since: null,
    started_by: 5,
    started_at: new Date(now).toISOString(),
  });
  assert.equal(p.startedAt, new Date(now).toISOString());
});

Deno.test("a full read's catch-up opens at its start less a margin; unknown start: the look-back; none for whole reads", () => {
  const startedAt = "2026-11-29T11:00:00.000Z";
  assert.equal(catchUpSince({ stream, startedAt, now })?.toISOString(), "2026-11-29T10:59:58.000Z");
  assert.equal(catchUpSince({ stream, startedAt, now, marginMs: 0 })?.toISOString(), startedAt);
  assert.equal(catchUpSince({ stream, startedAt: null, now })?.toISOString(), "2026-11-28T12:00:00.000Z");
  assert.equal(catchUpSince({ stream: { incremental: "full" }, startedAt, now }), null);
});

Deno.test("a read resumed in its catch-up says so, keeping its start and what the full read delivered", () => {
  const state = serialiseListingState({
    jobId: 9,
    running: true,
    since: new Date("2026-11-29T10:59:58.000Z"),
    runMax: null,
    sourceTotal: null,
    startedBy: 9,
    startedAt: "2026-11-29T11:00:00.000Z",
    catchUp: true,
    fullDone: 3000,
  });
  const p = plan({ job: job(9, "full"), checkpoint: { cursor: "c7", high_water_mark: null, state } });
  assert.equal(p.resuming, true);
  assert.equal(p.catchUp, true);
  assert.equal(p.fullDone, 3000);
  assert.equal(p.cursor, "c7");
  assert.equal(p.startedAt, "2026-11-29T11:00:00.000Z");
  assert.equal(p.since?.toISOString(), "2026-11-29T10:59:58.000Z");
});

Deno.test("an incremental read after a finished one starts at the earlier of high-water mark and look-back", () => {
  const p = plan({
    job: job(6, "incremental"),
    checkpoint: {
      cursor: null,
      high_water_mark: "2026-11-29T06:00:00Z",
      state: { job_id: 5, running: false },
    },
  });
  assert.equal(p.resuming, false);
  assert.equal(p.since?.toISOString(), "2026-11-28T12:00:00.000Z");
  assert.equal(p.startState?.since, "2026-11-28T12:00:00.000Z");
});

Deno.test("a job resumes its own interrupted read from the cursor with the read's figures", () => {
  const p = plan({
    job: job(7, "full", { force: true }),
    checkpoint: interrupted(7, "2026-11-01T00:00:00.000Z"),
  });
  assert.equal(p.resuming, true);
  assert.equal(p.cursor, "page-7");
  assert.equal(p.since?.toISOString(), "2026-11-01T00:00:00.000Z");
  assert.equal(p.runMax, "2026-11-28T00:00:00.000Z");
  assert.equal(p.sourceTotal, 900);
  assert.equal(p.startedBy, 7);
  assert.equal(p.startState, null);
});

Deno.test("an incremental job goes on with an earlier job's interrupted read", () => {
  const p = plan({ job: job(8, "incremental"), checkpoint: interrupted(3, "2026-11-01T00:00:00.000Z") });
  assert.equal(p.resuming, true);
  assert.equal(p.cursor, "page-7");
  assert.equal(p.startedBy, 3);
});

Deno.test("a full job resumes an earlier full read but not an earlier windowed one", () => {
  assert.equal(plan({ job: job(9, "full"), checkpoint: interrupted(3, null) }).resuming, true);
  const windowed = plan({ job: job(9, "full"), checkpoint: interrupted(3, "2026-11-01T00:00:00.000Z") });
  assert.equal(windowed.resuming, false);
  assert.equal(windowed.since, null);
  assert.equal(windowed.cursor, null);
});

Deno.test("a job with its own window (since, until or force) starts it instead of resuming another's", () => {
  for (
    const options of [{ since: "2026-11-25T00:00:00Z" }, { until: "2026-11-26T00:00:00Z" }, { force: true }]
  ) {
    const p = plan({ job: job(10, "incremental", options), checkpoint: interrupted(3, null) });
    assert.equal(p.resuming, false, JSON.stringify(options));
    assert.equal(p.cursor, null);
  }
  const since = plan({
    job: job(10, "incremental", { since: "2026-11-25T00:00:00Z" }),
    checkpoint: interrupted(3, null),
  });
  assert.equal(since.since?.toISOString(), "2026-11-25T00:00:00.000Z");
  // force ignores the high-water mark: everything is read
  const forced = plan({ job: job(10, "incremental", { force: true }), checkpoint: interrupted(3, null) });
  assert.equal(forced.since, null);
});

Deno.test("a dry run never resumes and writes no start state", () => {
  const p = plan({ job: job(7, "incremental", { dryRun: true }), checkpoint: interrupted(7, null) });
  assert.equal(p.resuming, false);
  assert.equal(p.dryRun, true);
  assert.equal(p.startState, null);
});

Deno.test("a resumed read of an old checkpoint without started_by is attributed to no job", () => {
  const { started_by: _, ...state } = interrupted(3, null).state;
  const p = plan({ job: job(11, "incremental"), checkpoint: { cursor: "c", high_water_mark: null, state } });
  assert.equal(p.resuming, true);
  assert.equal(p.startedBy, 0);
});

Deno.test("a checkpoint state of the wrong shape counts as no read in progress", () => {
  assert.deepEqual(parseListingState({ running: "yes", job_id: 3 }), {});
  assert.deepEqual(parseListingState(null), {});
  assert.deepEqual(parseListingState([1, 2]), {});
  const p = plan({
    job: job(12, "incremental"),
    checkpoint: { cursor: "c", high_water_mark: null, state: { running: "yes", job_id: 12 } },
  });
  assert.equal(p.resuming, false);
  assert.equal(p.cursor, null);
});

Deno.test("a serialised position parses back to the same state (unknown keys dropped)", () => {
  const state = serialiseListingState({
    jobId: 4,
    running: false,
    since: new Date("2026-11-01T00:00:00Z"),
    runMax: null,
    sourceTotal: 12,
    startedBy: 4,
  });
  assert.deepEqual(state, {
    job_id: 4,
    running: false,
    since: "2026-11-01T00:00:00.000Z",
    run_max: null,
    source_total: 12,
    started_by: 4,
  });
  assert.deepEqual(parseListingState({ ...state, extra: 1 }), state);
});
