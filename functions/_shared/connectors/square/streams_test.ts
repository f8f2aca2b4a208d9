import assert from "node:assert/strict";
import { HttpClient } from "../../engine/http/mod.ts";
import { ValidationError } from "../../engine/errors.ts";
import type { FetchContext } from "../../engine/connector/mod.ts";
import { SQUARE_VERSION, squareConnector } from "./mod.ts";
import { catalogItems, customers, inventoryCounts, orders, payments, searchOrdersBody } from "./streams.ts";
import { inventoryCountKey, inventoryCountRow, orderRow, paymentRow } from "./rows.ts";
import { catalogItemSchema, orderSchema, paymentSchema } from "./schemas.ts";

interface Seen {
  method: string;
  url: URL;
  body: unknown;
}

function stubContext(answer: (req: Seen) => unknown, over: Partial<FetchContext> = {}) {
  const seen: Seen[] = [];
  const http = new HttpClient({
    source: "square",
    baseUrl: "http://square.test",
    headers: {},
    fetchImpl: (input, init) => {
      const req = {
        method: init?.method ?? "GET",
        url: new URL(String(input)),
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      seen.push(req);
      return Promise.resolve(Response.json(answer(req)));
    },
  });
  const ctx: FetchContext = {
    http,
    config: { accessToken: "tok" },
    since: null,
    until: null,
    pageSize: 1000,
    ...over,
  };
  return { ctx, seen };
}

const since = new Date("2026-05-01T00:00:00.000Z");

Deno.test("headers carry the bearer token and the pinned Square-Version; a missing token is a validation error", () => {
  assert.deepEqual(squareConnector.headers({ accessToken: "abc" }), {
    authorization: "Bearer abc",
    "square-version": SQUARE_VERSION,
  });
  assert.throws(
    () => squareConnector.headers({}),
    (e) => e instanceof ValidationError && /accessToken/.test(e.message),
  );
});

Deno.test("orders search ten locations per call, updated_at window and UPDATED_AT sort, limit capped at 500", async () => {
  const locationIds = Array.from({ length: 12 }, (_, i) => `L${String(i).padStart(2, "0")}`);
  const { ctx, seen } = stubContext(() => ({ orders: [] }), {
    since,
    config: { accessToken: "t", locationIds },
  });
  const first = await orders.fetchPage(ctx, null);
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].url.pathname, "/v2/orders/search");
  assert.deepEqual(seen[0].body, {
    location_ids: locationIds.slice(0, 10),
    limit: 500,
    return_entries: false,
    query: {
      filter: { date_time_filter: { updated_at: { start_at: "2026-05-01T00:00:00.000Z" } } },
      sort: { sort_field: "UPDATED_AT", sort_order: "ASC" },
    },
  });
  assert.ok(first.nextCursor);
  await orders.fetchPage(ctx, first.nextCursor);
  assert.deepEqual((seen[1].body as { location_ids: string[] }).location_ids, ["L10", "L11"]);
});

Deno.test("orders carry Square's cursor back in the identical request", async () => {
  const { ctx, seen } = stubContext(
    (r) => ({ orders: [], cursor: (r.body as { cursor?: string }).cursor ? undefined : "sq1" }),
    {
      config: { accessToken: "t", locationIds: ["A"] },
    },
  );
  const p1 = await orders.fetchPage(ctx, null);
  const p2 = await orders.fetchPage(ctx, p1.nextCursor);
  assert.equal(p2.nextCursor, null);
  const { cursor, ...rest } = seen[1].body as Record<string, unknown>;
  assert.equal(cursor, "sq1");
  assert.deepEqual(rest, seen[0].body);
  assert.equal("filter" in (rest.query as object), false);
});

Deno.test("order ids list by SearchOrders with return_entries over the same location chunks", async () => {
  const locationIds = Array.from({ length: 11 }, (_, i) => `L${String(i).padStart(2, "0")}`);
  const { ctx, seen } = stubContext(
    (r) => {
      const b = r.body as { location_ids: string[]; cursor?: string };
      if (b.location_ids.length === 1) {
        return { order_entries: [{ order_id: "o3", version: 1, location_id: "L10" }] };
      }
      return b.cursor
        ? { order_entries: [{ order_id: "o2", version: 4, location_id: "L01" }, { version: 1 }] }
        : { order_entries: [{ order_id: "o1", version: 2, location_id: "L00" }], cursor: "sq1" };
    },
    { config: { accessToken: "t", locationIds } },
  );
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await orders.listIds!(ctx, cursor);
    ids.push(...page.ids);
    cursor = page.nextCursor;
  } while (cursor !== null);
  assert.deepEqual(ids, ["o1", "o2", "o3"]);
  assert.deepEqual(seen[0].body, {
    location_ids: locationIds.slice(0, 10),
    limit: 500,
    return_entries: true,
    query: { sort: { sort_field: "CREATED_AT", sort_order: "ASC" } },
  });
  assert.equal((seen[1].body as { cursor: string }).cursor, "sq1");
  assert.deepEqual((seen[2].body as { location_ids: string[] }).location_ids, ["L10"]);
});

Deno.test("payments read one location at a time, every creation time, filtered and sorted by updated_at", async () => {
  const { ctx, seen } = stubContext(() => ({ payments: [] }), {
    since,
    config: { accessToken: "t", locationIds: ["A", "B"] },
  });
  const p1 = await payments.fetchPage(ctx, null);
  await payments.fetchPage(ctx, p1.nextCursor);
  const q = Object.fromEntries(seen[0].url.searchParams);
  assert.deepEqual(q, {
    location_id: "A",
    begin_time: "2000-01-01T00:00:00Z",
    updated_at_begin_time: "2026-05-01T00:00:00.000Z",
    sort_field: "UPDATED_AT",
    sort_order: "ASC",
    limit: "100",
  });
  assert.equal(seen[1].url.searchParams.get("location_id"), "B");
});

Deno.test("customers list in full and search by updated_at when incremental", async () => {
  const full = stubContext(() => ({ customers: [{ id: "C1" }], cursor: "n" }));
  const page = await customers.fetchPage(full.ctx, null);
  assert.deepEqual(page, { records: [{ id: "C1" }], nextCursor: "n" });
  assert.equal(full.seen[0].url.pathname, "/v2/customers");
  assert.equal(full.seen[0].url.searchParams.get("limit"), "100");
  const inc = stubContext(() => ({}), { since });
  assert.deepEqual(await customers.fetchPage(inc.ctx, "c"), { records: [], nextCursor: null });
  assert.equal(inc.seen[0].url.pathname, "/v2/customers/search");
  assert.deepEqual(inc.seen[0].body, {
    limit: 100,
    cursor: "c",
    query: {
      filter: { updated_at: { start_at: "2026-05-01T00:00:00.000Z" } },
      sort: { field: "CREATED_AT", order: "ASC" },
    },
  });
});

Deno.test("inventory counts ask for changes after since; fetchOne maps 404 to null", async () => {
  const { ctx, seen } = stubContext(() => ({ counts: [] }), { since });
  await inventoryCounts.fetchPage(ctx, null);
  assert.deepEqual(seen[0].body, { limit: 1000, updated_after: "2026-05-01T00:00:00.000Z" });
  const http = new HttpClient({
    source: "square",
    baseUrl: "http://square.test",
    headers: {},
    fetchImpl: () =>
      Promise.resolve(
        Response.json({ errors: [{ category: "INVALID_REQUEST_ERROR", code: "NOT_FOUND" }] }, {
          status: 404,
        }),
      ),
  });
  assert.equal(await orders.fetchOne!({ ...ctx, http }, "nope"), null);
});

Deno.test("an order maps to typed columns in minor units", () => {
  const money = (amount: number) => ({ amount, currency: "USD" });
  const order = orderSchema.parse({
    id: "O1",
    location_id: "L1",
    customer_id: "C1",
    state: "COMPLETED",
    source: { name: "Point of Sale" },
    version: 3,
    total_money: money(1299),
    total_tax_money: money(99),
    total_discount_money: money(0),
    total_tip_money: money(200),
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-01T10:05:00.123Z",
    closed_at: "2026-01-01T10:01:00Z",
    line_items: [{ uid: "x" }],
  });
  const row = orderRow(order);
  assert.deepEqual({ ...row, raw: undefined }, {
    id: "O1",
    location_id: "L1",
    customer_id: "C1",
    state: "COMPLETED",
    reference_id: null,
    source_name: "Point of Sale",
    version: 3,
    currency: "USD",
    total_amount: 1299,
    total_tax_amount: 99,
    total_discount_amount: 0,
    total_tip_amount: 200,
    total_service_charge_amount: null,
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-01T10:05:00.123Z",
    closed_at: "2026-01-01T10:01:00Z",
    raw: undefined,
  });
  assert.deepEqual((row.raw as { line_items: unknown }).line_items, [{ uid: "x" }]);
});

Deno.test("a payment sums its processing fees; inventory counts key on object, location and state", () => {
  const p = paymentSchema.parse({
    id: "P1",
    status: "COMPLETED",
    amount_money: { amount: 1000, currency: "EUR" },
    processing_fee: [{ amount_money: { amount: 30, currency: "EUR" } }, {
      amount_money: { amount: -5, currency: "EUR" },
    }],
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-01T10:00:00Z",
  });
  const row = paymentRow(p);
  assert.equal(row.processing_fee_amount, 25);
  assert.equal(row.currency, "EUR");
  assert.equal(row.tip_amount, null);
  const count = {
    catalog_object_id: "V1",
    location_id: "L1",
    state: "IN_STOCK",
    quantity: "3.5",
    calculated_at: "2026-01-02T00:00:00Z",
  };
  assert.equal(inventoryCountKey(count), "V1:L1:IN_STOCK");
  assert.equal(inventoryCountRow(count).updated_at, "2026-01-02T00:00:00Z");
});

Deno.test("an item's category is its reporting category, else its first category", () => {
  const base = { id: "I1", type: "ITEM" as const, updated_at: "2026-01-01T00:00:00Z" };
  const r1 = catalogItems.toRow(
    catalogItemSchema.parse({
      ...base,
      item_data: { categories: [{ id: "K2" }], reporting_category: { id: "K1" } },
    }),
  );
  assert.equal(r1.category_id, "K1");
  const r2 = catalogItems.toRow(
    catalogItemSchema.parse({ ...base, item_data: { categories: [{ id: "K2" }] } }),
  );
  assert.equal(r2.category_id, "K2");
  assert.equal(r2.is_deleted, false);
  assert.equal(
    catalogItemSchema.safeParse({ ...base, updated_at: "yesterday", item_data: {} }).success,
    false,
  );
});

Deno.test("a full orders read sorts by CREATED_AT, which an edit cannot move; a window sorts by the field it filters", () => {
  const ctx = (since: Date | null) => ({ since, until: null, pageSize: 100, config: {} }) as never;
  assert.deepEqual(searchOrdersBody(ctx(null), ["L1"], null).query, {
    sort: { sort_field: "CREATED_AT", sort_order: "ASC" },
  });
  const windowed = searchOrdersBody(ctx(since), ["L1"], "c1");
  assert.deepEqual(windowed.query, {
    filter: { date_time_filter: { updated_at: { start_at: since.toISOString(), end_at: undefined } } },
    sort: { sort_field: "UPDATED_AT", sort_order: "ASC" },
  });
  assert.equal(windowed.cursor, "c1");
});
