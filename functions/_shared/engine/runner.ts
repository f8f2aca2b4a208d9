// Runs jobs: claims queued jobs and runs each within the invocation's wall-clock and CPU budget:
// a promotion job (promotion/job.ts), a job the connector runs itself (Connector.runJob), or its
// streams in dependency order: listings page by page (fetch -> validate -> merge, with the next
// page fetched, and on trigger-free targets merged, while one commits; page_merge.ts writes rows,
// checkpoint and progress in one transaction), single-record syncs, failed-item retries and dry
// runs. A spent budget releases the job, which stays queued and resumes from its checkpoint.
import { type Connector, type FetchContext, orderStreams, type StreamDef } from "./connector.ts";
import type { CpuBudget } from "./cpu_budget.ts";
import { db, type Job, type PageResult, type Sql } from "./db.ts";
import { HttpError, SynclineError } from "./errors.ts";
import type { HttpClient, HttpStats } from "./http.ts";
import { createHttpClient } from "./http_client.ts";
import { incrementalSince, prepareRecords, recordLabel } from "./records.ts";
import { whenConnected } from "./connection_guard.ts";
import { isConnectionError, reliabilityDb } from "./failed_items.ts";
import { retryFailedItems } from "./retry_items.ts";
import { runPromotionJob } from "../promotion/job.ts";
import { storedVersions } from "./stored_versions.ts";
import { recordJobStep, recordOutcome } from "./steps.ts";
import { checkCompleteness, completenessDb, describeCompleteness } from "./completeness_check.ts";
import { reconcileStream } from "./reconcile.ts";

export interface RunnerDeps {
  sql: Sql;
  connectors: Record<string, Connector>;
  /** Settings of a connector (token, baseUrl override, ...); one set for all its accounts. */
  connectorConfig(connector: string): Record<string, unknown>;
  workerId: string;
  now?: () => number;
  /** Builds the HTTP client for a connector (tests inject policies). */
  httpFor?(connector: Connector, config: Record<string, unknown>): HttpClient;
  log?: (line: string) => void;
  /** The invocation's CPU budget (an Edge Function request has ~2 s of CPU); none: wall clock only. */
  cpuBudget?: CpuBudget;
}

export interface RunOptions {
  /** Wall-clock budget of this invocation in ms (an Edge Function has ~150 s). */
  budgetMs: number;
  leaseSeconds?: number;
  connector?: string;
}

export interface JobOutcome {
  jobId: number;
  status: "succeeded" | "partial" | "failed" | "cancelled" | "yielded" | "lost";
  error?: string;
}

type StreamResult = "done" | "yield" | "cancelled";

/** Claims and runs queued jobs until the budget is spent or nothing is left. */
export async function runUntilIdle(deps: RunnerDeps, opts: RunOptions): Promise<JobOutcome[]> {
  const now = deps.now ?? Date.now;
  const deadline = now() + opts.budgetMs;
  const outcomes: JobOutcome[] = [];
  while (now() < deadline && !deps.cpuBudget?.spent()) {
    const outcome = await runNextJob(deps, { ...opts, budgetMs: deadline - now() });
    if (!outcome) break;
    outcomes.push(outcome);
    if (outcome.status === "yielded") break;
  }
  return outcomes;
}

/** Claims one job and runs it within the budget; null when no job is waiting. */
export async function runNextJob(deps: RunnerDeps, opts: RunOptions): Promise<JobOutcome | null> {
  const job = await db.claimJob(deps.sql, deps.workerId, opts.leaseSeconds ?? 60, opts.connector);
  if (!job) return null;
  const now = deps.now ?? Date.now;
  return await runJob(deps, job, now() + opts.budgetMs, opts.leaseSeconds ?? 60);
}

export async function runJob(
  deps: RunnerDeps,
  job: Job,
  deadline: number,
  leaseSeconds = 60,
): Promise<JobOutcome> {
  const { sql, workerId } = deps;
  const log = deps.log ?? (() => {});
  const connector = deps.connectors[job.connector];
  let http: HttpClient | undefined;
  // this invocation's HTTP figures go to sync.job_http_stats (and jobs.stats.http) at its end
  const flushHttpStats = async () => {
    if (!http || (http.stats.requests === 0 && http.stats.circuitRejections === 0)) return;
    const delta: HttpStats = { ...http.stats };
    await reliabilityDb.addHttpStats(sql, job.id, http.source, delta);
    for (const k of Object.keys(delta) as (keyof HttpStats)[]) http.stats[k] -= delta[k];
  };
  const finish = async (status: JobOutcome["status"], error: string | null): Promise<JobOutcome> => {
    const done = await db.finishJob(sql, job.id, workerId, status, error);
    await flushHttpStats();
    log(`job ${job.id} ${done.status}${error ? `: ${error}` : ""}`);
    return { jobId: job.id, status: done.status as JobOutcome["status"], error: error ?? undefined };
  };
  try {
    if (!connector) return await finish("failed", `Unknown connector "${job.connector}"`);
    const config = deps.connectorConfig(job.connector);
    if (job.mode === "promote") {
      const now = deps.now ?? Date.now;
      const result = await runPromotionJob({ sql, job, workerId, deadline, leaseSeconds, now });
      if (result === "yield") {
        await db.releaseJob(sql, job.id, workerId);
        log(`job ${job.id} yielded (budget spent); it stays queued`);
        return { jobId: job.id, status: "yielded" };
      }
      return await finish(
        result === "cancelled" ? "cancelled" : "succeeded",
        result === "cancelled" ? "cancelled on request" : null,
      );
    }
    http = deps.httpFor?.(connector, config) ?? createHttpClient(connector, config, sql, job.account);
    const streams = orderStreams(connector, job.streams);
    const progress = new Map((await db.getProgress(sql, job.id)).map((p) => [p.phase, p]));
    const run = new JobRun(deps, job, connector, config, http, deadline, leaseSeconds);
    const env = { sql, job, workerId, http, config, deadline, leaseSeconds, now: deps.now ?? Date.now, log };
    // a connector may run a job itself (Bubble's integrity sync); then the stream loop is skipped
    const custom = connector.runJob?.(env) ?? null;
    const outcome = custom ? await custom : null;
    if (outcome === "yield") {
      await db.releaseJob(sql, job.id, workerId);
      await flushHttpStats();
      log(`job ${job.id} yielded (budget spent); it stays queued`);
      return { jobId: job.id, status: "yielded" };
    }
    if (outcome === "cancelled") return await finish("cancelled", "cancelled on request");
    for (const stream of custom ? [] : streams) {
      const status = progress.get(stream.name)?.status;
      if (status === "done" || status === "skipped") continue;
      const result = job.mode === "single"
        ? await run.single(stream, progress.get(stream.name)?.done ?? 0)
        : job.mode === "retry"
        ? await run.retry(stream)
        : job.mode === "reconcile"
        ? await run.reconcile(stream)
        : await run.listing(stream);
      if (result === "yield") {
        await db.releaseJob(sql, job.id, workerId);
        await flushHttpStats();
        log(`job ${job.id} yielded (budget spent); it stays queued`);
        return { jobId: job.id, status: "yielded" };
      }
      if (result === "cancelled") return await finish("cancelled", "cancelled on request");
    }
    if (!job.options.dryRun) await connector.afterJob?.(env);
    return await finish("succeeded", null);
  } catch (err) {
    if (err instanceof SynclineError && err.code === "lease_lost") {
      log(`job ${job.id}: ${err.message}`);
      return { jobId: job.id, status: "lost", error: err.message };
    }
    if (isConnectionError(err)) {
      // the database went away: the job is not failed. Once the database answers again (waiting
      // with backoff, while the lease lasts) it goes back to the queue, so this worker's next claim
      // resumes it from its checkpoint at once; else whoever claims it after its lease expires does
      const message = `lost the database connection: ${(err as Error)?.message ?? String(err)}`;
      log(`job ${job.id}: ${message}`);
      const now = deps.now ?? Date.now;
      await whenConnected(() => db.releaseJob(sql, job.id, workerId), {
        forMs: Math.max(0, Math.min(leaseSeconds * 1000, deadline - now())),
        now,
      }).then(
        () => log(`job ${job.id}: the database is back; the job is queued again`),
        () => {},
      );
      return { jobId: job.id, status: "lost", error: message };
    }
    const message = err instanceof HttpError || err instanceof SynclineError
      ? err.message
      : `Unexpected error: ${(err as Error)?.message ?? String(err)}`;
    try {
      return await finish("failed", message);
    } catch (finishErr) {
      // the lease is gone (or the database is): whoever holds the job now will finish it
      return { jobId: job.id, status: "lost", error: `${message}; then: ${(finishErr as Error).message}` };
    }
  }
}

class JobRun {
  private readonly now: () => number;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly job: Job,
    private readonly connector: Connector,
    private readonly config: Record<string, unknown>,
    private readonly http: HttpClient,
    private readonly deadline: number,
    private readonly leaseSeconds: number,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** The wall-clock deadline passed, or the invocation's CPU budget is spent. */
  private budgetSpent(): boolean {
    return this.now() >= this.deadline || (this.deps.cpuBudget?.spent() ?? false);
  }

  private context(since: Date | null, stream?: StreamDef): FetchContext {
    const o = this.job.options;
    const skipUnchanged = stream && this.job.mode === "incremental" && !o.force && !o.dryRun;
    return {
      http: this.http,
      config: this.config,
      since,
      until: this.job.options.until ? new Date(this.job.options.until) : null,
      pageSize: Number(this.config.pageSize ?? this.connector.pageSize),
      storedVersions: skipUnchanged
        ? (keys) => storedVersions(this.deps.sql, stream.target, keys)
        : undefined,
    };
  }

  private async failItems(stream: StreamDef, failures: ReturnType<typeof prepareRecords>["failures"]) {
    if (this.job.options.dryRun) return;
    for (const f of failures) {
      await db.recordFailedItem(
        this.deps.sql,
        this.job.id,
        stream.name,
        f.key,
        f.payload,
        f.errorClass,
        f.error,
      );
    }
  }

  /** The connector's afterCommit hook (staged promotion), for committed records of a stream. */
  private async committed(stream: StreamDef, keys: string[] | null): Promise<void> {
    if (!this.connector.afterCommit || this.job.options.dryRun || keys?.length === 0) return;
    await this.connector.afterCommit({
      sql: this.deps.sql,
      job: this.job,
      stream,
      config: this.config,
      keys,
      log: this.deps.log ?? (() => {}),
    });
  }

  private httpSummary(): string {
    return `${this.http.stats.requests} requests, ${this.http.stats.retries} retries`;
  }

  /** Retry job: re-attempts the stream's due failed items (retry_items.ts). */
  async retry(stream: StreamDef): Promise<StreamResult> {
    const result = await retryFailedItems({
      sql: this.deps.sql,
      workerId: this.deps.workerId,
      job: this.job,
      stream,
      ctx: this.context(null),
      deadline: this.deadline,
      leaseSeconds: this.leaseSeconds,
      now: this.now,
    });
    return result.outcome;
  }

  /** Reconcile job: the source's ids against the target's rows (reconcile.ts). */
  async reconcile(stream: StreamDef): Promise<StreamResult> {
    return await reconcileStream({
      sql: this.deps.sql,
      job: this.job,
      worker: this.deps.workerId,
      stream,
      ctx: this.context(null),
      leaseSeconds: this.leaseSeconds,
      budgetSpent: () => this.budgetSpent(),
      addRecords: (n) => this.deps.cpuBudget?.addRecords(n),
      committed: (keys) => this.committed(stream, keys),
      maxDeleteShare: this.config.reconcileMaxDeleteShare === undefined
        ? undefined
        : Number(this.config.reconcileMaxDeleteShare),
    });
  }

  /** Full or incremental read of a stream's listing, resuming from this job's checkpoint. */
  async listing(stream: StreamDef): Promise<StreamResult> {
    const { sql, workerId } = this.deps;
    const job = this.job;
    const dry = Boolean(job.options.dryRun);
    const cp = await db.getCheckpoint(sql, job.connector, job.account, stream.name);
    const state = (cp?.state ?? {}) as {
      job_id?: number;
      running?: boolean;
      since?: string | null;
      run_max?: string;
      /** the listing's total as its first page gave it (completeness) */
      source_total?: number | null;
      /** the read was begun by this job's id (a resumed earlier read cannot be judged) */
      started_by?: number;
    };
    // an interrupted read (this job's, or an earlier job's that failed or was cut short) goes on
    // from its cursor, unless this job asks for its own window or a full read the old one was not
    const ownWindow = Boolean(job.options.since || job.options.until || job.options.force);
    const resuming = !dry && state.running === true &&
      (state.job_id === job.id || (!ownWindow && (job.mode !== "full" || !state.since)));
    let since: Date | null;
    let cursor: string | null = null;
    let runMax: string | null = null;
    let sourceTotal: number | null = null;
    let startedBy = job.id;
    if (resuming) {
      since = state.since ? new Date(state.since) : null;
      cursor = cp?.cursor ?? null;
      runMax = state.run_max ?? null;
      sourceTotal = state.source_total ?? null;
      startedBy = state.started_by ?? 0;
    } else {
      since = incrementalSince(
        stream,
        job,
        job.options.force ? null : cp?.high_water_mark ?? null,
        this.now(),
      );
      if (!dry) {
        await db.saveCheckpoint(sql, job.id, stream.name, null, null, {
          job_id: job.id,
          running: true,
          since: since?.toISOString() ?? null,
          started_by: job.id,
        });
      }
    }
    await db.reportProgress(sql, job.id, stream.name, {
      message: `${resuming ? "resuming" : "reading"} ${
        since ? `records updated since ${since.toISOString()}` : "all records"
      }`,
    });
    const ctx = this.context(since, stream);
    // the next page is read and validated while this one is merged, so the API, this process
    // and Postgres work at once; a prefetched page that is never merged (budget, cancel, error)
    // is simply read again from the checkpoint later. Of a page only what the merge needs is kept,
    // its rows serialised at once: the parsed records die young instead of living through the
    // previous page's merge (a quarter less CPU in this process, see README "Measured figures").
    const read = (from: string | null) =>
      stream.fetchPage(ctx, from).then(({ records, nextCursor, total }) => {
        const { rows, json, keys, ...prepared } = prepareRecords(
          stream,
          records,
          `${stream.name}:${from ?? "first"}`,
        );
        return {
          page: { nextCursor, total, size: records.length },
          prepared: { ...prepared, count: rows.length, rows: json, keys, keySet: new Set(keys) },
        };
      });
    let next: ReturnType<typeof read> | null = null;
    // Two pages can be in Postgres at once, on two connections: the next page is merged while the
    // one before it commits. Its bookkeeping and commit wait for that page's outcome (db.mergePage
    // with `after`), so checkpoints move in order and a page whose predecessor failed rolls back.
    // Pages sharing a record are not overlapped (each could wait for the other's rows, and the
    // later one waits for the earlier one here, where Postgres cannot see it), nor are pages of a
    // target with triggers (which may lock rows elsewhere).
    const overlap = !dry && await db.canOverlapPages(sql, stream.target);
    let inflight: { result: Promise<PageResult>; keys: Set<string> } | null = null;
    const settle = async () => {
      const landed = inflight;
      const r = landed ? await landed.result : null;
      inflight = null;
      if (landed) await this.committed(stream, [...landed.keys]);
      return r?.cancelRequested === true;
    };
    while (true) {
      if (this.budgetSpent()) {
        await settle();
        return "yield";
      }
      const { page, prepared } = await (next ?? read(cursor));
      this.deps.cpuBudget?.addRecords(page.size);
      next = null;
      if (sourceTotal === null && typeof page.total === "number") sourceTotal = page.total;
      if (page.nextCursor !== null) {
        next = read(page.nextCursor);
        next.catch(() => {}); // its error surfaces when it is awaited
      }
      await this.failItems(stream, prepared.failures);
      if (prepared.maxUpdatedAt && (!runMax || prepared.maxUpdatedAt > runMax)) {
        runMax = prepared.maxUpdatedAt;
      }
      const last = page.nextCursor === null;
      let cancel = false;
      if (dry) {
        const { rejected, ...counts } = prepared.count
          ? await db.dryMerge(sql, stream.target, prepared.rows)
          : { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
        await db.reportProgress(sql, job.id, stream.name, {
          doneDelta: prepared.count + prepared.failures.length,
          total: page.total ?? null,
          counts: { ...counts, failed: prepared.failures.length + rejected, sanitised: prepared.sanitised },
        });
        cancel = !last && await db.heartbeat(sql, job.id, workerId, this.leaseSeconds);
      } else {
        const before = inflight as typeof inflight;
        if (before && (!overlap || prepared.keys.some((k) => before.keys.has(k)))) {
          cancel = await settle();
        }
        const after = inflight?.result ?? null;
        const result = db.mergePage(sql, {
          jobId: job.id,
          worker: workerId,
          stream: stream.name,
          target: stream.target,
          rows: prepared.rows,
          keys: prepared.keys,
          cursor: page.nextCursor,
          // the high-water mark moves only when the whole listing was read
          highWaterMark: last ? runMax : null,
          total: page.total ?? null,
          failed: prepared.failures.length,
          sanitised: prepared.sanitised,
          saveCheckpoint: true,
          state: {
            job_id: job.id,
            running: !last,
            since: since?.toISOString() ?? null,
            run_max: runMax,
            source_total: sourceTotal,
            started_by: startedBy,
          },
          leaseSeconds: this.leaseSeconds,
        }, after);
        result.catch(() => {}); // its error surfaces when it is awaited
        if (inflight) cancel = await settle() || cancel;
        inflight = { result, keys: prepared.keySet };
        if (last || cancel) cancel = await settle() || cancel;
      }
      if (last) {
        let checked = "";
        if (!dry) {
          await this.committed(stream, null);
          // a read of the whole listing is checked against what the source says it has
          if (since === null && ctx.until === null) {
            const read = (await db.getProgress(sql, job.id)).find((p) => p.phase === stream.name)?.done ?? 0;
            const result = await checkCompleteness({
              sql,
              jobId: job.id,
              worker: workerId,
              stream,
              ctx,
              facts: {
                // a listing that skipped records it found unchanged read fewer than its total: ids only
                sourceTotal: ctx.storedVersions ? null : sourceTotal,
                read,
                notFull: startedBy === job.id ? undefined : "the read resumed one an earlier job began",
              },
              // SQUARE_COMPLETENESS_IDS=false (or config completenessIds: false) skips the id listing
              listIds: String(this.config.completenessIds) !== "false",
            });
            checked = `; ${describeCompleteness(result)}`;
          }
        }
        await db.reportProgress(sql, job.id, stream.name, {
          status: "done",
          message: `done (${this.httpSummary()})${checked}`,
        });
        return "done";
      }
      cursor = page.nextCursor;
      if (cancel) return "cancelled";
    }
  }

  /**
   * Single-record sync: re-fetch the named records and merge them (webhooks, --order). Every id
   * handled adds exactly one to the stream's progress, in the transaction that lands it, so a job
   * that yielded goes on after the `handled` ids it already did instead of starting over (a long
   * list under a small budget would otherwise never finish).
   */
  async single(stream: StreamDef, handled: number): Promise<StreamResult> {
    const { sql, workerId } = this.deps;
    const ids = this.job.options.records?.[stream.name] ?? [];
    if (!stream.fetchOne) {
      throw new SynclineError(
        "unsupported",
        `Stream "${stream.name}" of "${this.connector.name}" cannot fetch single records`,
        422,
      );
    }
    const ctx = this.context(null);
    let missing = 0;
    for (const id of ids.slice(handled)) {
      if (this.budgetSpent()) return "yield";
      this.deps.cpuBudget?.addRecords(1);
      let record: unknown;
      try {
        record = await stream.fetchOne(ctx, id);
      } catch (err) {
        // a record the API refuses for good (403, 400, ...) is a failed item, not a failed job
        if (!(err instanceof HttpError) || err.transient) throw err;
        await db.recordFailedItem(
          sql,
          this.job.id,
          stream.name,
          id,
          null,
          "http",
          `${recordLabel(stream.name, id)}: ${err.message}`,
        );
        await this.step(stream, id, "failed", { error: err.message });
        const refused = await db.mergePage(sql, {
          jobId: this.job.id,
          worker: workerId,
          stream: stream.name,
          target: null,
          rows: [],
          cursor: null,
          total: ids.length,
          failed: 1,
          saveCheckpoint: false,
          leaseSeconds: this.leaseSeconds,
        });
        if (refused.cancelRequested) return "cancelled";
        continue;
      }
      if (record === null) {
        // gone at the source: nothing to merge, but handled (and counted, for a resume); its row,
        // if any, is marked deleted (or deleted, per target)
        missing++;
        if (!this.job.options.dryRun && await completenessDb.singleKey(sql, stream.target)) {
          await completenessDb.markDeleted(sql, this.job.id, workerId, stream.target, [id]);
        }
        await this.step(stream, id, "missing");
        await db.reportProgress(sql, this.job.id, stream.name, {
          doneDelta: 1,
          total: ids.length,
          message: `${id} no longer exists at the source`,
        });
        continue;
      }
      const prepared = prepareRecords(stream, [record], `${stream.name}:${id}`);
      await this.failItems(stream, prepared.failures);
      const merged = await db.mergePage(sql, {
        jobId: this.job.id,
        worker: workerId,
        stream: stream.name,
        target: stream.target,
        rows: prepared.json,
        keys: prepared.keys,
        cursor: null,
        total: ids.length,
        failed: prepared.failures.length,
        sanitised: prepared.sanitised,
        saveCheckpoint: false,
        leaseSeconds: this.leaseSeconds,
      });
      await this.committed(stream, prepared.keys);
      await this.step(stream, id, recordOutcome(merged, prepared.failures.length), {
        ...(prepared.failures[0] ? { error: prepared.failures[0].error } : {}),
      });
      if (merged.cancelRequested) return "cancelled";
    }
    if (handled > 0) {
      // ids gone at the source in earlier invocations: handled, but neither merged nor failed
      const p = (await db.getProgress(sql, this.job.id)).find((x) => x.phase === stream.name);
      if (p) missing = p.done - p.inserted - p.updated - p.unchanged - p.stale - p.failed;
    }
    await this.committed(stream, null);
    await db.reportProgress(sql, this.job.id, stream.name, {
      status: "done",
      message: missing
        ? `${missing} of ${ids.length} records no longer exist at the source`
        : `done (${this.httpSummary()})`,
    });
    return "done";
  }

  /** One line of the job's step log (sql/sync_steps.sql), broadcast as sync_ticket_progress. */
  private step(stream: StreamDef, id: string, status: string, detail: Record<string, unknown> = {}) {
    return recordJobStep(this.deps.sql, {
      jobId: this.job.id,
      stream: stream.name,
      itemKey: id,
      step: "record",
      status,
      detail,
    });
  }
}
