// HighLevel paging, pure. Products and orders page by offset; contact search pages by page
// number up to HighLevel's 10,000-record window, then continues with searchAfter (the sort
// values of the last contact read), which has no such limit.

/** Contact search reads at most this many records through page/pageLimit. */
export const SEARCH_PAGE_WINDOW = 10_000;

export type ContactsCursor = { page: number } | { searchAfter: unknown[] };

export function encodeContactsCursor(c: ContactsCursor): string {
  return "page" in c ? `page:${c.page}` : `after:${JSON.stringify(c.searchAfter)}`;
}

export function decodeContactsCursor(s: string | null): ContactsCursor {
  if (s === null) return { page: 1 };
  const page = /^page:(\d{1,9})$/.exec(s);
  if (page && Number(page[1]) >= 1) return { page: Number(page[1]) };
  if (s.startsWith("after:")) {
    try {
      const v = JSON.parse(s.slice(6));
      if (Array.isArray(v) && v.length > 0) return { searchAfter: v };
    } catch { /* falls through */ }
  }
  throw new RangeError(`Invalid HighLevel contacts cursor "${s.slice(0, 60)}"`);
}

/** Where contact search continues after a page of `count` records (null: it was the last). */
export function nextContactsCursor(
  at: ContactsCursor,
  pageLimit: number,
  count: number,
  lastSearchAfter: unknown,
): ContactsCursor | null {
  if (count < pageLimit) return null;
  if ("page" in at && (at.page + 1) * pageLimit <= SEARCH_PAGE_WINDOW) return { page: at.page + 1 };
  if (Array.isArray(lastSearchAfter) && lastSearchAfter.length > 0) return { searchAfter: lastSearchAfter };
  throw new RangeError(
    "HighLevel contact search passed its 10,000-record page window and the last contact has no searchAfter",
  );
}

/** Next offset of an offset-paged listing (null: the page was the last). */
export function nextOffset(offset: number, count: number, limit: number, total?: number): number | null {
  if (count === 0 || count < limit) return null;
  const next = offset + count;
  return total !== undefined && next >= total ? null : next;
}

export function parseOffset(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d{1,9}$/.test(cursor)) {
    throw new RangeError(`Invalid HighLevel offset cursor "${cursor.slice(0, 40)}"`);
  }
  return Number(cursor);
}
