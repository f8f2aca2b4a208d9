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
  };
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
    };
  }
  const since = incrementalSince(
    stream,
    job,
    job.options.force ? null : checkpoint?.high_water_mark ?? null,
    now,
  );
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
    },
  };
}
