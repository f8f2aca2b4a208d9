// The date-range batch: invoices modified in [from, to] each with its relations, all eight typed
// tables filled in level order with no dangling link, totals, auto-patch counts, coverage, the
// JSON endpoints, and a worker killed mid-batch whose job another worker finishes.
import assert from "node:assert/strict";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import { dependencyLevels } from "../../functions/_shared/connectors/bubble/model/levels.ts";
import { allFields } from "../../functions/_shared/connectors/bubble/model/types.ts";
import {
  coverageReport,
  danglingLinks,
  stepReport,
} from "../../functions/_shared/connectors/bubble/queries.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { HttpClient, type RequestOptions } from "../../functions/_shared/engine/http/mod.ts";
import { adminToken, apiClient } from "../api/_app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { tableFigures } from "../reliability/_support.ts";
import { invoicingData } from "../fakes/bubble/invoicing.ts";
import { startFakeBubble } from "../fakes/bubble/mod.ts";
import { config, connector, counts, fastHttp, runAll, startJob, TYPES } from "./_support.ts";

const SEED = { invoices: 120, malformedPayments: 2 };
const FROM = "2026-01-01T00:00:00.000Z";
const TO = "2026-07-01T00:00:00.000Z";

/** Records the order in which statements insert into the typed tables, per transaction. */
async function logInserts(sql: import("../_support/db.ts").Sql) {
  await sql.unsafe(
    `create table public.insert_log (seq bigserial, tx bigint default txid_current(), type text);
    create function public.log_insert() returns trigger language plpgsql as $$
    begin insert into public.insert_log (type) values (tg_table_name); return null; end $$;`,
  );
  for (const t of TYPES) {
    await sql.unsafe(`create trigger log_insert after insert on bubble."${t}"
      for each statement execute function public.log_insert()`);
  }
}

Deno.test("a date-range batch fills all eight typed tables in level order, no dangling link, with totals and patches", async () => {
  await using tdb = await createTestDatabase();
  const data = invoicingData(SEED);
  const fake = startFakeBubble({ data });
  try {
    await logInserts(tdb.sql);
    fake.state.rateLimitNext(2); // a 429 on the way
    const job = await startJob(tdb.sql, { mode: "full", options: { since: FROM, until: TO } });
    const [outcome] = await runAll(tdb.sql, config(fake, { pageSize: 50 }));
    assert.equal(outcome.status, "partial", "two malformed payments make it partial");
    const c = await counts(tdb.sql);
    for (const t of TYPES) assert.ok(c[t] > 0, `${t} is empty`);
    assert.equal(c.invoice, 120);
    // every page's inserts ran level by level
    const plan = dependencyLevels(invoicingModel);
    const log = await tdb.sql`select tx, type from public.insert_log order by seq`;
    const byTx = Map.groupBy(log, (r) => String(r.tx));
    assert.ok(byTx.size >= 3, "one transaction per page of 50 invoices");
    for (const rows of byTx.values()) {
      const levels = rows.map((r) => plan.levels[r.type]);
      assert.deepEqual(
        levels,
        [...levels].sort((a, b) => a - b),
        `out of level order: ${rows.map((r) => r.type)}`,
      );
    }
    // no link names a thing that is not here, except the two malformed payments (failed items)
    const dangling = (await danglingLinks(tdb.sql, invoicingModel)).filter((d) => d.things > 0);
    const failed = await tdb.sql`select stream, item_key from sync.failed_items where job_id = ${job.id}`;
    assert.deepEqual(failed.map((f) => f.stream), ["payment", "payment"]);
    for (const d of dangling) assert.equal(d.target, "payment", JSON.stringify(d));
    // totals: invoices linking a malformed payment failed, the rest synced
    const report = await stepReport(tdb.sql, "bubble", job.id, { limit: 500 });
    assert.equal(report.totals.synced + report.totals.failed, 120);
    assert.equal(report.totals.failed, 2);
    assert.equal(report.totals.skipped, 0);
    // 404 relations (deleted customers and payments) are warnings, not failures
    const warnings = report.roots.flatMap((r) => r.steps).filter((s) => s.status === "warning");
    assert.ok(warnings.length >= 8, `${warnings.length} warnings`);
    // auto-patch: every local SEDA registration is linked back from its invoice, and has a customer
    // when its invoice has one
    const [unlinked] = await tdb.sql`select count(*)::int as n from bubble.seda_registration s
      join bubble.invoice i on i.id = any (s.linked_invoice) where coalesce(i.seda_registration, '') = ''`;
    assert.equal(unlinked.n, 0);
    const [noCustomer] = await tdb.sql`select count(*)::int as n from bubble.seda_registration s
      join bubble.invoice i on i.id = s.linked_invoice[1]
      where coalesce(s.linked_customer, '') = '' and coalesce(i.customer, '') <> ''`;
    assert.equal(noCustomer.n, 0);
    const [patch] = await tdb
      .sql`select updated::int, status from sync.progress where job_id = ${job.id} and phase = 'patch'`;
    assert.ok(patch.updated > 0);
    // a second run of the same window skips every invoice: nothing changed at the source
    const again = await startJob(tdb.sql, { mode: "full", options: { since: FROM, until: TO } });
    const before = fake.state.requests.total;
    await runAll(tdb.sql, config(fake, { pageSize: 50 }));
    const second = await stepReport(tdb.sql, "bubble", again.id);
    assert.deepEqual(second.totals, { synced: 0, skipped: 120, failed: 0 });
    assert.equal(fake.state.requests.total - before, 3, "only the three invoice pages were read");
    const [p2] = await tdb
      .sql`select message from sync.progress where job_id = ${again.id} and phase = 'patch'`;
    assert.match(p2.message, /seda_links 0, seda_customers 0/);
  } finally {
    await fake.close();
  }
});

Deno.test("coverage is exact: per type seen vs mapped, unmapped names, overall; served as JSON", async () => {
  await using tdb = await createTestDatabase();
  const data = invoicingData({ invoices: 40 });
  const fake = startFakeBubble({ data });
  try {
    await startJob(tdb.sql, { mode: "full" });
    await runAll(tdb.sql, config(fake));
    const report = await coverageReport(tdb.sql, invoicingModel);
    // expected from the source: the keys of the things that landed
    const apiType = Object.fromEntries(invoicingModel.types.map((t) => [t.name, t.apiType]));
    let seen = 0, mapped = 0;
    for (const t of report.types) {
      const ids = new Set((await tdb.sql.unsafe(`select id from bubble."${t.type}"`)).map((r) => r.id));
      const keys = new Set(
        data[apiType[t.type]].filter((r) => ids.has(r._id)).flatMap((r) => Object.keys(r)),
      );
      const declared = new Set(Object.keys(allFields(invoicingModel.types.find((x) => x.name === t.type)!)));
      const unmapped = [...keys].filter((k) => !declared.has(k)).sort();
      assert.deepEqual(
        [t.seen, t.mapped, t.unmapped],
        [keys.size, keys.size - unmapped.length, unmapped],
        t.type,
      );
      seen += keys.size;
      mapped += keys.size - unmapped.length;
    }
    const customer = report.types.find((t) => t.type === "customer")!;
    assert.deepEqual(customer.unmapped, ["fax"]);
    assert.equal(customer.mapped, customer.seen - 1);
    const invoice = report.types.find((t) => t.type === "invoice")!;
    assert.equal(invoice.mapped, invoice.seen);
    assert.deepEqual(report.overall, { seen, mapped, percent: Math.round((mapped / seen) * 1000) / 10 });

    const { app } = await apiClient({
      sql: tdb.sql,
      connectors: { bubble: connector },
      connectorConfig: () => ({}),
      budgetMs: 1000,
    });
    const headers = { authorization: `Bearer ${await adminToken()}` };
    const res = await app.request("/sync/bubble/coverage", { headers });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), report);
    const model = await (await app.request("/sync/bubble/model", { headers })).json();
    assert.deepEqual(model.levels, dependencyLevels(invoicingModel).byLevel);
    const [{ id: jobId }] = await tdb.sql`select id from sync.jobs order by id limit 1`;
    const rep = await (await app.request(`/sync/bubble/jobs/${jobId}/report?limit=2`, { headers })).json();
    assert.equal(rep.totals.synced, 40);
    assert.equal(rep.roots.length, 2);
    assert.equal(rep.more, 38);
    assert.equal(rep.entities.invoice.done, 40);
    assert.ok(rep.entities.payment.inserted > 0);
    const bad = await app.request("/sync/bubble/jobs/abc/report", { headers });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).error.code, "invalid_request");
    const none = await app.request("/sync/bubble/jobs/999999/report", { headers });
    assert.equal(none.status, 404);
    const anon = await app.request("/sync/bubble/coverage");
    assert.equal(anon.status, 401);
  } finally {
    await fake.close();
  }
});

/** A client whose requests never answer after the first `limit`: the worker hangs as if killed. */
class HangingHttp extends HttpClient {
  calls = 0;
  constructor(base: HttpClient, private readonly limit: number) {
    super({ source: base.source, baseUrl: base.baseUrl, headers: base.headers, policy: base.policy });
  }
  override get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    if (++this.calls > this.limit) return new Promise<T>(() => {});
    return super.get<T>(path, opts);
  }
}

Deno.test("a worker killed mid-batch: another worker resumes from the checkpoint; tables equal an uninterrupted run", async () => {
  await using ref = await createTestDatabase();
  await using tdb = await createTestDatabase();
  const data = invoicingData({ invoices: 90 });
  const fake = startFakeBubble({ data });
  try {
    await startJob(ref.sql, { mode: "full" });
    await runAll(ref.sql, config(fake, { pageSize: 30 }));

    const job = await startJob(tdb.sql, { mode: "full" });
    const cfg = config(fake, { pageSize: 30 });
    // worker A lands the first page (1 listing + its relations) and hangs inside the second
    void runAll(tdb.sql, cfg, { workerId: "A", httpFor: (c, k) => new HangingHttp(fastHttp(c, k), 12) });
    for (let i = 0; i < 200; i++) {
      const [p] = await tdb
        .sql`select done::int from sync.progress where job_id = ${job.id} and phase = 'invoice'`;
      if (p.done >= 30) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 100));
    const [mid] = await tdb
      .sql`select done::int from sync.progress where job_id = ${job.id} and phase = 'invoice'`;
    assert.equal(mid.done, 30, "A landed exactly one page before it hung");
    // A is gone: its lease runs out and B claims the job
    await tdb.sql`update sync.jobs set lease_expires_at = now() - interval '1 second' where id = ${job.id}`;
    const requestsBefore = fake.state.requests.urls.length;
    const [b] = await runAll(tdb.sql, cfg, { workerId: "B" });
    assert.equal(b.status, "succeeded");
    const firstOfB = new URL("http://h" + fake.state.requests.urls[requestsBefore]);
    assert.match(
      firstOfB.searchParams.get("constraints") ?? "",
      /Created Date/,
      "B starts after A's checkpoint",
    );
    for (const t of TYPES) {
      assert.deepEqual(
        await tableFigures(tdb.sql, `bubble.${t}`),
        await tableFigures(ref.sql, `bubble.${t}`),
        t,
      );
    }
    const outcomes = await tdb.sql`select root_id, count(*)::int as n from bubble.sync_steps
      where job_id = ${job.id} and action = 'outcome' group by root_id`;
    assert.equal(outcomes.length, 90);
    assert.ok(outcomes.every((o) => o.n === 1));
    assert.equal((await db.getJob(tdb.sql as never, job.id))!.attempts, 2);
  } finally {
    await fake.close();
  }
});

Deno.test("a plain listing of every typed stream (level by level) also ends with the auto-patch", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeBubble({ data: invoicingData({ invoices: 30 }) });
  try {
    await logInserts(tdb.sql);
    const job = await startJob(tdb.sql, { streams: TYPES, mode: "full" });
    const [outcome] = await runAll(tdb.sql, config(fake));
    assert.equal(outcome.status, "succeeded");
    // stream by stream, in level order
    const plan = dependencyLevels(invoicingModel);
    const order = (await tdb.sql`select type from public.insert_log order by seq`).map((r) =>
      plan.levels[r.type]
    );
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    const [patch] = await tdb.sql`select updated::int as n, status, message from sync.progress
      where job_id = ${job.id} and phase = 'patch'`;
    assert.equal(patch.status, "done");
    const lost = invoicingData({ invoices: 30 }).sedaregistration.filter((s) => {
      const inv = invoicingData({ invoices: 30 }).invoice.find((i) =>
        i._id === (s.linked_invoice as string[])[0]
      );
      return !inv?.seda_registration;
    }).length;
    assert.ok(lost > 0);
    assert.match(patch.message, new RegExp(`seda_links ${lost},`));
    const [unlinked] = await tdb.sql`select count(*)::int as n from bubble.seda_registration s
      join bubble.invoice i on i.id = any (s.linked_invoice) where coalesce(i.seda_registration, '') = ''`;
    assert.equal(unlinked.n, 0);
    // the patch never writes a customer that is not in bubble.customer (every 25th invoice names a
    // customer deleted at the source): those registrations are reported as missing relations
    const [dangling] = await tdb.sql`select count(*)::int as n from bubble.seda_registration s
      where coalesce(s.raw ->> 'linked_customer', '') = '' and coalesce(s.linked_customer, '') <> ''
        and not exists (select from bubble.customer c where c.id = s.linked_customer)`;
    assert.equal(dangling.n, 0, "patched links that dangle");
    assert.match(
      patch.message,
      /missing relations: [1-9]\d* SEDA registration\(s\) left without linked_customer/,
    );
  } finally {
    await fake.close();
  }
});
