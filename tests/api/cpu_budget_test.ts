// A worker invocation stops taking pages when its CPU budget is spent (an Edge Function request has
// ~2 s of CPU): a long job then spans several invocations, each resuming from the checkpoint, and
// nothing is lost or written twice.
import assert from "node:assert/strict";
import { createCpuBudget } from "../../functions/_shared/engine/budget/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

Deno.test("a job larger than one invocation's CPU budget spans several invocations and loses nothing", async () => {
  // no CPU clock (as on the Edge Runtime): 40 records x 25 µs = 1 ms per invocation, pages of 10
  await using t = await testApp(makeWidgets(250), {
    pageSize: 10,
    cpuBudget: () =>
      createCpuBudget({
        cpuMs: 1,
        cpuUsageMicros: () => null,
        perRecordMicros: 25,
        fixedMs: 0,
        perRequestMicros: 0,
      }),
  });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  assert.equal(started.status, 202);
  const id = started.body.job.id;
  const passes: { outcome: string; cpuMs: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const pass = await t.work();
    assert.equal(pass.status, 200);
    const outcome = pass.body.outcomes[0]?.status ?? "idle";
    passes.push({ outcome, cpuMs: pass.body.cpu.ms });
    if (outcome !== "yielded") break;
  }
  assert.ok(passes.length >= 6, `250 records at ~40 per invocation need 6+ invocations (${passes.length})`);
  assert.ok(passes.slice(0, -1).every((p) => p.outcome === "yielded"));
  assert.equal(passes.at(-1)!.outcome, "succeeded");
  assert.ok(passes.slice(0, -1).every((p) => p.cpuMs >= 1), "each yielding invocation spent its budget");
  const [{ n, distinct }] = await t.db.sql<{ n: number; distinct: number }[]>`
    select count(*)::int as n, count(distinct id)::int as distinct from public.widgets`;
  assert.deepEqual([n, distinct], [250, 250]);
  const shown = await t.call("GET", `/sync/jobs/${id}`);
  assert.equal(shown.body.job.status, "succeeded");
  const [p] = shown.body.progress;
  assert.equal(p.inserted, 250, "each record inserted exactly once across the invocations");
});

Deno.test("without a CPU budget one invocation runs the whole job (wall clock only)", async () => {
  await using t = await testApp(makeWidgets(250), { pageSize: 10 });
  await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  const pass = await t.work();
  assert.equal(pass.body.outcomes[0].status, "succeeded");
  assert.equal(pass.body.cpu, undefined);
});
