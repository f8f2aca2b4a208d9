// PostgreSQL restarted at several points of a sync: the one worker process survives every
// restart, resumes the job itself (no lease expiry needed), and the table equals an
// uninterrupted run's. The cluster is a throwaway one whose socket lives under /tmp.
import assert from "node:assert/strict";
import { restartRun } from "./pg_restart.ts";

Deno.test("PostgreSQL restarted three times mid-sync: the same worker survives and finishes; table equals the uninterrupted run's", async () => {
  const f = await restartRun({ orders: 4_000, restarts: 3, seed: 41 });
  assert.ok(f.workerAlive, `the worker process died:\n${f.workerLog.slice(-3000)}`);
  assert.equal(f.status, "succeeded", f.workerLog.slice(-2000));
  assert.ok(f.restarts >= 2, `only ${f.restarts} restarts landed mid-run`);
  assert.equal(f.owners.length, 1, `one worker held the job throughout: ${f.owners.join(", ")}`);
  assert.equal(f.lost, 0);
  assert.deepEqual(f.restarted, f.reference);
  assert.doesNotMatch(f.workerLog, /TypeError|Uncaught|unhandled/i);
});

Deno.test("PostgreSQL restarted twice during a read in 4 shards by one worker process (3 loops): the shards are taken up again at once, the table equals the uninterrupted run's", async () => {
  const started = Date.now();
  const f = await restartRun({
    orders: 4_000,
    restarts: 2,
    seed: 43,
    jobOptions: { shards: 4 },
    workerArgs: ["--concurrency", "3"],
  });
  assert.ok(f.workerAlive, `the worker process died:\n${f.workerLog.slice(-3000)}`);
  assert.equal(f.status, "succeeded", f.workerLog.slice(-2000));
  assert.ok(f.restarts >= 1, `only ${f.restarts} restarts landed mid-run`);
  assert.equal(f.lost, 0);
  assert.deepEqual(f.restarted, f.reference);
  assert.doesNotMatch(f.workerLog, /TypeError|Uncaught|unhandled/i);
  // shards whose worker lost the database go back to be claimed when it answers again, not after
  // their 60 s lease
  assert.ok(Date.now() - started < 60_000, `took ${Math.round((Date.now() - started) / 1000)} s`);
});
