// JSON parsing that keeps integers beyond 2^53 exact. JSON.parse rounds 123456789012345678901234567890
// to 123456789012345680000000000000; here such a literal becomes JSON.rawJSON(source text), which
// JSON.stringify writes back digit for digit (so `raw` jsonb keeps it) while every other value is
// what JSON.parse gives. Pages without a 16-digit number literal take JSON.parse after one regex
// scan (no measurable runner CPU end to end; docs/benchmarks.md, "HighLevel"); pages with one pay
// the reviver (several times JSON.parse). Per connector (`exactIntegers`): on for HighLevel.

/** A number literal of 16+ digits (after `:`, `[` or `,`); inside a string it only costs the slow path. */
const LONG_NUMBER = /[:,[]\s*-?\d{16}/;
const INTEGER = /^-?\d+$/;

type RawJson = { rawJSON: string };
const J = JSON as unknown as {
  rawJSON?: (text: string) => RawJson;
  isRawJSON?: (v: unknown) => boolean;
};

function exact(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    const source = context?.source;
    // only what a number cannot hold: 2^53 itself prints back as its source and stays a number
    if (source && INTEGER.test(source) && String(value) !== source) return J.rawJSON!(source);
  }
  return value;
}

/** JSON.parse, with integers beyond 2^53 kept exact (as JSON.rawJSON) where the runtime allows. */
export function parseJsonExact(text: string): unknown {
  if (!J.rawJSON || !LONG_NUMBER.test(text)) return JSON.parse(text);
  return JSON.parse(text, exact as (this: unknown, key: string, value: unknown) => unknown);
}

/** Whether a value is an exact big integer kept by parseJsonExact (JSON.stringify writes its digits). */
export function isExactNumber(v: unknown): boolean {
  return J.isRawJSON?.(v) ?? false;
}
