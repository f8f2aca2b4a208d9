// Paging, pure: the five pagination styles (page number, offset, cursor in the answer, next URL
// in the answer, Link header) as "which parameters does this page send" and "where does the next
// page start", and the engine's opaque cursor: the date range of the run, the window being read,
// the parent record being read and the position within that sub-listing.
import { ValidationError } from "../../engine/errors.ts";
import { pick } from "./fields.ts";
import type { Pagination } from "./spec.ts";

/** Position within one sub-listing: a page number, an offset, an API cursor or a next URL. */
export type PagePosition = number | string | null;

export interface ListingCursor {
  /** The run's date range (ISO), fixed at its first page so a resumed job walks the same windows. */
  from: string | null;
  to: string | null;
  /** Start of the window being read (ISO); null without windows. */
  window: string | null;
  /** Key of the parent record being read; null without a parent. */
  parent: string | null;
  page: PagePosition;
}

// "dcl1." + a JSON array: cheap to write and read on every page (a base64 round trip cost more
// than the rest of the page's paging work); the engine stores it as text and never puts it in a URL.
const PREFIX = "dcl1.";

export function encodeCursor(c: ListingCursor): string {
  return PREFIX + JSON.stringify([c.from, c.to, c.window, c.parent, c.page]);
}

export function decodeCursor(s: string): ListingCursor {
  const bad = () => new ValidationError(`Invalid declarative cursor "${s.slice(0, 40)}"`, { cursor: s });
  if (!s.startsWith(PREFIX)) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(s.slice(PREFIX.length));
  } catch {
    throw bad();
  }
  const strOrNull = (x: unknown) => x === null || typeof x === "string";
  if (
    !Array.isArray(v) || v.length !== 5 || !v.slice(0, 4).every(strOrNull) ||
    !(strOrNull(v[4]) || (typeof v[4] === "number" && Number.isInteger(v[4]) && v[4] >= 0))
  ) throw bad();
  return { from: v[0], to: v[1], window: v[2], parent: v[3], page: v[4] };
}

/** The first position of a sub-listing. */
export function firstPosition(p: Pagination): PagePosition {
  if (p.type === "page") return p.firstPage;
  if (p.type === "offset") return 0;
  return null;
}

/** The paging parameters of the page at `at` (the size parameter included). */
export function pageParams(p: Pagination, at: PagePosition, size: number): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (p.type !== "none" && p.sizeParam) out[p.sizeParam] = size;
  if ((p.type === "page" || p.type === "offset") && typeof at === "number") out[p.param] = at;
  if (p.type === "cursor" && typeof at === "string") out[p.param] = at;
  return out;
}

/** Parses a Link header ("<url>; rel=\"next\", ...") into rel -> URL. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rel = /\brel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (rel) { for (const r of rel[1].trim().split(/\s+/)) out[r.toLowerCase()] = m[1]; }
  }
  return out;
}

/** A page number an answer gives (a number or numeric text, as IRIS's meta.last_page); else null. */
function pageNumber(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** Where the sub-listing continues after a page at `at` answered `res` with `count` records; null: it ended. */
export function nextPosition(
  p: Pagination,
  at: PagePosition,
  answer: { body: unknown; count: number; size: number; link: string | null },
): PagePosition {
  const { body, count, size } = answer;
  switch (p.type) {
    case "none":
      return null;
    case "page": {
      const n = typeof at === "number" ? at : p.firstPage;
      // what the answer says about the rest wins over the page's length: an API may serve fewer
      // rows than asked (its own per_page cap) and still have more pages
      if (p.totalPagesPath) {
        const last = pageNumber(pick(body, p.totalPagesPath));
        if (last !== null) return n < last ? n + 1 : null;
      }
      if (p.nextPath) {
        const next = pick(body, p.nextPath);
        if (typeof next === "string" && next !== "") return count === 0 ? null : n + 1;
        if (next === null || next === "") return null;
      }
      if (count === 0) return null;
      return count >= size ? n + 1 : null;
    }
    case "offset": {
      const o = typeof at === "number" ? at : 0;
      if (count === 0) return null;
      if (p.totalPath) {
        const total = Number(pick(body, p.totalPath));
        if (Number.isFinite(total)) return o + count < total ? o + count : null;
      }
      return count >= size ? o + count : null;
    }
    case "cursor":
    case "next_url": {
      const next = pick(body, p.path);
      const s = typeof next === "number" ? String(next) : typeof next === "string" ? next : "";
      if (s === "") return null;
      if (s === at) {
        throw new ValidationError(`The API repeated its cursor "${s.slice(0, 80)}": a paging loop`);
      }
      return s;
    }
    case "link_header": {
      const next = parseLinkHeader(answer.link)[p.rel] ?? "";
      if (next === "") return null;
      if (next === at) {
        throw new ValidationError(`The API's Link header repeated "${next.slice(0, 80)}": a paging loop`);
      }
      return next;
    }
  }
}

/** A next URL the API gave: resolved against the base, and refused off the API's origin (it carries our key). */
export function followUrl(baseUrl: string, next: string): string {
  const base = new URL(baseUrl);
  const url = new URL(next, base.href.endsWith("/") ? base.href : base.href + "/");
  if (url.origin !== base.origin) {
    throw new ValidationError(
      `The API's next page "${next.slice(0, 120)}" is not on ${base.origin}: refused`,
    );
  }
  return url.href;
}
