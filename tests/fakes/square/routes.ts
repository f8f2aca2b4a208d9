// The fake's endpoints, one handler each, following Square's published request and response
// shapes: ListLocations, Customers, SearchCatalogObjects, SearchOrders, ListPayments, inventory.
import type { World } from "./data.ts";
import {
  decodeCursor,
  encodeCursor,
  invalid,
  json,
  notFound,
  parseLimit,
  parseTime,
  requestHash,
  SquareFault,
} from "./http.ts";
import { type Position, scanByOffset, type SortField, type Table } from "./table.ts";

type Body = Record<string, unknown>;
export interface RouteContext {
  world: World;
  now: () => number;
  params: string[];
  query: URLSearchParams;
  body: Body;
}
export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  /** Counter name in state.requests ("POST /v2/orders/search"). */
  name: string;
  handle(ctx: RouteContext): Response;
}

const YEAR = 365 * 86_400_000;
const obj = (v: unknown): Body => (v !== null && typeof v === "object" && !Array.isArray(v) ? v as Body : {});

/** One keyset page of table as Square answers it: records, plus a cursor when more remain. */
function listPage(
  table: Table,
  hash: string,
  rawCursor: unknown,
  opts: { field: SortField; desc?: boolean; min?: number; max?: number; match?: (i: number) => boolean },
  limit: number,
): { records: unknown[]; cursor?: string } {
  const after: Position | null = decodeCursor(rawCursor, hash);
  const { items, last } = table.scan({ ...opts, after, limit });
  return {
    records: items.map((i) => table.record(i)),
    ...(last ? { cursor: encodeCursor({ h: hash, ...last }) } : {}),
  };
}

/** Square omits empty lists and absent cursors. */
function listBody(field: string, page: { records: unknown[]; cursor?: string }, extra: Body = {}) {
  return json({
    ...(page.records.length ? { [field]: page.records } : {}),
    ...extra,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
}

function byId(table: Table, id: string, field: string, what: string): Response {
  const i = table.index(id);
  return i < 0 ? notFound(`${what} not found for id ${id}.`) : json({ [field]: table.record(i) });
}

function timeRange(range: unknown, field: string): { min?: number; max?: number } {
  const r = obj(range);
  return { min: parseTime(r.start_at, `${field}.start_at`), max: parseTime(r.end_at, `${field}.end_at`) };
}

function sortOrder(raw: unknown, fallback: "ASC" | "DESC"): boolean {
  const v = raw ?? fallback;
  if (v !== "ASC" && v !== "DESC") {
    throw new SquareFault(invalid("INVALID_ENUM_VALUE", `Invalid sort order: ${v}`));
  }
  return v === "DESC";
}

function locations(ctx: RouteContext): Response {
  const t = ctx.world.tables.locations;
  const all = [];
  for (let i = 0; i < t.count; i++) all.push(t.record(i));
  return json({ locations: all });
}

function listCustomers(ctx: RouteContext): Response {
  const q = Object.fromEntries(ctx.query);
  const limit = parseLimit(q.limit, 100, 100);
  const desc = sortOrder(q.sort_order, "ASC");
  return listBody(
    "customers",
    listPage(ctx.world.tables.customers, requestHash(q), q.cursor, { field: "created", desc }, limit),
  );
}

function searchCustomers(ctx: RouteContext): Response {
  const b = ctx.body;
  const limit = parseLimit(b.limit, 100, 100);
  const query = obj(b.query);
  const filter = obj(query.filter);
  const sort = obj(query.sort);
  const t = ctx.world.tables.customers;
  const upd = timeRange(filter.updated_at, "query.filter.updated_at");
  const cre = timeRange(filter.created_at, "query.filter.created_at");
  const match = (i: number) =>
    (upd.min === undefined || t.updated[i] >= upd.min) && (upd.max === undefined || t.updated[i] <= upd.max);
  const page = listPage(t, requestHash(b), b.cursor, {
    field: "created",
    desc: sortOrder(sort.order, "ASC"),
    ...cre,
    match,
  }, limit);
  return listBody("customers", page);
}

const CATALOG_TYPES = {
  ITEM: "catalog_items",
  CATEGORY: "catalog_categories",
  ITEM_VARIATION: "catalog_variations",
} as const;

function searchCatalog(ctx: RouteContext): Response {
  const b = ctx.body;
  const types = Array.isArray(b.object_types) ? b.object_types as string[] : Object.keys(CATALOG_TYPES);
  for (const type of types) {
    if (!(type in CATALOG_TYPES)) {
      throw new SquareFault(invalid("INVALID_ENUM_VALUE", `Unsupported object type ${type}`, "object_types"));
    }
  }
  // Square treats a limit outside 1..1000 as absent (the limit is advisory)
  const n = Number(b.limit);
  const limit = Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 100;
  const hash = requestHash(b);
  const at = decodeCursor(b.cursor, hash);
  const begin = parseTime(b.begin_time, "begin_time");
  const out: unknown[] = [];
  for (let t = at?.t ?? 0; t < types.length; t++) {
    const table = ctx.world.tables[CATALOG_TYPES[types[t] as keyof typeof CATALOG_TYPES]];
    const after = at && (at.t ?? 0) === t ? at : null;
    const { items, last } = table.scan({
      field: "updated",
      after,
      min: begin === undefined ? undefined : begin + 1,
      limit: limit - out.length,
    });
    for (const i of items) out.push(table.record(i));
    if (last) return listBody("objects", { records: out, cursor: encodeCursor({ h: hash, t, ...last }) });
    if (out.length === limit && t + 1 < types.length) {
      return listBody("objects", {
        records: out,
        cursor: encodeCursor({ h: hash, t: t + 1, v: Number.MIN_SAFE_INTEGER, i: -1 }),
      });
    }
  }
  return listBody("objects", { records: out }, { latest_time: new Date(ctx.now()).toISOString() });
}

function catalogObject(ctx: RouteContext): Response {
  const id = ctx.params[0];
  for (const name of Object.values(CATALOG_TYPES)) {
    const t = ctx.world.tables[name];
    const i = t.index(id);
    if (i >= 0) return json({ object: t.record(i) });
  }
  return notFound(`Catalog object not found for id ${id}.`);
}

/** Square's closed order states: sorting by CLOSED_AT needs a state filter of these only. */
const CLOSED_STATES = ["COMPLETED", "CANCELED"];

/** A SearchOrders cursor: the request's fingerprint, the offset reached, the range's pinned end. */
interface OrdersCursor {
  h: string;
  o: number;
  e?: number;
}

function decodeOrdersCursor(raw: unknown, hash: string): OrdersCursor | null {
  if (raw === undefined || raw === null || raw === "") return null;
  try {
    const s = String(raw);
    const c = JSON.parse(atob(s + "=".repeat((4 - (s.length % 4)) % 4))) as OrdersCursor;
    if (c.h === hash && Number.isInteger(c.o) && c.o >= 0) return c;
  } catch {
    // fall through
  }
  throw new SquareFault(
    invalid("INVALID_CURSOR", "The cursor is invalid or does not belong to this request.", "cursor"),
  );
}

// SearchOrders as Square documents it: results sorted by one timestamp (sort_field CREATED_AT by
// default, sort_order DESC by default); a date_time_filter must filter on the sort field; CLOSED_AT
// needs a state filter of closed states; a time range without end_at ends at the time of the
// cursor's first request. The cursor is an offset into the live result, not a snapshot: an order
// edited between pages moves in UPDATED_AT order, and the orders after its old place shift by one.
function searchOrders(ctx: RouteContext): Response {
  const b = ctx.body;
  const world = ctx.world;
  if (!Array.isArray(b.location_ids)) {
    throw new SquareFault(
      invalid("MISSING_REQUIRED_PARAMETER", "Missing required parameter: location_ids.", "location_ids"),
    );
  }
  const ids = b.location_ids as string[];
  if (ids.length === 0) {
    throw new SquareFault(invalid("ARRAY_EMPTY", "location_ids must not be empty.", "location_ids"));
  }
  if (ids.length > 10) {
    throw new SquareFault(
      invalid("ARRAY_LENGTH_TOO_LONG", "location_ids must contain at most 10 elements.", "location_ids"),
    );
  }
  const limit = parseLimit(b.limit, 500, 500);
  const query = obj(b.query);
  const filter = obj(query.filter);
  const sort = obj(query.sort);
  const sortField = (sort.sort_field ?? "CREATED_AT") as string;
  if (!["CREATED_AT", "UPDATED_AT", "CLOSED_AT"].includes(sortField)) {
    throw new SquareFault(
      invalid("INVALID_ENUM_VALUE", `Invalid sort_field: ${sortField}.`, "query.sort.sort_field"),
    );
  }
  const states = obj(filter.state_filter).states as string[] | undefined;
  if (sortField === "CLOSED_AT" && (!states?.length || states.some((st) => !CLOSED_STATES.includes(st)))) {
    throw new SquareFault(
      invalid(
        "INVALID_VALUE",
        "Sorting by CLOSED_AT requires a state_filter with closed states (COMPLETED, CANCELED).",
        "query.filter.state_filter",
      ),
    );
  }
  const dtf = obj(filter.date_time_filter);
  const rangeKeys = Object.keys(dtf);
  const sortKey = sortField.toLowerCase();
  if (rangeKeys.length > 1 || (rangeKeys.length === 1 && rangeKeys[0] !== sortKey)) {
    throw new SquareFault(
      invalid(
        "INVALID_VALUE",
        `The sort_field must match the date_time_filter field (${rangeKeys.join(", ")}).`,
        "query.sort.sort_field",
      ),
    );
  }
  if (sortField === "CLOSED_AT") {
    throw new SquareFault(
      invalid("INVALID_VALUE", "The fake does not sort by CLOSED_AT.", "query.sort.sort_field"),
    );
  }
  const field: SortField = sortField === "UPDATED_AT" ? "updated" : "created";
  const hash = requestHash(b);
  const at = decodeOrdersCursor(b.cursor, hash);
  const range = timeRange(dtf[sortKey], `query.filter.date_time_filter.${sortKey}`);
  // a range without an end ends at the time of the cursor's first request
  const pinnedEnd = rangeKeys.length === 1 && range.max === undefined ? at?.e ?? ctx.now() : undefined;
  const t = world.tables.orders;
  const locs = new Set(ids.map((id) => world.tables.locations.index(id)).filter((i) => i >= 0));
  const customers = obj(filter.customer_filter).customer_ids as string[] | undefined;
  const customerSet = customers ? new Set(customers) : null;
  const needRecord = !!states || !!customerSet;
  const match = (i: number) => {
    if (!locs.has(t.loc[i])) return false;
    if (!needRecord) return true;
    const r = t.record(i) as { state: string; customer_id?: string };
    return (!states || states.includes(r.state)) && (!customerSet || customerSet.has(r.customer_id ?? ""));
  };
  const offset = at?.o ?? 0;
  const { items, more } = scanByOffset(t, {
    field,
    desc: sortOrder(sort.sort_order, "DESC"),
    min: range.min,
    max: pinnedEnd ?? range.max,
    match,
    offset,
    limit,
  });
  const cursor = more
    ? btoa(JSON.stringify({ h: hash, o: offset + items.length, ...(pinnedEnd ? { e: pinnedEnd } : {}) }))
      .replaceAll("=", "")
    : undefined;
  const page = { records: items.map((i) => t.record(i)), cursor };
  if (b.return_entries === true) {
    const entries = (page.records as { id: string; version: number; location_id: string }[])
      .map((o) => ({ order_id: o.id, version: o.version, location_id: o.location_id }));
    return listBody("order_entries", { records: entries, cursor: page.cursor });
  }
  return listBody("orders", page);
}

function batchRetrieveOrders(ctx: RouteContext): Response {
  const ids = ctx.body.order_ids;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new SquareFault(invalid("ARRAY_EMPTY", "order_ids must not be empty.", "order_ids"));
  }
  if (ids.length > 100) {
    throw new SquareFault(
      invalid("ARRAY_LENGTH_TOO_LONG", "order_ids must contain at most 100 elements.", "order_ids"),
    );
  }
  const t = ctx.world.tables.orders;
  const found = ids.map((id) => t.index(String(id))).filter((i) => i >= 0).map((i) => t.record(i));
  return json(found.length ? { orders: found } : {});
}

function listPayments(ctx: RouteContext): Response {
  const q = Object.fromEntries(ctx.query);
  const world = ctx.world;
  const limit = parseLimit(q.limit, 100, 100);
  const now = ctx.now();
  const begin = parseTime(q.begin_time, "begin_time") ?? now - YEAR;
  const end = parseTime(q.end_time, "end_time") ?? now;
  const updBegin = parseTime(q.updated_at_begin_time, "updated_at_begin_time");
  const updEnd = parseTime(q.updated_at_end_time, "updated_at_end_time");
  const sortField = q.sort_field ?? "CREATED_AT";
  if (!["CREATED_AT", "UPDATED_AT", "OFFLINE_CREATED_AT"].includes(sortField)) {
    throw new SquareFault(invalid("INVALID_ENUM_VALUE", `Invalid sort_field: ${sortField}`, "sort_field"));
  }
  // without location_id Square reads the seller's main location only
  const loc = q.location_id === undefined ? 0 : world.tables.locations.index(q.location_id);
  const t = world.tables.payments;
  const match = (i: number) =>
    t.loc[i] === loc && t.created[i] >= begin && t.created[i] < end &&
    (updBegin === undefined || t.updated[i] >= updBegin) && (updEnd === undefined || t.updated[i] < updEnd);
  const field: SortField = sortField === "UPDATED_AT" ? "updated" : "created";
  const page = listPage(t, requestHash(q), q.cursor, {
    field,
    desc: sortOrder(q.sort_order, "DESC"),
    ...(field === "updated" ? { min: updBegin } : { min: begin }),
    match,
  }, limit);
  return listBody("payments", page);
}

function inventoryCounts(ctx: RouteContext): Response {
  const b = ctx.body;
  const world = ctx.world;
  const limit = parseLimit(b.limit, 1000, 1000);
  const after = parseTime(b.updated_after, "updated_after");
  const t = world.tables.inventory_counts;
  const locIds = Array.isArray(b.location_ids)
    ? new Set(b.location_ids.map((id) => world.tables.locations.index(String(id))))
    : null;
  const nLoc = world.tables.locations.count;
  const objIds = Array.isArray(b.catalog_object_ids)
    ? new Set(b.catalog_object_ids.map((id) => world.tables.catalog_variations.index(String(id))))
    : null;
  const states = Array.isArray(b.states) ? b.states as string[] : null;
  const match = (i: number) =>
    (!locIds || locIds.has(t.loc[i])) && (!objIds || objIds.has(Math.floor(i / nLoc))) &&
    (!states || states.includes("IN_STOCK"));
  const page = listPage(t, requestHash(b), b.cursor, {
    field: "updated",
    min: after === undefined ? undefined : after + 1,
    match,
  }, limit);
  return listBody("counts", page);
}

const T = "([^/]+)";
export const routes: Route[] = [
  { method: "GET", pattern: /^\/v2\/locations$/, name: "GET /v2/locations", handle: locations },
  {
    method: "GET",
    pattern: new RegExp(`^/v2/locations/${T}$`),
    name: "GET /v2/locations/:id",
    handle: (c) => byId(c.world.tables.locations, c.params[0], "location", "Location"),
  },
  { method: "GET", pattern: /^\/v2\/customers$/, name: "GET /v2/customers", handle: listCustomers },
  {
    method: "POST",
    pattern: /^\/v2\/customers\/search$/,
    name: "POST /v2/customers/search",
    handle: searchCustomers,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v2/customers/${T}$`),
    name: "GET /v2/customers/:id",
    handle: (c) => byId(c.world.tables.customers, c.params[0], "customer", "Customer"),
  },
  {
    method: "POST",
    pattern: /^\/v2\/catalog\/search$/,
    name: "POST /v2/catalog/search",
    handle: searchCatalog,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v2/catalog/object/${T}$`),
    name: "GET /v2/catalog/object/:id",
    handle: catalogObject,
  },
  { method: "POST", pattern: /^\/v2\/orders\/search$/, name: "POST /v2/orders/search", handle: searchOrders },
  {
    method: "POST",
    pattern: /^\/v2\/orders\/batch-retrieve$/,
    name: "POST /v2/orders/batch-retrieve",
    handle: batchRetrieveOrders,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v2/orders/${T}$`),
    name: "GET /v2/orders/:id",
    handle: (c) => byId(c.world.tables.orders, c.params[0], "order", "Order"),
  },
  { method: "GET", pattern: /^\/v2\/payments$/, name: "GET /v2/payments", handle: listPayments },
  {
    method: "GET",
    pattern: new RegExp(`^/v2/payments/${T}$`),
    name: "GET /v2/payments/:id",
    handle: (c) => byId(c.world.tables.payments, c.params[0], "payment", "Payment"),
  },
  {
    method: "POST",
    pattern: /^\/v2\/inventory\/counts\/batch-retrieve$/,
    name: "POST /v2/inventory/counts/batch-retrieve",
    handle: inventoryCounts,
  },
];
