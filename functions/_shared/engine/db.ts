// Thin typed wrappers over the sync.* RPCs. SQL stays in Postgres; this file only calls it
// and turns documented SQLSTATEs into typed errors.
import postgres from "postgres";
import { fromDatabaseError } from "./errors.ts";

export type Sql = postgres.Sql;

export interface Job {
  id: number;
  connector: string;
  account: string;
  streams: string[];
  mode: "full" | "incremental" | "single" | "retry";
  options: JobOptions;
  trigger: string;
  status: "queued" | "running" | "succeeded" | "partial" | "failed" | "cancelled";
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
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

/** Opens the pool. `prepare: false` keeps it usable behind Supabase's transaction pooler. */
export function connect(url: string, max = 4): Sql {
  return postgres(url, {
    max,
    prepare: false,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
    connection: { application_name: "syncline" },
  });
}

async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromDatabaseError(err);
  }
}

// bigint and numeric columns arrive as BigInt (our pool) or strings (a default postgres.js pool):
// either way the API answers plain JSON numbers
const NUMERIC = new Set([
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
]);
/** Rows as the JSON text merge_rows reads (sent as text and cast, so it is serialised once). */
function jsonText(rows: Record<string, unknown>[] | string): string {
  return typeof rows === "string" ? rows : JSON.stringify(rows);
}

/** How many rows a merge_rows result covers (every row is exactly one of the four). */
function mergedRows(counts: MergeCounts | null): number {
  return counts
    ? Number(counts.inserted) + Number(counts.updated) + Number(counts.unchanged) + Number(counts.stale)
    : 0;
}

function pageCounts(raw: unknown): MergeCounts & { cancelRequested?: boolean } {
  const { cancel_requested, ...counts } = raw as MergeCounts & { cancel_requested?: boolean };
  return cancel_requested === undefined ? counts : { ...counts, cancelRequested: cancel_requested };
}

function plain<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "bigint" ? Number(v) : typeof v === "string" && NUMERIC.has(k) ? Number(v) : v;
  }
  return out as T;
}

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

  mergePage(sql: Sql, input: {
    jobId: number;
    worker: string;
    stream: string;
    target: string | null;
    /** The rows, or the rows already serialised as a JSON array. */
    rows: Record<string, unknown>[] | string;
    cursor: string | null;
    highWaterMark?: string | null;
    total?: number | null;
    failed?: number;
    saveCheckpoint: boolean;
    state?: Record<string, unknown> | null;
    /** Also heartbeat: extend the lease by this much; the result then says cancelRequested. */
    leaseSeconds?: number | null;
  }, after?: Promise<unknown> | null): Promise<MergeCounts & { cancelRequested?: boolean }> {
    // With `after` (the previous page's merge, still committing): the rows are merged at once, but
    // the page's bookkeeping (which locks the job row) and its commit wait until `after` resolved;
    // if it rejects, this page rolls back too. So pages commit in order and never wait on each other
    // inside Postgres, where neither could see the other waiting.
    if (after) {
      return rpc(() =>
        sql.begin(async (tx) => {
          const [m] = input.target === null
            ? [{ counts: null }]
            : await tx`select sync.merge_rows(${input.target}, ${
              jsonText(input.rows)
            }::text::jsonb, ${input.jobId})
              as counts`;
          await after;
          const [row] = await tx`select sync.commit_page(${input.jobId}, ${input.worker}, ${input.stream},
            ${m.counts ? tx.json(m.counts as postgres.JSONValue) : null}, ${
            mergedRows(m.counts)
          }, ${input.cursor},
            ${input.highWaterMark ?? null}::timestamptz, ${input.total ?? null}, ${input.failed ?? 0},
            ${input.saveCheckpoint}, ${input.state ? tx.json(input.state as postgres.JSONValue) : null},
            ${input.leaseSeconds ?? null}::integer) as counts`;
          return pageCounts(row.counts);
        }) as Promise<MergeCounts & { cancelRequested?: boolean }>
      );
    }
    return rpc(async () => {
      const [row] = await sql`select sync.merge_page(${input.jobId}, ${input.worker}, ${input.stream},
        ${input.target}, ${jsonText(input.rows)}::text::jsonb, ${input.cursor},
        ${input.highWaterMark ?? null}::timestamptz, ${input.total ?? null},
        ${input.failed ?? 0}, ${input.saveCheckpoint}, ${
        input.state ? sql.json(input.state as postgres.JSONValue) : null
      }, ${input.leaseSeconds ?? null}::integer)
        as counts`;
      return pageCounts(row.counts);
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

  /** Runs merge_rows in a transaction that is rolled back: what a page would change. */
  async dryMerge(sql: Sql, target: string, rows: Record<string, unknown>[] | string): Promise<MergeCounts> {
    let counts: MergeCounts | undefined;
    const rollback = new Error("dry run rollback");
    try {
      await sql.begin(async (tx) => {
        const [row] = await tx`select sync.merge_rows(${target}, ${jsonText(rows)}::text::jsonb) as counts`;
        counts = row.counts as MergeCounts;
        throw rollback;
      });
    } catch (err) {
      if (err !== rollback) throw fromDatabaseError(err);
    }
    return counts!;
  },

  reportProgress(sql: Sql, jobId: number, phase: string, input: {
    doneDelta?: number;
    total?: number | null;
    message?: string | null;
    counts?: Partial<MergeCounts & { failed: number }>;
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

  recordFailedItem(
    sql: Sql,
    jobId: number,
    stream: string,
    itemKey: string,
    payload: unknown,
    errorClass: string,
    error: string,
  ): Promise<void> {
    return rpc(async () => {
      await sql`select sync.record_failed_item(${jobId}, ${stream}, ${itemKey},
        ${sql.json((payload ?? null) as postgres.JSONValue)}, ${errorClass}, ${error})`;
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
