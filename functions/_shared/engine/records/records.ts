// Pure record handling: make text storable (sanitise.ts), validate API records against a
// stream's schema, map them to rows, and set aside the ones that fail (they become failed items;
// the rest of the page lands).
import type { StreamDef } from "../connector/mod.ts";
import { type CopyColumn, copyNeedsSanitising, type CopyPage, copyPage } from "./copy_rows.ts";
import { mayNeedSanitising, sanitiseRecords, sanitiseValue } from "./sanitise.ts";

export interface FailedRecord {
  key: string;
  payload: unknown;
  errorClass: "validation" | "transform";
  error: string;
}

export interface PreparedPage {
  rows: Record<string, unknown>[];
  /**
   * The rows as the JSON array merge_rows reads (serialised once, after sanitising); empty when
   * `copy` carries them.
   */
  json: string;
  /** The rows as COPY text for the COPY merge path, when asked for and the page allows it. */
  copy: CopyPage | null;
  /** The record key (stream.key) of each row. */
  keys: string[];
  failures: FailedRecord[];
  /** Greatest source updated_at seen in the page (ISO), null when none. */
  maxUpdatedAt: string | null;
  /** Records whose text was sanitised (U+0000 removed, lone surrogates replaced). */
  sanitised: number;
}

const ID_FIELDS = ["id", "_id", "Id", "ID", "uuid"];

/**
 * The id of a record that could not be validated or mapped: the stream's own key when it can be
 * read from the raw record, else a common id field, else its place in the page (`where#index`).
 */
export function recordKey(
  stream: Pick<StreamDef, "key">,
  record: unknown,
  index: number,
  where: string,
): string {
  const usable = (v: unknown) =>
    (typeof v === "string" && v !== "") || (typeof v === "number" && Number.isFinite(v));
  try {
    const k = stream.key(record as never);
    if (usable(k)) return String(k);
  } catch {
    // the raw record lacks what the key needs: try the usual id fields
  }
  if (record !== null && typeof record === "object") {
    for (const f of ID_FIELDS) {
      const v = (record as Record<string, unknown>)[f];
      if (usable(v)) return String(v);
    }
  }
  return `${where}#${index}`;
}

/** `orders record "ord_1"`: how error texts name a record (a very long id by its first 80 characters). */
export function recordLabel(stream: string, key: string): string {
  return `${stream} record ${JSON.stringify(key.length > 100 ? `${key.slice(0, 80)}…` : key)}`;
}

/**
 * Validates and maps a page. Text Postgres cannot hold is sanitised first (sanitise.ts); as that
 * is rare, the page is prepared as it came and only prepared again from sanitised records when
 * its serialised rows show a NUL or a lone surrogate. Given the target's columns, a uniform page
 * is serialised as COPY text (copy_rows.ts) instead of JSON.
 */
export function prepareRecords(
  stream: StreamDef,
  records: unknown[],
  where = "page",
  copyColumns?: ReadonlyMap<string, CopyColumn> | null,
): PreparedPage {
  const page = prepare(stream, records, where, 0, copyColumns);
  if (!(page.copy ? copyNeedsSanitising(page.copy.text) : mayNeedSanitising(page.json))) return page;
  const clean = sanitiseRecords(records);
  return clean.count === 0 ? page : prepare(stream, clean.records, where, clean.count, copyColumns);
}

function prepare(
  stream: StreamDef,
  records: unknown[],
  where: string,
  sanitised: number,
  copyColumns?: ReadonlyMap<string, CopyColumn> | null,
): PreparedPage {
  const rows: Record<string, unknown>[] = [];
  const keys: string[] = [];
  const failures: FailedRecord[] = [];
  let max: number | null = null;
  const fail = (record: unknown, i: number, errorClass: FailedRecord["errorClass"], reason: string) => {
    // a failed record's payload and key reach Postgres too: they get the same text rule
    const key = recordKey(stream, record, i, where);
    failures.push({
      key: sanitiseValue(key).value,
      payload: sanitiseValue(record).value,
      errorClass,
      error: `${recordLabel(stream.name, key)}: ${reason}`,
    });
  };
  records.forEach((record, i) => {
    const parsed = stream.schema.safeParse(record);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((iss) =>
        iss.path.length ? `field "${iss.path.join(".")}": ${iss.message}` : `record: ${iss.message}`
      );
      const more = parsed.error.issues.length > 3 ? ` (+${parsed.error.issues.length - 3} more)` : "";
      fail(record, i, "validation", `does not match the ${stream.name} schema: ${issues.join("; ")}${more}`);
      return;
    }
    try {
      // everything that may throw before anything is kept: a record is a row or a failure, not both
      const row = stream.toRow(parsed.data);
      const key = stream.key(parsed.data);
      const updated = stream.updatedAt?.(parsed.data);
      rows.push(row);
      keys.push(key);
      const t = updated ? Date.parse(updated) : NaN;
      if (!Number.isNaN(t) && (max === null || t > max)) max = t;
    } catch (err) {
      fail(record, i, "transform", `could not be mapped to ${stream.target}: ${(err as Error).message}`);
    }
  });
  const copy = copyColumns ? copyPage(rows, copyColumns) : null;
  return {
    rows,
    json: copy ? "" : JSON.stringify(rows),
    copy,
    keys,
    failures,
    maxUpdatedAt: max === null ? null : new Date(max).toISOString(),
    sanitised,
  };
}

/** Lower bound for an incremental read, or null to read the whole listing. */
export function incrementalSince(
  stream: Pick<StreamDef, "incremental">,
  job: { mode: string; options: { since?: string; force?: boolean; lookback_hours?: number } },
  highWaterMark: string | null,
  now: number,
): Date | null {
  if (job.options.since) return new Date(job.options.since);
  if (job.mode === "full" || job.options.force || stream.incremental === "full") return null;
  if (!highWaterMark) return null; // never synced: read everything once
  // a schedule's look-back (options.lookback_hours) replaces the stream's default window
  const lookbackMs = job.options.lookback_hours !== undefined
    ? Number(job.options.lookback_hours) * 3_600_000
    : stream.incremental.lookbackMs;
  const windowStart = now - lookbackMs;
  return new Date(Math.min(Date.parse(highWaterMark), windowStart));
}
