// The seeded schedules must name connectors and streams the engine has: a typo would only show
// up at 02:00 as a failed job.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { orderStreams } from "../../functions/_shared/engine/connector/mod.ts";
import { createTestDatabase } from "../_support/db.ts";

Deno.test("every default schedule names a registered connector and streams it has", async () => {
  await using db = await createTestDatabase();
  const schedules = await db.sql`select name, connector, streams from sync.schedules order by name`;
  assert.ok(schedules.length >= 4);
  for (const s of schedules) {
    const connector = connectors[s.connector];
    assert.ok(connector, `schedule ${s.name}: unknown connector ${s.connector}`);
    assert.doesNotThrow(() => orderStreams(connector, s.streams), `schedule ${s.name}`);
  }
});

Deno.test("the Ireland Pay schedules run at 11:00 and 19:00 Irish time in winter and in summer", async () => {
  await using db = await createTestDatabase();
  const rows = await db.sql<
    { name: string; timezone: string; enabled: boolean; winter: Date; summer: Date }[]
  >`
    select name, timezone, enabled,
      sync.cron_next_run(cron, timezone, '2027-01-15 00:00:00+00') as winter,
      sync.cron_next_run(cron, timezone, '2027-07-15 00:00:00+00') as summer
    from sync.schedules where connector = 'irelandpay' order by name`;
  assert.deepEqual(
    rows.map((r) => [r.name, r.timezone, r.enabled, r.winter.toISOString(), r.summer.toISOString()]),
    [
      ["irelandpay-evening", "Europe/Dublin", false, "2027-01-15T19:00:00.000Z", "2027-07-15T18:00:00.000Z"],
      ["irelandpay-morning", "Europe/Dublin", false, "2027-01-15T11:00:00.000Z", "2027-07-15T10:00:00.000Z"],
    ],
  );
});
