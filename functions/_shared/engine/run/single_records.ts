// Single-record sync: re-fetch the named records of a stream and merge them (webhooks, --order).
// Every id handled adds exactly one to the stream's progress, in the transaction that lands it,
// so a job that yielded goes on after the `handled` ids it already did instead of starting over
// (a long list under a small budget would otherwise never finish).
import { completenessDb } from "../completeness/mod.ts";
import { mergePage } from "../merge/mod.ts";
import { db, recordJobStep, recordOutcome } from "../queue/mod.ts";
import { HttpError, SynclineError } from "../errors.ts";
import { prepareRecords, recordLabel } from "../records/mod.ts";
import { mergeRecords, type StreamRun } from "../stream/mod.ts";

export interface SingleRecordsOptions extends StreamRun {
  connectorName: string;
  /** ids of the stream this job already handled in earlier invocations */
  handled: number;
  /** "N requests, M retries" of this invocation, for the done message */
  httpSummary(): string;
}

/** Syncs the job's named records of one stream; "yield" when the budget ran out first. */
export async function syncSingleRecords(opts: SingleRecordsOptions): Promise<"done" | "yield" | "cancelled"> {
  const { sql, job, worker, stream, ctx, handled } = opts;
  const ids = job.options.records?.[stream.name] ?? [];
  if (!stream.fetchOne) {
    throw new SynclineError(
      "unsupported",
      `Stream "${stream.name}" of "${opts.connectorName}" cannot fetch single records`,
      422,
    );
  }
  // one line of the job's step log (sql/sync_steps.sql), broadcast as sync_ticket_progress
  const step = (id: string, status: string, detail: Record<string, unknown> = {}) =>
    recordJobStep(sql, { jobId: job.id, stream: stream.name, itemKey: id, step: "record", status, detail });
  let missing = 0;
  for (const id of ids.slice(handled)) {
    if (opts.budgetSpent()) return "yield";
    opts.addRecords(1);
    let record: unknown;
    try {
      record = await stream.fetchOne(ctx, id);
    } catch (err) {
      // a record the API refuses for good (403, 400, ...) is a failed item, not a failed job
      if (!(err instanceof HttpError) || err.transient) throw err;
      await db.recordFailedItem(sql, {
        jobId: job.id,
        stream: stream.name,
        itemKey: id,
        payload: null,
        errorClass: "http",
        error: `${recordLabel(stream.name, id)}: ${err.message}`,
      });
      await step(id, "failed", { error: err.message });
      const refused = await mergePage(sql, {
        jobId: job.id,
        worker,
        stream: stream.name,
        target: null,
        rows: [],
        cursor: null,
        total: ids.length,
        failed: 1,
        saveCheckpoint: false,
        leaseSeconds: opts.leaseSeconds,
      });
      if (refused.cancelRequested) return "cancelled";
      continue;
    }
    if (record === null) {
      // gone at the source: nothing to merge, but handled (and counted, for a resume); its row,
      // if any, is marked deleted (or deleted, per target)
      missing++;
      if (!job.options.dryRun && await completenessDb.singleKey(sql, stream.target)) {
        await completenessDb.markDeleted(sql, job.id, worker, stream.target, [id]);
      }
      await step(id, "missing");
      await db.reportProgress(sql, job.id, stream.name, {
        doneDelta: 1,
        total: ids.length,
        message: `${id} no longer exists at the source`,
      });
      continue;
    }
    const prepared = prepareRecords(stream, [record], `${stream.name}:${id}`);
    await opts.failItems(prepared.failures);
    const merged = await mergeRecords(opts, prepared, ids.length);
    await opts.committed(prepared.keys);
    await step(id, recordOutcome(merged, prepared.failures.length), {
      ...(prepared.failures[0] ? { error: prepared.failures[0].error } : {}),
    });
    if (merged.cancelRequested) return "cancelled";
  }
  if (handled > 0) {
    // ids gone at the source in earlier invocations: handled, but neither merged nor failed
    const p = (await db.getProgress(sql, job.id)).find((x) => x.phase === stream.name);
    if (p) missing = p.done - p.inserted - p.updated - p.unchanged - p.stale - p.failed;
  }
  await opts.committed(null);
  await db.reportProgress(sql, job.id, stream.name, {
    status: "done",
    message: missing
      ? `${missing} of ${ids.length} records no longer exist at the source`
      : `done (${opts.httpSummary()})`,
  });
  return "done";
}
