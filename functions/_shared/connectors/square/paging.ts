// Paging across Square locations. SearchOrders takes at most 10 location ids per call and
// ListPayments one, so a listing is a sequence of location chunks, each paged with Square's
// own cursor. Our opaque cursor carries the location list (fixed for the whole run, so a
// resumed job walks the same chunks), the chunk index and Square's cursor within the chunk.
import { ValidationError } from "../../engine/errors.ts";
import type { FetchContext, Page } from "../../engine/connector/mod.ts";
import { parseSquareConfig } from "./config.ts";

export interface LocationCursor {
  /** Every location id of the run, in order. */
  locations: string[];
  /** Index of the chunk being read. */
  chunk: number;
  /** Square's cursor within the chunk; null: its first page. */
  cursor: string | null;
}

const PREFIX = "sqloc1.";

/** Splits items into consecutive chunks of at most size. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function encodeLocationCursor(c: LocationCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ l: c.locations, i: c.chunk, c: c.cursor }));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return PREFIX + btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeLocationCursor(s: string): LocationCursor {
  const bad = () => new ValidationError(`Invalid Square location cursor "${s.slice(0, 40)}"`, { cursor: s });
  if (!s.startsWith(PREFIX)) throw bad();
  let v: { l?: unknown; i?: unknown; c?: unknown };
  try {
    const b64 = s.slice(PREFIX.length).replaceAll("-", "+").replaceAll("_", "/");
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    v = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw bad();
  }
  const ok = Array.isArray(v.l) && v.l.every((x) => typeof x === "string") &&
    Number.isInteger(v.i) && (v.i as number) >= 0 && (v.c === null || typeof v.c === "string");
  if (!ok) throw bad();
  return { locations: v.l as string[], chunk: v.i as number, cursor: v.c as string | null };
}

/** Where the listing continues after a chunk page that returned squareCursor (null: none). */
export function advanceLocationCursor(
  at: LocationCursor,
  squareCursor: string | null | undefined,
  chunkSize: number,
): LocationCursor | null {
  if (squareCursor) return { ...at, cursor: squareCursor };
  const chunks = Math.ceil(at.locations.length / chunkSize);
  return at.chunk + 1 < chunks ? { ...at, chunk: at.chunk + 1, cursor: null } : null;
}

/** The configured location ids, else every location the token can see (one ListLocations call). */
export async function resolveLocationIds(ctx: FetchContext): Promise<string[]> {
  const config = parseSquareConfig(ctx.config);
  if (config.locationIds) return [...new Set(config.locationIds)];
  const res = await ctx.http.get<{ locations?: { id: string }[] }>("/v2/locations", { signal: ctx.signal });
  return (res?.locations ?? []).map((l) => l.id).sort();
}

/**
 * One page of a listing read location chunk by location chunk: readChunk fetches one page of
 * Square's listing for the chunk's ids starting at Square's cursor.
 */
export async function fetchAcrossLocations(
  ctx: FetchContext,
  cursor: string | null,
  chunkSize: number,
  readChunk: (locationIds: string[], squareCursor: string | null) => Promise<{
    records: unknown[];
    cursor?: string | null;
  }>,
): Promise<Page> {
  const at = cursor === null
    ? { locations: await resolveLocationIds(ctx), chunk: 0, cursor: null }
    : decodeLocationCursor(cursor);
  const ids = chunk(at.locations, chunkSize)[at.chunk];
  if (!ids) return { records: [], nextCursor: null };
  const res = await readChunk(ids, at.cursor);
  const next = advanceLocationCursor(at, res.cursor, chunkSize);
  return { records: res.records, nextCursor: next ? encodeLocationCursor(next) : null };
}
