// Data Postgres refuses never stops a sync (issue 10, items 1-4): text it cannot hold is sanitised
// and counted; a page it rejects is split until the bad records stand alone as failed items keyed
// by their record id, with a text naming stream, record, column and reason; the rest lands.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { FAKE_HIGHLEVEL_LOCATION, FAKE_HIGHLEVEL_TOKEN, startFakeHighLevel } from "../fakes/highlevel/mod.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";

const fast = { httpMaxAttempts: 2, httpBaseDelayMs: 5, rateLimitRequests: 0 };

async function runAll(url: string, config: Record<string, Record<string, unknown>>): Promise<JobOutcome[]> {
  const sql = connect(url, 2);
  try {
    return await runUntilIdle({
      sql,
      connectors,
      connectorConfig: (c) => config[c] ?? {},
      workerId: `bad-data-${crypto.randomUUID().slice(0, 8)}`,
    }, { budgetMs: 60_000 });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function progressOf(sql: Sql, jobId: number) {
  const rows = await sql`select phase, status, done::int, inserted::int, failed::int, sanitised::int
    from sync.progress where job_id = ${jobId} order by phase`;
  return Object.fromEntries(rows.map((r) => [r.phase, r]));
}

Deno.test("NUL and lone surrogates in a Square location are sanitised, counted, and the whole sync lands", async () => {
  const fake = startFakeSquare({ seed: 5, locations: 3, orders: 40, customers: 10 });
  await using tdb = await createTestDatabase();
  try {
    const [bad] = fake.state.malform("locations", 1, (r) => {
      r.name = "Smith \ud83d\u0000Caf\u00e9";
      (r.address as Record<string, unknown>).locality = "Lyon\u0000";
      r["note\u0000"] = "\udc00 lone low";
    });
    const job = await db.createJob(tdb.sql, {
      connector: "square",
      streams: ["locations", "orders"],
      mode: "full",
    });
    const out = await runAll(tdb.url, {
      square: { accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, ...fast },
    });
    assert.equal(out.at(-1)?.status, "succeeded", out.at(-1)?.error);
    const [loc] = await tdb.sql`select name, raw from square.locations where id = ${bad}`;
    assert.equal(loc.name, "Smith \ufffdCaf\u00e9");
    assert.equal(loc.raw.address.locality, "Lyon");
    assert.equal(loc.raw.note, "\ufffd lone low");
    const p = await progressOf(tdb.sql, job.id);
    assert.equal(p.locations.sanitised, 1);
    assert.equal(p.locations.inserted, 3);
    assert.equal(p.orders.inserted, 40);
    const [{ stats }] = await tdb.sql`select stats from sync.jobs where id = ${job.id}`;
    assert.equal(stats.sanitised, 1);
    assert.equal((await tdb.sql`select count(*)::int n from sync.failed_items`)[0].n, 0);
  } finally {
    await fake.close();
  }
});

Deno.test("a rejected HighLevel page is split: overflow, check violation and over-long key become failed items, the rest lands", async () => {
  const fake = startFakeHighLevel({ seed: 9, products: 5, contacts: 30, orders: 60, rateLimitMax: 0 });
  await using tdb = await createTestDatabase();
  try {
    const ids = fake.state.keys("orders");
    fake.state.updateOrder(ids[7], { amount: 98_765_432_109_876.55 });
    fake.state.updateOrder(ids[31], { amount: -5 });
    // random text does not compress: too big for the primary key's index entry
    const longId = Array.from({ length: 200 }, () => crypto.randomUUID().replaceAll("-", "")).join("");
    fake.state.addOrder({ _id: longId, amount: 1, items: [] });
    await tdb.sql`alter table highlevel.orders add constraint orders_amount_check check (amount >= 0)`;
    // and a contact whose name holds a lone surrogate and a NUL: sanitised, it lands with the others
    const contact = fake.state.world.contacts[4];
    contact.lastName = "Smith \ud83d\u0000";
    contact.tags = ["vip\u0000"];
    const config = {
      highlevel: {
        accessToken: FAKE_HIGHLEVEL_TOKEN,
        locationId: FAKE_HIGHLEVEL_LOCATION,
        baseUrl: fake.url,
        pageSize: 25,
        ...fast,
      },
    };
    const job = await db.createJob(tdb.sql, {
      connector: "highlevel",
      streams: ["contacts", "orders"],
      mode: "full",
    });
    const out = await runAll(tdb.url, config);
    assert.equal(out.at(-1)?.status, "partial", out.at(-1)?.error);
    const [c] = await tdb.sql`select last_name, tags, raw ->> 'lastName' as raw_last from highlevel.contacts
      where id = ${contact.id as string}`;
    assert.deepEqual([c.last_name, c.tags, c.raw_last], ["Smith \ufffd", ["vip"], "Smith \ufffd"]);
    assert.equal((await tdb.sql`select count(*)::int n from highlevel.contacts`)[0].n, 30);
    const [{ n }] = await tdb.sql`select count(*)::int n from highlevel.orders`;
    assert.equal(n, 58, "every other order landed");
    const items = await tdb.sql`select item_key, error_class, error, payload ->> '_id' as payload_id
      from sync.failed_items order by error`;
    // a key too long to index is kept shortened (its md5 at the end); the payload has it whole
    const longKey = `${longId.slice(0, 400)}…`;
    const keyOf = (k: string) => k.startsWith(longKey) ? longId : k;
    assert.deepEqual(items.map((i) => keyOf(i.item_key)).sort(), [ids[7], ids[31], longId].sort());
    assert.ok(items.every((i) => i.error_class === "merge" && i.payload_id === keyOf(i.item_key)));
    const text = (id: string) => items.find((i) => keyOf(i.item_key) === id)!.error as string;
    assert.match(
      text(ids[7]),
      new RegExp(
        `^orders record "${ids[7]}": column "amount" \\(numeric\\(14,2\\)\\): numeric field overflow .*22003`,
      ),
    );
    assert.match(text(ids[31]), /column "amount": .*check constraint "orders_amount_check".*23514/);
    assert.match(text(longId), /column "id": index row size \d+ exceeds .*"orders_pkey".*54000/);
    const p = await progressOf(tdb.sql, job.id);
    assert.equal(p.orders.failed, 3);
    assert.equal(p.orders.done, 61);
    assert.deepEqual([p.contacts.sanitised, p.contacts.failed], [1, 0]);

    // the next run opens no second failed item for the same orders
    await db.createJob(tdb.sql, { connector: "highlevel", streams: ["orders"], mode: "full" });
    assert.equal((await runAll(tdb.url, config)).at(-1)?.status, "partial");
    const again = await tdb.sql`select item_key, attempts from sync.failed_items where resolved_at is null`;
    assert.equal(again.length, 3);
    assert.ok(again.every((i) => i.attempts === 2));
  } finally {
    await fake.close();
  }
});

Deno.test("a HighLevel order failing validation is keyed by its _id; a retry fetches that id and resolves it", async () => {
  const fake = startFakeHighLevel({ seed: 4, products: 3, contacts: 10, orders: 12, rateLimitMax: 0 });
  await using tdb = await createTestDatabase();
  try {
    const id = fake.state.keys("orders")[5];
    fake.state.updateOrder(id, { amount: "twelve" });
    const config = {
      highlevel: {
        accessToken: FAKE_HIGHLEVEL_TOKEN,
        locationId: FAKE_HIGHLEVEL_LOCATION,
        baseUrl: fake.url,
        ...fast,
      },
    };
    await db.createJob(tdb.sql, { connector: "highlevel", streams: ["orders"], mode: "full" });
    assert.equal((await runAll(tdb.url, config)).at(-1)?.status, "partial");
    const [item] = await tdb.sql`select id, item_key, error from sync.failed_items`;
    assert.equal(item.item_key, id);
    assert.match(
      item.error,
      new RegExp(`^orders record "${id}": does not match the orders schema: field "amount": `),
    );

    // a second run records another attempt on the same item, not a second item
    await db.createJob(tdb.sql, { connector: "highlevel", streams: ["orders"], mode: "full" });
    await runAll(tdb.url, config);
    assert.deepEqual(
      (await tdb.sql`select item_key, attempts from sync.failed_items`).map((r) => [r.item_key, r.attempts]),
      [[id, 2]],
    );

    // fixed at the source: the retry asks HighLevel for that order by its id (a position such as
    // "orders:first#5" would answer 404 and the item would be dismissed as gone, not resolved)
    fake.state.updateOrder(id, { amount: 12 });
    const byId = () => fake.state.requests["GET /payments/orders/:id"] ?? 0;
    const before = byId();
    await db.createJob(tdb.sql, {
      connector: "highlevel",
      streams: ["orders"],
      mode: "retry",
      options: { failedItemIds: [Number(item.id)] },
      trigger: "retry",
    });
    await runAll(tdb.url, config);
    assert.equal(byId() - before, 1);
    const [after] = await tdb.sql`select resolution from sync.failed_items`;
    assert.equal(after.resolution, "resolved");
    assert.equal((await tdb.sql`select amount::float8 a from highlevel.orders where id = ${id}`)[0].a, 12);
  } finally {
    await fake.close();
  }
});

Deno.test("streams a failed job never started are shown as not run, not failed", async () => {
  await using tdb = await createTestDatabase();
  // nothing listens there: the first stream fails, the others never start
  const job = await db.createJob(tdb.sql, {
    connector: "square",
    streams: ["locations", "customers", "orders"],
    mode: "full",
  });
  const out = await runAll(tdb.url, {
    square: {
      accessToken: FAKE_SQUARE_TOKEN,
      baseUrl: "http://127.0.0.1:9",
      httpMaxAttempts: 1,
      circuitFailureThreshold: 1,
      rateLimitRequests: 0,
      // a source that is down is waited for; 0: fail at once
      giveUpAfterMs: 0,
    },
  });
  assert.equal(out.at(-1)?.status, "failed");
  const p = await progressOf(tdb.sql, job.id);
  assert.equal(p.locations.status, "failed");
  assert.equal(p.customers.status, "not_run");
  assert.equal(p.orders.status, "not_run");
  const [{ stats }] = await tdb.sql`select stats from sync.jobs where id = ${job.id}`;
  assert.equal(stats.streams.orders.status, "not_run");
});
