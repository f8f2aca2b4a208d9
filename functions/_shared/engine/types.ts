// The row and option types the engine's modules share (jobs, progress, checkpoints, merge counts,
// failed items) and the pool's type. It imports nothing from the engine, so every module can use it
// without importing another (this is what keeps the modules' import graph free of circles).
import type postgres from "postgres";

/** A record that could not be synced: what sync.record_failed_item stores. */
export interface FailedItemInput {
  jobId: number;
  stream: string;
  /** the record's id (its key), else its place in the page */
  itemKey: string;
  /** the record as the source sent it (null when there is none, e.g. a refused single read) */
  payload: unknown;
  /** validation, http, merge, ... */
  errorClass: string;
  error: string;
}

/** The pool (postgres/pool.ts connect) every database call takes. */
export type Sql = postgres.Sql;

export interface Job {
  id: number;
  connector: string;
  account: string;
  streams: string[];
  mode: "full" | "incremental" | "single" | "retry" | "promote" | "reconcile";
  options: JobOptions;
  trigger: string;
  status: "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  heartbeat_at: string | null;
  cancel_requested: boolean;
  error: string | null;
  stats: Record<string, unknown>;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** a deferred job is not claimed before this time (sql/sync_job_waits.sql) */
  run_after?: string | null;
  /** when the source of a deferred job last answered well */
  waiting_since?: string | null;
}

export interface JobOptions {
  since?: string;
  until?: string;
  force?: boolean;
  dryRun?: boolean;
  /** single-record syncs: ids per stream */
  records?: Record<string, string[]>;
  /** retry jobs: failed item ids */
  failedItemIds?: number[];
  /** full or historical reads: time-window shards per shardable stream (shard_run.ts), 1-64 */
  shards?: number;
  [k: string]: unknown;
}

export interface Progress {
  job_id: number;
  phase: string;
  status: string;
  done: number;
  total: number | null;
  percent: number | null;
  rate: number | null;
  eta_seconds: number | null;
  message: string | null;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  failed: number;
  /** Records whose text was sanitised (U+0000 removed, lone surrogates replaced). */
  sanitised?: number;
  started_at: string | null;
  updated_at: string;
}

export interface Checkpoint {
  cursor: string | null;
  high_water_mark: string | null;
  state: Record<string, unknown>;
  job_id: number | null;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
}
