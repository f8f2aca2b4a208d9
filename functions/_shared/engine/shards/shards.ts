// Shards, pure: which reads may be split, into which time windows, and the high-water mark a sharded
// read leaves. A shard reads the records whose source updated time lies in its window
// [start, end) (StreamDef.shardable); the first window is open at the start and, unless the job gives
// an `until`, the last is open at the end, so windows cover every time and a record updated while
// the shards run lands in the last one (or in the next incremental read: see shardedHighWaterMark).
import type { StreamDef } from "../connector/mod.ts";
import type { Job } from "../types.ts";

/** The most shards one stream of a job may have (sync.plan_shards). */
export const MAX_SHARDS = 64;

export interface ShardWindow {
  /** ISO time; null: open (from the first record) */
  start: string | null;
  /** ISO time; null: open (up to now and beyond) */
  end: string | null;
  /** where the shard's read starts (StreamDef.shardStartCursor); absent: the first page */
  cursor?: string | null;
}

/** How many shards a job reads a stream in: 1 (unsharded) unless the job asks and the read allows. */
export function shardsFor(job: Pick<Job, "mode" | "options">, stream: Pick<StreamDef, "shardable">): number {
  const n = Number(job.options.shards ?? 1);
  if (!Number.isInteger(n) || n <= 1 || !stream.shardable) return 1;
  if (job.options.dryRun || !isWindowedRead(job)) return 1;
  return Math.min(n, MAX_SHARDS);
}

/**
 * The time a read's shard windows split: creation time for a full read of a stream that can window
 * by it (an edit while the shards run cannot move a record out of its window, the way it can move
 * out of an updated-time window past the shard's cursor), else update time (a historical read, an
 * explicit since: "updated since").
 */
export function shardWindowOn(
  job: Pick<Job, "mode" | "options">,
  stream: Pick<StreamDef, "createdAt">,
): "created" | undefined {
  return job.mode === "full" && !job.options.since && stream.createdAt ? "created" : undefined;
}

/** A full read, or a historical one (an explicit `since`): the reads shards are for. */
export function isWindowedRead(job: Pick<Job, "mode" | "options">): boolean {
  return job.mode === "full" || (job.mode === "incremental" && Boolean(job.options.since));
}

/**
 * Splits [from, to) into `n` windows of equal length (at least 1 ms each: fewer windows when the
 * range is shorter). `from` null (nothing to go by) gives one window; the first window's start is
 * `openStart` (null: every earlier time) and the last one's end `openEnd` (null: every later time).
 */
export function planWindows(opts: {
  from: Date | null;
  to: Date;
  n: number;
  openStart: string | null;
  openEnd: string | null;
}): ShardWindow[] {
  const { from, to, openStart, openEnd } = opts;
  const span = from ? to.getTime() - from.getTime() : 0;
  const n = Math.max(1, Math.min(opts.n, MAX_SHARDS, Math.floor(span)));
  if (!from || n === 1) return [{ start: openStart, end: openEnd }];
  const cuts: string[] = [];
  for (let i = 1; i < n; i++) cuts.push(new Date(from.getTime() + Math.floor((span * i) / n)).toISOString());
  return Array.from({ length: n }, (_, i) => ({
    start: i === 0 ? openStart : cuts[i - 1],
    end: i === n - 1 ? openEnd : cuts[i],
  }));
}

/**
 * The stream's high-water mark after every shard finished: the newest version read, but never past
 * the time the windows were planned. A record updated after that may have moved out of a window
 * before its shard got there; the next incremental read starts before then and finds it.
 */
export function shardedHighWaterMark(
  runMaxes: (string | null | undefined)[],
  plannedAt: string,
): string | null {
  const seen = runMaxes.filter((m): m is string => typeof m === "string" && m !== "");
  if (seen.length === 0) return null;
  const newest = seen.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  return Date.parse(newest) > Date.parse(plannedAt) ? plannedAt : newest;
}
