// The orders stream. List Orders (GET /payments/orders, newest first, offset paging) has no
// line items and no updated-since filter, so the whole listing is read every run; an order is
// re-read by id (Get Order by ID, which has the items tickets need) only when its list entry is
// new or newer than the stored copy (FetchContext.storedVersions, incremental runs), else every
// order is re-read (full and forced runs). Unchanged orders are neither read nor merged.
import { type FetchContext, type Page, pageLimit, type StreamDef } from "../../engine/connector/mod.ts";
import { parseHighLevelConfig } from "./config.ts";
import { parseOffset } from "./paging.ts";
import { getOffsetPage, getOrGone, mapLimit } from "./read.ts";
import { orderRow } from "./rows.ts";
import { orderSchema } from "./schemas.ts";

export const ORDERS_PAGE_MAX = 100;
const DEFAULT_READ_CONCURRENCY = 4;

type Entry = { _id?: unknown; updatedAt?: unknown; items?: unknown };

/** Query of both order routes: altId (documented), altType only when configured (older APIs). */
export function orderQuery(config: Record<string, unknown>): Record<string, string> {
  const c = parseHighLevelConfig(config);
  return { altId: c.locationId, ...(c.orderAltType ? { altType: c.orderAltType } : {}) };
}

export async function getOrder(ctx: FetchContext, id: string): Promise<unknown | null> {
  const res = await getOrGone<Record<string, unknown>>(
    ctx,
    `/payments/orders/${encodeURIComponent(id)}`,
    orderQuery(ctx.config),
    "Order",
  );
  // the documented answer is the order itself; some answers wrap it in { data }
  return res && typeof res.data === "object" && res.data !== null && !("_id" in res) ? res.data : res;
}

/**
 * Which list entries need a read by id: those not stored, or listed newer than stored (by
 * instant). Entries without an id or a parsable updatedAt are read (their answer decides).
 */
export function entriesToRead(entries: Entry[], stored: Map<string, string> | null): Entry[] {
  if (!stored) return entries;
  return entries.filter((e) => {
    if (typeof e._id !== "string") return true;
    const have = stored.get(e._id);
    const listed = typeof e.updatedAt === "string" ? Date.parse(e.updatedAt) : NaN;
    return have === undefined || Number.isNaN(listed) || listed > Date.parse(have);
  });
}

export const orders: StreamDef<typeof orderSchema> = {
  name: "orders",
  target: "highlevel.orders",
  schema: orderSchema,
  key: (r) => r._id,
  updatedAt: (r) => r.updatedAt,
  toRow: orderRow,
  parents: ["products", "prices", "contacts"],
  incremental: "full",
  async fetchPage(ctx, cursor): Promise<Page> {
    const page = await getOffsetPage(ctx, "/payments/orders", orderQuery(ctx.config), {
      offset: parseOffset(cursor),
      limit: pageLimit(ctx, ORDERS_PAGE_MAX),
      field: "data",
      totalField: "totalCount",
    });
    const listed = page.records as Entry[];
    const ids = listed.map((e) => e?._id).filter((id): id is string => typeof id === "string");
    const stored = ctx.storedVersions ? await ctx.storedVersions(ids) : null;
    const wanted = entriesToRead(listed, stored);
    const concurrency = parseHighLevelConfig(ctx.config).orderReadConcurrency ?? DEFAULT_READ_CONCURRENCY;
    const read = await mapLimit(wanted, concurrency, async (e) => {
      // an entry that already carries its line items is a whole order; one without an id is
      // kept as it is and fails validation with the reason
      if (Array.isArray(e?.items) || typeof e?._id !== "string") return e;
      return await getOrder(ctx, e._id); // null: deleted since it was listed
    });
    return {
      records: read.filter((r) => r !== null),
      nextCursor: page.next === null ? null : String(page.next),
      // when unchanged orders are skipped, the listing's count is not what this run reads
      total: stored ? undefined : page.total,
    };
  },
  fetchOne: getOrder,
};
