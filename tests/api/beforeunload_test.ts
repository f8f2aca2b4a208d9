// The Edge Runtime sends "beforeunload" before it ends a worker (CPU or memory near the limit, the
// wall clock spent). A worker invocation that receives it mid-job takes no new page: the pages in
// flight commit with their checkpoint, the job goes back to the queue, and the next invocation
// continues from that checkpoint with nothing lost and nothing merged twice.
import assert from "node:assert/strict";
import { createCpuBudget, stopOnShutdown } from "../../functions/_shared/engine/budget/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

Deno.test("beforeunload mid-job: the run ends with its checkpoint committed, the next continues, nothing lost or duplicated", async () => {
  const total = 3_000;
  await using t = await testApp(makeWidgets(total), {
    pageSize: 25,
    // no CPU clock (as on the Edge Runtime) and a budget this job does not reach: only the event stops it
    cpuBudget: () => createCpuBudget({ cpuMs: 60_000, cpuUsageMicros: () => null, perRecordMicros: 1 }),
  });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  assert.equal(started.status, 202);
  const id = started.body.job.id;

  // the runtime's announcement, once a few pages have landed
  let sent = false;
  let watching = true;
  const watcher = (async () => {
    while (watching && !sent) {
      const [{ done }] = await t.db.sql<{ done: number }[]>`
        select coalesce(sum(done), 0)::int as done from sync.progress where job_id = ${id}`;
      if (done >= 200) {
        dispatchEvent(new CustomEvent("beforeunload", { detail: { reason: "CPUTime" } }));
        sent = true;
      } else await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const first = await t.work();
  watching = false;
  await watcher;
  assert.ok(sent, "the event was sent mid-job");
  assert.equal(first.status, 200);
  assert.equal(first.body.outcomes[0].status, "yielded", JSON.stringify(first.body));
  assert.match(first.body.cpu.stoppedBy, /runtime shutdown \(CPUTime\)/);

  // what committed: rows, progress and checkpoint agree, and the job is queued again
  const [{ rows }] = await t.db.sql<{ rows: number }[]>`select count(*)::int as rows from public.widgets`;
  const [progress] = await t.db.sql<{ done: number; inserted: number }[]>`
    select done::int, inserted::int from sync.progress where job_id = ${id}`;
  const [checkpoint] = await t.db.sql<{ cursor: string | null; job_id: number }[]>`
    select cursor, job_id::int from sync.checkpoints where connector = 'widgets'`;
  const [job] = await t.db.sql<{ status: string }[]>`select status from sync.jobs where id = ${id}`;
  assert.ok(rows >= 200 && rows < total, `stopped mid-job (${rows} of ${total} rows)`);
  assert.equal(progress.done, rows, "progress counts what committed");
  assert.equal(progress.inserted, rows);
  assert.ok(checkpoint?.cursor, "a checkpoint was saved");
  assert.equal(checkpoint.job_id, id);
  assert.equal(job.status, "queued");

  // the next invocation (no event) continues from the checkpoint
  const second = await t.work();
  assert.equal(second.body.outcomes[0].status, "succeeded", JSON.stringify(second.body));
  const [{ n, distinct }] = await t.db.sql<{ n: number; distinct: number }[]>`
    select count(*)::int as n, count(distinct id)::int as distinct from public.widgets`;
  assert.deepEqual([n, distinct], [total, total], "nothing lost");
  const [end] = await t.db.sql<{ inserted: number; updated: number; unchanged: number }[]>`
    select inserted::int, updated::int, unchanged::int from sync.progress where job_id = ${id}`;
  assert.deepEqual(end, { inserted: total, updated: 0, unchanged: 0 }, "no page merged twice");
});

Deno.test("stopOnShutdown stops the budget on beforeunload and removes its listener", () => {
  const target = new EventTarget();
  const budget = createCpuBudget({
    cpuMs: 1_000,
    cpuUsageMicros: () => null,
    perRecordMicros: 1,
    fixedMs: 0,
  });
  const remove = stopOnShutdown(budget, target);
  assert.equal(budget.spent(), false);
  target.dispatchEvent(new CustomEvent("beforeunload", { detail: { reason: "Memory" } }));
  assert.equal(budget.spent(), true);
  assert.equal(budget.used().stoppedBy, "runtime shutdown (Memory)");
  remove();
  const other = createCpuBudget({ cpuMs: 1_000, cpuUsageMicros: () => null, perRecordMicros: 1, fixedMs: 0 });
  stopOnShutdown(other, target)();
  target.dispatchEvent(new Event("beforeunload"));
  assert.equal(other.spent(), false, "a removed listener stops nothing");
});
