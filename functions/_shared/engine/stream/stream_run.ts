// What the runner hands a stream's reader (page_pipeline.ts, single_records.ts): the job, the
// stream, its fetch context and the invocation's hooks (budget, failed items, afterCommit).
import type { FetchContext, StreamDef } from "../connector/mod.ts";
import type { Job, Sql } from "../types.ts";
import { mergePage, type PageResult } from "../merge/mod.ts";
import type { prepareRecords } from "../records/mod.ts";

/** Records that failed validation, as prepareRecords reports them. */
export type RecordFailures = ReturnType<typeof prepareRecords>["failures"];

export interface StreamRun {
  sql: Sql;
  job: Job;
  worker: string;
  stream: StreamDef;
  ctx: FetchContext;
  leaseSeconds: number;
  /** The wall-clock deadline passed, or the invocation's CPU budget is spent (the job yields). */
  budgetSpent(): boolean;
  /** Counts records handled against the invocation's CPU budget. */
  addRecords(n: number): void;
  /** Records invalid records as failed items (not in a dry run). */
  failItems(failures: RecordFailures): Promise<void>;
  /** The connector's afterCommit hook for committed keys (null: the stream is done). */
  committed(keys: string[] | null): Promise<void>;
}

/**
 * Merges records read by id (single-record syncs, reconcile re-fetches) with their progress, in one
 * lease-checked transaction; the stream's checkpoint does not move (these reads have no cursor).
 */
export function mergeRecords(
  run: Pick<StreamRun, "sql" | "job" | "worker" | "stream" | "leaseSeconds">,
  prepared: ReturnType<typeof prepareRecords>,
  total: number,
): Promise<PageResult> {
  return mergePage(run.sql, {
    jobId: run.job.id,
    worker: run.worker,
    stream: run.stream.name,
    target: run.stream.target,
    rows: prepared.json,
    keys: prepared.keys,
    cursor: null,
    total,
    failed: prepared.failures.length,
    sanitised: prepared.sanitised,
    saveCheckpoint: false,
    leaseSeconds: run.leaseSeconds,
  });
}
