// Schedules that run a reconcile: saved through the API and the CLI, refused for streams that
// cannot list their ids (named, as POST /jobs names them), fired like any schedule.
import assert from "node:assert/strict";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { adminToken, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

/** The widgets connector plus a "notes" stream whose API has no id listing. */
const withNotes = (c: Connector): Connector => ({
  ...c,
  streams: [...c.streams, { ...c.streams[0], name: "notes", listIds: undefined }],
});

const weekly = { connector: "widgets", cron: "0 3 * * 0", timezone: "Europe/Dublin", mode: "reconcile" };

Deno.test("a weekly reconcile schedule saves, runs as a reconcile job and reports its counts", async () => {
  const source = makeWidgets(6);
  await using t = await testApp(source, { pageSize: 4, connector: withNotes });
  const created = await t.call("POST", "/sync/schedules", {
    name: "weekly-reconcile",
    streams: ["widgets"],
    ...weekly,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.schedule.mode, "reconcile");
  const listed = await t.call("GET", "/sync/schedules");
  const row = listed.body.schedules.find((s: { name: string }) => s.name === "weekly-reconcile");
  assert.deepEqual([row.mode, row.cron, row.fired_by], ["reconcile", "0 3 * * 0", "ops_tick"]);

  await t.call("POST", "/sync/jobs", { connector: "widgets", streams: ["widgets"], mode: "full" });
  await t.work();
  source.splice(0, 2); // w1 and w2 deleted at the source
  const run = await t.call("POST", `/sync/schedules/${row.id}/run`);
  assert.equal(run.body.run.outcome, "enqueued", JSON.stringify(run.body));
  await t.work();
  const job = await t.call("GET", `/sync/jobs/${run.body.run.job_id}`);
  assert.deepEqual([job.body.job.mode, job.body.job.trigger, job.body.job.status], [
    "reconcile",
    "schedule",
    "succeeded",
  ]);
  assert.deepEqual(job.body.progress[0].completeness.reconcile, {
    listed: 4,
    refetched: 0,
    undeleted: 0,
    deleted: 2,
    vanished: 0,
  });
});

Deno.test("a reconcile schedule of a stream that cannot list ids, or with a look-back, is a 422 naming it", async () => {
  await using t = await testApp(makeWidgets(2), { connector: withNotes });
  const refused = await t.call("POST", "/sync/schedules", {
    name: "weekly-all",
    streams: ["widgets", "notes"],
    ...weekly,
  });
  assert.equal(refused.status, 422);
  assert.equal(
    refused.body.error.message,
    'Cannot save schedule "weekly-all": Cannot reconcile widgets stream "notes": it cannot list ids (reconcilable: widgets)',
  );
  const lookback = await t.call("POST", "/sync/schedules", {
    name: "weekly-lookback",
    streams: ["widgets"],
    options: { lookback_hours: 24 },
    ...weekly,
  });
  assert.equal(lookback.status, 422);
  assert.match(lookback.body.error.message, /options\.lookback_hours does not apply to it/);
  // the same streams as a full sync are fine: only a reconcile needs the id listing
  const full = await t.call("POST", "/sync/schedules", {
    name: "nightly-all",
    streams: ["widgets", "notes"],
    ...weekly,
    mode: "full",
  });
  assert.equal(full.status, 201, JSON.stringify(full.body));
  assert.deepEqual(
    (await t.db.sql`select name from sync.schedules where name like 'weekly-%'`).length,
    0,
    "nothing refused was saved",
  );
});

Deno.test({
  name: "CLI: schedules add --reconcile saves a reconcile schedule; refusals exit 2 with the API's message",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(2), { connector: withNotes });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    const add = (...extra: string[]) =>
      cli(api, token, "schedules", "add", "--connector", "widgets", "--cron", "0 3 * * 0", ...extra);
    try {
      const added = await add("--name", "w-reconcile", "--streams", "widgets", "--reconcile");
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /^schedule \d+ "w-reconcile" enabled \(0 3 \* \* 0 UTC; next run 20\d\d-/);
      const listed = await cli(api, token, "schedules");
      assert.match(listed.stdout, /w-reconcile\s+widgets\s+widgets\s+0 3 \* \* 0\s+UTC\s+reconcile\s+true/);
      const byMode = await add("--name", "w-reconcile-2", "--streams", "widgets", "--mode", "reconcile");
      assert.equal(byMode.code, 0, byMode.stderr);

      const notes = await add("--name", "w-notes", "--streams", "widgets,notes", "--reconcile");
      assert.equal(notes.code, 2);
      assert.match(notes.stderr, /Cannot reconcile widgets stream "notes": it cannot list ids/);
      const both = await add("--name", "w-both", "--streams", "widgets", "--reconcile", "--full");
      assert.equal(both.code, 2);
      assert.match(both.stderr, /--reconcile cannot be combined with --mode or --full/);
      const lookback = await add(
        "--name",
        "w-lookback",
        "--streams",
        "widgets",
        "--reconcile",
        "--lookback-hours",
        "6",
      );
      assert.equal(lookback.code, 2);
      assert.match(lookback.stderr, /options\.lookback_hours does not apply to it/);
    } finally {
      await server.shutdown();
    }
  },
});
