// JSON parsing that keeps numbers exact. JSON.parse rounds 123456789012345678901234567890 to
// 123456789012345680000000000000 and 100000000001624.26 to 100000000001624.27 (a double holds 15-17
// significant digits); here such a literal becomes JSON.rawJSON(source text), which JSON.stringify
// writes back digit for digit (so `raw` jsonb and numeric columns keep it) while every other value
// is what JSON.parse gives. Pages without a number literal of 16+ digits take JSON.parse after one
// regex scan (no measurable runner CPU end to end; docs/benchmarks.md, "HighLevel"); pages with one
// pay the reviver (several times JSON.parse). Per connector (`exactIntegers`, a historical name: it
// keeps decimals too): on for HighLevel and for every declarative connector.

/**
 * A number literal of 16+ digits, a decimal point allowed among them (after `:`, `[` or `,`);
 * inside a string it only costs the slow path.
 */
const LONG_NUMBER = /[:,[]\s*-?(?:\d{16}|(?=[\d.]{17})\d*\.\d)/;
/** Doubles hold every decimal of at most 15 significant digits exactly (DBL_DIG). */
const DOUBLE_DIGITS = 15;

/** The significant digits of a JSON number literal (sign, exponent, point, leading and trailing zeros aside). */
function significantDigits(source: string): number {
  const mantissa = source.replace(/^-/, "").replace(/[eE].*$/, "").replace(".", "");
  return mantissa.replace(/^0+/, "").replace(/0+$/, "").length;
}

type RawJson = { rawJSON: string };
const J = JSON as unknown as {
  rawJSON?: (text: string) => RawJson;
  isRawJSON?: (v: unknown) => boolean;
};

function exact(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    const source = context?.source;
    // only what a number cannot hold: 2^53 itself prints back as its source and stays a number,
    // and so does every decimal of 15 significant digits or fewer (0.1, 2.5e300)
    if (source && String(value) !== source && significantDigits(source) > DOUBLE_DIGITS) {
      return J.rawJSON!(source);
    }
  }
  return value;
}

/** JSON.parse, with numbers a double cannot hold kept exact (as JSON.rawJSON) where the runtime allows. */
export function parseJsonExact(text: string): unknown {
  if (!J.rawJSON || !LONG_NUMBER.test(text)) return JSON.parse(text);
  return JSON.parse(text, exact as (this: unknown, key: string, value: unknown) => unknown);
}

/** Whether a value is an exact number kept by parseJsonExact (JSON.stringify writes its digits). */
export function isExactNumber(v: unknown): boolean {
  return J.isRawJSON?.(v) ?? false;
}
