// Pure record handling: validate API records against a stream's schema, map them to rows,
// and set aside the ones that fail (they become failed items; the rest of the page lands).
import type { StreamDef } from "./connector.ts";

export interface FailedRecord {
  key: string;
  payload: unknown;
  errorClass: "validation" | "transform";
  error: string;
}

export interface PreparedPage {
  rows: Record<string, unknown>[];
  /** The record key (stream.key) of each row. */
  keys: string[];
  failures: FailedRecord[];
  /** Greatest source updated_at seen in the page (ISO), null when none. */
  maxUpdatedAt: string | null;
}

function fallbackKey(record: unknown, index: number, where: string): string {
  const id = (record as { id?: unknown })?.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : `${where}#${index}`;
}

export function prepareRecords(stream: StreamDef, records: unknown[], where = "page"): PreparedPage {
  const rows: Record<string, unknown>[] = [];
  const keys: string[] = [];
  const failures: FailedRecord[] = [];
  let max: number | null = null;
  records.forEach((record, i) => {
    const parsed = stream.schema.safeParse(record);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((iss) =>
        `${iss.path.join(".") || "(record)"}: ${iss.message}`
      );
      failures.push({
        key: fallbackKey(record, i, where),
        payload: record,
        errorClass: "validation",
        error: `Record does not match the ${stream.name} schema: ${issues.join("; ")}`,
      });
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
      failures.push({
        key: fallbackKey(record, i, where),
        payload: record,
        errorClass: "transform",
        error: `Record could not be mapped to ${stream.target}: ${(err as Error).message}`,
      });
    }
  });
  return { rows, keys, failures, maxUpdatedAt: max === null ? null : new Date(max).toISOString() };
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
