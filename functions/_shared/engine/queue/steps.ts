// The step log of single-record syncs (sql/sync_steps.sql): one step per record handled, each
// broadcast live as "sync_ticket_progress" (docs/realtime.md).
import type postgres from "postgres";
import type { MergeCounts, Sql } from "../types.ts";
import { fromDatabaseError } from "../errors.ts";
import { errorText } from "../../error_text.ts";

export interface JobStep {
  jobId: number;
  stream: string;
  itemKey: string;
  step: string;
  status: string;
  detail?: Record<string, unknown>;
}

/** What one merged record became: the merge counts of a one-record page, or "failed". */
export function recordOutcome(counts: Partial<MergeCounts> | null | undefined, failed: number): string {
  if (failed > 0) return "failed";
  for (const k of ["inserted", "updated", "unchanged", "stale"] as const) {
    if (Number(counts?.[k] ?? 0) > 0) return k;
  }
  return "skipped";
}

/** A step's detail with its texts redacted (an error, a vendor's message). */
function redactedDetail(detail: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(detail).map(([k, v]) => [k, typeof v === "string" ? errorText(v) : v]),
  );
}

export async function recordJobStep(sql: Sql, s: JobStep): Promise<void> {
  try {
    await sql`select sync.record_job_step(${s.jobId}, ${s.stream}, ${s.itemKey}, ${s.step}, ${s.status},
      ${sql.json(redactedDetail(s.detail ?? {}) as postgres.JSONValue)})`;
  } catch (err) {
    throw fromDatabaseError(err);
  }
}
