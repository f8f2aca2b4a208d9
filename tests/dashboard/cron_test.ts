// The console's pure helpers: next run of a cron expression (UTC, as pg_cron reads it) and the
// daily series behind the stats charts.
import assert from "node:assert/strict";
import { nextRun, parseCron } from "../../dashboard/src/cron.js";
import { dailySeries } from "../../dashboard/src/views/stats.js";

const at = (s: string) => new Date(s);

Deno.test("nextRun: daily, weekdays by name and number, steps, lists, month names", () => {
  assert.equal(nextRun("0 2 * * *", at("2026-11-29T01:59:30Z"))?.toISOString(), "2026-11-29T02:00:00.000Z");
  assert.equal(nextRun("0 2 * * *", at("2026-11-29T02:00:00Z"))?.toISOString(), "2026-11-30T02:00:00.000Z");
  // 2026-11-29 is a Sunday
  assert.equal(
    nextRun("0 2 * * MON-FRI", at("2026-11-29T12:00:00Z"))?.toISOString(),
    "2026-11-30T02:00:00.000Z",
  );
  assert.equal(
    nextRun("30 9 * * 1-5", at("2026-12-04T10:00:00Z"))?.toISOString(),
    "2026-12-07T09:30:00.000Z",
  );
  assert.equal(
    nextRun("*/15 * * * *", at("2026-11-29T10:07:00Z"))?.toISOString(),
    "2026-11-29T10:15:00.000Z",
  );
  assert.equal(
    nextRun("0 11,19 * * *", at("2026-11-29T12:00:00Z"))?.toISOString(),
    "2026-11-29T19:00:00.000Z",
  );
  assert.equal(nextRun("0 0 1 JAN *", at("2026-11-29T12:00:00Z"))?.toISOString(), "2027-01-01T00:00:00.000Z");
  assert.equal(nextRun("0 0 * * 7", at("2026-11-29T12:00:00Z"))?.toISOString(), "2026-12-06T00:00:00.000Z");
  // day of month and weekday both restricted: either matches (cron's rule)
  assert.equal(
    nextRun("0 0 13 * FRI", at("2026-11-29T12:00:00Z"))?.toISOString(),
    "2026-12-04T00:00:00.000Z",
  );
});

Deno.test("parseCron names the problem", () => {
  assert.throws(() => parseCron("0 61 * * *"), /"61" is not a valid hour/);
  assert.throws(() => parseCron("0 2 * *"), /5 fields/);
  assert.throws(() => parseCron("0 2 * * FOO"), /"FOO" is not a valid dow/);
  assert.throws(() => parseCron("*/0 * * * *"), /bad step/);
});

Deno.test("dailySeries: one point per day of the window, totals over connectors, empty days empty", () => {
  const s = dailySeries(
    [
      {
        day: "2026-11-29",
        connector: "a",
        runs: 2,
        succeeded: 1,
        failures: 1,
        records: 10,
        avg_duration_seconds: 4,
      },
      {
        day: "2026-11-29",
        connector: "b",
        runs: 2,
        succeeded: 2,
        failures: 0,
        records: 5,
        avg_duration_seconds: 2,
      },
    ],
    3,
    at("2026-11-29T12:00:00Z"),
  );
  assert.deepEqual(s.map((x) => x.day), ["2026-11-27", "2026-11-28", "2026-11-29"]);
  assert.deepEqual(s[2], {
    day: "2026-11-29",
    records: 15,
    runs: 4,
    avgDuration: 3,
    successRate: 75,
    errorRate: 25,
  });
  assert.equal(s[0].successRate, null);
});
