// Two workers and repeated concurrent triggers: one running job per stream, the same final table.
import assert from "node:assert/strict";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig, runInProcess, tableFigures } from "./_support.ts";

Deno.test("two workers and repeated concurrent triggers: one running job per stream, no page merged differently", async () => {
  const fake = startFakeSquare({ seed: 31, locations: 3, orders: 4_000 });
  await using ref = await createTestDatabase();
  await using tdb = await createTestDatabase();
  try {
    const config = fakeConfig(fake.url, { pageSize: 200 });
    await db.createJob(ref.sql, { connector: "square", streams: ["orders"], mode: "full" });
    await runInProcess(ref.url, config);

    let maxRunning = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [r] = await tdb.sql`select coalesce(max(n), 0)::int as n from (select s, count(*) as n
          from sync.jobs, unnest(streams) s where status = 'running' group by s) x`;
        maxRunning = Math.max(maxRunning, r.n);
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
    let created = 0;
    let refused = 0;
    const trigger = async () => {
      const results = await Promise.allSettled(
        Array.from(
          { length: 8 },
          () => db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" }),
        ),
      );
      for (const r of results) {
        if (r.status === "fulfilled") created++;
        else if (/already (queued|running)/.test(String(r.reason?.message))) refused++;
        else throw r.reason;
      }
    };
    // two workers with short budgets (they yield and re-claim), triggers fired while they run
    const workers = ["w1", "w2"].map((id) => runInProcess(tdb.url, config, { workerId: id, budgetMs: 400 }));
    await trigger();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await trigger();
    }
    await Promise.all(workers);
    // drain whatever the last triggers queued
    await Promise.all(["w1", "w2"].map((id) => runInProcess(tdb.url, config, { workerId: id })));
    watching = false;
    await watcher;

    assert.equal(maxRunning, 1, "never two running jobs of one stream");
    assert.ok(created >= 1 && refused >= 7, `created ${created}, refused ${refused}`);
    const statuses = await tdb.sql`select status, count(*)::int as n from sync.jobs group by status`;
    assert.deepEqual(statuses.map((s) => s.status), ["succeeded"]);
    const got = await tableFigures(tdb.sql, "square.orders");
    assert.equal(got.rows, got.distinct);
    assert.deepEqual(got, await tableFigures(ref.sql, "square.orders"));
  } finally {
    await fake.close();
  }
});
