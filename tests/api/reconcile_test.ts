// Reconcile mode on known data: exact re-fetched and deleted counts, an undelete, the per-target
// hard delete, and a single-record read that finds the record gone.
import assert from "node:assert/strict";
import { createCpuBudget } from "../../functions/_shared/engine/budget/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

type T = Awaited<ReturnType<typeof testApp>>;

async function run(t: T, body: Record<string, unknown>) {
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", ...body });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await t.work();
  return await t.call("GET", `/sync/jobs/${started.body.job.id}`);
}

async function rows(t: T) {
  return (await t.db
    .sql`select id, local_note, _deleted_at is not null as deleted from public.widgets order by id`)
    .map((r) => `${r.id}${r.deleted ? " (deleted)" : ""}${r.local_note ? ` [${r.local_note}]` : ""}`);
}

Deno.test("reconcile re-fetches what is missing, marks what the source lost, and undeletes what came back", async () => {
  const source = makeWidgets(10);
  await using t = await testApp(source, { pageSize: 4 });
  await run(t, { mode: "full" });
  await t.db.sql`update public.widgets set local_note = 'kept' where id = 'w3'`;

  // at the source: w3, w4 and w5 deleted, w11 and w12 created (no sync has seen them yet)
  const removed = source.splice(2, 3);
  source.push(...makeWidgets(12).slice(10));
  const first = await run(t, { mode: "reconcile" });
  assert.equal(first.body.job.status, "succeeded", first.body.job.error);
  assert.equal(first.body.job.mode, "reconcile");
  const c = first.body.progress[0].completeness;
  assert.deepEqual(c.reconcile, { listed: 9, refetched: 2, undeleted: 0, deleted: 3, vanished: 0 });
  assert.deepEqual([c.status, c.source, c.landed], ["complete", 9, 9]);
  assert.equal(first.body.progress[0].inserted, 2);
  assert.deepEqual(await rows(t), [
    "w1",
    "w10",
    "w11",
    "w12",
    "w2",
    "w3 (deleted) [kept]",
    "w4 (deleted)",
    "w5 (deleted)",
    "w6",
    "w7",
    "w8",
    "w9",
  ]);

  // w5 reappears unchanged: the reconcile re-fetches it and the merge clears _deleted_at
  source.push(removed[2]);
  const second = await run(t, { mode: "reconcile" });
  assert.deepEqual(second.body.progress[0].completeness.reconcile, {
    listed: 10,
    refetched: 1,
    undeleted: 1,
    deleted: 0,
    vanished: 0,
  });
  assert.equal(second.body.progress[0].updated, 1);
  const [w5] = await t.db.sql`select _deleted_at from public.widgets where id = 'w5'`;
  assert.equal(w5._deleted_at, null);

  // a reconcile with nothing to do changes nothing
  const again = await run(t, { mode: "reconcile" });
  assert.deepEqual(again.body.progress[0].completeness.reconcile, {
    listed: 10,
    refetched: 0,
    undeleted: 0,
    deleted: 0,
    vanished: 0,
  });
});

Deno.test("a target set to hard delete loses the rows the source lost; soft is the default", async () => {
  const source = makeWidgets(6);
  await using t = await testApp(source, { pageSize: 4 });
  await run(t, { mode: "full" });
  await t.db.sql`select sync.set_delete_mode('public.widgets', 'hard')`;
  source.splice(0, 2);
  const shown = await run(t, { mode: "reconcile" });
  assert.equal(shown.body.progress[0].completeness.reconcile.deleted, 2);
  assert.deepEqual(await rows(t), ["w3", "w4", "w5", "w6"]);
});

Deno.test("a listing that would delete most rows is not trusted unless forced", async () => {
  const source = makeWidgets(6);
  await using t = await testApp(source, { pageSize: 4 });
  await run(t, { mode: "full" });
  source.splice(0, 5);
  const held = await run(t, { mode: "reconcile" });
  assert.equal(held.body.progress[0].completeness.reconcile.deleted, 0);
  assert.match(
    held.body.progress[0].message,
    /no longer lists 5 of 6 rows, more than 50%: nothing marked deleted/,
  );
  assert.equal((await rows(t)).filter((r) => r.includes("deleted")).length, 0);
  const forced = await run(t, { mode: "reconcile", force: true });
  assert.equal(forced.body.progress[0].completeness.reconcile.deleted, 5);
});

Deno.test("a single-record read that finds the record gone marks its row deleted", async () => {
  const source = makeWidgets(3);
  await using t = await testApp(source, { pageSize: 4 });
  await run(t, { mode: "full" });
  source.splice(1, 1);
  const shown = await run(t, { records: { widgets: ["w2"] } });
  assert.equal(shown.body.job.status, "succeeded");
  assert.deepEqual(await rows(t), ["w1", "w2 (deleted)", "w3"]);
});

Deno.test("a reconcile with records, a window or a dry run is refused, naming why", async () => {
  await using t = await testApp(makeWidgets(1));
  for (const extra of [{ records: { widgets: ["w1"] } }, { since: "2026-01-01" }, { dryRun: true }]) {
    const res = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "reconcile", ...extra });
    assert.equal(res.status, 422);
    assert.match(res.body.error.message, /A reconcile reads whole id listings/);
  }
});

Deno.test("a reconcile that runs out of budget goes on in the next invocation and adds up its counts", async () => {
  const source = makeWidgets(130);
  // each invocation may handle about 40 records: a batch of 50 re-fetches spends it
  await using t = await testApp(source, {
    pageSize: 50,
    cpuBudget: () =>
      createCpuBudget({
        cpuMs: 1,
        cpuUsageMicros: () => null,
        perRecordMicros: 25,
        fixedMs: 0,
        perRequestMicros: 0,
      }),
  });
  const full = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  for (let i = 0; i < 5; i++) await t.work();
  assert.equal((await t.call("GET", `/sync/jobs/${full.body.job.id}`)).body.job.status, "succeeded");
  await t.db.sql`delete from public.widgets where id <> all(${[
    "w1",
    "w2",
    "w3",
    "w4",
    "w5",
    "w6",
    "w7",
    "w8",
    "w9",
    "w10",
  ]})`;
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "reconcile" });
  const outcomes: string[] = [];
  for (let i = 0; i < 6 && !outcomes.includes("succeeded"); i++) {
    outcomes.push(...(await t.work()).body.outcomes.map((o: { status: string }) => o.status));
  }
  assert.deepEqual(outcomes, ["yielded", "yielded", "succeeded"]); // 50, 50, then the last 20
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.deepEqual(shown.body.progress[0].completeness.reconcile, {
    listed: 130,
    refetched: 120,
    undeleted: 0,
    deleted: 0,
    vanished: 0,
  });
  assert.equal(shown.body.progress[0].inserted, 120);
});
