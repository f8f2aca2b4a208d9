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

/** Parses ISO strings and epoch seconds/milliseconds (numbers or digit strings). */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== "string" || value.trim() === "") return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return parseTimestamp(Number(value));
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
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
      message: `Webhook ${field} "${String(value).slice(0, 40)}" is not a date`,
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
