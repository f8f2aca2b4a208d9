// The small read endpoints the console uses: a single-record job's step log, circuits, recent
// deliveries, the test notification, and the history's date filter.
import assert from "node:assert/strict";
import { makeWidgets, testApp } from "./_app.ts";

Deno.test("GET /jobs/:id/steps lists each record of a single-record sync in order, paged by seq", async () => {
  await using t = await testApp(makeWidgets(5));
  const { body } = await t.call("POST", "/sync/jobs", {
    connector: "widgets",
    records: { widgets: ["w1", "gone", "forbidden-1"] },
  });
  await t.work();
  const steps = (await t.call("GET", `/sync/jobs/${body.job.id}/steps`)).body.steps;
  assert.deepEqual(steps.map((s: { item_key: string; status: string }) => [s.item_key, s.status]), [
    ["w1", "inserted"],
    ["gone", "missing"],
    ["forbidden-1", "failed"],
  ]);
  assert.match(steps[2].detail.error, /403/);
  const after = (await t.call("GET", `/sync/jobs/${body.job.id}/steps?after=${steps[0].seq}`)).body.steps;
  assert.equal(after.length, 2);
  const bad = await t.call("GET", `/sync/jobs/${body.job.id}/steps?limit=0`);
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.message, /limit/);
});

Deno.test("GET /circuits and /notifications/deliveries; POST /notifications/test needs a channel", async () => {
  await using t = await testApp(makeWidgets(1));
  await t.db
    .sql`insert into sync.circuit_breakers (source, state, failures) values ('widgets/default', 'open', 5)`;
  await t.db.sql`select sync.enqueue_notification('job_failed', 'widgets/default', '{}')`;
  assert.deepEqual(
    (await t.call("GET", "/sync/circuits")).body.circuits.map((
      c: { source: string; state: string; failures: number },
    ) => [c.source, c.state, c.failures]),
    [["widgets/default", "open", 5]],
  );
  const d = (await t.call("GET", "/sync/notifications/deliveries")).body.deliveries;
  assert.equal(d.length, 1);
  assert.equal(d[0].kind, "job_failed");
  const test = await t.call("POST", "/sync/notifications/test");
  assert.equal(test.status, 422);
  assert.match(test.body.error.message, /No notification channel is configured/);
  const anon = await t.app.request("/sync/circuits");
  assert.equal(anon.status, 401);
});

Deno.test("GET /jobs filters by creation date (since inclusive, until exclusive)", async () => {
  await using t = await testApp(makeWidgets(1));
  const ids = [];
  for (const day of ["2026-01-01", "2026-01-02", "2026-01-03"]) {
    const [j] = await t.db.sql`insert into sync.jobs (connector, streams, created_at, status, finished_at)
      values ('widgets', array['widgets'], ${day}::timestamptz, 'succeeded', ${day}::timestamptz) returning id`;
    ids.push(Number(j.id));
  }
  const r = await t.call("GET", "/sync/jobs?since=2026-01-02T00:00:00Z&until=2026-01-03T00:00:00Z");
  assert.deepEqual(r.body.jobs.map((j: { id: number }) => j.id), [ids[1]]);
  assert.equal((await t.call("GET", "/sync/jobs?since=yesterday")).status, 422);
});
