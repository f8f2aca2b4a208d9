// Text Postgres cannot hold, made storable by one documented rule (docs/reliability.md "Bad data"):
// U+0000 is removed (text and jsonb refuse it) and a lone UTF-16 surrogate is replaced by U+FFFD
// (UTF-8 cannot encode it; jsonb refuses the escape). Applied to every string of a source record
// - object keys included - before it is validated, so typed columns, `raw`, record ids and
// failed-item payloads all see the same text; the webhook inbox applies it to the stored body.
// Pure: no I/O, and a value with nothing to change is returned as it is (no copy).

/** A NUL or any surrogate; the slow path then tells paired surrogates from lone ones. */
// deno-lint-ignore no-control-regex -- U+0000 is exactly what this looks for
const SUSPECT = /[\u0000\ud800-\udfff]/;
// deno-lint-ignore no-control-regex -- likewise
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with U+0000 removed and lone surrogates replaced by U+FFFD (the same string if clean). */
export function sanitiseText(s: string): string {
  if (!SUSPECT.test(s)) return s;
  return s.replace(BAD, (m) => (m === "\u0000" ? "" : "\ufffd"));
}

export interface Sanitised<T> {
  value: T;
  /** Whether any string (or key) of the value was changed. */
  changed: boolean;
}

/**
 * Sanitises every string and object key of a JSON-like value (deeply). Returns the value itself
 * when nothing needed changing, else a copy with the changed parts replaced.
 */
export function sanitiseValue<T>(value: T): Sanitised<T> {
  const out = walk(value);
  return out === value ? { value, changed: false } : { value: out as T, changed: true };
}

function walk(v: unknown): unknown {
  if (typeof v === "string") return sanitiseText(v);
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const w = walk(v[i]);
      if (w !== v[i]) {
        copy ??= v.slice();
        copy[i] = w;
      }
    }
    return copy ?? v;
  }
  // an exact big integer (JSON.rawJSON, engine/json.ts) holds digits only: keep it as it is
  if ((JSON as { isRawJSON?: (x: unknown) => boolean }).isRawJSON?.(v)) return v;
  if (!isPlainObject(v)) return v; // Date and the like serialise to clean text
  const obj = v as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const k in obj) {
    const before = obj[k];
    const key = sanitiseText(k);
    const after = walk(before);
    if (copy) {
      // a key that collides with another once cleaned keeps the later value, as JSON.parse would
      copy[key] = after;
    } else if (key !== k || after !== before) {
      copy = {};
      for (const j in obj) {
        if (j === k) break;
        copy[j] = obj[j];
      }
      copy[key] = after;
    }
  }
  return copy ?? v;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Sanitises each record of a page; `count` is how many records had something changed. */
export function sanitiseRecords(records: unknown[]): { records: unknown[]; count: number } {
  let count = 0;
  let out: unknown[] | null = null;
  for (let i = 0; i < records.length; i++) {
    const w = walk(records[i]);
    if (w !== records[i]) {
      count++;
      out ??= records.slice();
      out[i] = w;
    }
  }
  return { records: out ?? records, count };
}

/**
 * Whether JSON text made by JSON.stringify may hold text to sanitise: it writes U+0000 and lone
 * surrogates as the escapes \u0000 and \udXXX (a paired surrogate stays raw), so clean text never
 * matches. A literal backslash before "u0000" may match too (a false alarm, never a miss).
 */
export function mayNeedSanitising(json: string): boolean {
  return SUSPECT_ESCAPE.test(json);
}

const SUSPECT_ESCAPE = /\\u0000|\\ud[89a-f]/;
