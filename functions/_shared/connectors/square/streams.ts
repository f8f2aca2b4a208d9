// The Square streams: which endpoint each reads, how it pages and filters, and how a record
// becomes a row. Requests follow Square's published shapes (see tests/fakes/square).
import {
  type FetchContext,
  getOrNull,
  type Page,
  pageLimit,
  type StreamDef,
} from "../../engine/connector/mod.ts";
import { parseSquareConfig, PAYMENTS_BEGIN_TIME } from "./config.ts";
import { catalogCategories, locations } from "./described.ts";
import { decodeLocationCursor, encodeLocationCursor, fetchAcrossLocations } from "./paging.ts";
import * as rows from "./rows.ts";
import * as s from "./schemas.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Square's page-size maxima per endpoint. */
export const LIMITS = { customers: 100, catalog: 1000, orders: 500, payments: 100, inventory: 1000 } as const;
/** SearchOrders accepts at most this many location ids per call. */
export const ORDERS_LOCATIONS_PER_CALL = 10;

const limit = pageLimit;
const iso = (d: Date | null) => (d ? d.toISOString() : undefined);

const byId = (id: string) => encodeURIComponent(id);

export const customers: StreamDef<typeof s.customerSchema> = {
  name: "customers",
  target: "square.customers",
  schema: s.customerSchema,
  key: (r) => r.id,
  updatedAt: (r) => r.updated_at,
  toRow: rows.customerRow,
  incremental: { lookbackMs: HOUR },
  async fetchPage(ctx, cursor): Promise<Page> {
    type Res = { customers?: unknown[]; cursor?: string };
    let res: Res | null;
    if (ctx.since || ctx.until) {
      // SearchCustomers filters on updated_at; it sorts by DEFAULT (name) or CREATED_AT only
      res = await ctx.http.post<Res>("/v2/customers/search", {
        limit: limit(ctx, LIMITS.customers),
        ...(cursor ? { cursor } : {}),
        query: {
          filter: { updated_at: { start_at: iso(ctx.since), end_at: iso(ctx.until) } },
          sort: { field: "CREATED_AT", order: "ASC" },
        },
      }, { signal: ctx.signal });
    } else {
      res = await ctx.http.get<Res>("/v2/customers", {
        query: { limit: limit(ctx, LIMITS.customers), cursor, sort_field: "CREATED_AT", sort_order: "ASC" },
        signal: ctx.signal,
      });
    }
    return { records: res?.customers ?? [], nextCursor: res?.cursor || null };
  },
  async fetchOne(ctx, id) {
    return (await getOrNull<{ customer?: unknown }>(ctx, `/v2/customers/${byId(id)}`))?.customer ?? null;
  },
};

/** A full catalog stream of one object type (SearchCatalogObjects, deleted objects included). */
function catalogStream<S extends StreamDef["schema"]>(
  def: Pick<StreamDef<S>, "name" | "target" | "schema" | "toRow" | "parents">,
  objectType: string,
): StreamDef<S> {
  return {
    ...def,
    key: (r) => (r as { id: string }).id,
    updatedAt: (r) => (r as { updated_at: string }).updated_at,
    incremental: "full",
    async fetchPage(ctx, cursor): Promise<Page> {
      const res = await ctx.http.post<{ objects?: unknown[]; cursor?: string }>("/v2/catalog/search", {
        object_types: [objectType],
        include_deleted_objects: true,
        limit: limit(ctx, LIMITS.catalog),
        ...(cursor ? { cursor } : {}),
      }, { signal: ctx.signal });
      return { records: res?.objects ?? [], nextCursor: res?.cursor || null };
    },
    async fetchOne(ctx, id) {
      const res = await getOrNull<{ object?: { type?: string } }>(ctx, `/v2/catalog/object/${byId(id)}`);
      return res?.object?.type === objectType ? res.object : null;
    },
  };
}

export const catalogItems = catalogStream({
  name: "catalog_items",
  target: "square.catalog_items",
  schema: s.catalogItemSchema,
  toRow: rows.catalogItemRow,
  parents: ["catalog_categories"],
}, "ITEM");

export const catalogVariations = catalogStream({
  name: "catalog_variations",
  target: "square.catalog_variations",
  schema: s.catalogVariationSchema,
  toRow: rows.catalogVariationRow,
  parents: ["catalog_items"],
}, "ITEM_VARIATION");

/**
 * SearchOrders body for one chunk of locations. A window (incremental, historical, a shard) filters
 * updated_at and so must sort by UPDATED_AT (Square: the sort field must match the date_time_filter's
 * field). A full read sorts by CREATED_AT, which an edit cannot change: Square's cursor is no
 * snapshot, and in UPDATED_AT order an order edited mid-read moves to the end and the orders after
 * its old place shift past the cursor (issue 26). What changed meanwhile comes in the engine's
 * catch-up after the read.
 */
export function searchOrdersBody(ctx: FetchContext, locationIds: string[], cursor: string | null) {
  const windowed = Boolean(ctx.since || ctx.until);
  // a full read's shards window creation time (ctx.windowOn), sorted by it as Square requires
  const byCreated = !windowed || ctx.windowOn === "created";
  const range = { start_at: iso(ctx.since), end_at: iso(ctx.until) };
  const window = windowed
    ? { date_time_filter: byCreated ? { created_at: range } : { updated_at: range } }
    : undefined;
  return {
    location_ids: locationIds,
    limit: limit(ctx, LIMITS.orders),
    return_entries: false,
    ...(cursor ? { cursor } : {}),
    query: {
      ...(window ? { filter: window } : {}),
      sort: { sort_field: byCreated ? "CREATED_AT" : "UPDATED_AT", sort_order: "ASC" },
    },
  };
}

export const orders: StreamDef<typeof s.orderSchema> = {
  name: "orders",
  target: "square.orders",
  schema: s.orderSchema,
  key: (r) => r.id,
  updatedAt: (r) => r.updated_at,
  createdAt: (r) => r.created_at,
  toRow: rows.orderRow,
  parents: ["locations", "customers"],
  incremental: { lookbackMs: 7 * DAY },
  // SearchOrders filters created_at or updated_at by an inclusive time range and sorts by it:
  // time-window shards (a full read's by creation time), each starting at the first chunk of the
  // location list the planner's probe resolved
  shardable: true,
  shardStartCursor(probeNextCursor) {
    return encodeLocationCursor({ ...decodeLocationCursor(probeNextCursor), chunk: 0, cursor: null });
  },
  fetchPage(ctx, cursor) {
    return fetchAcrossLocations(ctx, cursor, ORDERS_LOCATIONS_PER_CALL, async (ids, sq) => {
      const res = await ctx.http.post<{ orders?: unknown[]; cursor?: string }>(
        "/v2/orders/search",
        searchOrdersBody(ctx, ids, sq),
        { signal: ctx.signal },
      );
      return { records: res?.orders ?? [], cursor: res?.cursor };
    });
  },
  async fetchOne(ctx, id) {
    return (await getOrNull<{ order?: unknown }>(ctx, `/v2/orders/${byId(id)}`))?.order ?? null;
  },
  // SearchOrders with return_entries answers OrderEntry objects ({order_id, version, location_id}):
  // the same walk over the same locations, a few dozen bytes per order instead of whole orders
  async listIds(ctx, cursor) {
    const page = await fetchAcrossLocations(ctx, cursor, ORDERS_LOCATIONS_PER_CALL, async (ids, sq) => {
      const res = await ctx.http.post<{ order_entries?: { order_id?: unknown }[]; cursor?: string }>(
        "/v2/orders/search",
        { ...searchOrdersBody(ctx, ids, sq), return_entries: true },
        { signal: ctx.signal },
      );
      return { records: res?.order_entries ?? [], cursor: res?.cursor };
    });
    const ids = (page.records as { order_id?: unknown }[])
      .map((e) => e?.order_id)
      .filter((id): id is string => typeof id === "string" && id !== "");
    return { ids, nextCursor: page.nextCursor };
  },
};

/** ListPayments query for one location: every creation time, sorted and filtered by updated_at. */
export function listPaymentsQuery(ctx: FetchContext, locationId: string, cursor: string | null) {
  return {
    location_id: locationId,
    begin_time: parseSquareConfig(ctx.config).paymentsBeginTime ?? PAYMENTS_BEGIN_TIME,
    updated_at_begin_time: iso(ctx.since),
    updated_at_end_time: iso(ctx.until),
    sort_field: "UPDATED_AT",
    sort_order: "ASC",
    limit: limit(ctx, LIMITS.payments),
    cursor,
  };
}

export const payments: StreamDef<typeof s.paymentSchema> = {
  name: "payments",
  target: "square.payments",
  schema: s.paymentSchema,
  key: (r) => r.id,
  updatedAt: (r) => r.updated_at,
  toRow: rows.paymentRow,
  parents: ["locations", "customers", "orders"],
  incremental: { lookbackMs: DAY },
  fetchPage(ctx, cursor) {
    // ListPayments without location_id reads only the main location: walk them one by one
    return fetchAcrossLocations(ctx, cursor, 1, async ([locationId], sq) => {
      const res = await ctx.http.get<{ payments?: unknown[]; cursor?: string }>("/v2/payments", {
        query: listPaymentsQuery(ctx, locationId, sq),
        signal: ctx.signal,
      });
      return { records: res?.payments ?? [], cursor: res?.cursor };
    });
  },
  async fetchOne(ctx, id) {
    return (await getOrNull<{ payment?: unknown }>(ctx, `/v2/payments/${byId(id)}`))?.payment ?? null;
  },
};

export const inventoryCounts: StreamDef<typeof s.inventoryCountSchema> = {
  name: "inventory_counts",
  target: "square.inventory_counts",
  schema: s.inventoryCountSchema,
  key: rows.inventoryCountKey,
  updatedAt: (r) => r.calculated_at,
  toRow: rows.inventoryCountRow,
  parents: ["locations", "catalog_variations"],
  incremental: { lookbackMs: DAY },
  async fetchPage(ctx, cursor): Promise<Page> {
    const locationIds = parseSquareConfig(ctx.config).locationIds;
    const res = await ctx.http.post<{ counts?: unknown[]; cursor?: string }>(
      "/v2/inventory/counts/batch-retrieve",
      {
        limit: limit(ctx, LIMITS.inventory),
        ...(locationIds ? { location_ids: locationIds } : {}),
        ...(ctx.since ? { updated_after: ctx.since.toISOString() } : {}),
        ...(cursor ? { cursor } : {}),
      },
      { signal: ctx.signal },
    );
    return { records: res?.counts ?? [], nextCursor: res?.cursor || null };
  },
};

export const squareStreams: StreamDef[] = [
  locations,
  customers,
  catalogCategories,
  catalogItems,
  catalogVariations,
  orders,
  payments,
  inventoryCounts,
] as StreamDef[];
