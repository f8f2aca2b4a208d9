import assert from "node:assert/strict";
import { completenessFromIds, planCompleteness, planReconcile } from "./completeness.ts";

Deno.test("a read that delivered the source's total is complete without listing ids", () => {
  assert.deepEqual(planCompleteness({ sourceTotal: 10, read: 10, canListIds: true }), {
    kind: "done",
    result: { status: "complete", method: "total", source: 10, landed: 10 },
  });
  // records created during the read come on top: still complete
  assert.equal(planCompleteness({ sourceTotal: 10, read: 12, canListIds: false }).kind, "done");
});

Deno.test("a shortfall, or no total, asks the id listing when the stream has one", () => {
  assert.deepEqual(planCompleteness({ sourceTotal: 10, read: 7, canListIds: true }), { kind: "list-ids" });
  assert.deepEqual(planCompleteness({ sourceTotal: null, read: 7, canListIds: true }), { kind: "list-ids" });
});

Deno.test("without ids a shortfall is a gap by total, and no total is unverified", () => {
  assert.deepEqual(planCompleteness({ sourceTotal: 10, read: 7, canListIds: false }), {
    kind: "done",
    result: { status: "gap", method: "total", source: 10, landed: 7, missing: 3, sampleIds: [] },
  });
  const blind = planCompleteness({ sourceTotal: null, read: 7, canListIds: false });
  assert.equal(blind.kind === "done" && blind.result.status, "unverified");
  const resumed = planCompleteness({ sourceTotal: 10, read: 10, canListIds: true, notFull: "resumed" });
  assert.deepEqual(resumed, { kind: "done", result: { status: "unverified", reason: "resumed" } });
});

Deno.test("ids decide: source ids that are not live rows are the gap, sampled in order, duplicates once", () => {
  const live = new Set(["a", "b", "c"]);
  assert.deepEqual(completenessFromIds(["a", "b", "c", "a"], live), {
    status: "complete",
    method: "ids",
    source: 3,
    landed: 3,
  });
  const many = Array.from({ length: 15 }, (_, i) => `x${String(i).padStart(2, "0")}`);
  const gap = completenessFromIds(["c", ...many.toReversed(), "a"], live);
  assert.deepEqual(gap, {
    status: "gap",
    method: "ids",
    source: 17,
    landed: 2,
    missing: 15,
    sampleIds: many.slice(0, 10),
  });
});

Deno.test("reconcile re-fetches ids not live here (undeleting deleted ones) and marks live ids the source lost", () => {
  const plan = planReconcile({
    sourceIds: ["a", "b", "d", "e"],
    liveKeys: ["a", "b", "c"],
    deletedKeys: ["d"],
    maxDeleteShare: 0.5,
    force: false,
  });
  assert.deepEqual(plan, { refetch: ["d", "e"], undelete: ["d"], gone: ["c"] });
});

Deno.test("reconcile holds back deleting more than the allowed share unless forced", () => {
  const input = { sourceIds: ["a"], liveKeys: ["a", "b", "c", "d"], deletedKeys: [], maxDeleteShare: 0.5 };
  const held = planReconcile({ ...input, force: false });
  assert.deepEqual(held.gone, []);
  assert.match(held.held!, /no longer lists 3 of 4 rows, more than 50%/);
  assert.deepEqual(planReconcile({ ...input, force: true }).gone, ["b", "c", "d"]);
  assert.throws(() => planReconcile({ ...input, force: false, maxDeleteShare: 2 }), RangeError);
});
