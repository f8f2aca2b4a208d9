// The job queue from TypeScript: typed calls of the job RPCs (sql/sync_jobs.sql: create, claim,
// heartbeat, progress, checkpoint, finish, cancel) and the few plain reads the API needs (a job, its
// progress, a checkpoint, job lists). The row types are ../types.ts, the pool ../postgres/pool.ts;
// merging a page is ../merge/; calls go through rpc() (typed errors, one row codec).
import type postgres from "postgres";
import { fromRow, rpc } from "../postgres/mod.ts";
import type { Checkpoint, FailedItemInput, Job, JobOptions, MergeCounts, Progress, Sql } from "../types.ts";
import { errorText } from "../../error_text.ts";

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
        ${errorText(input.message)}, ${sql.json((input.counts ?? {}) as postgres.JSONValue)}, ${
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

  /** The source asked to wait or is down: the job is queued again, claimable from runAfter. */
  deferJob(
    sql: Sql,
    jobId: number,
    worker: string,
    d: { runAfter: Date; reason: string; waitingSince: Date },
  ): Promise<void> {
    return rpc(async () => {
      await sql`select sync.defer_job(${jobId}, ${worker}, ${d.runAfter}, ${
        errorText(d.reason)
      }, ${d.waitingSince})`;
    });
  },

  finishJob(sql: Sql, jobId: number, worker: string, status: string, error: string | null): Promise<Job> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.finish_job(${jobId}, ${worker}, ${status}, ${
        errorText(error)
      })`;
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
        ${sql.json((item.payload ?? null) as postgres.JSONValue)}, ${item.errorClass}, ${
        errorText(item.error)
      })`;
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
