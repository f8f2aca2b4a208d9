// A page's rows as COPY text (PostgreSQL's text format): the payload of the COPY merge path
// (sql/sync_merge_copy.sql). Pure. Each value is written as the JSON path would have handed it to
// Postgres, so both paths store the same thing: json/jsonb columns get the value's JSON, the others
// the value's text; null (and what JSON writes as null) is \N. A page this cannot write identically
// (rows with different columns, an object for a non-JSON column, a number JSON would spell
// differently) gets null, and takes the JSON path.
import { isExactNumber } from "../json.ts";

/** A target column as sync.copy_columns reports it: its name and type (format_type). */
export interface CopyColumn {
  name: string;
  type: string;
}

export interface CopyPage {
  /** The columns of every row, in COPY order. */
  columns: string[];
  /** One line per row, tab-separated, each line ending in a newline. */
  text: string;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text value in COPY text format: backslash, tab, newline and CR escaped (NUL never reaches here). */
export function escapeCopy(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : s;
}

const NOT_COPYABLE = Symbol("not copyable");

function jsonField(v: unknown): string | typeof NOT_COPYABLE {
  const j = JSON.stringify(v);
  if (j === undefined) return NOT_COPYABLE; // JSON drops the key: the JSON path would not write the column
  // JSON's null reaches a jsonb column as SQL null on the JSON path
  return j === "null" ? "\\N" : escapeCopy(j);
}

function textField(v: unknown): string | typeof NOT_COPYABLE {
  switch (typeof v) {
    case "string":
      return escapeCopy(v);
    case "number": {
      if (!Number.isFinite(v)) return "\\N"; // JSON writes NaN and Infinity as null
      const s = String(v);
      // 1e+21, 1e-7: Postgres would read JSON's number and print it in full
      return s.includes("e") ? NOT_COPYABLE : s;
    }
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return String(v);
    case "object":
      if (isExactNumber(v)) return JSON.stringify(v);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? "\\N" : v.toISOString();
      return NOT_COPYABLE; // an object or array for a non-JSON column: jsonb's own spelling
    default:
      return NOT_COPYABLE; // functions, symbols: JSON drops the key
  }
}

/**
 * The page as COPY text for columns of the target (name → column), or null when the page is not
 * uniform (every row exactly the first row's keys) or holds a value this cannot write as the JSON
 * path would. Unknown columns are left to Postgres (sync.copy_stage names them).
 */
export function copyPage(
  rows: readonly Record<string, unknown>[],
  target: ReadonlyMap<string, CopyColumn>,
): CopyPage | null {
  if (rows.length === 0) return null;
  const columns = Object.keys(rows[0]);
  const types = columns.map((c) => target.get(c)?.type);
  // a json (not jsonb) column keeps JSON's spelling, which the JSON path normalises: not copied
  if (types.includes("json")) return null;
  const json = types.map((t) => t === "jsonb");
  const n = columns.length;
  const lines: string[] = new Array(rows.length);
  const fields: string[] = new Array(n);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const keys = Object.keys(row);
    if (keys.length !== n) return null;
    for (let i = 0; i < n; i++) {
      const c = columns[i];
      // toRow builds every row alike: same keys in the same order; else check the set
      if (keys[i] !== c && !Object.hasOwn(row, c)) return null;
      const v = row[c];
      if (v === undefined) return null; // JSON drops the key: the JSON path would not write the column
      const f = v === null ? "\\N" : json[i] ? jsonField(v) : textField(v);
      if (f === NOT_COPYABLE) return null;
      fields[i] = f;
    }
    lines[r] = fields.join("\t");
  }
  return { columns, text: lines.join("\n") + "\n" };
}

// a NUL, or inside a JSON value (its backslash doubled by COPY) the escape of a NUL or of a surrogate
const SUSPECT = /\0|\\\\u(?:0000|d[89a-f])/;

/**
 * Whether COPY text may hold what sanitise.ts removes: a NUL or a lone surrogate, in text or in
 * JSON (text that merely spells such an escape gives a false alarm: sanitising then changes nothing).
 */
export function copyNeedsSanitising(text: string): boolean {
  return SUSPECT.test(text) || !text.isWellFormed();
}
