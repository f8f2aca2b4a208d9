// Single-record reads and their "gone" answers. HighLevel documents a not-found order as
// 400 "Order not found" and a not-found product as 400 "Product not found"; any other 400 is a
// bad request (a malformed id or query), never a deletion. Only 404 or such a body means gone.
import type { FetchContext } from "../../engine/connector/mod.ts";
import { HttpError } from "../../engine/errors.ts";
import type { RequestOptions } from "../../engine/http/mod.ts";
import { nextOffset } from "./paging.ts";

type RequestQuery = NonNullable<RequestOptions["query"]>;

/** The JSON body of an HTTP error, as the client quotes it in the message (first 300 chars). */
export function errorBody(err: HttpError): { statusCode?: unknown; message?: unknown } | null {
  const m = /answered \d{3}: ([\s\S]*)$/.exec(err.message);
  if (!m) return null;
  try {
    const v = JSON.parse(m[1]);
    return v && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/**
 * Whether an error says the record is gone: 404, or a 400 whose documented body message names
 * `what` as not found (e.g. "Order not found"). `what` null: only 404.
 */
export function isGone(err: unknown, what: string | null): boolean {
  if (!(err instanceof HttpError)) return false;
  if (err.httpStatus === 404) return true;
  if (err.httpStatus !== 400 || what === null) return false;
  const message = errorBody(err)?.message;
  const texts = Array.isArray(message) ? message : [message];
  const wanted = `${what} not found`.toLowerCase();
  return texts.some((t) => typeof t === "string" && t.trim().toLowerCase() === wanted);
}

/** GET that answers null when the record is gone (see isGone). */
export async function getOrGone<T>(
  ctx: FetchContext,
  path: string,
  query: RequestQuery,
  what: string | null,
): Promise<T | null> {
  try {
    return await ctx.http.get<T>(path, { query, signal: ctx.signal });
  } catch (err) {
    if (isGone(err, what)) return null;
    throw err;
  }
}

/** Runs `fn` over `items`, at most `limit` at once, keeping their order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** total may be a number or HighLevel's documented [{ total }] aggregate. */
export function totalOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (Array.isArray(v) && typeof v[0]?.total === "number") return v[0].total;
  return undefined;
}

/**
 * One page of an offset-paged listing (List Products, List Prices, List Orders): the records under
 * `field`, the listing's total (under `totalField`) and the next offset (null: the last page).
 */
export async function getOffsetPage(
  ctx: FetchContext,
  path: string,
  query: RequestQuery,
  at: { offset: number; limit: number; field: string; totalField: string },
): Promise<{ records: unknown[]; next: number | null; total?: number }> {
  const res = await ctx.http.get<Record<string, unknown> | null>(path, {
    query: { ...query, limit: at.limit, offset: at.offset },
    signal: ctx.signal,
  });
  const list = res?.[at.field];
  const records = Array.isArray(list) ? list : [];
  const total = totalOf(res?.[at.totalField]);
  return { records, next: nextOffset(at.offset, records.length, at.limit, total), total };
}
