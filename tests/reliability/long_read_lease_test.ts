// A full read whose completeness id walk outlasts the lease, beside a second worker (issue 26.1):
// every phase heartbeats its lease, so the job is read once, by one worker, in one attempt. Before,
// the walk never heartbeat: the second worker took the job over and read it all again, forever.
import assert from "node:assert/strict";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig, jobStatus, tableFigures } from "./_support.ts";

const ORDERS = 10_000;
const PAGE = 100;
const LEASE_SECONDS = 3;

Deno.test("a long id walk beside a second worker: one attempt, every record read about once", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 41, locations: 1, orders: ORDERS });
  // 60 ms per request: the id walk alone (100 pages) takes twice the lease
  fake.state.latencyMs = 60;
  const config = fakeConfig(fake.url, { pageSize: PAGE });
  const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
  const t0 = Date.now();
  let finished = false;
  const worker = async (workerId: string) => {
    const sql = connect(tdb.url, 2);
    try {
      while (!finished && Date.now() - t0 < 90_000) {
        await runUntilIdle(
          { sql, connectors: { square: squareConnector }, connectorConfig: () => config, workerId },
          { budgetMs: 120_000, leaseSeconds: LEASE_SECONDS },
        );
        const s = await jobStatus(sql, job.id);
        if (["succeeded", "partial", "failed", "cancelled"].includes(s.status)) finished = true;
        else await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  try {
    await Promise.all([worker("A"), worker("B")]);
    const s = await jobStatus(tdb.sql, job.id);
    const [row] = await tdb.sql`select attempts from sync.jobs where id = ${job.id}`;
    const searches = fake.state.requests["POST /v2/orders/search"] ?? 0;
    const pages = ORDERS / PAGE;
    assert.equal(
      s.status,
      "succeeded",
      `${s.status}: ${s.error}; ${row.attempts} attempts, ${searches} searches`,
    );
    assert.equal(row.attempts, 1, `${row.attempts} attempts`);
    // the listing once and the id walk once (each ends with one more, empty, page at most)
    assert.ok(searches <= 2 * pages + 4, `${searches} search requests for ${2 * pages} pages`);
    assert.equal(s.done, ORDERS, "each record read once");
    assert.equal((await tableFigures(tdb.sql, "square.orders")).distinct, ORDERS);
  } finally {
    finished = true;
    await fake.close();
  }
});
