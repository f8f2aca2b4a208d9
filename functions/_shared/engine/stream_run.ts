// What the runner hands a stream's reader (page_pipeline.ts, single_records.ts): the job, the
// stream, its fetch context and the invocation's hooks (budget, failed items, afterCommit).
import type { FetchContext, StreamDef } from "./connector.ts";
import type { Job, Sql } from "./db.ts";
import type { prepareRecords } from "./records.ts";

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
