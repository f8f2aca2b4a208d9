// The seeded schedules must name connectors and streams the engine has: a typo would only show
// up at 02:00 as a failed job.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { orderStreams } from "../../functions/_shared/engine/connector.ts";
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
