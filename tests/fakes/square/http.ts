// Square's response conventions for the fake: JSON bodies, the {"errors": [...]} error shape,
// and opaque cursors bound to the request they continue.
import type { Position } from "./table.ts";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function squareError(
  status: number,
  category: string,
  code: string,
  detail: string,
  field?: string,
  headers: Record<string, string> = {},
): Response {
  return json({ errors: [{ category, code, detail, ...(field ? { field } : {}) }] }, status, headers);
}

export const invalid = (code: string, detail: string, field?: string) =>
  squareError(400, "INVALID_REQUEST_ERROR", code, detail, field);

export const notFound = (detail: string) => squareError(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", detail);

/** Thrown by a handler to answer with a Square error. */
export class SquareFault extends Error {
  constructor(readonly response: Response) {
    super("square fault");
  }
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** The fingerprint of a request without its cursor: a cursor only continues an identical request. */
export function requestHash(parts: Record<string, unknown>): string {
  const { cursor: _cursor, ...rest } = parts;
  return fnv(canonical(rest));
}

export interface FakeCursor extends Position {
  /** Request fingerprint. */
  h: string;
  /** Sub-listing (catalog object type) index. */
  t?: number;
}

export function encodeCursor(c: FakeCursor): string {
  return btoa(JSON.stringify(c)).replaceAll("=", "");
}

/** Decodes a cursor for this request; a foreign or damaged cursor is Square's 400. */
export function decodeCursor(raw: unknown, hash: string): FakeCursor | null {
  if (raw === undefined || raw === null || raw === "") return null;
  try {
    const s = String(raw);
    const c = JSON.parse(atob(s + "=".repeat((4 - (s.length % 4)) % 4))) as FakeCursor;
    if (typeof c.v === "number" && Number.isInteger(c.i) && c.h === hash) return c;
  } catch {
    // fall through
  }
  throw new SquareFault(
    invalid("INVALID_CURSOR", "The cursor is invalid or does not belong to this request.", "cursor"),
  );
}

export function parseTime(raw: unknown, field: string): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const t = typeof raw === "string" ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) {
    throw new SquareFault(invalid("INVALID_TIME", `Invalid RFC 3339 timestamp for ${field}: ${raw}`, field));
  }
  return t;
}

/** A page limit between 1 and max; above max is Square's VALUE_TOO_HIGH. */
export function parseLimit(raw: unknown, max: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new SquareFault(invalid("INVALID_VALUE", `Invalid limit: ${raw}`, "limit"));
  if (n > max) {
    throw new SquareFault(
      invalid("VALUE_TOO_HIGH", `The limit must be less than or equal to ${max}.`, "limit"),
    );
  }
  if (n < 1) throw new SquareFault(invalid("VALUE_TOO_LOW", "The limit must be at least 1.", "limit"));
  return n;
}
