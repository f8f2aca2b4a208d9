// Merging one page: the rows, the checkpoint and the progress in one transaction, two pages in
// flight at once (mergeAttempt with `after`), and a page Postgres rejects for a row of its own
// merged again with its bad rows set aside as failed items (isolatedPage). A page that comes with
// COPY text takes the COPY path (copy_merge.ts), any other (and every fallback) the JSON path. A
// page of a shard (shard_run.ts) is booked by sync.commit_shard_page: the shard's lease and cursor.
import type postgres from "postgres";
import { type CopyPage, describeRejection, isRowDataError, type RowRejection } from "../records/mod.ts";
import { copyMerge, CopyRefusedError } from "./copy_merge.ts";
import type { MergeCounts, Sql } from "../types.ts";
import { fromDatabaseError } from "../errors.ts";
import { rpc } from "../postgres/mod.ts";
import { errorText } from "../../error_text.ts";

export interface PageInput {
  jobId: number;
  worker: string;
  stream: string;
  target: string | null;
  /** The rows, or the rows already serialised as a JSON array. */
  rows: Record<string, unknown>[] | string;
  /** The same rows as COPY text (records.ts): the page takes the COPY path, `rows` is its fallback. */
  copy?: CopyPage | null;
  /** The record id of each row (failed items of rejected rows are keyed by it). */
  keys?: string[];
  cursor: string | null;
  highWaterMark?: string | null;
  total?: number | null;
  failed?: number;
  /** Records of the page whose text was sanitised (counted in the progress). */
  sanitised?: number;
  saveCheckpoint: boolean;
  state?: Record<string, unknown> | null;
  /** Also heartbeat: extend the lease by this much; the result then says cancelRequested. */
  leaseSeconds?: number | null;
  /** A page of this shard of the stream (sync.commit_shard_page: the shard's lease and checkpoint). */
  shard?: number;
}

export type PageResult = MergeCounts & { cancelRequested?: boolean; rejected?: number };

const NO_COUNTS: MergeCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };

/**
 * Pools whose COPY failed in this process (CopyRefusedError.byServer false: the runtime's stream or
 * timers, not Postgres): their pages take the JSON path from then on, said once on stderr, so a
 * runtime the COPY path does not work on costs speed, never a page.
 */
const copyFailedHere = new WeakMap<Sql, string>();

function copyFailedInProcess(sql: Sql, err: CopyRefusedError): void {
  if (copyFailedHere.has(sql)) return;
  copyFailedHere.set(sql, err.message);
  console.warn(`${err.message}; this pool's pages take the JSON merge path from now on`);
}

/** Why this pool's pages take the JSON path (a COPY failed in this process), or null. */
export function copyPathOff(sql: Sql): string | null {
  return copyFailedHere.get(sql) ?? null;
}

/**
 * One page in one transaction (a shard's page always in an explicit one: its bookkeeping is its own
 * statement). With `after` (the previous page's merge, still committing): the rows
 * are merged at once, but the page's bookkeeping (which locks the job row) and its commit wait until
 * `after` resolved; if it rejects, this page rolls back too. So pages commit in order and never wait
 * on each other inside Postgres, where neither could see the other waiting. Errors come raw.
 */
async function mergeAttempt(
  sql: Sql,
  input: PageInput,
  after?: Promise<unknown> | null,
): Promise<PageResult> {
  const { target, copy } = input;
  if (target !== null && copy && !copyFailedHere.has(sql)) {
    try {
      return await (sql.begin(async (tx) => {
        const counts = await copyMerge(tx, target, copy, input.jobId);
        if (after) await after;
        return pageCounts(await commitPage(tx, { ...bookkeeping(input), counts, done: mergedRows(counts) }));
      }) as Promise<PageResult>);
    } catch (err) {
      if (!(err instanceof CopyRefusedError)) throw err; // a COPY refused: the JSON path below
      if (!err.byServer) copyFailedInProcess(sql, err);
    }
  }
  if (after || input.shard !== undefined) {
    return await (sql.begin(async (tx) => {
      const [m] = input.target === null
        ? [{ counts: null }]
        : await tx`select sync.merge_rows(${input.target}, ${
          jsonText(input.rows)
        }::text::jsonb, ${input.jobId})
          as counts`;
      await after;
      return pageCounts(
        await commitPage(tx, {
          ...bookkeeping(input),
          counts: m.counts as object | null,
          done: mergedRows(m.counts),
        }),
      );
    }) as Promise<PageResult>);
  }
  const b = bookkeeping(input);
  const rows = jsonText(input.rows);
  const [row] = b.checkpoint
    ? await sql`select sync.merge_page(${b.jobId}, ${b.worker}, ${b.stream}, ${input.target}, ${rows}::text::jsonb,
      ${b.checkpoint.cursor}, ${b.checkpoint.highWaterMark}::timestamptz, ${b.total}, ${b.failed},
      ${
      b.checkpoint.state ? sql.json(b.checkpoint.state as postgres.JSONValue) : null
    }, ${b.leaseSeconds}::integer)
      as counts`
    : await sql`select sync.merge_page_progress(${b.jobId}, ${b.worker}, ${b.stream}, ${input.target},
      ${rows}::text::jsonb, ${b.total}, ${b.failed}, ${b.leaseSeconds}::integer) as counts`;
  return pageCounts(row.counts);
}

/**
 * The bookkeeping of one page: sync.commit_page when the page moves its stream's checkpoint,
 * sync.commit_page_progress when it must not (retry jobs, reconcile reads, dry runs).
 */
export interface PageBookkeeping {
  jobId: number;
  worker: string;
  stream: string;
  /** The merge counts as merge_rows returned them (null: nothing merged). */
  counts: object | null;
  /** Records the page merged (its failed ones are `failed`). */
  done: number;
  /** Where the stream stopped; null when this page must not move the checkpoint. */
  checkpoint:
    | { cursor: string | null; highWaterMark: string | null; state: Record<string, unknown> | null }
    | null;
  total: number | null;
  failed: number;
  /** Also heartbeat: extend the lease by this much; the result then says cancel_requested. */
  leaseSeconds: number | null;
  /** A page of this shard: its lease, checkpoint and figures (sync.commit_shard_page). */
  shard?: number;
}

function bookkeeping(input: PageInput): Omit<PageBookkeeping, "counts" | "done"> {
  return {
    jobId: input.jobId,
    worker: input.worker,
    stream: input.stream,
    checkpoint: input.saveCheckpoint
      ? { cursor: input.cursor, highWaterMark: input.highWaterMark ?? null, state: input.state ?? null }
      : null,
    total: input.total ?? null,
    failed: input.failed ?? 0,
    leaseSeconds: input.leaseSeconds ?? null,
    ...(input.shard !== undefined ? { shard: input.shard } : {}),
  };
}

/** Runs a page's bookkeeping in `tx` (the page's transaction); returns the counts as Postgres returns them. */
export async function commitPage(tx: postgres.TransactionSql, b: PageBookkeeping): Promise<unknown> {
  const counts = b.counts ? tx.json(b.counts as postgres.JSONValue) : null;
  if (b.shard !== undefined) {
    const [r] = await tx`select sync.commit_shard_page(${b.jobId}, ${b.stream}, ${b.shard}, ${b.worker},
      ${counts}, ${b.done}, ${b.checkpoint?.cursor ?? null}, ${
      b.checkpoint?.state ? tx.json(b.checkpoint.state as postgres.JSONValue) : null
    }, ${b.total}, ${b.failed}, ${b.leaseSeconds ?? 60}::integer) as counts`;
    return r.counts;
  }
  const [row] = b.checkpoint
    ? await tx`select sync.commit_page(${b.jobId}, ${b.worker}, ${b.stream}, ${counts}, ${b.done},
      ${b.checkpoint.cursor}, ${b.checkpoint.highWaterMark}::timestamptz, ${b.total}, ${b.failed},
      ${
      b.checkpoint.state ? tx.json(b.checkpoint.state as postgres.JSONValue) : null
    }, ${b.leaseSeconds}::integer)
      as counts`
    : await tx`select sync.commit_page_progress(${b.jobId}, ${b.worker}, ${b.stream}, ${counts}, ${b.done},
      ${b.total}, ${b.failed}, ${b.leaseSeconds}::integer) as counts`;
  return row.counts;
}

/**
 * A page merged by sync.merge_rows_isolating: the rows Postgres refuses become failed items
 * (error class "merge", keyed by their record id, the text naming stream, record, column and
 * reason), the rest land, and the bookkeeping counts both; all in one transaction.
 */
async function isolatedPage(sql: Sql, input: PageInput): Promise<PageResult> {
  return await (sql.begin(async (tx) => {
    let counts: MergeCounts | null = null;
    let rejected: RowRejection[] = [];
    if (input.target !== null) {
      const [m] = await tx`select sync.merge_rows_isolating(${input.target}, ${
        jsonText(input.rows)
      }::text::jsonb, ${input.jobId}) as counts`;
      const { rejected: r, ...merged } = m.counts as MergeCounts & { rejected?: RowRejection[] };
      counts = merged;
      rejected = r ?? [];
    }
    if (rejected.length > 0) {
      const rows = (typeof input.rows === "string" ? JSON.parse(input.rows) : input.rows) as Record<
        string,
        unknown
      >[];
      for (const r of rejected) {
        const row = rows[r.row - 1] ?? {};
        const key = input.keys?.[r.row - 1] ?? String(row.id ?? `${input.stream}#${r.row}`);
        await tx`select sync.record_failed_item(${input.jobId}, ${input.stream}, ${key},
          ${tx.json((row.raw ?? row) as postgres.JSONValue)}, 'merge', ${
          errorText(describeRejection(input.stream, key, r))
        })`;
      }
    }
    const bookkept = { ...(counts ?? NO_COUNTS), ...(input.sanitised ? { sanitised: input.sanitised } : {}) };
    const committed = await commitPage(tx, {
      ...bookkeeping(input),
      counts: bookkept,
      done: mergedRows(counts),
      failed: (input.failed ?? 0) + rejected.length,
    });
    const { sanitised: _, ...result } = pageCounts(committed) as PageResult & { sanitised?: number };
    return rejected.length > 0 ? { ...result, rejected: rejected.length } : result;
  }) as Promise<PageResult>);
}

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

/**
 * Merges one page and does its bookkeeping in one transaction (see mergeAttempt). A page that
 * Postgres rejects for a row of its own (rejected_rows.ts) is merged again with its bad rows set
 * aside as failed items, in one transaction with the rest of the page (isolatedPage); so is a
 * page whose text was sanitised, which counts them.
 */
export async function mergePage(
  sql: Sql,
  input: PageInput,
  after?: Promise<unknown> | null,
): Promise<PageResult> {
  if (!input.sanitised) {
    try {
      return await mergeAttempt(sql, input, after);
    } catch (err) {
      if (!isRowDataError(err)) throw fromDatabaseError(err);
    }
  }
  // after the page before it settled (its failure is this page's too), so pages still commit in order
  if (after) await after;
  return await rpc(() => isolatedPage(sql, input));
}

/** Runs the merge in a transaction that is rolled back: what a page would change (rows it would reject). */
export async function dryMerge(
  sql: Sql,
  target: string,
  rows: Record<string, unknown>[] | string,
): Promise<MergeCounts & { rejected: number }> {
  let counts: (MergeCounts & { rejected: number }) | undefined;
  const rollback = new Error("dry run rollback");
  try {
    await sql.begin(async (tx) => {
      const [row] = await tx`select sync.merge_rows_isolating(${target}, ${jsonText(rows)}::text::jsonb)
        as counts`;
      const { rejected, ...merged } = row.counts as MergeCounts & { rejected?: unknown[] };
      counts = { ...merged, rejected: rejected?.length ?? 0 };
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw fromDatabaseError(err);
  }
  return counts!;
}
