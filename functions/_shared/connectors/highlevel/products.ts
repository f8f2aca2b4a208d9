// Products (List Products, offset paging) and their prices (List Prices for a Product, one
// listing per product). Prices link order line items that name only a price to their product.
import { type FetchContext, type Page, pageLimit, type StreamDef } from "../../engine/connector/mod.ts";
import { parseHighLevelConfig } from "./config.ts";
import { parseOffset } from "./paging.ts";
import { getOffsetPage, getOrGone } from "./read.ts";
import { priceRow, productRow } from "./rows.ts";
import { priceSchema, productSchema } from "./schemas.ts";

export const PRODUCTS_PAGE_MAX = 100;
const PRICES_PAGE_MAX = 100;
/** A product with more prices than this is a broken listing, not a reason to loop forever. */
const PRICES_PER_PRODUCT_MAX = 10_000;

async function listProducts(ctx: FetchContext, cursor: string | null): Promise<Page> {
  const { locationId } = parseHighLevelConfig(ctx.config);
  const page = await getOffsetPage(ctx, "/products/", { locationId }, {
    offset: parseOffset(cursor),
    limit: pageLimit(ctx, PRODUCTS_PAGE_MAX),
    field: "products",
    totalField: "total",
  });
  return {
    records: page.records,
    nextCursor: page.next === null ? null : String(page.next),
    total: page.total,
  };
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
  for (let offset: number | null = 0; offset !== null && offset < PRICES_PER_PRODUCT_MAX;) {
    const page = await getOffsetPage(
      ctx,
      `/products/${encodeURIComponent(productId)}/price`,
      { locationId },
      {
        offset,
        limit: PRICES_PAGE_MAX,
        field: "prices",
        totalField: "total",
      },
    );
    for (const p of page.records) {
      out.push(p && typeof p === "object" && !("product" in p) ? { ...p, product: productId } : p);
    }
    offset = page.next;
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
