// Rows Postgres refused: which errors are a row's own fault (so the page is split and only the bad
// rows become failed items), and how such a row is reported. Pure; the splitting itself is
// sync.merge_rows_isolating (sql/sync_merge_isolation.sql).
import { recordLabel } from "./records.ts";

/** One row merge_rows_isolating could not merge, as it reports it. */
export interface RowRejection {
  /** 1-based position in the rows sent. */
  row: number;
  sqlstate: string;
  message: string;
  detail?: string;
  /** The column (or the columns of the constraint or index) the row breaks, when known. */
  column?: string;
  /** That column's type, e.g. numeric(14,2), when one column alone breaks. */
  type?: string;
  constraint?: string;
}

/**
 * True for a data error of the rows themselves: SQLSTATE class 22 (data exception: overflow,
 * bad syntax, value too long), class 23 (integrity: check, not-null, unique, foreign key), 54000
 * (a key too long for its index) and merge_rows' own SY422 (a row it cannot merge). A page that
 * raises one is split until the bad rows stand alone; any other error fails the page as before.
 */
export function isRowDataError(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown } | null;
  if (!e || typeof e.code !== "string" || typeof e.severity !== "string") return false;
  return /^2[23]/.test(e.code) || e.code === "54000" || e.code === "SY422";
}

/**
 * The failed item text of a rejected row: stream, record id, column and reason, e.g.
 * `orders record "ord_88": column "amount" (numeric(14,2)): numeric field overflow (A field with
 * precision 14, scale 2 must round to an absolute value less than 10^12.) [SQLSTATE 22003]`.
 */
export function describeRejection(stream: string, key: string, r: RowRejection): string {
  const where = r.column
    ? `${r.column.includes(", ") ? "columns" : "column"} ${
      r.column.split(", ").map((c) => JSON.stringify(c)).join(", ")
    }${r.type ? ` (${r.type})` : ""}`
    : r.constraint
    ? `constraint ${JSON.stringify(r.constraint)}`
    : "the row";
  const detail = r.detail ? ` (${r.detail})` : "";
  return `${recordLabel(stream, key)}: ${where}: ${r.message}${detail} [SQLSTATE ${r.sqlstate}]`;
}
