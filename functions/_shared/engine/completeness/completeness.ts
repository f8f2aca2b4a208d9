// Completeness and reconcile planning, pure: what the source says it has against what landed, and
// which ids a reconcile re-fetches or marks deleted. The I/O around it is completeness_check.ts
// and reconcile.ts.

/** Ids shown with a gap (the rest are counted). */
export const SAMPLE_IDS = 10;

/** The result recorded per stream on the job (sync.progress.completeness) and as its latest. */
export type Completeness =
  | { status: "complete"; method: "total" | "ids"; source: number; landed: number; note?: string }
  | {
    status: "gap";
    method: "total" | "ids";
    source: number;
    landed: number;
    missing: number;
    sampleIds: string[];
  }
  | { status: "unverified"; reason: string };

/** A result as recorded: a reconcile adds its counts (reconcile.ts). */
export type RecordedCompleteness = Completeness & { reconcile?: Record<string, unknown> };

/** What a full read knew when it ended. */
export interface ReadFacts {
  /** The listing's total as its first page gave it (what the source had when the read began). */
  sourceTotal: number | null;
  /** Records the listing delivered in this job (merged or failed). */
  read: number;
  /** Whether the stream can list its ids (StreamDef.listIds). */
  canListIds: boolean;
  /** Why this read cannot be judged at all (a window, a read resumed from another job), if so. */
  notFull?: string;
}

/** The next step of a completeness check after a full read. */
export type CompletenessStep =
  | { kind: "done"; result: Completeness }
  | { kind: "list-ids" };

/**
 * Judges a full read by the source's total; when the total shows a shortfall (or there is none) and
 * the stream can list its ids, the ids decide (they name the missing records, and explain a total
 * that counted records deleted during the read).
 */
export function planCompleteness(f: ReadFacts): CompletenessStep {
  if (f.notFull) return { kind: "done", result: { status: "unverified", reason: f.notFull } };
  if (f.sourceTotal !== null && f.read >= f.sourceTotal) {
    return {
      kind: "done",
      result: { status: "complete", method: "total", source: f.sourceTotal, landed: f.read },
    };
  }
  if (f.canListIds) return { kind: "list-ids" };
  if (f.sourceTotal === null) {
    return {
      kind: "done",
      result: {
        status: "unverified",
        reason:
          "the API gives no total and no id listing was made (the stream has none, or it is turned off)",
      },
    };
  }
  return {
    kind: "done",
    result: {
      status: "gap",
      method: "total",
      source: f.sourceTotal,
      landed: f.read,
      missing: f.sourceTotal - f.read,
      sampleIds: [],
    },
  };
}

/** Completeness by ids: every id the source lists must be a live row of the target. */
export function completenessFromIds(
  sourceIds: Iterable<string>,
  liveKeys: ReadonlySet<string>,
): Completeness {
  const source = new Set(sourceIds);
  const missing = [...source].filter((id) => !liveKeys.has(id));
  const landed = source.size - missing.length;
  if (missing.length === 0) return { status: "complete", method: "ids", source: source.size, landed };
  return {
    status: "gap",
    method: "ids",
    source: source.size,
    landed,
    missing: missing.length,
    sampleIds: missing.sort().slice(0, SAMPLE_IDS),
  };
}

export interface ReconcilePlan {
  /** Ids the source has that are not live here (new, or marked deleted and back): re-fetched. */
  refetch: string[];
  /** Of refetch, those marked deleted here: the merge undeletes them. */
  undelete: string[];
  /** Live rows the source no longer lists: marked deleted (or deleted, per target). */
  gone: string[];
  /** Why the deletions are held back (a listing that would delete too much), if they are. */
  held?: string;
}

export interface ReconcileInput {
  sourceIds: Iterable<string>;
  liveKeys: Iterable<string>;
  deletedKeys: Iterable<string>;
  /** Largest share of live rows one reconcile may mark deleted without force (0..1). */
  maxDeleteShare: number;
  force: boolean;
}

/**
 * Which ids a reconcile re-fetches and which it marks deleted. An id listing that would mark more
 * than maxDeleteShare of the live rows deleted (an empty answer, a wrong account) is not trusted:
 * the deletions are held unless forced, the re-fetches still happen.
 */
export function planReconcile(input: ReconcileInput): ReconcilePlan {
  if (!(input.maxDeleteShare >= 0 && input.maxDeleteShare <= 1)) {
    throw new RangeError(`maxDeleteShare must be between 0 and 1, got ${input.maxDeleteShare}`);
  }
  const source = new Set(input.sourceIds);
  const live = new Set(input.liveKeys);
  const deleted = new Set(input.deletedKeys);
  const refetch = [...source].filter((id) => !live.has(id)).sort();
  const undelete = refetch.filter((id) => deleted.has(id));
  const gone = [...live].filter((id) => !source.has(id)).sort();
  if (!input.force && gone.length > 0 && gone.length > input.maxDeleteShare * live.size) {
    const held = `the source no longer lists ${gone.length} of ${live.size} rows, more than ${
      Math.round(input.maxDeleteShare * 100)
    }%: nothing marked deleted (run again with force to accept)`;
    return { refetch, undelete, gone: [], held };
  }
  return { refetch, undelete, gone };
}
