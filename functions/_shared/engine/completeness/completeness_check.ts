// The completeness check after a full read of a stream, and the database calls completeness and
// reconcile share (sql/sync_completeness.sql). The judging is pure (completeness.ts).
import type postgres from "postgres";
import type { FetchContext, StreamDef } from "../connector/mod.ts";
import type { Sql } from "../types.ts";
import { fromDatabaseError, SynclineError } from "../errors.ts";
import { isConnectionError } from "../postgres/mod.ts";
import {
  type Completeness,
  completenessFromIds,
  planCompleteness,
  type ReadFacts,
  type RecordedCompleteness,
} from "./completeness.ts";
import { errorText } from "../../error_text.ts";

async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromDatabaseError(err);
  }
}

const keyCounts = new Map<string, number>();

export const completenessDb = {
  /** Whether a target is keyed by one column (ids can be compared and rows marked deleted). */
  async singleKey(sql: Sql, target: string): Promise<boolean> {
    let n = keyCounts.get(target);
    if (n === undefined) {
      const [r] = await rpc(() =>
        sql`select cardinality(key_columns) as n from sync.targets where target = ${target}`
      );
      n = r ? Number(r.n) : 0;
      keyCounts.set(target, n);
    }
    return n === 1;
  },

  /** Keys of the target's live rows (or, with deleted, of the rows marked deleted). */
  async targetKeys(sql: Sql, target: string, deleted = false): Promise<Set<string>> {
    const rows = await rpc(() => sql`select k from sync.target_keys(${target}, ${deleted}) k`);
    return new Set(rows.map((r) => r.k as string));
  },

  /** Rows gone at the source: marked deleted (or deleted, per target); how many. Lease-fenced. */
  async markDeleted(
    sql: Sql,
    jobId: number,
    worker: string,
    target: string,
    keys: string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const [r] = await rpc(() =>
      sql`select sync.mark_deleted(${jobId}, ${worker}, ${target}, ${keys}::text[]) as n`
    );
    return Number(r.n);
  },

  /** Records a stream's completeness on the job and as the stream's latest. Lease-fenced. */
  async record(
    sql: Sql,
    jobId: number,
    worker: string,
    stream: string,
    result: RecordedCompleteness,
  ): Promise<void> {
    await rpc(() =>
      sql`select sync.record_completeness(${jobId}, ${worker}, ${stream}, ${
        sql.json(result as unknown as postgres.JSONValue)
      })`
    );
  },

  /** The latest completeness result of every stream. */
  async latest(sql: Sql): Promise<Record<string, unknown>[]> {
    const rows = await rpc(() => sql`select * from sync.get_completeness()`);
    return rows.map((r) => ({
      ...r,
      job_id: r.job_id === null ? null : Number(r.job_id),
      source_count: r.source_count === null ? null : Number(r.source_count),
      landed_count: r.landed_count === null ? null : Number(r.landed_count),
      missing_count: r.missing_count === null ? null : Number(r.missing_count),
    }));
  },
};

/** Pages a stream's id listing to the end. A listing whose cursor comes back again is an error. */
export async function listAllIds(stream: StreamDef, ctx: FetchContext): Promise<string[]> {
  if (!stream.listIds) {
    throw new SynclineError("unsupported", `Stream "${stream.name}" cannot list its ids`, 422);
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page = await stream.listIds(ctx, cursor);
    ids.push(...page.ids);
    cursor = page.nextCursor;
    if (cursor !== null) {
      if (seen.has(cursor)) {
        throw new SynclineError(
          "source_error",
          `The id listing of stream "${stream.name}" returned cursor "${cursor.slice(0, 40)}" twice`,
          502,
        );
      }
      seen.add(cursor);
    }
  } while (cursor !== null);
  return ids;
}

export interface CheckInput {
  sql: Sql;
  jobId: number;
  worker: string;
  stream: StreamDef;
  ctx: FetchContext;
  facts: Omit<ReadFacts, "canListIds">;
  /** false: never list ids after a read (the account's `completenessIds: false`; the check then
   * judges by total alone, or is unverified) */
  listIds?: boolean;
  /**
   * The time windows of a sharded read (shards.ts): the id listing is walked window by window, all at
   * once (a shardable stream's listIds reads ctx.since/until like its pages), so the check of a read
   * at the rate limit takes about as long as the read did, not a walk page after page.
   */
  windows?: { start: string | null; end: string | null }[];
}

/** Checks a finished full read (total first, ids where needed) and records the result. */
export async function checkCompleteness(input: CheckInput): Promise<Completeness> {
  const { sql, stream } = input;
  const canListIds = input.listIds !== false && Boolean(stream.listIds) &&
    await completenessDb.singleKey(sql, stream.target);
  const step = planCompleteness({ ...input.facts, canListIds });
  let result: Completeness;
  if (step.kind === "done") {
    result = step.result;
  } else {
    try {
      const walks = (input.windows ?? [null]).map((w) =>
        listAllIds(
          stream,
          w
            ? {
              ...input.ctx,
              since: w.start ? new Date(w.start) : null,
              until: w.end ? new Date(w.end) : null,
            }
            : input.ctx,
        )
      );
      // windows meet at inclusive boundaries: an id listed twice is one id (completenessFromIds)
      result = completenessFromIds(
        (await Promise.all(walks)).flat(),
        await completenessDb.targetKeys(sql, stream.target),
      );
    } catch (err) {
      // the rows landed; only the check could not be made. A lost lease or database still ends the run
      if (isConnectionError(err) || (err instanceof SynclineError && err.code === "lease_lost")) throw err;
      result = {
        status: "unverified",
        reason: errorText(`the id listing failed: ${(err as Error)?.message ?? String(err)}`),
      };
    }
  }
  await completenessDb.record(sql, input.jobId, input.worker, stream.name, result);
  return result;
}

/** One line for the progress message. */
export function describeCompleteness(c: Completeness): string {
  if (c.status === "unverified") return `completeness unverified: ${c.reason}`;
  if (c.status === "complete") return `complete: ${c.landed} of ${c.source} records (by ${c.method})`;
  return `GAP: the source has ${c.source} records, ${c.missing} did not land${
    c.sampleIds.length ? ` (e.g. ${c.sampleIds.slice(0, 5).join(", ")})` : ""
  }`;
}
