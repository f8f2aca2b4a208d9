// Runs jobs: claims queued jobs and runs each within the invocation's wall-clock and CPU budget:
// a promotion job (promotion/job.ts), a job the connector runs itself (Connector.runJob), or its
// streams in dependency order. Orchestration only: where a listing starts is listing_plan.ts, its
// pages go through page_pipeline.ts (page_merge.ts writes rows, checkpoint and progress in one
// transaction), single-record syncs are single_records.ts, failed-item retries retry_items.ts,
// reconciles reconcile.ts. A spent budget releases the job, which stays queued and resumes from
// its checkpoint.
import { type Connector, type FetchContext, orderStreams, type StreamDef } from "./connector.ts";
import type { RunnerDeps } from "../deps.ts";
import { db, type Job } from "./db.ts";
import { HttpError, SynclineError } from "./errors.ts";
import type { HttpClient, HttpStats } from "./http.ts";
import { createHttpClient } from "./http_client.ts";
import type { prepareRecords } from "./records.ts";
import { planListing } from "./listing_plan.ts";
import { runPagePipeline } from "./page_pipeline.ts";
import { syncSingleRecords } from "./single_records.ts";
import { whenConnected } from "./connection_guard.ts";
import { isConnectionError, reliabilityDb } from "./failed_items.ts";
import { retryFailedItems } from "./retry_items.ts";
import { runPromotionJob } from "../promotion/job.ts";
import { storedVersions } from "./stored_versions.ts";
import { checkCompleteness, describeCompleteness } from "./completeness_check.ts";
import { reconcileStream } from "./reconcile.ts";

export type { RunnerDeps };

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
    const checkpoint = await db.getCheckpoint(sql, job.connector, job.account, stream.name);
    const plan = planListing({ job, stream, checkpoint, now: this.now() });
    if (plan.startState) await db.saveCheckpoint(sql, job.id, stream.name, null, null, plan.startState);
    const { since, startedBy } = plan;
    await db.reportProgress(sql, job.id, stream.name, {
      message: `${plan.resuming ? "resuming" : "reading"} ${
        since ? `records updated since ${since.toISOString()}` : "all records"
      }`,
    });
    const ctx = this.context(since, stream);
    const { outcome, sourceTotal } = await runPagePipeline({
      sql,
      job,
      worker: workerId,
      stream,
      ctx,
      leaseSeconds: this.leaseSeconds,
      start: plan,
      dryRun: plan.dryRun,
      overlap: !plan.dryRun && await db.canOverlapPages(sql, stream.target),
      budgetSpent: () => this.budgetSpent(),
      addRecords: (n) => this.deps.cpuBudget?.addRecords(n),
      failItems: (failures) => this.failItems(stream, failures),
      committed: (keys) => this.committed(stream, keys),
    });
    if (outcome !== "done") return outcome;
    let checked = "";
    if (!plan.dryRun) {
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

  /** Single-record sync of the job's named records (single_records.ts). */
  async single(stream: StreamDef, handled: number): Promise<StreamResult> {
    return await syncSingleRecords({
      sql: this.deps.sql,
      job: this.job,
      worker: this.deps.workerId,
      connectorName: this.connector.name,
      stream,
      ctx: this.context(null),
      leaseSeconds: this.leaseSeconds,
      handled,
      budgetSpent: () => this.budgetSpent(),
      addRecords: (n) => this.deps.cpuBudget?.addRecords(n),
      failItems: (failures) => this.failItems(stream, failures),
      committed: (keys) => this.committed(stream, keys),
      httpSummary: () => this.httpSummary(),
    });
  }
}
