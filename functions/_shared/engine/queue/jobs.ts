// The job queue from TypeScript: the connection pool, the Job/Progress/Checkpoint row types, typed
// calls of the job RPCs (sql/sync_jobs.sql: create, claim, heartbeat, progress, checkpoint, finish,
// cancel) and the few plain reads the API needs (a job, its progress, a checkpoint, job lists).
// Merging a page is page_merge.ts; calls go through rpc.ts (typed errors, one row codec).
import postgres from "postgres";
import { renewablePool } from "./connection_guard.ts";
import { noDelaySocket } from "./pg_socket.ts";
import { dryMerge, mergePage, type PageInput, type PageResult } from "./page_merge.ts";
import { fromRow, rpc } from "./rpc.ts";

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

/**
 * Opens the pool. `prepare: false` keeps it usable behind Supabase's transaction pooler; it is
 * renewable, so a connection left broken by a database restart is replaced (connection_guard.ts).
 */
export function connect(url: string, max = 4): Sql {
  // `socket` (pg_socket.ts) is a postgres.js option its types do not declare
  const options: postgres.Options<{ bigint: postgres.PostgresType<bigint> }> & {
    socket: typeof noDelaySocket;
  } = {
    max,
    prepare: false,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
    connection: { application_name: "syncline" },
    socket: noDelaySocket,
  };
  return renewablePool(() => postgres(url, options)) as unknown as Sql;
}

// bigint and numeric columns arrive as BigInt (our pool) or strings (a default postgres.js pool):
// either way the API answers plain JSON numbers
const NUMERIC: ReadonlySet<string> = new Set([
  "id",
  "job_id",
  "attempts",
  "done",
  "total",
  "percent",
  "rate",
  "inserted",
  "updated",
  "unchanged",
  "stale",
  "failed",
  "sanitised",
]);
const plain = <T>(row: Record<string, unknown>): T => fromRow<T>(row, NUMERIC);

export type { PageInput, PageResult };

export const db = {
  createJob(sql: Sql, input: {
    connector: string;
    streams: string[];
    account?: string;
    mode?: Job["mode"];
    options?: JobOptions;
    trigger?: string;
    requestedBy?: string | null;
  }): Promise<Job> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.create_job(${input.connector}, ${input.streams}::text[],
        ${input.account ?? "default"}, ${input.mode ?? "incremental"}, ${
        sql.json((input.options ?? {}) as postgres.JSONValue)
      },
        ${input.trigger ?? "api"}, ${input.requestedBy ?? null})`;
      return plain<Job>(row);
    });
  },

  claimJob(sql: Sql, worker: string, leaseSeconds: number, connector?: string): Promise<Job | null> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.claim_job(${worker}, ${leaseSeconds}, ${connector ?? null})`;
      return row ? plain<Job>(row) : null;
    });
  },

  heartbeat(sql: Sql, jobId: number, worker: string, leaseSeconds: number): Promise<boolean> {
    return rpc(async () => {
      const [row] = await sql`select sync.heartbeat(${jobId}, ${worker}, ${leaseSeconds}) as cancel`;
      return row.cancel as boolean;
    });
  },

  /** One page merged and booked in one transaction (page_merge.ts). */
  mergePage,

  /**
   * Whether a target's pages may be merged two at a time: only when the table has no triggers of
   * its own (a trigger may lock rows elsewhere that the next page needs too).
   */
  async canOverlapPages(sql: Sql, target: string): Promise<boolean> {
    return await rpc(async () => {
      const [row] = await sql`select not exists (select from pg_trigger
        where tgrelid = to_regclass(${target}) and not tgisinternal) as ok`;
      return row.ok === true;
    });
  },

  /** What a page would change, in a transaction that is rolled back (page_merge.ts). */
  dryMerge,

  reportProgress(sql: Sql, jobId: number, phase: string, input: {
    doneDelta?: number;
    total?: number | null;
    message?: string | null;
    counts?: Partial<MergeCounts & { failed: number; sanitised: number }>;
    status?: string;
  }): Promise<void> {
    return rpc(async () => {
      await sql`select sync.report_progress(${jobId}, ${phase}, ${input.doneDelta ?? 0}, ${
        input.total ?? null
      },
        ${input.message ?? null}, ${sql.json((input.counts ?? {}) as postgres.JSONValue)}, ${
        input.status ?? "running"
      })`;
    });
  },

  saveCheckpoint(
    sql: Sql,
    jobId: number,
    stream: string,
    cursor: string | null,
    highWaterMark: string | null,
    state: Record<string, unknown> | null,
  ): Promise<void> {
    return rpc(async () => {
      await sql`select sync.save_checkpoint(${jobId}, ${stream}, ${cursor}, ${highWaterMark}::timestamptz,
        ${state ? sql.json(state as postgres.JSONValue) : null})`;
    });
  },

  getCheckpoint(sql: Sql, connector: string, account: string, stream: string): Promise<Checkpoint | null> {
    return rpc(async () => {
      const [row] = await sql`select cursor, high_water_mark, state, job_id from sync.checkpoints
        where connector = ${connector} and account = ${account} and stream = ${stream}`;
      return row ? plain<Checkpoint>(row) : null;
    });
  },

  releaseJob(sql: Sql, jobId: number, worker: string): Promise<void> {
    return rpc(async () => {
      await sql`select sync.release_job(${jobId}, ${worker})`;
    });
  },

  finishJob(sql: Sql, jobId: number, worker: string, status: string, error: string | null): Promise<Job> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.finish_job(${jobId}, ${worker}, ${status}, ${error})`;
      return plain<Job>(row);
    });
  },

  cancelJob(sql: Sql, jobId: number): Promise<Job> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.cancel_job(${jobId})`;
      return plain<Job>(row);
    });
  },

  /** Records (or re-opens) the failed item of a record, keyed by job stream and the record's id. */
  recordFailedItem(sql: Sql, item: FailedItemInput): Promise<void> {
    return rpc(async () => {
      await sql`select sync.record_failed_item(${item.jobId}, ${item.stream}, ${item.itemKey},
        ${sql.json((item.payload ?? null) as postgres.JSONValue)}, ${item.errorClass}, ${item.error})`;
    });
  },

  getJob(sql: Sql, jobId: number): Promise<Job | null> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.jobs where id = ${jobId}`;
      return row ? plain<Job>(row) : null;
    });
  },

  getProgress(sql: Sql, jobId: number): Promise<Progress[]> {
    return rpc(async () => {
      const rows =
        await sql`select * from sync.progress where job_id = ${jobId} order by started_at nulls last, phase`;
      return rows.map((r) => plain<Progress>(r));
    });
  },

  listJobs(
    sql: Sql,
    filter: {
      connector?: string;
      status?: string;
      stream?: string;
      before?: number;
      since?: string;
      until?: string;
      limit: number;
    },
  ): Promise<Job[]> {
    return rpc(async () => {
      const rows = await sql`select * from sync.jobs
        where (${filter.connector ?? null}::text is null or connector = ${filter.connector ?? null})
          and (${filter.status ?? null}::text is null or status = ${filter.status ?? null})
          and (${filter.stream ?? null}::text is null or ${filter.stream ?? null} = any (streams))
          and (${filter.before ?? null}::bigint is null or id < ${filter.before ?? null})
          and (${filter.since ?? null}::timestamptz is null or created_at >= ${
        filter.since ?? null
      }::timestamptz)
          and (${filter.until ?? null}::timestamptz is null or created_at < ${
        filter.until ?? null
      }::timestamptz)
        order by id desc limit ${filter.limit}`;
      return rows.map((r) => plain<Job>(r));
    });
  },
};
