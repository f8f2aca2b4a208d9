// The page pipeline of a listing: fetch -> validate -> merge, page by page from a cursor. The
// next page is read and validated while this one is merged, so the API, this process and Postgres
// work at once; a prefetched page that is never merged (budget, cancel, error) is simply read
// again from the checkpoint later. Of a page only what the merge needs is kept, its rows
// serialised at once: the parsed records die young instead of living through the previous page's
// merge (a quarter less CPU in this process, see docs/benchmarks.md).
//
// Two pages can be in Postgres at once, on two connections: the next page is merged while the one
// before it commits. Its bookkeeping and commit wait for that page's outcome (mergePage with
// `after`), so checkpoints move in order and a page whose predecessor failed rolls back. Pages
// sharing a record are not overlapped (each could wait for the other's rows, and the later one
// waits for the earlier one here, where Postgres cannot see it), nor are pages of a target with
// triggers (which may lock rows elsewhere). A dry run merges nothing: dryMerge counts.
import { copyColumns, dryMerge, mergePage, type PageResult } from "../merge/mod.ts";
import { db } from "../queue/mod.ts";
import { SynclineError } from "../errors.ts";
import { serialiseListingState } from "./listing_plan.ts";
import { prepareRecords } from "../records/mod.ts";
import type { StreamRun } from "./stream_run.ts";

export interface PagePipelineOptions extends StreamRun {
  /** where the read starts: the plan's cursor, window and figures so far (listing_plan.ts) */
  start: {
    cursor: string | null;
    since: Date | null;
    runMax: string | null;
    sourceTotal: number | null;
    startedBy: number;
    /** a full read's start instant, and whether this is its catch-up (listing_plan.ts) */
    startedAt?: string | null;
    catchUp?: boolean;
    fullDone?: number | null;
  };
  dryRun: boolean;
  /** merge a page while the one before it commits (db.canOverlapPages) */
  overlap: boolean;
  /** the read is this shard of the stream: pages move the shard's checkpoint (shard_run.ts) */
  shard?: number;
}

export interface PagePipelineResult {
  outcome: "done" | "yield" | "cancelled";
  /** the listing's total as its first page gave it */
  sourceTotal: number | null;
}

/** Reads the listing's pages from the start cursor to its end, the budget's end or a cancel. */
export async function runPagePipeline(opts: PagePipelineOptions): Promise<PagePipelineResult> {
  const { sql, job, worker, stream, ctx, dryRun: dry, overlap } = opts;
  const { since, startedBy, startedAt, catchUp, fullDone } = opts.start;
  let { cursor, runMax, sourceTotal } = opts.start;
  // uniform pages merge through COPY (page_merge.ts) unless the connector says mergePath "json"
  const copyPath = !dry && ctx.config.mergePath !== "json";
  const read = (from: string | null) =>
    stream.fetchPage(ctx, from).then(async ({ records, nextCursor, total }) => {
      const { rows, json, keys, ...prepared } = prepareRecords(
        stream,
        records,
        `${stream.name}:${from ?? "first"}`,
        copyPath ? await copyColumns(sql, stream.target) : null,
      );
      return {
        page: { nextCursor, total, size: records.length },
        // a COPY page keeps its rows for the JSON path, should Postgres refuse one of them
        prepared: {
          ...prepared,
          count: rows.length,
          rows: prepared.copy ? rows : json,
          keys,
          keySet: new Set(keys),
        },
      };
    });
  // every cursor this read has followed: a source answering one again would loop forever (a vendor
  // bug seen on Square), so the stream fails naming it, before the repeat is read
  const followed = new Set<string>(cursor === null ? [] : [cursor]);
  const follow = (next: string) => {
    if (followed.has(next)) {
      throw new SynclineError(
        "source_error",
        `The listing of stream "${stream.name}" repeated its cursor "${
          next.slice(0, 60)
        }": a paging loop at the source, stopped after ${followed.size} pages`,
        502,
        { stream: stream.name },
      );
    }
    followed.add(next);
  };
  let next: ReturnType<typeof read> | null = null;
  let inflight: { result: Promise<PageResult>; keys: Set<string> } | null = null;
  const settle = async () => {
    const landed = inflight;
    const r = landed ? await landed.result : null;
    inflight = null;
    if (landed) await opts.committed([...landed.keys]);
    return r?.cancelRequested === true;
  };
  while (true) {
    if (opts.budgetSpent()) {
      await settle();
      return { outcome: "yield", sourceTotal };
    }
    const { page, prepared } = await (next ?? read(cursor));
    opts.addRecords(page.size);
    next = null;
    // a catch-up's window is not the listing: its total is not the source's
    if (catchUp) page.total = undefined;
    if (sourceTotal === null && typeof page.total === "number") sourceTotal = page.total;
    if (page.nextCursor !== null) {
      try {
        follow(page.nextCursor);
      } catch (err) {
        await settle().catch(() => {});
        throw err;
      }
      next = read(page.nextCursor);
      next.catch(() => {}); // its error surfaces when it is awaited
    }
    await opts.failItems(prepared.failures);
    if (prepared.maxUpdatedAt && (!runMax || prepared.maxUpdatedAt > runMax)) {
      runMax = prepared.maxUpdatedAt;
    }
    const last = page.nextCursor === null;
    let cancel = false;
    if (dry) {
      const { rejected, ...counts } = prepared.count
        ? await dryMerge(sql, stream.target, prepared.rows)
        : { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
      await db.reportProgress(sql, job.id, stream.name, {
        doneDelta: prepared.count + prepared.failures.length,
        total: page.total ?? null,
        counts: { ...counts, failed: prepared.failures.length + rejected, sanitised: prepared.sanitised },
      });
      cancel = !last && await db.heartbeat(sql, job.id, worker, opts.leaseSeconds);
    } else {
      const before = inflight as typeof inflight;
      if (before && (!overlap || prepared.keys.some((k) => before.keys.has(k)))) {
        cancel = await settle();
      }
      const after = inflight?.result ?? null;
      const result = mergePage(sql, {
        jobId: job.id,
        worker,
        stream: stream.name,
        target: stream.target,
        rows: prepared.rows,
        copy: prepared.copy,
        keys: prepared.keys,
        cursor: page.nextCursor,
        // the high-water mark moves only when the whole listing was read
        highWaterMark: last ? runMax : null,
        total: page.total ?? null,
        failed: prepared.failures.length,
        sanitised: prepared.sanitised,
        saveCheckpoint: true,
        state: serialiseListingState({
          jobId: job.id,
          running: !last,
          since,
          runMax,
          sourceTotal,
          startedBy,
          startedAt,
          catchUp,
          fullDone,
        }),
        leaseSeconds: opts.leaseSeconds,
        ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
      }, after);
      result.catch(() => {}); // its error surfaces when it is awaited
      if (inflight) cancel = await settle() || cancel;
      inflight = { result, keys: prepared.keySet };
      if (last || cancel) cancel = await settle() || cancel;
    }
    if (last) return { outcome: "done", sourceTotal };
    cursor = page.nextCursor;
    if (cancel) return { outcome: "cancelled", sourceTotal };
  }
}
