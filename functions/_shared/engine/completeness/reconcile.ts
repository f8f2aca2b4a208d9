// Reconcile a stream (job mode "reconcile"): list the source's ids, mark live rows the source no
// longer has deleted, re-fetch the ids missing here (8 at a time; this undeletes rows that came
// back), then record what the stream looks like now. Planning is pure (completeness.ts); a job that yields
// plans again on its next invocation (what was re-fetched is live by then) and adds its counts to
// the ones it recorded before.
import type { StreamDef } from "../connector/mod.ts";
import { db } from "../queue/mod.ts";
import type { Sql } from "../types.ts";
import { completenessDb, describeCompleteness, listAllIds } from "./completeness_check.ts";
import { completenessFromIds, planReconcile } from "./completeness.ts";
import { SynclineError } from "../errors.ts";
import { prepareRecords } from "../records/mod.ts";
import { mergeRecords, type StreamRun } from "../stream/mod.ts";

/** Largest share of a stream's live rows one reconcile marks deleted unless forced. */
export const DEFAULT_MAX_DELETE_SHARE = 0.5;
/** Records re-fetched per merge call. */
const REFETCH_BATCH = 50;
/** Re-fetches in flight at once (the source's shared rate limiter still paces them). */
const REFETCH_CONCURRENCY = 8;

/** fn over items, at most `limit` at a time, results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export interface ReconcileCounts extends Record<string, unknown> {
  listed: number;
  refetched: number;
  undeleted: number;
  deleted: number;
  /** Ids the source listed but could no longer read (deleted between listing and re-fetch). */
  vanished: number;
  held?: string;
}

export interface ReconcileEnv
  extends Pick<StreamRun, "sql" | "job" | "worker" | "stream" | "ctx" | "leaseSeconds" | "budgetSpent"> {
  /** Counts records handled against the invocation's CPU budget. */
  addRecords?(n: number): void;
  /** Committed keys (the connector's afterCommit hook). */
  committed(keys: string[]): Promise<void>;
  maxDeleteShare?: number;
}

/** Refuses a stream that cannot be reconciled, naming why. */
export async function assertReconcilable(sql: Sql, connector: string, stream: StreamDef): Promise<void> {
  const why = !stream.listIds
    ? "it cannot list its ids"
    : !stream.fetchOne
    ? "it cannot fetch single records"
    : !(await completenessDb.singleKey(sql, stream.target))
    ? `its target ${stream.target} is not keyed by one column`
    : null;
  if (why) {
    throw new SynclineError(
      "unsupported",
      `Stream "${stream.name}" of "${connector}" cannot be reconciled: ${why}`,
      422,
    );
  }
}

export async function reconcileStream(env: ReconcileEnv): Promise<"done" | "yield" | "cancelled"> {
  const { sql, job, worker, stream } = env;
  await assertReconcilable(sql, job.connector, stream);
  const before = (await db.getProgress(sql, job.id)).find((p) => p.phase === stream.name) as
    | { completeness?: { reconcile?: ReconcileCounts } }
    | undefined;
  const counts: ReconcileCounts = {
    listed: 0,
    refetched: 0,
    undeleted: 0,
    deleted: 0,
    vanished: 0,
    ...before?.completeness?.reconcile,
  };
  await db.reportProgress(sql, job.id, stream.name, { message: "listing the source's ids" });
  const sourceIds = await listAllIds(stream, env.ctx);
  counts.listed = new Set(sourceIds).size;
  const plan = planReconcile({
    sourceIds,
    liveKeys: await completenessDb.targetKeys(sql, stream.target),
    deletedKeys: await completenessDb.targetKeys(sql, stream.target, true),
    maxDeleteShare: env.maxDeleteShare ?? DEFAULT_MAX_DELETE_SHARE,
    force: Boolean(job.options.force),
  });
  counts.deleted += await completenessDb.markDeleted(sql, job.id, worker, stream.target, plan.gone);
  if (plan.held) counts.held = plan.held;
  const undelete = new Set(plan.undelete);
  const saveCounts = () =>
    completenessDb.record(sql, job.id, worker, stream.name, {
      status: "unverified",
      reason: "reconcile under way",
      reconcile: { ...counts },
    });
  await saveCounts();
  for (let i = 0; i < plan.refetch.length; i += REFETCH_BATCH) {
    if (env.budgetSpent()) return "yield";
    const fetched = await mapLimited(
      plan.refetch.slice(i, i + REFETCH_BATCH),
      REFETCH_CONCURRENCY,
      (id) => stream.fetchOne!(env.ctx, id),
    );
    env.addRecords?.(fetched.length);
    const records = fetched.filter((r) => r !== null);
    counts.vanished += fetched.length - records.length;
    const prepared = prepareRecords(stream, records, `${stream.name}:reconcile`);
    for (const f of prepared.failures) {
      await db.recordFailedItem(sql, {
        jobId: job.id,
        stream: stream.name,
        itemKey: f.key,
        payload: f.payload,
        errorClass: f.errorClass,
        error: f.error,
      });
    }
    const merged = await mergeRecords(env, prepared, plan.refetch.length);
    counts.refetched += prepared.keys.length;
    counts.undeleted += prepared.keys.filter((k) => undelete.has(k)).length;
    await saveCounts();
    await env.committed(prepared.keys);
    if (merged.cancelRequested) return "cancelled";
  }
  const result = {
    ...completenessFromIds(sourceIds, await completenessDb.targetKeys(sql, stream.target)),
    reconcile: { ...counts },
  };
  await completenessDb.record(sql, job.id, worker, stream.name, result);
  await db.reportProgress(sql, job.id, stream.name, {
    status: "done",
    message:
      `reconciled: ${counts.listed} ids listed, ${counts.refetched} re-fetched (${counts.undeleted} undeleted), ${counts.deleted} marked deleted${
        counts.held ? ` (${counts.held})` : ""
      }; ${describeCompleteness(result)}`,
  });
  return "done";
}
