// The worker process killed with SIGKILL mid-sync and restarted: nothing lost, nothing doubled.
import assert from "node:assert/strict";
import { crashRun } from "./crash.ts";

Deno.test("a worker killed with SIGKILL at random points resumes; the table equals an uninterrupted run's", async () => {
  const f = await crashRun({ orders: 6_000, kills: 4, seed: 21 });
  assert.equal(f.status, "succeeded");
  assert.ok(f.kills >= 3, `only ${f.kills} kills landed mid-run`);
  assert.equal(f.lost, 0);
  assert.equal(f.crashed.rows, f.crashed.distinct, "no duplicates");
  assert.deepEqual(f.crashed, f.reference);
});
