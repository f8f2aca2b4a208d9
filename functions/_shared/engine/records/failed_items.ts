// Thin wrappers over the RPCs of sql/sync_failed_items.sql and sql/sync_http_stats.sql.
import type postgres from "postgres";
import type { Sql } from "../types.ts";
import type { HttpStats } from "../http/mod.ts";
import { fromRow, rpc } from "../postgres/mod.ts";

export interface FailedItem {
  id: number;
  job_id: number | null;
  connector: string;
  account: string;
  stream: string;
  item_key: string;
  payload: unknown;
  error_class: string;
  error: string;
  attempts: number;
  next_retry_at: string | null;
  last_attempt_at: string;
  resolved_at: string | null;
  resolution: "resolved" | "dismissed" | null;
  created_at: string;
  /** retry jobs that re-attempted it, and the last one */
  retries: number;
  last_retry_at: string | null;
  /** given up after failed_item_max_attempts: no further automatic retry */
  permanent: boolean;
  gave_up_at: string | null;
}

export const reliabilityDb = {
  /** Adds one invocation's HTTP figures to the job (and to jobs.stats.http). */
  addHttpStats(sql: Sql, jobId: number, source: string, delta: HttpStats): Promise<void> {
    return rpc(async () => {
      await sql`select sync.add_http_stats(${jobId}, ${source}, ${
        sql.json(delta as unknown as postgres.JSONValue)
      })`;
    });
  },

  dueFailedItems(sql: Sql, input: {
    connector: string;
    account: string;
    stream: string;
    limit: number;
    ids?: number[] | null;
    attemptedBefore?: string | null;
  }): Promise<FailedItem[]> {
    return rpc(async () => {
      const rows =
        await sql`select * from sync.due_failed_items(${input.connector}, ${input.account}, ${input.stream},
        ${input.limit}, ${input.ids ?? null}::bigint[], ${input.attemptedBefore ?? null}::timestamptz)`;
      return rows.map((r) => fromRow<FailedItem>(r));
    });
  },

  /** Counts a retry of these items (recovery statistics). */
  markRetried(sql: Sql, ids: number[]): Promise<number> {
    return rpc(async () => {
      const [r] = await sql`select sync.mark_failed_items_retried(${ids}::bigint[]) as n`;
      return Number(r.n);
    });
  },

  resolveFailedItems(sql: Sql, ids: number[], resolution: "resolved" | "dismissed"): Promise<number> {
    return rpc(async () => {
      const [r] = await sql`select sync.resolve_failed_items(${ids}::bigint[], ${resolution}) as n`;
      return Number(r.n);
    });
  },

  closeFailedItem(sql: Sql, id: number, resolution: "resolved" | "dismissed"): Promise<FailedItem> {
    return rpc(async () => {
      const [r] = await sql`select * from sync.close_failed_item(${id}, ${resolution})`;
      return fromRow<FailedItem>(r);
    });
  },

  listFailedItems(sql: Sql, f: {
    connector?: string;
    account?: string;
    stream?: string;
    status: "open" | "permanent" | "resolved" | "dismissed" | "all";
    before?: number;
    limit: number;
  }): Promise<FailedItem[]> {
    return rpc(async () => {
      const rows = await sql`select * from sync.failed_items
        where (${f.connector ?? null}::text is null or connector = ${f.connector ?? null})
          and (${f.account ?? null}::text is null or account = ${f.account ?? null})
          and (${f.stream ?? null}::text is null or stream = ${f.stream ?? null})
          and (case ${f.status}::text when 'open' then resolved_at is null when 'all' then true
               when 'permanent' then resolved_at is null and permanent
               else resolution = ${f.status} end)
          and (${f.before ?? null}::bigint is null or id < ${f.before ?? null})
        order by id desc limit ${f.limit}`;
      return rows.map((r) => fromRow<FailedItem>(r));
    });
  },

  /** Streams of a connector account with open failed items (due now unless ids are given). */
  streamsWithFailedItems(
    sql: Sql,
    connector: string,
    account: string,
    ids?: number[] | null,
  ): Promise<string[]> {
    return rpc(async () => {
      const rows = await sql`select distinct stream from sync.failed_items
        where connector = ${connector} and account = ${account} and resolved_at is null
          and (case when ${ids ?? null}::bigint[] is null then next_retry_at <= clock_timestamp()
               else id = any (${ids ?? null}::bigint[]) end)
        order by stream`;
      return rows.map((r) => String(r.stream));
    });
  },
};
