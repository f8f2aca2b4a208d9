import assert from "node:assert/strict";
import type { Job, Progress } from "../../functions/_shared/engine/types.ts";
import { bar, exitCodeFor, formatDuration, progressLine, summaryLines } from "./render.ts";

const progress = (over: Partial<Progress>): Progress => ({
  job_id: 1,
  phase: "orders",
  status: "running",
  done: 500,
  total: 1000,
  percent: 50,
  rate: 250,
  eta_seconds: 2,
  message: null,
  inserted: 400,
  updated: 100,
  unchanged: 0,
  stale: 0,
  failed: 0,
  started_at: null,
  updated_at: "",
  ...over,
});

Deno.test("bar fills in proportion and clamps", () => {
  assert.equal(bar(50, 10), "█████░░░░░");
  assert.equal(bar(150, 4), "████");
  assert.equal(bar(null, 3), "···");
});

Deno.test("durations read like a person writes them", () => {
  assert.equal(formatDuration(5), "5s");
  assert.equal(formatDuration(125), "2m05s");
  assert.equal(formatDuration(7300), "2h01m");
  assert.equal(formatDuration(null), "--");
});

Deno.test("a running stream shows records, rate and ETA; a finished one a full bar", () => {
  const running = progressLine(progress({}), 8);
  assert.match(running, /orders/);
  assert.match(running, /500\/1,000/);
  assert.match(running, /250\/s/);
  assert.match(running, /ETA 2s/);
  const done = progressLine(progress({ status: "done", percent: null, total: null }), 8);
  assert.match(done, /^● orders\s+█{24}/);
  assert.doesNotMatch(done, /ETA/);
});

Deno.test("summary totals every stream and exit codes tell success from failure", () => {
  const job = {
    id: 7,
    status: "partial",
    started_at: "2026-01-01T00:00:00Z",
    finished_at: "2026-01-01T00:00:02Z",
    error: null,
  } as unknown as Job;
  const lines = summaryLines(job, [
    progress({ failed: 2 }),
    progress({ phase: "customers", done: 100, inserted: 100, updated: 0 }),
  ]);
  assert.match(lines.at(-2)!, /^total\s+600\s+500\s+100\s+0\s+0\s+2$/);
  assert.match(lines.at(-1)!, /job 7 partial in 2.0s \(300 records\/s\)/);
  assert.equal(exitCodeFor("succeeded"), 0);
  assert.equal(exitCodeFor("partial"), 3);
  assert.equal(exitCodeFor("failed"), 1);
  assert.equal(exitCodeFor("cancelled"), 1);
});

Deno.test("a stream the failed job never reached reads 'not run', not 0 records", () => {
  const line = progressLine(progress({ status: "not_run", done: 0, total: null, percent: null }), 8);
  assert.match(line, /^· orders +\S+ +not run$/);
});
