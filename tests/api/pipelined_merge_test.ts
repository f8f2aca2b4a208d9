// Two pages in Postgres at once (runner.ts): the next page is merged while the one before it
// commits. These tests hold the runner to what makes that safe: pages commit in order, a page
// whose predecessor failed rolls back with it, and pages sharing a record are not overlapped.
import assert from "node:assert/strict";
import { mergePage } from "../../functions/_shared/engine/merge/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { makeWidgets, testApp } from "./_app.ts";

/** A check whose failure is no data error (P0001): the page fails as a whole, unsplit. */
const noPoison = `
  create function public.no_poison(p_name text) returns boolean language plpgsql immutable as $$
  begin
    if p_name = 'poison' then raise exception 'no_poison: poisoned row'; end if;
    return true;
  end $$;
  alter table public.widgets add constraint no_poison check (public.no_poison(name));`;

/** Runs the worker, failing (instead of hanging the suite) when it takes longer than ms. */
async function workWithin(
  t: { work: () => Promise<{ body: { outcomes: { status: string }[] } }> },
  ms: number,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the sync did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([t.work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test({
  name: "a page that fails takes the page merged behind it down too; the checkpoint stays before it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const source = makeWidgets(50);
    source[25].name = "poison"; // page 3 of 5 (10 per page)
    await using t = await testApp(source, { pageSize: 10 });
    // an error that is no data error of the row (those are isolated: see the next test)
    await t.db.sql.unsafe(noPoison);
    const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
    const worked = await workWithin(t, 20_000);
    assert.equal(worked.body.outcomes[0].status, "failed");
    const ids = (await t.db.sql`select id from public.widgets`).map((r) => r.id as string);
    assert.equal(ids.length, 20, `pages 1 and 2 landed, nothing after them: ${ids.join(",")}`);
    const [cp] = await t.db.sql`select cursor, state from sync.checkpoints where stream = 'widgets'`;
    assert.equal(cp.cursor, "20", "the checkpoint points at page 3, the one that failed");
    const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
    assert.equal(shown.body.progress[0].done, 20);
    assert.match(shown.body.job.error, /no_poison/);
  },
});

Deno.test({
  name:
    "a bad row in a page merged two at a time is isolated as a failed item; every other page lands in order",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const source = makeWidgets(50);
    source[25].name = "poison"; // page 3 of 5
    source[41].name = "x".repeat(300); // page 5: too long for the column below
    await using t = await testApp(source, { pageSize: 10 });
    await t.db.sql`alter table public.widgets add constraint no_poison check (name <> 'poison')`;
    await t.db.sql`alter table public.widgets alter column name type varchar(200)`;
    const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
    const worked = await workWithin(t, 20_000);
    assert.equal(worked.body.outcomes[0].status, "partial");
    const [{ n }] = await t.db.sql`select count(*)::int as n from public.widgets`;
    assert.equal(n, 48);
    const items = await t.db
      .sql`select item_key, error_class, error from sync.failed_items order by item_key`;
    assert.deepEqual(items.map((i) => [i.item_key, i.error_class]), [["w26", "merge"], ["w42", "merge"]]);
    assert.match(items[0].error, /^widgets record "w26": column "name": .*"no_poison" \[SQLSTATE 23514\]$/);
    assert.match(
      items[1].error,
      /^widgets record "w42": column "name" \(character varying\(200\)\): value too long/,
    );
    const [cp] = await t.db.sql`select cursor, state from sync.checkpoints where stream = 'widgets'`;
    assert.equal(cp.state.running, false, "the listing was read to its end");
    const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
    assert.deepEqual([shown.body.progress[0].done, shown.body.progress[0].failed], [50, 2]);
  },
});

Deno.test({
  name: "pages that share a record are merged one after the other (else each would wait for the other)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // page 1 is w1..w10, and its merge pauses at w9 (a slow CHECK) holding w1..w8; page 2 starts
    // with w10 again. Merged side by side, page 2 would insert w10 and wait for page 1 to commit
    // while page 1, resumed, waits on page 2's w10: a wait Postgres cannot see as a deadlock.
    const source = makeWidgets(30);
    source[8].name = "slow";
    source.splice(10, 0, { ...source[9], name: "widget 10 again", updated_at: "2026-02-01T00:00:00Z" });
    await using t = await testApp(source, { pageSize: 10 });
    await t.db.sql.unsafe(`
      create function public.widget_ok(p_name text) returns boolean language plpgsql immutable as $$
      begin
        if p_name = 'slow' then perform pg_sleep(0.5); end if;
        return true;
      end $$;
      alter table public.widgets add constraint widget_ok check (public.widget_ok(name));`);
    await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
    const worked = await workWithin(t, 15_000);
    assert.equal(worked.body.outcomes[0].status, "succeeded");
    const [w10] = await t.db.sql`select name from public.widgets where id = 'w10'`;
    assert.equal(w10.name, "widget 10 again", "the newer copy of w10 won");
    const [{ n }] = await t.db.sql`select count(*)::int as n from public.widgets`;
    assert.equal(n, 30);
  },
});

Deno.test({
  name: "mergePage with `after`: the page waits for the one before it, and rolls back if that one failed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp([]);
    const sql = t.db.sql as unknown as Sql;
    await sql.unsafe(noPoison);
    const job = await db.createJob(sql, { connector: "widgets", streams: ["widgets"], mode: "full" });
    assert.ok(await db.claimJob(sql, "w1", 60));
    const page = (from: number, name = "ok") => ({
      jobId: job.id,
      worker: "w1",
      stream: "widgets",
      target: "public.widgets",
      rows: JSON.stringify([0, 1].map((i) => ({
        id: `p${from + i}`,
        name: i === 1 ? name : "ok",
        updated_at: "2026-01-01T00:00:00Z",
      }))),
      cursor: String(from + 2),
      saveCheckpoint: true,
    });
    // the first page fails; the one merged behind it must not land, though nothing is wrong with it
    const first = mergePage(sql, page(0, "poison"));
    const second = mergePage(sql, page(2), first);
    await assert.rejects(first, /no_poison/);
    await assert.rejects(second, /no_poison/);
    assert.equal((await sql`select count(*)::int as n from public.widgets`)[0].n, 0);
    assert.equal((await sql`select count(*)::int as n from sync.checkpoints`)[0].n, 0);

    // in order: the later page's bookkeeping waits for the earlier page's commit
    const a = mergePage(sql, page(10));
    const b = mergePage(sql, page(12), a);
    const c = mergePage(sql, page(14), b);
    const counts = await Promise.all([a, b, c]);
    assert.deepEqual(counts.map((x) => x.inserted), [2, 2, 2]);
    const [cp] = await sql`select cursor from sync.checkpoints where stream = 'widgets'`;
    assert.equal(cp.cursor, "16", "the last page's checkpoint is the one left");
    const [p] = await db.getProgress(sql, job.id);
    assert.equal(p.done, 6);

    // a page with nothing to merge (only failed records) behind another one counts its failures
    const d = mergePage(sql, page(16));
    const e = mergePage(sql, { ...page(18), target: null, rows: "[]", failed: 3 }, d);
    assert.deepEqual(await e, { inserted: 0, updated: 0, unchanged: 0, stale: 0 });
    await d;
    const [q] = await db.getProgress(sql, job.id);
    assert.deepEqual([q.done, q.failed], [11, 3]);
  },
});
