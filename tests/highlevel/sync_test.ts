// HighLevel syncs end to end against the fake in the documented shapes: orders with the
// Get-Order fields mapped, tickets from HighLevel's product state, the order routes without
// altType, incremental runs that re-read only changed orders, contacts edited while paging.
import assert from "node:assert/strict";
import { createWorld, type Rec } from "../fakes/highlevel/data.ts";
import { startFakeHighLevel } from "../fakes/highlevel/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { fakeConfig, runSync } from "./_run.ts";

const ALL = ["products", "prices", "contacts", "orders"];

/** Live tickets each order should have: units of items whose product is available in store. */
function expectedTickets(world: ReturnType<typeof createWorld>): Map<string, number> {
  const byName = new Map(world.products.map((p) => [p.name, p]));
  const out = new Map<string, number>();
  for (const o of world.orders) {
    if (["refunded", "cancelled"].includes(o.status as string)) continue;
    let n = 0;
    for (const it of o.items as Rec[]) {
      const product = byName.get((it.product as Rec).name)!;
      if (product.availableInStore) n += (it.qty as number | undefined) ?? 1;
    }
    if (n > 0) out.set(o._id as string, n);
  }
  return out;
}

Deno.test("a full sync maps the documented order fields and issues tickets for products on sale", async () => {
  const fake = startFakeHighLevel({ seed: 5, products: 8, contacts: 30, orders: 60, rateLimitMax: 0 });
  try {
    await using t = await createTestDatabase();
    const { outcome } = await runSync(t.url, fakeConfig(fake.url), { streams: ALL });
    assert.equal(outcome.status, "succeeded", outcome.error);
    const [o] = await t
      .sql`select count(*)::int n, count(contact_name)::int names, count(contact_email)::int emails,
      count(subtotal)::int subtotals, count(source_type)::int types, count(source_name)::int source_names,
      count(payment_status)::int pay from highlevel.orders`;
    assert.deepEqual(o, {
      n: 60,
      names: 60,
      emails: 60,
      subtotals: 60,
      types: 60,
      source_names: 60,
      pay: 60,
    });
    const want = expectedTickets(fake.state.world);
    const got = await t
      .sql`select order_id, count(*)::int n from highlevel.tickets where status = 'live' group by 1`;
    assert.deepEqual(new Map(got.map((r) => [r.order_id, r.n])), want);
    const [{ off }] = await t
      .sql`select count(*)::int off from highlevel.ticket_products where not issues_tickets`;
    assert.equal(off, 2, "products 3 and 7 are off sale and issue nothing");
    const [{ prices }] = await t.sql`select count(*)::int prices from highlevel.prices`;
    assert.equal(prices, 8);
  } finally {
    await fake.close();
  }
});

Deno.test("order routes send altId without altType; an older API gets altType when configured", async () => {
  const fake = startFakeHighLevel({ seed: 2, products: 3, contacts: 3, orders: 5, rateLimitMax: 0 });
  const legacy = startFakeHighLevel({
    seed: 2,
    products: 3,
    contacts: 3,
    orders: 5,
    rateLimitMax: 0,
    legacyAltType: true,
  });
  try {
    await using t = await createTestDatabase();
    const run = await runSync(t.url, fakeConfig(fake.url), { streams: ["orders"] });
    assert.equal(run.outcome.status, "succeeded", run.outcome.error);
    const orderCalls = fake.state.log.filter((r) => r.path.startsWith("/payments/orders"));
    assert.ok(orderCalls.length >= 6);
    assert.ok(orderCalls.every((r) => r.query.altId === "fakeLocation0001" && !("altType" in r.query)));
    await using t2 = await createTestDatabase();
    const old = await runSync(t2.url, fakeConfig(legacy.url, { orderAltType: "location" }), {
      streams: ["orders"],
    });
    assert.equal(old.outcome.status, "succeeded", old.outcome.error);
  } finally {
    await fake.close();
    await legacy.close();
  }
});

Deno.test("an incremental run re-reads by id only the orders whose list entry is new or changed", async () => {
  const fake = startFakeHighLevel({ seed: 7, products: 5, contacts: 10, orders: 250, rateLimitMax: 0 });
  try {
    await using t = await createTestDatabase();
    const full = await runSync(t.url, fakeConfig(fake.url), { streams: ["orders"] });
    assert.equal(full.outcome.status, "succeeded", full.outcome.error);
    const touched = fake.state.touch("orders", 3);
    const added = fake.state.addOrder({ _id: "ffff00000000000000000001", items: [] });
    const before = { ...fake.state.requests };
    const inc = await runSync(t.url, fakeConfig(fake.url), { streams: ["orders"], mode: "incremental" });
    assert.equal(inc.outcome.status, "succeeded", inc.outcome.error);
    const reads = fake.state.requests["GET /payments/orders/:id"] - before["GET /payments/orders/:id"];
    const lists = fake.state.requests["GET /payments/orders"] - before["GET /payments/orders"];
    assert.equal(reads, 4, "3 changed + 1 new order read by id, none of the 247 unchanged");
    assert.equal(lists, 3, "the listing is still read whole (251 orders, 100 a page)");
    const p = inc.progress.find((r) => r.phase === "orders")!;
    assert.deepEqual([Number(p.done), Number(p.inserted), Number(p.updated)], [4, 1, 3]);
    const rows = await t.sql`select id, source_name from highlevel.orders where id = any(${[
      ...touched,
      added._id as string,
    ]})`;
    assert.equal(rows.length, 4);
    assert.ok(
      rows.filter((r) => r.id !== "ffff00000000000000000001").every((r) =>
        String(r.source_name).startsWith("Touched")
      ),
    );
    // a forced run reads every order again (the repair path)
    const again = { ...fake.state.requests };
    await runSync(t.url, fakeConfig(fake.url), {
      streams: ["orders"],
      mode: "incremental",
      options: { force: true },
    });
    assert.equal(fake.state.requests["GET /payments/orders/:id"] - again["GET /payments/orders/:id"], 251);
  } finally {
    await fake.close();
  }
});

Deno.test("contacts edited while a full sync pages through them are all synced", async () => {
  const fake = startFakeHighLevel({ seed: 9, products: 1, contacts: 240, orders: 0, rateLimitMax: 0 });
  // after every page served, a contact of that page (already read) is edited: it moves to the end
  // of the dateUpdated order, which shifts every later page by one
  fake.state.afterSearch = (page) => {
    if (page.length) fake.state.touch("contacts", [page[0].id as string]);
  };
  try {
    await using t = await createTestDatabase();
    const { outcome } = await runSync(t.url, fakeConfig(fake.url, { pageSize: 40 }), {
      streams: ["contacts"],
    });
    assert.equal(outcome.status, "succeeded", outcome.error);
    fake.state.afterSearch = undefined;
    const rows = await t.sql`select id from highlevel.contacts`;
    const missing = fake.state.keys("contacts").filter((k) => !rows.some((r) => r.id === k));
    assert.deepEqual(missing, [], "no contact skipped");
    // the full read's first page and its catch-up's (the contacts updated since it began) start a
    // listing; every other page continues by searchAfter
    assert.equal(
      fake.state.log.filter((r) => r.path === "/contacts/search")
        .filter((r) => !Array.isArray((r.body as Rec).searchAfter)).length,
      2,
      "pages after the first continue by searchAfter",
    );
  } finally {
    await fake.close();
  }
});

Deno.test("a single-order read: 400 Bad Request is a failed item, only 'Order not found' means gone", async () => {
  const fake = startFakeHighLevel({ seed: 4, products: 2, contacts: 2, orders: 3, rateLimitMax: 0 });
  const id = fake.state.keys("orders")[0];
  fake.state.intercept = (_req, url) =>
    url.pathname === `/payments/orders/${id}`
      ? new Response(JSON.stringify({ statusCode: 400, message: "Bad Request" }), { status: 400 })
      : null;
  try {
    await using t = await createTestDatabase();
    const run = await runSync(t.url, fakeConfig(fake.url), {
      streams: ["orders"],
      mode: "single",
      options: { records: { orders: [id, "no-such-order"] } },
    });
    assert.equal(run.outcome.status, "partial");
    const failed = await t.sql`select item_key, error from sync.failed_items`;
    assert.deepEqual(failed.map((f) => f.item_key), [id]);
    assert.match(failed[0].error, /400/);
    assert.match(String(run.progress[0].message), /1 of 2 records no longer exist/);
  } finally {
    await fake.close();
  }
});

Deno.test("integers beyond 2^53 stay exact in raw (HighLevel default); with exactIntegers off they round", async () => {
  const fake = startFakeHighLevel({ seed: 3, products: 2, contacts: 2, orders: 10, rateLimitMax: 0 });
  try {
    const big = await (async () => {
      await using t = await createTestDatabase();
      const run = await runSync(t.url, fakeConfig(fake.url, { exactIntegers: "true" }), {
        streams: ["orders"],
      });
      assert.equal(run.outcome.status, "succeeded", run.outcome.error);
      return await t.sql`select raw -> 'meta' ->> 'externalRef' as ref from highlevel.orders
        where id = ${fake.state.world.orders[0]._id as string}`;
    })();
    assert.equal(big[0].ref, "123456789012345678901234567890");
    await using t2 = await createTestDatabase();
    await runSync(t2.url, fakeConfig(fake.url, { exactIntegers: "false" }), { streams: ["orders"] });
    const [rounded] = await t2.sql`select raw -> 'meta' ->> 'externalRef' as ref from highlevel.orders
      where id = ${fake.state.world.orders[0]._id as string}`;
    assert.equal(rounded.ref, "123456789012345680000000000000");
  } finally {
    await fake.close();
  }
});

Deno.test("429s without Retry-After are waited out by the X-RateLimit interval and the sync completes", async () => {
  // the fake allows 15 requests per 300 ms window; the client-side limiter is off, so it overruns
  const fake = startFakeHighLevel({
    seed: 8,
    products: 2,
    contacts: 2,
    orders: 40,
    rateLimitMax: 15,
    rateLimitIntervalMs: 300,
  });
  try {
    await using t = await createTestDatabase();
    const run = await runSync(t.url, fakeConfig(fake.url, { pageSize: 10 }), { streams: ["orders"] });
    assert.equal(run.outcome.status, "succeeded", run.outcome.error);
    const refused = fake.state.requests.total - fake.state.log.length;
    assert.ok(refused > 0, "the fake answered 429");
    const [{ n }] = await t.sql`select count(*)::int n from highlevel.orders`;
    assert.equal(n, 40);
    const [http] = await t.sql`select sum(retries)::int retries from sync.job_http_stats`;
    assert.equal(http.retries, refused, "each 429 retried once, after the interval");
  } finally {
    await fake.close();
  }
});
