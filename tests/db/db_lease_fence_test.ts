// A stale worker (paused past its lease) that wakes while the new owner merges the same rows is
// refused cleanly (SY410) and never deadlocks with it: every page path locks the target's rows
// first and the job row last (sql/sync_jobs.sql, merge_page). Two real sessions.
import assert from "node:assert/strict";
import postgres from "postgres";
import { createTestDatabase } from "../_support/db.ts";

Deno.test("a stale worker's page is refused with SY410, not deadlocked, while the new owner merges the same rows", async () => {
  await using tdb = await createTestDatabase();
  const stale = postgres(tdb.url, { max: 1, onnotice: () => {} });
  const owner = postgres(tdb.url, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "new-owner" },
  });
  try {
    const [job] = await tdb
      .sql`select * from sync.create_job('square', array['locations'], 'default', 'full')`;
    await tdb.sql`select * from sync.claim_job('stale', 60)`;
    const rows = JSON.stringify([{ id: "L1", name: "one", raw: {} }, { id: "L2", name: "two", raw: {} }]);

    // the stale worker's second page in flight: rows merged, bookkeeping not yet done
    const tx = await stale.reserve();
    await tx`begin`;
    await tx`select sync.merge_rows('square.locations', ${rows}::text::jsonb, ${job.id})`;

    // meanwhile its lease ran out and another worker claimed the job and merges the same rows
    await tdb
      .sql`update sync.jobs set lease_expires_at = clock_timestamp() - interval '1 second' where id = ${job.id}`;
    const [claimed] = await tdb.sql`select * from sync.claim_job('owner', 60)`;
    assert.equal(claimed.lease_owner, "owner");
    const ownerPage = owner`select sync.merge_page(${job.id}, 'owner', 'locations', 'square.locations',
      ${rows}::text::jsonb, null) as counts`.then((r) => r[0].counts, (e) => e);
    // wait until the owner waits for the stale worker's row locks
    for (let i = 0; i < 200; i++) {
      const [w] = await tdb.sql`select count(*)::int n from pg_stat_activity
        where application_name = 'new-owner' and wait_event_type = 'Lock'`;
      if (w.n > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }

    // the stale worker wakes and books its page: refused by the fence, not a deadlock
    const refused = await tx`select sync.commit_page(${job.id}, 'stale', 'locations', null, 2, 'c1')`.then(
      () => null,
      (e) => e,
    );
    await tx`rollback`.catch(() => {});
    tx.release();
    assert.equal(refused?.code, "SY410", `stale worker: ${refused?.code} ${refused?.message}`);

    const counts = await ownerPage;
    assert.ok(!(counts instanceof Error), `new owner: ${counts?.code} ${counts?.message}`);
    assert.equal(counts.inserted, 2);
    const [p] = await tdb
      .sql`select done::int from sync.progress where job_id = ${job.id} and phase = 'locations'`;
    assert.equal(p.done, 2, "only the owner's page was booked");
  } finally {
    await stale.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
  }
});
