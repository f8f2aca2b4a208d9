// Job claiming with real concurrent sessions: each job is claimed once, a lost lease fences
// the old worker, and concurrent starts of one stream let exactly one through.
import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase, type Sql } from "../_support/db.ts";

/** Opens `n` separate single-connection sessions on the database. */
function sessions(url: string, n: number): Sql[] {
  return Array.from({ length: n }, () => postgres(url, { max: 1, onnotice: () => {} }));
}

async function closeAll(clients: Sql[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
}

Deno.test("concurrent workers claim every queued job exactly once", async () => {
  await using db = await createTestDatabase();
  const jobs = 60;
  for (let i = 0; i < jobs; i++) await db.sql`select sync.create_job(${"conn" + i}, array['orders'])`;
  const workers = sessions(db.url, 4);
  try {
    const claimed = await Promise.all(workers.map(async (sql, w) => {
      const mine: number[] = [];
      for (;;) {
        // hold the row lock a moment so the other sessions must skip it, not wait for it
        const rows = await sql.begin(async (tx) => {
          const got = await tx`select id from sync.claim_job(${"w" + w}, 60)`;
          await tx`select pg_sleep(0.005)`;
          return got;
        });
        if (rows.length === 0) return mine;
        mine.push(Number(rows[0].id));
      }
    }));
    const all = claimed.flat();
    assert.equal(all.length, jobs, "every job claimed once in total");
    assert.equal(new Set(all).size, jobs, "no job claimed twice");
    assert.ok(
      claimed.filter((ids) => ids.length > 0).length >= 2,
      "claims were spread over several sessions",
    );
    const [{ running }] = await db
      .sql`select count(*)::int as running from sync.jobs where status = 'running'`;
    assert.equal(running, jobs);
  } finally {
    await closeAll(workers);
  }
});

Deno.test("a claim skips a job another session is claiming instead of waiting for it", async () => {
  await using db = await createTestDatabase();
  await db.sql`select sync.create_job('square', array['orders'])`;
  const [a, b] = sessions(db.url, 2);
  try {
    await a.begin(async (tx) => {
      const [mine] = await tx`select id from sync.claim_job('wa', 60)`;
      assert.ok(mine, "session a claims the job");
      const other = await b`select id from sync.claim_job('wb', 60)`;
      assert.equal(other.length, 0, "session b finds nothing claimable while a holds the row");
    });
    const after = await b`select id from sync.claim_job('wb', 60)`;
    assert.equal(after.length, 0, "after a commits, its live lease keeps the job");
  } finally {
    await closeAll([a, b]);
  }
});

Deno.test("an expired lease is reclaimed and the old worker's page is refused with SY410", async () => {
  await using db = await createTestDatabase();
  await db.sql`create table public.orders (id text primary key, total numeric)`;
  await db.sql`select sync.register_target('public.orders', array['id'])`;
  const [{ id }] = await db.sql`select id from sync.create_job('square', array['orders'])`;
  const [oldWorker, newWorker] = sessions(db.url, 2);
  try {
    const [first] = await oldWorker`select id, lease_owner from sync.claim_job('old', 1)`;
    assert.equal(first.lease_owner, "old");
    assert.equal(
      (await newWorker`select id from sync.claim_job('new', 60)`).length,
      0,
      "a live lease is not claimable",
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const [second] = await newWorker`select id, attempts from sync.claim_job('new', 60)`;
    assert.equal(String(second.id), String(id), "the expired job is claimed by the new worker");
    assert.equal(second.attempts, 2);
    await assert.rejects(
      oldWorker`select sync.merge_page(${id}, 'old', 'orders', 'public.orders', ${
        oldWorker.json([{ id: "o1", total: 1 }])
      })`,
      (err: { code?: string; message?: string }) => {
        assert.equal(err.code, "SY410");
        assert.equal(err.message, `Worker "old" no longer holds job ${id} (status running, lease owner new)`);
        return true;
      },
    );
    const page = await newWorker`select sync.merge_page(${id}, 'new', 'orders', 'public.orders', ${
      newWorker.json([{ id: "o1", total: 2 }])
    }) as counts`;
    assert.equal(page[0].counts.inserted, 1, "the new worker's page lands");
    const [{ total }] = await db.sql`select total::int from public.orders where id = 'o1'`;
    assert.equal(total, 2);
  } finally {
    await closeAll([oldWorker, newWorker]);
  }
});

Deno.test("concurrent starts of the same stream let exactly one job through", async () => {
  await using db = await createTestDatabase();
  const clients = sessions(db.url, 5);
  try {
    const results = await Promise.allSettled(
      clients.map((sql, i) =>
        sql`select id from sync.create_job('square', array['orders'], p_requested_by => ${"c" + i})`
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(ok.length, 1, "one start succeeds");
    assert.equal(refused.length, 4);
    for (const r of refused) {
      assert.equal(r.reason.code, "SY409");
      assert.match(
        r.reason.message,
        /^Cannot start sync for "square": a sync of stream "orders" is already queued \(job \d+\)$/,
      );
    }
    const [{ n }] = await db.sql`select count(*)::int as n from sync.jobs`;
    assert.equal(n, 1);
  } finally {
    await closeAll(clients);
  }
});
