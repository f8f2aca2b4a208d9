// Fault injection against the fake Square API: transient faults, a total outage, malformed records.
import assert from "node:assert/strict";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { injectOutage, injectTransientFaults } from "../fakes/square/faults.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig, runInProcess, tableFigures } from "./_support.ts";

const ORDERS = 3_000;

Deno.test("20% transient faults: the sync completes with every record, retries are counted", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 11, locations: 3, orders: ORDERS });
  try {
    const faults = injectTransientFaults(fake.state, {
      rate: 0.2,
      seed: 3,
      stallMs: 700,
      retryAfterSeconds: 0.2,
    });
    const job = await db.createJob(tdb.sql, {
      connector: "square",
      streams: ["customers", "orders"],
      mode: "full",
    });
    const out = await runInProcess(
      tdb.url,
      fakeConfig(fake.url, { pageSize: 100, httpTimeoutMs: 500, rateLimitRequests: 200 }),
    );
    assert.equal(out.at(-1)?.status, "succeeded", JSON.stringify(out));
    assert.ok(faults.injected >= 5, `injected ${faults.injected}`);
    assert.ok(Object.keys(faults.byKind).length >= 4, JSON.stringify(faults.byKind));
    const orders = await tableFigures(tdb.sql, "square.orders");
    assert.equal(orders.rows, ORDERS);
    assert.equal(orders.distinct, ORDERS);
    const [row] = await tdb.sql`select stats -> 'http' as http from sync.jobs where id = ${job.id}`;
    const http = row.http as { retries: number; failures: number; requests: number };
    assert.ok(http.retries >= faults.injected - 1, `retries ${http.retries} < injected ${faults.injected}`);
    assert.equal(http.failures, faults.injected);
    assert.equal(http.requests, faults.requests);
  } finally {
    await fake.close();
  }
});

Deno.test("total outage: the circuit opens, the job waits (deferred, not failed) with the cause, requests stay bounded; it resumes by itself", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 12, locations: 2, orders: 2_000 });
  try {
    const config = fakeConfig(fake.url, { circuitFailureThreshold: 4, circuitCooldownMs: 300 });
    // fail after three pages of orders
    let pages = 0;
    fake.state.fault = () => {
      if (++pages === 3) outage = injectOutage(fake.state);
      return undefined;
    };
    let outage: ReturnType<typeof injectOutage> | undefined;
    const first = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const out = await runInProcess(tdb.url, config);
    assert.equal(out.at(-1)?.status, "yielded");
    const job = await db.getJob(tdb.sql, first.id);
    assert.equal(job?.status, "queued");
    assert.match(job?.error ?? "", /^waiting for the source until \S+: .*circuit breaker is open/);
    assert.ok(job?.run_after, "deferred to the circuit's probe time");
    assert.ok(outage && outage.requests <= 4, `sent ${outage?.requests} requests into the outage`);
    const [cb] = await tdb.sql`select state from sync.circuit_breakers where source = 'square/default'`;
    assert.equal(cb.state, "open");
    const landed = (await tableFigures(tdb.sql, "square.orders")).rows;
    assert.ok(landed >= 1_000 && landed < 2_000, `landed ${landed}`);

    // the source is back; after the cool-down the same job continues from its checkpoint
    outage!.end();
    await new Promise((r) => setTimeout(r, 350));
    const before = fake.state.requests["POST /v2/orders/search"] ?? 0;
    const again = await runInProcess(tdb.url, config);
    assert.equal(again.at(-1)?.status, "succeeded", JSON.stringify(again));
    assert.equal(again.at(-1)?.jobId, first.id);
    const pagesAfter = (fake.state.requests["POST /v2/orders/search"] ?? 0) - before;
    // the rest of the listing, then the completeness id walk (4 pages of 500)
    assert.ok(pagesAfter <= 3 + 4, `the second run read ${pagesAfter} pages (expected only the rest)`);
    assert.equal((await tableFigures(tdb.sql, "square.orders")).distinct, 2_000);
    assert.equal((await db.getJob(tdb.sql, first.id))?.error, null);
  } finally {
    await fake.close();
  }
});

Deno.test("malformed records become failed items, the rest lands, the job is partial; a retry job resolves them", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 13, locations: 2, orders: 1_000 });
  try {
    const broken = fake.state.malform("orders", 7);
    const config = fakeConfig(fake.url);
    await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const out = await runInProcess(tdb.url, config);
    assert.equal(out.at(-1)?.status, "partial");
    assert.equal((await tableFigures(tdb.sql, "square.orders")).rows, 1_000 - broken.length);
    const items = await tdb
      .sql`select item_key, error_class from sync.failed_items where resolved_at is null order by item_key`;
    assert.deepEqual(items.map((i) => i.item_key), [...broken].sort());
    assert.ok(items.every((i) => i.error_class === "validation"));

    // still broken: the retry job records them again and stays partial
    await tdb.sql`update sync.failed_items set next_retry_at = now() - interval '1 second'`;
    await db.createJob(tdb.sql, {
      connector: "square",
      streams: ["orders"],
      mode: "retry",
      trigger: "retry",
    });
    assert.equal((await runInProcess(tdb.url, config)).at(-1)?.status, "partial");
    const [{ attempts }] = await tdb.sql`select min(attempts)::int as attempts from sync.failed_items`;
    assert.equal(attempts, 2);

    // fixed at the source: the retry job lands them and resolves the items
    fake.state.heal();
    await tdb.sql`update sync.failed_items set next_retry_at = now() - interval '1 second'`;
    await db.createJob(tdb.sql, {
      connector: "square",
      streams: ["orders"],
      mode: "retry",
      trigger: "retry",
    });
    assert.equal((await runInProcess(tdb.url, config)).at(-1)?.status, "succeeded");
    assert.equal((await tableFigures(tdb.sql, "square.orders")).rows, 1_000);
    const [{ open }] = await tdb
      .sql`select count(*)::int as open from sync.failed_items where resolved_at is null`;
    assert.equal(open, 0);
  } finally {
    await fake.close();
  }
});
