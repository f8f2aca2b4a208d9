// The contacts stream: Search Contacts (POST /contacts/search) sorted by dateUpdated, paged by
// searchAfter (paging.ts), with a dateUpdated range for incremental runs.
import { type Page, pageLimit, type StreamDef } from "../../engine/connector/mod.ts";
import { parseHighLevelConfig } from "./config.ts";
import { decodeContactsCursor, encodeContactsCursor, nextContactsCursor } from "./paging.ts";
import { getOrGone } from "./read.ts";
import { contactRow } from "./rows.ts";
import { contactSchema } from "./schemas.ts";

const HOUR = 3_600_000;
export const CONTACTS_PAGE_MAX = 500;

export const contacts: StreamDef<typeof contactSchema> = {
  name: "contacts",
  target: "highlevel.contacts",
  schema: contactSchema,
  key: (r) => r.id,
  updatedAt: (r) => r.dateUpdated ?? r.dateAdded,
  toRow: contactRow,
  incremental: { lookbackMs: HOUR },
  async fetchPage(ctx, cursor): Promise<Page> {
    const { locationId } = parseHighLevelConfig(ctx.config);
    const at = decodeContactsCursor(cursor);
    const limit = pageLimit(ctx, CONTACTS_PAGE_MAX);
    const range = {
      ...(ctx.since ? { gte: ctx.since.toISOString() } : {}),
      ...(ctx.until ? { lte: ctx.until.toISOString() } : {}),
    };
    const res = await ctx.http.post<
      { contacts?: { searchAfter?: unknown }[]; total?: unknown; count?: unknown }
    >(
      "/contacts/search",
      {
        locationId,
        pageLimit: limit,
        ...(at === null ? {} : "page" in at ? { page: at.page } : { searchAfter: at.searchAfter }),
        ...(ctx.since || ctx.until
          ? { filters: [{ field: "dateUpdated", operator: "range", value: range }] }
          : {}),
        sort: [{ field: "dateUpdated", direction: "asc" }],
      },
      { signal: ctx.signal },
    );
    const records = Array.isArray(res?.contacts) ? res.contacts : [];
    const next = nextContactsCursor(at, limit, records.length, records.at(-1)?.searchAfter);
    const total = typeof res?.total === "number"
      ? res.total
      : typeof res?.count === "number"
      ? res.count
      : undefined;
    return { records, nextCursor: next ? encodeContactsCursor(next) : null, total };
  },
  async fetchOne(ctx, id) {
    // Get Contact documents no not-found body (only "Bad Request"): only 404 means gone
    const res = await getOrGone<{ contact?: unknown }>(ctx, `/contacts/${encodeURIComponent(id)}`, {}, null);
    return res?.contact ?? null;
  },
};
