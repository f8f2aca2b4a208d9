// Behind a transaction pooler (Supabase's on port 6543; here Debian's PgBouncer in transaction
// mode, tests/_support/pgbouncer.ts): each transaction may run on another server connection. The
// COPY merge path stages each page in a temp table dropped at its transaction's commit
// (sql/sync_merge_copy.sql) and postgres.js runs with prepare: false, so COPY pages merge through
// the pooler as they do directly; an end-to-end Square sync through it lands every row by COPY.
import assert from "node:assert/strict";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { copyColumns, copyMerge, copyPathOff } from "../../functions/_shared/engine/merge/mod.ts";
import { copyPage } from "../../functions/_shared/engine/records/mod.ts";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { pgbouncerBinary, startPgBouncer } from "../_support/pgbouncer.ts";
import { apiClient } from "../api/_app.ts";

const missing = pgbouncerBinary() === null;
if (missing) {
  console.warn(
    "tests/db/pgbouncer_test.ts skipped: the pgbouncer binary is missing (apt-get install -y pgbouncer)",
  );
}

Deno.test({
  name:
    "COPY pages from three clients through one pooled server connection merge in full, no temp table left",
  ignore: missing,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await createTestDatabase();
    await t.sql.unsafe(`create table public.pooled (id text primary key, name text, updated_at timestamptz)`);
    await t.sql`select sync.register_target('public.pooled', array['id'], 'updated_at')`;
    await using bouncer = await startPgBouncer(t.url, { poolSize: 1 });
    const clients = [connect(bouncer.url, 2), connect(bouncer.url, 2), connect(bouncer.url, 2)];
    try {
      const job = await db.createJob(clients[0], { connector: "widgets", streams: ["pooled"], mode: "full" });
      const columns = await copyColumns(clients[0], "public.pooled");
      const pages = Array.from({ length: 12 }, (_, p) =>
        Array.from({ length: 50 }, (_, i) => ({
          id: `p${p}-${i}`,
          name: `name\t${p}\n${i}`,
          updated_at: "2026-12-01T00:00:00Z",
        })));
      const counts = await Promise.all(pages.map((rows, p) => {
        const page = copyPage(rows, columns);
        assert.ok(page, "the page is copyable");
        return clients[p % 3].begin((tx) => copyMerge(tx, "public.pooled", page, job.id));
      }));
      for (const c of counts) assert.equal((c as { inserted: number }).inserted, 50);
      const [{ n }] = await t.sql`select count(*)::int as n from public.pooled`;
      assert.equal(n, 600);
      // the pooled server connection holds no staging table after the transactions
      const [{ left }] = await clients[0]`select to_regclass('pg_temp._sync_copy') is not null as left`;
      assert.equal(left, false);
      for (const c of clients) assert.equal(copyPathOff(c), null);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  },
});

Deno.test({
  name: "a Square sync through PgBouncer in transaction mode succeeds on the COPY path",
  ignore: missing,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeSquare({ seed: 7, orders: 1_200, customers: 150 });
    await using t = await createTestDatabase();
    // merge_copied's calls are counted (track_functions), so the test sees which path the pages took
    await t.sql.unsafe(`alter database ${t.name} set track_functions = 'all'`);
    await using bouncer = await startPgBouncer(t.url, { poolSize: 2 });
    const sql = connect(bouncer.url, 4);
    try {
      const { call, work } = await apiClient({
        sql,
        connectors,
        connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
      });
      const started = await call("POST", "/sync/jobs", { connector: "square", mode: "full" });
      assert.equal(started.status, 202);
      assert.equal((await work()).status, 200);
      const job = await call("GET", `/sync/jobs/${started.body.job.id}`);
      assert.equal(job.body.job.status, "succeeded", job.body.job.error);
      const [{ orders, customers }] = await t.sql`select (select count(*)::int from square.orders) as orders,
        (select count(*)::int from square.customers) as customers`;
      assert.deepEqual({ orders, customers }, { orders: 1_200, customers: 150 });
      assert.equal(copyPathOff(sql), null, "the pool never fell back to the JSON path");
      // statistics reach the cumulative view a second or so after the backend goes idle (later on a
      // loaded machine: up to 30 s is waited)
      let calls = 0;
      for (let i = 0; i < 300 && calls === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const [row] = await t.sql`select coalesce(sum(calls), 0)::int as calls from pg_stat_user_functions
          where schemaname = 'sync' and funcname = 'merge_copied'`;
        calls = row.calls;
        await t.sql`select pg_stat_clear_snapshot()`;
      }
      assert.ok(calls > 0, "pages merged by COPY (sync.merge_copied was called)");
    } finally {
      await sql.end();
      await fake.close();
    }
  },
});
