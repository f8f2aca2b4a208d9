// What a 404 on a single Bubble thing does to the stored row (docs/bubble.md "Single things and
// deletions"): a typed table keyed by id marks it deleted; a generic bubble.records row (keyed by type
// and id) and the integrity sync's root invoice are left alone.
import assert from "node:assert/strict";
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { startFakeBubble } from "../fakes/bubble/mod.ts";
import { config, fastHttp, startJob } from "./_support.ts";

const MODIFIED = "2026-03-01T00:00:00.000Z";

Deno.test("a 404 single read marks a typed row deleted, and leaves a generic row and a root invoice alone", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeBubble({ data: { note: [], payment: [], invoice: [] } });
  try {
    const connector = bubbleConnector(["note"], { model: invoicingModel });
    await tdb.sql`insert into bubble.payment (id, modified_date, raw) values ('PGONE', ${MODIFIED}, '{}')`;
    await tdb.sql`insert into bubble.invoice (id, modified_date, raw) values ('INVGONE', ${MODIFIED}, '{}')`;
    await tdb
      .sql`insert into bubble.records (type, id, modified_at, raw) values ('note', 'NGONE', ${MODIFIED}, '{}')`;
    const run = () =>
      runUntilIdle({
        sql: tdb.sql,
        connectors: { bubble: connector },
        connectorConfig: () => config(fake),
        workerId: "bubble-gone-test",
        httpFor: fastHttp,
      }, { budgetMs: 60_000 });
    for (const [stream, id] of [["payment", "PGONE"], ["note", "NGONE"], ["invoice", "INVGONE"]]) {
      await startJob(tdb.sql, { streams: [stream], options: { records: { [stream]: [id] } } });
      await run();
    }
    const deleted = async (query: Promise<{ d: Date | null }[]>) => (await query)[0].d !== null;
    assert.equal(
      await deleted(tdb.sql`select _deleted_at as d from bubble.payment where id = 'PGONE'`),
      true,
    );
    assert.equal(
      await deleted(
        tdb.sql`select _deleted_at as d from bubble.records where type = 'note' and id = 'NGONE'`,
      ),
      false,
    );
    assert.equal(
      await deleted(tdb.sql`select _deleted_at as d from bubble.invoice where id = 'INVGONE'`),
      false,
    );
    const [{ status }] = await tdb.sql`select status from bubble.sync_steps
      where root_id = 'INVGONE' and action = 'outcome'`;
    assert.equal(status, "failed");
  } finally {
    await fake.close();
  }
});
