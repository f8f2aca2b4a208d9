// JSON text with exact big integers: BigInt values are written as bare integer literals (what
// an API whose ids or amounts exceed 2^53 sends), everything else as JSON.stringify does.
const MARK = "\u0000bigint:";

export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${MARK}${v}` : v))
    .replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}
