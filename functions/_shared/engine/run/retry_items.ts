// A retry job (mode "retry"): re-attempts a stream's due failed items one by one. Each record
// is fetched again (stream.fetchOne; without it the stored payload is re-validated), merged and
// resolved when it now passes; a record that fails again is recorded again, which counts an
// attempt and pushes its next retry out (sync._retry_delay: 1 min, 2, 4 ... 24 h) until it is
// given up (sql/sync_retries.sql). Every item is marked retried before its attempt (recovery statistics);
// options.max_items bounds one job (the ops tick's automatic retries).
import type { FetchContext, StreamDef } from "../connector/mod.ts";
import { mergePage } from "../merge/mod.ts";
import { db } from "../queue/mod.ts";
import type { Job, Sql } from "../types.ts";
import { HttpError } from "../errors.ts";
import { prepareRecords, recordLabel, reliabilityDb } from "../records/mod.ts";

export interface RetryRun {
  sql: Sql;
  workerId: string;
  job: Job;
  stream: StreamDef;
  ctx: FetchContext;
  deadline: number;
  leaseSeconds: number;
  now: () => number;
}

export interface RetryResult {
  outcome: "done" | "yield" | "cancelled";
  resolved: number;
  failedAgain: number;
  gone: number;
}

const BATCH = 50;

export async function retryFailedItems(r: RetryRun): Promise<RetryResult> {
  const { sql, job, stream } = r;
  const result: RetryResult = { outcome: "done", resolved: 0, failedAgain: 0, gone: 0 };
  const ids = job.options.failedItemIds?.length ? job.options.failedItemIds : null;
  const maxItems = Number(job.options.max_items) > 0 ? Number(job.options.max_items) : Infinity;
  let attempted = 0;
  while (attempted < maxItems) {
    const items = await reliabilityDb.dueFailedItems(sql, {
      connector: job.connector,
      account: job.account,
      stream: stream.name,
      limit: Math.min(BATCH, maxItems - attempted),
      ids,
      attemptedBefore: job.created_at,
    });
    if (items.length === 0) break;
    attempted += items.length;
    for (const item of items) {
      if (r.now() >= r.deadline) return { ...result, outcome: "yield" };
      await reliabilityDb.markRetried(sql, [item.id]);
      let record: unknown;
      try {
        record = stream.fetchOne ? await stream.fetchOne(r.ctx, item.item_key) : item.payload;
      } catch (err) {
        // transient errors that outlived the retries (and an open circuit) end the job: failed
        if (!(err instanceof HttpError) || err.transient) throw err;
        await db.recordFailedItem(sql, {
          jobId: job.id,
          stream: stream.name,
          itemKey: item.item_key,
          payload: item.payload,
          errorClass: "http",
          error: `${recordLabel(stream.name, item.item_key)}: ${err.message}`,
        });
        await db.reportProgress(sql, job.id, stream.name, { doneDelta: 1, counts: { failed: 1 } });
        result.failedAgain++;
        continue;
      }
      if (record === null) {
        // gone at the source: nothing left to land
        await reliabilityDb.resolveFailedItems(sql, [item.id], "dismissed");
        await db.reportProgress(sql, job.id, stream.name, { doneDelta: 1 });
        result.gone++;
        continue;
      }
      const prepared = prepareRecords(stream, [record], `${stream.name}:${item.item_key}`);
      if (prepared.failures.length > 0) {
        const f = prepared.failures[0];
        await db.recordFailedItem(sql, {
          jobId: job.id,
          stream: stream.name,
          itemKey: item.item_key,
          payload: f.payload,
          errorClass: f.errorClass,
          error: f.error,
        });
        await db.reportProgress(sql, job.id, stream.name, { doneDelta: 1, counts: { failed: 1 } });
        result.failedAgain++;
        continue;
      }
      const merged = await mergePage(sql, {
        jobId: job.id,
        worker: r.workerId,
        stream: stream.name,
        target: stream.target,
        rows: prepared.json,
        keys: prepared.keys,
        cursor: null,
        sanitised: prepared.sanitised,
        saveCheckpoint: false,
      });
      if (merged.rejected) {
        // Postgres refused it again: recorded again (another attempt) with the page
        result.failedAgain++;
        continue;
      }
      await reliabilityDb.resolveFailedItems(sql, [item.id], "resolved");
      result.resolved++;
    }
    if (await db.heartbeat(sql, job.id, r.workerId, r.leaseSeconds)) {
      return { ...result, outcome: "cancelled" };
    }
  }
  await db.reportProgress(sql, job.id, stream.name, {
    status: "done",
    message:
      `retried failed items: ${result.resolved} resolved, ${result.failedAgain} failed again, ${result.gone} gone`,
  });
  return result;
}
