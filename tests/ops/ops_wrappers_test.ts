// The typed ops wrappers call the RPCs and map SY422/SY404 to typed errors.
import assert from "node:assert/strict";
import { createTestDatabase } from "../_support/db.ts";
import { ops } from "../../functions/_shared/ops/mod.ts";
import { NotFoundError, ValidationError } from "../../functions/_shared/engine/errors.ts";

Deno.test("ops wrappers: schedule, run, stats, cleanup, settings", async () => {
  await using db = await createTestDatabase();
  const s = await ops.upsertSchedule(db.sql, {
    name: "t",
    connector: "square",
    streams: ["orders"],
    cron: "0 2 * * *",
    options: { lookback_hours: 168 },
  });
  assert.equal(typeof s.id, "number");
  const run = await ops.runSchedule(db.sql, s.id as number);
  assert.equal(run.outcome, "enqueued");
  assert.equal((await ops.runSchedule(db.sql, s.id as number)).outcome, "skipped");
  await assert.rejects(
    ops.upsertSchedule(db.sql, { name: "t", connector: "square", streams: ["orders"], cron: "0 99 * * *" }),
    ValidationError,
  );
  await assert.rejects(ops.setScheduleEnabled(db.sql, 999999, true), NotFoundError);
  assert.deepEqual(await ops.getSyncStats(db.sql, 7), []);
  const cleaned = await ops.cleanupOldSyncData(db.sql, { days_to_keep: 30 });
  assert.equal(cleaned.jobs, 0);
  const settings = await ops.updateNotificationSettings(db.sql, { daily_summary: true, slow_run_factor: 4 });
  assert.equal(settings.daily_summary, true);
  assert.equal(Number(settings.slow_run_factor), 4);
});
