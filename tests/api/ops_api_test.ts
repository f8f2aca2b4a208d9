// The operations endpoints a console reads: schedules with a time zone and next run, recovery
// stats, cool-downs, the ops tick with a simulated clock, new notification settings; bad input
// is a 4xx naming the problem.
import assert from "node:assert/strict";
import { makeWidgets, testApp } from "./_app.ts";

Deno.test("schedules carry a time zone; an unknown zone is a 422 naming it", async () => {
  await using t = await testApp(makeWidgets(3));
  const created = await t.call("POST", "/sync/schedules", {
    name: "widgets-dublin",
    connector: "widgets",
    streams: ["widgets"],
    cron: "0 11 * * *",
    timezone: "Europe/Dublin",
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.schedule.timezone, "Europe/Dublin");
  const [expected] = await t.db.sql`select sync.cron_next_run('0 11 * * *', 'Europe/Dublin', now()) as at`;
  assert.equal(Date.parse(created.body.schedule.next_run_at), expected.at.getTime());

  const listed = await t.call("GET", "/sync/schedules");
  const row = listed.body.schedules.find((s: { name: string }) => s.name === "widgets-dublin");
  assert.deepEqual([row.timezone, row.fired_by, row.cron_job_id], ["Europe/Dublin", "ops_tick", null]);
  const utc = listed.body.schedules.find((s: { name: string }) => s.name === "square-orders-daily");
  assert.deepEqual(
    [utc.timezone, utc.fired_by, utc.next_run_at],
    ["UTC", null, null],
    "disabled: no next run",
  );

  const bad = await t.call("POST", "/sync/schedules", {
    name: "widgets-x",
    connector: "widgets",
    streams: ["widgets"],
    cron: "0 2 * * *",
    timezone: "Europe/Atlantis",
  });
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.message, /"Europe\/Atlantis" is not a time zone/);
  const retry = await t.call("POST", "/sync/schedules", {
    name: "widgets-retry",
    connector: "widgets",
    streams: ["widgets"],
    cron: "*/15 * * * *",
    mode: "retry",
  });
  assert.equal(retry.status, 201);
  assert.equal(retry.body.schedule.mode, "retry");
});

Deno.test("recovery stats, cool-downs and the ops tick are JSON endpoints", async () => {
  await using t = await testApp(makeWidgets(3));
  const recovery = await t.call("GET", "/sync/stats/recovery?days=7");
  assert.deepEqual(recovery, { status: 200, body: { recovery: [] } });
  assert.equal((await t.call("GET", "/sync/stats/recovery?days=0")).status, 422);

  const set = await t.call("PUT", "/sync/cooldowns/widgets/widgets", { seconds: 90 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual([set.body.cooldown.stream, set.body.cooldown.cooldown_seconds], ["widgets", 90]);
  const list = await t.call("GET", "/sync/cooldowns");
  assert.deepEqual(list.body.cooldowns.map((c: { stream: string }) => c.stream), ["widgets"]);
  const unknown = await t.call("PUT", "/sync/cooldowns/widgets/gadgets", { seconds: 5 });
  assert.equal(unknown.status, 422);
  assert.match(unknown.body.error.message, /Connector "widgets" has no stream "gadgets"/);
  assert.equal((await t.call("PUT", "/sync/cooldowns/nope/widgets", { seconds: 5 })).status, 422);
  assert.equal((await t.call("PUT", "/sync/cooldowns/__proto__/widgets", { seconds: 5 })).status, 422);
  assert.equal((await t.call("PUT", "/sync/cooldowns/widgets/%00", { seconds: 5 })).status, 422);
  const negative = await t.call("PUT", "/sync/cooldowns/widgets/widgets", { seconds: -1 });
  assert.equal(negative.status, 422);
  assert.match(negative.body.error.message, /seconds/);
  assert.equal((await t.call("PUT", "/sync/cooldowns/widgets/widgets", "{")).status, 400);

  const tick = await t.call("POST", "/sync/ops/tick", {});
  assert.equal(tick.status, 200);
  for (
    const k of ["schedules_fired", "retry_jobs", "due_notifications", "woke_worker", "retries_exhausted"]
  ) {
    assert.ok(k in tick.body.tick, `${k} in ${JSON.stringify(tick.body.tick)}`);
  }
  const simulated = await t.call("POST", "/sync/ops/tick", { now: "2030-01-01T00:00:00Z" });
  assert.equal(simulated.status, 422, "the API never moves schedules with a made-up clock");
  assert.match(simulated.body.error.message, /now/);
});

Deno.test("failed items given up are listed with status=permanent", async () => {
  await using t = await testApp(makeWidgets(1));
  const [job] = await t.db.sql`select id from sync.create_job('widgets', array['widgets'])`;
  await t.db.sql`select sync.claim_job('w1')`;
  await t.db.sql`update sync.notification_settings set failed_item_max_attempts = 1`;
  await t.db.sql`select sync.record_failed_item(${job.id}, 'widgets', 'w9', '{}', 'validation', 'bad')`;
  const given = await t.call("GET", "/sync/failed-items?status=permanent");
  assert.equal(given.status, 200);
  assert.deepEqual(
    given.body.items.map((i: { item_key: string; permanent: boolean; next_retry_at: null }) => [
      i.item_key,
      i.permanent,
      i.next_retry_at,
    ]),
    [["w9", true, null]],
  );
  assert.equal((await t.call("GET", "/sync/failed-items?status=gone")).status, 422);
});

Deno.test("run reports, automatic retries and the give-up limit are notification settings", async () => {
  await using t = await testApp(makeWidgets(1));
  const got = await t.call("GET", "/sync/notifications/settings");
  const s = got.body.settings;
  assert.deepEqual(
    [s.daily_summary, s.run_reports, s.auto_retry, s.failed_item_max_attempts, s.retry_batch_size],
    [true, false, true, 12, 200],
  );
  const patched = await t.call("PATCH", "/sync/notifications/settings", {
    run_reports: true,
    failed_item_max_attempts: 5,
  });
  assert.equal(patched.status, 200);
  assert.deepEqual([patched.body.settings.run_reports, patched.body.settings.failed_item_max_attempts], [
    true,
    5,
  ]);
  assert.equal(
    (await t.call("PATCH", "/sync/notifications/settings", { failed_item_max_attempts: 0 })).status,
    422,
  );
});
