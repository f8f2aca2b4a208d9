// Products (List Products, offset paging) and their prices (List Prices for a Product, one
// listing per product). Prices link order line items that name only a price to their product.
import type { Page, StreamDef } from "../../engine/connector.ts";
import { type FetchContext, pageLimit } from "../../engine/connector.ts";
import { parseHighLevelConfig } from "./config.ts";
import { nextOffset, parseOffset } from "./paging.ts";
import { getOrGone } from "./read.ts";
import { priceRow, productRow } from "./rows.ts";
import { priceSchema, productSchema } from "./schemas.ts";

export const PRODUCTS_PAGE_MAX = 100;
const PRICES_PAGE_MAX = 100;
/** A product with more prices than this is a broken listing, not a reason to loop forever. */
const PRICES_PER_PRODUCT_MAX = 10_000;

/** total may be a number or HighLevel's documented [{ total }] aggregate. */
export function totalOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0]?.total === "number") return v[0].total;
  return undefined;
}

async function listProducts(ctx: FetchContext, cursor: string | null) {
  const { locationId } = parseHighLevelConfig(ctx.config);
  const offset = parseOffset(cursor);
  const n = pageLimit(ctx, PRODUCTS_PAGE_MAX);
  const res = await ctx.http.get<{ products?: unknown[]; total?: unknown }>("/products/", {
    query: { locationId, limit: n, offset },
    signal: ctx.signal,
  });
  const records = Array.isArray(res?.products) ? res.products : [];
  const total = totalOf(res?.total);
  const next = nextOffset(offset, records.length, n, total);
  return { records, nextCursor: next === null ? null : String(next), total };
}

export const products: StreamDef<typeof productSchema> = {
  name: "products",
  target: "highlevel.products",
  schema: productSchema,
  key: (r) => r._id,
  updatedAt: (r) => r.updatedAt,
  toRow: productRow,
  incremental: "full",
  fetchPage: listProducts,
  async fetchOne(ctx, id) {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const res = await getOrGone<Record<string, unknown>>(
      ctx,
      `/products/${encodeURIComponent(id)}`,
      { locationId },
      "Product",
    );
    return res && typeof res.product === "object" && !("_id" in res) ? res.product : res;
  },
};

/** Every price of one product; a price without its documented `product` field gets this one. */
async function listPrices(ctx: FetchContext, productId: string): Promise<unknown[]> {
  const { locationId } = parseHighLevelConfig(ctx.config);
  const out: unknown[] = [];
  for (let offset = 0; offset < PRICES_PER_PRODUCT_MAX;) {
    const res = await ctx.http.get<{ prices?: unknown[]; total?: unknown }>(
      `/products/${encodeURIComponent(productId)}/price`,
      { query: { locationId, limit: PRICES_PAGE_MAX, offset }, signal: ctx.signal },
    );
    const prices = Array.isArray(res?.prices) ? res.prices : [];
    for (const p of prices) {
      out.push(p && typeof p === "object" && !("product" in p) ? { ...p, product: productId } : p);
    }
    const next = nextOffset(offset, prices.length, PRICES_PAGE_MAX, totalOf(res?.total));
    if (next === null) break;
    offset = next;
  }
  return out;
}

export const prices: StreamDef<typeof priceSchema> = {
  name: "prices",
  target: "highlevel.prices",
  schema: priceSchema,
  key: (r) => r._id,
  updatedAt: (r) => r.updatedAt,
  toRow: priceRow,
  parents: ["products"],
  incremental: "full",
  async fetchPage(ctx, cursor): Promise<Page> {
    const page = await listProducts(ctx, cursor);
    const records: unknown[] = [];
    for (const p of page.records) {
      const id = (p as { _id?: unknown })?._id;
      if (typeof id === "string" && id !== "") records.push(...await listPrices(ctx, id));
    }
    return { records, nextCursor: page.nextCursor };
  },
};
