// Replay window: a delivery whose own timestamp is too old, or too far in the future (clock
// skew), is refused. Pure: the caller passes the clock's reading.

export interface TimestampWindow {
  /** Oldest accepted age, ms (default 5 minutes). */
  maxAgeMs: number;
  /** Furthest accepted lead of the sender's clock, ms (default 1 minute). */
  maxSkewMs: number;
}

export const defaultTimestampWindow: TimestampWindow = { maxAgeMs: 5 * 60_000, maxSkewMs: 60_000 };

export type TimestampCheck =
  | { ok: true; at: number }
  | { ok: false; reason: "missing" | "invalid" | "stale" | "future"; message: string };

/** The furthest instant a Date can hold, either side of 1970 (ECMA-262: 8.64e15 ms). */
const MAX_INSTANT_MS = 8.64e15;

/** ms since 1970 when it is an instant a Date can hold, else null (so toISOString never throws). */
const instant = (ms: number): number | null =>
  Number.isFinite(ms) && Math.abs(ms) <= MAX_INSTANT_MS ? ms : null;

/**
 * Parses ISO strings and epoch seconds/milliseconds (numbers or digit strings); null for anything
 * that is no instant a Date can hold (1e17, -1e17, twenty digits).
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === "number") return instant(Math.abs(value) < 1e11 ? value * 1000 : value);
  if (typeof value !== "string" || value.trim() === "") return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return parseTimestamp(Number(value));
  return instant(Date.parse(value));
}

export function checkTimestamp(
  value: unknown,
  now: number,
  window: TimestampWindow = defaultTimestampWindow,
  field = "timestamp",
): TimestampCheck {
  if (value === undefined || value === null || value === "") {
    return { ok: false, reason: "missing", message: `Webhook has no ${field}` };
  }
  const at = parseTimestamp(value);
  if (at === null) {
    return {
      ok: false,
      reason: "invalid",
      message: `Webhook ${field} "${String(value).slice(0, 40)}" is not a date (ISO 8601 or epoch seconds)`,
    };
  }
  if (now - at > window.maxAgeMs) {
    return {
      ok: false,
      reason: "stale",
      message: `Webhook ${field} ${new Date(at).toISOString()} is older than ${
        window.maxAgeMs / 1000
      } s: refused as a possible replay`,
    };
  }
  if (at - now > window.maxSkewMs) {
    return {
      ok: false,
      reason: "future",
      message: `Webhook ${field} ${new Date(at).toISOString()} is more than ${
        window.maxSkewMs / 1000
      } s in the future`,
    };
  }
  return { ok: true, at };
}
