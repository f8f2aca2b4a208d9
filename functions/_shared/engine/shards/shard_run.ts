// A read in shards (sync_shards.sql, shards.ts). The coordinator, the worker holding the job's lease,
// plans the stream's time windows once (a one-record probe of the listing finds where its data
// begins), then claims and reads shards itself until none is left, waits for the shards other workers
// hold (heartbeating the job), and finishes the stream: its checkpoint and high-water mark, then the
// completeness check (job_run.ts). Any worker with nothing else to do claims a shard of a running job
// (runner.ts) and reads it with readShard. A shard's pages go through the page pipeline like any
// listing's, fenced by the shard's lease and moving the shard's own checkpoint, so a killed shard is
// claimed again once its lease expired and resumes from its cursor.
import type { StreamDef } from "../connector/mod.ts";
import { db } from "../queue/mod.ts";
import { SynclineError } from "../errors.ts";
import { isConnectionError, whenConnected } from "../postgres/mod.ts";
import { parseListingState, runPagePipeline, serialiseListingState, type StreamRun } from "../stream/mod.ts";
import { type Shard, shardDb } from "./shard_db.ts";
import { planWindows, shardedHighWaterMark, type ShardWindow, shardWindowOn } from "./shards.ts";

export type ShardResult = "done" | "yield" | "cancelled";

const describe = (s: Pick<Shard, "stream" | "shard" | "window_start" | "window_end">) =>
  `shard ${s.shard} of "${s.stream}" (${s.window_start ?? "the beginning"} to ${s.window_end ?? "now"})`;

/**
 * Reads one claimed shard to its end, the budget's end or a cancel, and releases it: done, failed
 * (kept for the coordinator and thrown, naming the shard and its window) or pending (to be claimed
 * again).
 */
export async function readShard(run: StreamRun, shard: Shard): Promise<ShardResult> {
  const state = parseListingState(shard.state);
  const release = (status: "done" | "failed" | "pending", error: string | null = null) =>
    shardDb.release(run.sql, shard, run.worker, status, error);
  // its last page committed (running false) before the worker went away: nothing is left to read
  if (state.running === false) {
    await release("done");
    return "done";
  }
  const since = shard.window_start ? new Date(shard.window_start) : null;
  const ctx = {
    ...run.ctx,
    since,
    until: shard.window_end ? new Date(shard.window_end) : null,
    windowOn: shardWindowOn(run.job, run.stream),
    storedVersions: undefined,
  };
  try {
    const { outcome } = await runPagePipeline({
      ...run,
      ctx,
      start: {
        cursor: shard.cursor,
        since,
        runMax: state.run_max ?? null,
        sourceTotal: state.source_total ?? null,
        startedBy: run.job.id,
      },
      dryRun: false,
      overlap: await db.canOverlapPages(run.sql, run.stream.target),
      shard: shard.shard,
    });
    await release(outcome === "done" ? "done" : "pending");
    return outcome;
  } catch (err) {
    // a lost lease or database is not the shard's failure: whoever claims it next resumes it
    if (isConnectionError(err)) {
      // once the database answers again (within the lease) the shard goes back to be claimed at
      // once, by this worker too, instead of waiting for its lease to expire (as runner.ts does a job)
      await whenConnected(() => release("pending"), { forMs: run.leaseSeconds * 1000 }).catch(() => {});
      throw err;
    }
    if (err instanceof SynclineError && err.code === "lease_lost") throw err;
    const message = `${describe(shard)} failed: ${(err as Error)?.message ?? String(err)}`;
    await release("failed", message).catch(() => {});
    throw new SynclineError("shard_failed", message, 502, { stream: shard.stream, shard: shard.shard }, {
      cause: err,
    });
  }
}

export interface ShardedListingOptions {
  /** The stream's reader hooks of this job run (job_run.ts). */
  run: StreamRun;
  /** Shards wanted (shards.ts shardsFor). */
  shards: number;
  /** The job's window: the first shard starts at `since`, the last ends at `until` (null: open). */
  since: Date | null;
  until: Date | null;
  now: () => number;
  /** How long to wait between looks at shards other workers hold (ms). */
  pollMs?: number;
}

export interface ShardedListingResult {
  outcome: ShardResult;
  shards: Shard[];
}

/** The coordinator's part: plan, read shards, wait for the others, set the stream's checkpoint. */
export async function runShardedListing(opts: ShardedListingOptions): Promise<ShardedListingResult> {
  const { run, now } = opts;
  const { sql, job, worker, stream } = run;
  let shards = await shardDb.list(sql, job.id, stream.name);
  if (shards.length === 0) {
    const plannedAt = new Date(now());
    const windows = await planShardWindows(run, opts, plannedAt);
    await shardDb.plan(sql, { jobId: job.id, worker, stream: stream.name, windows, plannedAt });
    shards = await shardDb.list(sql, job.id, stream.name);
  }
  await db.reportProgress(sql, job.id, stream.name, {
    message: `reading in ${shards.length} shard${
      shards.length === 1 ? "" : "s"
    } (time windows), with other workers`,
  });
  // the job's lease is the coordinator's: kept alive while it reads a shard (whose pages extend only
  // the shard's lease) or waits for others
  const heartbeat = () => db.heartbeat(sql, job.id, worker, run.leaseSeconds);
  let lastBeat = -Infinity;
  while (true) {
    if (run.budgetSpent()) return { outcome: "yield", shards };
    const mine = await shardDb.claim(sql, worker, run.leaseSeconds, { jobId: job.id });
    if (mine) {
      const timer = setInterval(() => heartbeat().catch(() => {}), (run.leaseSeconds * 1000) / 3);
      let result: ShardResult;
      try {
        result = await readShard(run, mine);
      } finally {
        clearInterval(timer);
      }
      if (result !== "done") return { outcome: result, shards };
      continue;
    }
    shards = await shardDb.list(sql, job.id, stream.name);
    const failed = shards.find((s) => s.status === "failed");
    if (failed) {
      throw new SynclineError("shard_failed", failed.error ?? `${describe(failed)} failed`, 502, {
        stream: stream.name,
        shard: failed.shard,
      });
    }
    if (shards.every((s) => s.status === "done")) break;
    // while waiting, the lease (and a cancel) is looked at once a second, not at every look at the shards
    if (now() - lastBeat >= 1_000) {
      lastBeat = now();
      if (await heartbeat()) return { outcome: "cancelled", shards };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
  const states = shards.map((s) => parseListingState(s.state));
  const hwm = shardedHighWaterMark(states.map((s) => s.run_max), shards[0].planned_at);
  await db.saveCheckpoint(
    sql,
    job.id,
    stream.name,
    null,
    hwm,
    serialiseListingState({
      jobId: job.id,
      running: false,
      since: opts.since,
      runMax: hwm,
      sourceTotal: null,
      startedBy: job.id,
    }),
  );
  return { outcome: "done", shards };
}

/**
 * The windows: from where the listing's data begins (its first record, the listing being in
 * ascending updated order; or the job's `since`) to the planning time, in equal parts; the first
 * window open at the start and the last open at the end unless the job gives `until`.
 */
async function planShardWindows(
  run: StreamRun,
  opts: ShardedListingOptions,
  plannedAt: Date,
): Promise<ShardWindow[]> {
  const to = opts.until ?? plannedAt;
  const windowOn = shardWindowOn(run.job, run.stream);
  const probe = await probeListing(run.stream, {
    ...run.ctx,
    since: opts.since,
    until: opts.until,
    windowOn,
  }, windowOn);
  const from = opts.since ?? probe.first;
  const windows = planWindows({
    from: from && from < to ? from : null,
    to,
    n: opts.shards,
    openStart: opts.since?.toISOString() ?? null,
    openEnd: opts.until?.toISOString() ?? null,
  });
  const cursor = probe.nextCursor && run.stream.shardStartCursor?.(probe.nextCursor);
  return cursor ? windows.map((w) => ({ ...w, cursor })) : windows;
}

/**
 * One record of the listing: its updated time (where the data begins, the listing being in ascending
 * updated order) and the cursor after it (StreamDef.shardStartCursor).
 */
async function probeListing(
  stream: StreamDef,
  ctx: StreamRun["ctx"],
  windowOn: "created" | undefined,
): Promise<{ first: Date | null; nextCursor: string | null }> {
  const page = await stream.fetchPage({ ...ctx, pageSize: 1 }, null);
  const parsed = stream.schema.safeParse(page.records[0]);
  const at = parsed.success
    ? (windowOn === "created" ? stream.createdAt : stream.updatedAt)?.(parsed.data)
    : null;
  const t = at ? Date.parse(at) : NaN;
  return { first: Number.isFinite(t) ? new Date(t) : null, nextCursor: page.nextCursor };
}
