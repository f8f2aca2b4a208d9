// The HighLevel streams: which endpoint each reads, how it pages and filters, and how a record
// becomes a row. Requests follow HighLevel's published shapes (see tests/fakes/highlevel).
import {
  type FetchContext,
  getOrNull as getRecordOrNull,
  type Page,
  pageLimit,
  type StreamDef,
} from "../../engine/connector.ts";
import { parseHighLevelConfig } from "./config.ts";
import {
  decodeContactsCursor,
  encodeContactsCursor,
  nextContactsCursor,
  nextOffset,
  parseOffset,
} from "./paging.ts";
import * as rows from "./rows.ts";
import * as s from "./schemas.ts";

const HOUR = 3_600_000;
/** Page-size maxima: products and orders 100 (documented examples stop there), search 500. */
export const LIMITS = { products: 100, orders: 100, contacts: 500 } as const;

const limit = pageLimit;
const byId = (id: string) => encodeURIComponent(id);

/** GET that answers null when HighLevel says the record is not there (404, or 400 "not found"). */
const getOrNull = <T>(ctx: FetchContext, path: string, query: Record<string, string>) =>
  getRecordOrNull<T>(ctx, path, { query, notFound: [404, 400] });

/** total may be a number or HighLevel's [{ total }] aggregate. */
function totalOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0]?.total === "number") return v[0].total;
  return undefined;
}

export const products: StreamDef<typeof s.productSchema> = {
  name: "products",
  target: "highlevel.products",
  schema: s.productSchema,
  key: (r) => r._id,
  updatedAt: (r) => r.updatedAt,
  toRow: rows.productRow,
  incremental: "full",
  async fetchPage(ctx, cursor): Promise<Page> {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const offset = parseOffset(cursor);
    const n = limit(ctx, LIMITS.products);
    const res = await ctx.http.get<{ products?: unknown[]; total?: unknown }>("/products/", {
      query: { locationId, limit: n, offset },
      signal: ctx.signal,
    });
    const records = res?.products ?? [];
    const total = totalOf(res?.total);
    const next = nextOffset(offset, records.length, n, total);
    return { records, nextCursor: next === null ? null : String(next), total };
  },
  async fetchOne(ctx, id) {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const res = await getOrNull<Record<string, unknown>>(ctx, `/products/${byId(id)}`, { locationId });
    return (res?.product as unknown) ?? res;
  },
};

async function getOrder(ctx: FetchContext, id: string): Promise<unknown | null> {
  const { locationId } = parseHighLevelConfig(ctx.config);
  const res = await getOrNull<Record<string, unknown>>(ctx, `/payments/orders/${byId(id)}`, {
    altId: locationId,
    altType: "location",
  });
  return (res?.data as unknown) ?? res;
}

export const orders: StreamDef<typeof s.orderSchema> = {
  name: "orders",
  target: "highlevel.orders",
  schema: s.orderSchema,
  key: (r) => r._id,
  updatedAt: (r) => r.updatedAt,
  toRow: rows.orderRow,
  parents: ["products", "contacts"],
  // List Orders filters on creation dates only, so every run reads the whole listing; unchanged
  // orders merge as "unchanged" and cost no writes.
  incremental: "full",
  async fetchPage(ctx, cursor): Promise<Page> {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const offset = parseOffset(cursor);
    const n = limit(ctx, LIMITS.orders);
    const res = await ctx.http.get<{ data?: unknown[]; totalCount?: number }>("/payments/orders", {
      query: { altId: locationId, altType: "location", limit: n, offset },
      signal: ctx.signal,
    });
    const listed = res?.data ?? [];
    // list entries may omit line items: tickets need them, so those orders are read one by one
    const records: unknown[] = [];
    for (const o of listed) {
      const rec = o as { _id?: unknown; items?: unknown };
      if (Array.isArray(rec?.items) || typeof rec?._id !== "string") records.push(o);
      else records.push((await getOrder(ctx, rec._id)) ?? o);
    }
    const next = nextOffset(offset, listed.length, n, res?.totalCount);
    return { records, nextCursor: next === null ? null : String(next), total: res?.totalCount };
  },
  fetchOne: getOrder,
};

export const contacts: StreamDef<typeof s.contactSchema> = {
  name: "contacts",
  target: "highlevel.contacts",
  schema: s.contactSchema,
  key: (r) => r.id,
  updatedAt: (r) => r.dateUpdated,
  toRow: rows.contactRow,
  incremental: { lookbackMs: HOUR },
  async fetchPage(ctx, cursor): Promise<Page> {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const at = decodeContactsCursor(cursor);
    const pageLimit = limit(ctx, LIMITS.contacts);
    const range = {
      ...(ctx.since ? { gte: ctx.since.toISOString() } : {}),
      ...(ctx.until ? { lte: ctx.until.toISOString() } : {}),
    };
    const res = await ctx.http.post<{ contacts?: { searchAfter?: unknown }[]; total?: number }>(
      "/contacts/search",
      {
        locationId,
        pageLimit,
        ...("page" in at ? { page: at.page } : { searchAfter: at.searchAfter }),
        ...(ctx.since || ctx.until
          ? { filters: [{ field: "dateUpdated", operator: "range", value: range }] }
          : {}),
        sort: [{ field: "dateUpdated", direction: "asc" }],
      },
      { signal: ctx.signal },
    );
    const records = res?.contacts ?? [];
    const next = nextContactsCursor(at, pageLimit, records.length, records.at(-1)?.searchAfter);
    return { records, nextCursor: next ? encodeContactsCursor(next) : null, total: res?.total };
  },
  async fetchOne(ctx, id) {
    const res = await getOrNull<{ contact?: unknown }>(ctx, `/contacts/${byId(id)}`, {});
    return res?.contact ?? null;
  },
};

export const highlevelStreams: StreamDef[] = [products, contacts, orders] as StreamDef[];
