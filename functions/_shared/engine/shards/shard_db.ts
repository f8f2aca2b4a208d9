// The shards of a job from TypeScript: typed calls of sql/sync_shards.sql (plan, claim, release) and
// the reads the coordinator and the API need. A shard's pages are committed by page_merge.ts
// (sync.commit_shard_page) like any page.
import type postgres from "postgres";
import type { Sql } from "../types.ts";
import { fromRow, rpc } from "../postgres/mod.ts";
import type { ShardWindow } from "./shards.ts";
import { errorText } from "../../error_text.ts";

/** One row of sync.job_shards. */
export interface Shard {
  job_id: number;
  stream: string;
  shard: number;
  window_start: string | null;
  window_end: string | null;
  status: "pending" | "running" | "done" | "failed" | "cancelled";
  cursor: string | null;
  state: Record<string, unknown>;
  lease_owner: string | null;
  lease_expires_at: string | null;
  attempts: number;
  done: number;
  total: number | null;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  failed: number;
  error: string | null;
  planned_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const NUMERIC: ReadonlySet<string> = new Set([
  "job_id",
  "shard",
  "attempts",
  "done",
  "total",
  "inserted",
  "updated",
  "unchanged",
  "stale",
  "failed",
]);

function shardRow(row: Record<string, unknown>): Shard {
  const s = fromRow<Shard>(row, NUMERIC);
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return {
    ...s,
    window_start: iso(s.window_start),
    window_end: iso(s.window_end),
    planned_at: iso(s.planned_at) as string,
  };
}

export const shardDb = {
  /** Plans the stream's shards (unless it has some: a resumed coordinator); how many it has. */
  plan(
    sql: Sql,
    input: { jobId: number; worker: string; stream: string; windows: ShardWindow[]; plannedAt: Date },
  ): Promise<number> {
    return rpc(async () => {
      const [r] = await sql`select sync.plan_shards(${input.jobId}, ${input.worker}, ${input.stream},
        ${
        sql.json(input.windows as unknown as postgres.JSONValue)
      }, ${input.plannedAt.toISOString()}::timestamptz)
        as n`;
      return Number(r.n);
    });
  },

  /** Claims a pending shard (or one whose lease expired); of one job when jobId is given. */
  claim(
    sql: Sql,
    worker: string,
    leaseSeconds: number,
    opts: { jobId?: number; connector?: string } = {},
  ): Promise<Shard | null> {
    return rpc(async () => {
      const [row] = await sql`select * from sync.claim_shard(${worker}, ${leaseSeconds}, ${
        opts.jobId ?? null
      },
        ${opts.connector ?? null})`;
      return row ? shardRow(row) : null;
    });
  },

  /** Ends the worker's hold: done, failed (with the error) or pending (to be claimed again). */
  release(
    sql: Sql,
    shard: Pick<Shard, "job_id" | "stream" | "shard">,
    worker: string,
    status: "done" | "failed" | "pending",
    error: string | null = null,
  ): Promise<void> {
    return rpc(async () => {
      await sql`select sync.release_shard(${shard.job_id}, ${shard.stream}, ${shard.shard}, ${worker},
        ${status}, ${errorText(error)})`;
    });
  },

  /** The shards of a job (of one stream when given), in order. */
  list(sql: Sql, jobId: number, stream?: string): Promise<Shard[]> {
    return rpc(async () => {
      const rows = await sql`select * from sync.job_shards where job_id = ${jobId}
        and (${stream ?? null}::text is null or stream = ${stream ?? null}) order by stream, shard`;
      return rows.map(shardRow);
    });
  },
};
