// HighLevel paging, pure. Products and orders page by offset. Contact search pages by the
// searchAfter cursor (the sort values of the last contact read) from the first page on: a keyset
// over (dateUpdated, id), so a contact edited during the sync moves behind the cursor and is read
// again instead of shifting the next page (page numbers skip one record per edit). Page numbers
// remain only as the fallback for answers without searchAfter, within HighLevel's 10,000 window.

/** Contact search reads at most this many records through page/pageLimit. */
export const SEARCH_PAGE_WINDOW = 10_000;

export type ContactsCursor = { page: number } | { searchAfter: unknown[] };

export function encodeContactsCursor(c: ContactsCursor): string {
  return "page" in c ? `page:${c.page}` : `after:${JSON.stringify(c.searchAfter)}`;
}

/** null: the first page (no searchAfter yet). */
export function decodeContactsCursor(s: string | null): ContactsCursor | null {
  if (s === null) return null;
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
  at: ContactsCursor | null,
  pageLimit: number,
  count: number,
  lastSearchAfter: unknown,
): ContactsCursor | null {
  if (count < pageLimit) return null;
  if (Array.isArray(lastSearchAfter) && lastSearchAfter.length > 0) return { searchAfter: lastSearchAfter };
  // no cursor in the answer: page numbers, as far as HighLevel serves them
  const page = at === null ? 1 : "page" in at ? at.page : null;
  if (page !== null && (page + 1) * pageLimit <= SEARCH_PAGE_WINDOW) return { page: page + 1 };
  throw new RangeError(
    "HighLevel contact search answered a full page whose last contact has no searchAfter: cannot page on",
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
