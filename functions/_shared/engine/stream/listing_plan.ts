// Where a stream's listing starts: a pure decision from the job, the stored checkpoint and the
// clock (no I/O). An interrupted read (this job's, or an earlier job's that failed or was cut
// short) goes on from its cursor, unless this job asks for its own window or a full read the old
// one was not; otherwise a new window starts at the stream's incremental `since`.
import { z } from "zod";
import type { StreamDef } from "../connector/mod.ts";
import type { Checkpoint, Job } from "../types.ts";
import { incrementalSince } from "../records/mod.ts";

/** The checkpoint's `state` of a listing read (sync.checkpoints.state), as the runner writes it. */
export const ListingState = z.object({
  job_id: z.number().optional(),
  running: z.boolean().optional(),
  since: z.string().nullable().optional(),
  run_max: z.string().nullable().optional(),
  /** the listing's total as its first page gave it (completeness) */
  source_total: z.number().nullable().optional(),
  /** the read was begun by this job's id (a resumed earlier read cannot be judged) */
  started_by: z.number().optional(),
  /** when a full read began (ISO, this process's clock): its catch-up reads what changed since */
  started_at: z.string().nullable().optional(),
  /** the full read's pages are done and its catch-up (a window from started_at) is being read */
  catch_up: z.boolean().optional(),
  /** records the full read delivered before its catch-up (its completeness by total) */
  full_done: z.number().nullable().optional(),
});
export type ListingState = z.infer<typeof ListingState>;

/** The stored state of a listing; a state that is not one (another writer's, damaged) is empty. */
export function parseListingState(state: unknown): ListingState {
  const parsed = ListingState.safeParse(state ?? {});
  return parsed.success ? parsed.data : {};
}

/** Where a read is: what the next checkpoint of the stream records. */
export interface ListingPosition {
  jobId: number;
  /** false once the whole listing was read */
  running: boolean;
  since: Date | null;
  runMax: string | null;
  sourceTotal: number | null;
  startedBy: number;
  /** when the full read began (ISO); its catch-up phase and what it read before it */
  startedAt?: string | null;
  catchUp?: boolean;
  fullDone?: number | null;
}

/** The checkpoint state of a read at `position` (what parseListingState reads back). */
export function serialiseListingState(position: ListingPosition): ListingState {
  return {
    job_id: position.jobId,
    running: position.running,
    since: position.since?.toISOString() ?? null,
    run_max: position.runMax,
    source_total: position.sourceTotal,
    started_by: position.startedBy,
    ...(position.startedAt ? { started_at: position.startedAt } : {}),
    ...(position.catchUp ? { catch_up: true, full_done: position.fullDone ?? null } : {}),
  };
}

/** How long before a full read's start its catch-up window opens by default: clocks differ a little. */
export const CATCH_UP_MARGIN_MS = 2_000;

/**
 * Where the catch-up of a full read starts: its start instant less a margin (this process's clock
 * and the source's differ); a read whose start is unknown (an older checkpoint) looks back over the
 * stream's incremental window instead. null: the stream has no catch-up (it is read whole every
 * time, so it has no window to read).
 */
export function catchUpSince(opts: {
  stream: Pick<StreamDef, "incremental">;
  startedAt: string | null | undefined;
  now: number;
  marginMs?: number;
}): Date | null {
  const { stream, startedAt, now } = opts;
  if (stream.incremental === "full") return null;
  const started = startedAt ? Date.parse(startedAt) : NaN;
  if (!Number.isFinite(started)) return new Date(now - stream.incremental.lookbackMs);
  return new Date(started - Math.max(0, opts.marginMs ?? CATCH_UP_MARGIN_MS));
}

export interface ListingPlanInput {
  job: Pick<Job, "id" | "mode" | "options">;
  stream: Pick<StreamDef, "incremental">;
  checkpoint: Pick<Checkpoint, "cursor" | "high_water_mark" | "state"> | null;
  /** the clock, in ms since the epoch (the incremental look-back window ends here) */
  now: number;
}

export interface ListingPlan {
  /** an interrupted read goes on; else a new window starts */
  resuming: boolean;
  /** a dry run reads without writing checkpoints or rows */
  dryRun: boolean;
  since: Date | null;
  /** the page to read first (null: the first page) */
  cursor: string | null;
  runMax: string | null;
  sourceTotal: number | null;
  /** the job that began the read (0: unknown, an old checkpoint) */
  startedBy: number;
  /** the state to store before the first page of a new window (null: resuming, or a dry run) */
  startState: ListingState | null;
  /** when the full read began (ISO; null: not a full read, or unknown) */
  startedAt: string | null;
  /** the resumed read is a full read's catch-up (`since` is the catch-up's window) */
  catchUp: boolean;
  /** records the full read delivered before its catch-up */
  fullDone: number | null;
}

/** Decides whether a stream's listing resumes its checkpoint or starts a new window, and where. */
export function planListing({ job, stream, checkpoint, now }: ListingPlanInput): ListingPlan {
  const dryRun = Boolean(job.options.dryRun);
  const state = parseListingState(checkpoint?.state);
  const ownWindow = Boolean(job.options.since || job.options.until || job.options.force);
  const resuming = !dryRun && state.running === true &&
    (state.job_id === job.id || (!ownWindow && (job.mode !== "full" || !state.since)));
  if (resuming) {
    return {
      resuming,
      dryRun,
      since: state.since ? new Date(state.since) : null,
      cursor: checkpoint?.cursor ?? null,
      runMax: state.run_max ?? null,
      sourceTotal: state.source_total ?? null,
      startedBy: state.started_by ?? 0,
      startState: null,
      startedAt: state.started_at ?? null,
      catchUp: state.catch_up === true,
      fullDone: state.full_done ?? null,
    };
  }
  const since = incrementalSince(
    stream,
    job,
    job.options.force ? null : checkpoint?.high_water_mark ?? null,
    now,
  );
  // a read of the whole listing keeps its start instant: its catch-up reads what changed since then
  const startedAt = since === null && !job.options.until ? new Date(now).toISOString() : null;
  return {
    resuming,
    dryRun,
    since,
    cursor: null,
    runMax: null,
    sourceTotal: null,
    startedBy: job.id,
    startState: dryRun ? null : {
      job_id: job.id,
      running: true,
      since: since?.toISOString() ?? null,
      started_by: job.id,
      ...(startedAt ? { started_at: startedAt } : {}),
    },
    startedAt,
    catchUp: false,
    fullDone: null,
  };
}
