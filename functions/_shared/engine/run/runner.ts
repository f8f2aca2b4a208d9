// Runs jobs: claims queued jobs and runs each within the invocation's wall-clock and CPU budget:
// a promotion job (promotion/job.ts), a job the connector runs itself (Connector.runJob), or its
// streams in dependency order (job_run.ts: listing_plan.ts decides where a listing starts,
// page_pipeline.ts reads and merges its pages, page_merge.ts writes rows, checkpoint and progress
// in one transaction; single_records.ts, retry_items.ts, reconcile.ts). This file owns the job's
// lifecycle only: claim, yield, finish, HTTP figures, a lost lease or database. A spent budget
// releases the job, which stays queued and resumes from its checkpoint. A source that asks to wait
// (429) longer than the run may, or is down (its circuit open, its retries spent), defers the job
// to the source's time (waitForSource); only the give-up time fails it. A worker that finds no job
// to claim helps with a shard of a job read in shards (shard_run.ts).
import {
  AccountNotActiveError,
  type Connector,
  connectorSecrets,
  createHttpClient,
  orderStreams,
  resolveAccountConfig,
} from "../connector/mod.ts";
import type { RunnerDeps } from "../../deps.ts";
import { db } from "../queue/mod.ts";
import type { Job } from "../types.ts";
import { CircuitOpenError, HttpError, RateLimitedError, SynclineError } from "../errors.ts";
import { defaultGiveUpAfterMs, type HttpClient, type HttpStats } from "../http/mod.ts";
import { errorText, rememberSecrets } from "../../error_text.ts";
import { JobRun } from "./job_run.ts";
import { isConnectionError, whenConnected } from "../postgres/mod.ts";
import { reliabilityDb } from "../records/mod.ts";
import { runPromotionJob } from "../../promotion/job.ts";
import { type Shard, shardDb } from "../shards/mod.ts";

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
  /** A shard of the job this worker read for the job's coordinator ("orders#3"): the status is the shard's. */
  shard?: string;
}

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

/** Claims one job (else a shard of one) and runs it within the budget; null when nothing is waiting. */
export async function runNextJob(deps: RunnerDeps, opts: RunOptions): Promise<JobOutcome | null> {
  const job = await db.claimJob(deps.sql, deps.workerId, opts.leaseSeconds ?? 60, opts.connector);
  const now = deps.now ?? Date.now;
  if (!job) {
    const shard = await shardDb.claim(deps.sql, deps.workerId, opts.leaseSeconds ?? 60, {
      connector: opts.connector,
    });
    return shard ? await runShard(deps, shard, now() + opts.budgetMs, opts.leaseSeconds ?? 60) : null;
  }
  return await runJob(deps, job, now() + opts.budgetMs, opts.leaseSeconds ?? 60);
}

/** The deps with a log that redacts every line (error texts name what vendors answered). */
function redactedLogs(deps: RunnerDeps): RunnerDeps {
  const log = deps.log;
  return log ? { ...deps, log: (line: string) => log(errorText(line, 4000)) } : deps;
}

/** This invocation's HTTP figures go to sync.job_http_stats (and jobs.stats.http). */
async function flushHttpStats(sql: RunnerDeps["sql"], jobId: number, http: HttpClient | undefined) {
  if (!http || (http.stats.requests === 0 && http.stats.circuitRejections === 0)) return;
  const delta: HttpStats = { ...http.stats };
  await reliabilityDb.addHttpStats(sql, jobId, http.source, delta);
  for (const k of Object.keys(delta) as (keyof HttpStats)[]) http.stats[k] -= delta[k];
}

/** How often a job's HTTP client heartbeats its lease: every few seconds, well within the lease. */
export function heartbeatEveryMs(leaseSeconds: number): number {
  return Math.min(5_000, (leaseSeconds * 1000) / 4);
}

/**
 * How long the source asked to wait, when the error is one the job waits out instead of failing: a
 * 429 longer than the run may wait, an open circuit (until its probe), retries spent on a source
 * that is down (the backoff's cap). undefined: a real failure.
 */
export function sourceWait(err: unknown, http: HttpClient | undefined): number | undefined {
  if (err instanceof RateLimitedError) return err.waitMs;
  if (err instanceof CircuitOpenError) return Math.max(err.retryInMs, 100);
  if (err instanceof HttpError && err.transient) {
    return Math.max(err.retryAfterMs ?? 0, http?.policy.maxDelayMs ?? 1_000);
  }
  return undefined;
}

/** 1500 → "1.5 s", 1800000 → "30 min". */
export function formatWait(ms: number): string {
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Reads one claimed shard of a job another worker coordinates. Its outcome is the shard's: the job
 * goes on (its coordinator finishes it, or fails it when a shard failed).
 */
export async function runShard(
  given: RunnerDeps,
  shard: Shard,
  deadline: number,
  leaseSeconds = 60,
): Promise<JobOutcome> {
  const deps = redactedLogs(given);
  const { sql } = deps;
  const log = deps.log ?? (() => {});
  const label = `${shard.stream}#${shard.shard}`;
  const outcome = (status: JobOutcome["status"], error?: string): JobOutcome => {
    log(`job ${shard.job_id} shard ${label} ${status}${error ? `: ${error}` : ""}`);
    return { jobId: shard.job_id, status, shard: label, ...(error ? { error } : {}) };
  };
  let http: HttpClient | undefined;
  try {
    const job = await db.getJob(sql, shard.job_id);
    const connector = job && deps.connectors[job.connector];
    const stream = connector?.streams.find((s) => s.name === shard.stream);
    if (!job || !connector || !stream) {
      const error = `no connector stream "${job?.connector}/${shard.stream}" here`;
      await shardDb.release(sql, shard, deps.workerId, "failed", error);
      return outcome("failed", error);
    }
    const config = await accountConfig(deps, connector, job);
    http = deps.httpFor?.(connector, config) ?? createHttpClient(connector, config, sql, job.account);
    const run = new JobRun({ deps, job, connector, config, http, deadline, leaseSeconds });
    const result = await run.shard(stream, shard);
    return outcome(result === "done" ? "succeeded" : result === "yield" ? "yielded" : "cancelled");
  } catch (err) {
    const lost = (err instanceof SynclineError && err.code === "lease_lost") || isConnectionError(err);
    return outcome(lost ? "lost" : "failed", errorText((err as Error)?.message ?? String(err)));
  } finally {
    await flushHttpStats(sql, shard.job_id, http).catch(() => {});
  }
}

/**
 * The settings of the job's account: the registry's and Vault's, else the environment's
 * (connector/account_config.ts); every secret among them is remembered for redaction.
 */
async function accountConfig(deps: RunnerDeps, connector: Connector, job: Job) {
  const { config, secrets } = await resolveAccountConfig(
    deps.sql,
    job.connector,
    job.account,
    deps.connectorConfig(job.connector),
  );
  rememberSecrets([...secrets, ...connectorSecrets(connector, config)]);
  return config;
}

export async function runJob(
  given: RunnerDeps,
  job: Job,
  deadline: number,
  leaseSeconds = 60,
): Promise<JobOutcome> {
  const deps = redactedLogs(given);
  const { sql, workerId } = deps;
  const log = deps.log ?? (() => {});
  const connector = deps.connectors[job.connector];
  let http: HttpClient | undefined;
  const flush = () => flushHttpStats(sql, job.id, http);
  const finish = async (status: JobOutcome["status"], given: string | null): Promise<JobOutcome> => {
    const error = errorText(given);
    const done = await db.finishJob(sql, job.id, workerId, status, error);
    await flush();
    log(`job ${job.id} ${done.status}${error ? `: ${error}` : ""}`);
    return { jobId: job.id, status: done.status as JobOutcome["status"], error: error ?? undefined };
  };
  try {
    if (!connector) return await finish("failed", `Unknown connector "${job.connector}"`);
    let config: Record<string, unknown>;
    try {
      config = await accountConfig(deps, connector, job);
    } catch (err) {
      // paused (or waiting for re-authorisation) after the job was queued: it does not run
      if (err instanceof AccountNotActiveError) return await finish("cancelled", err.message);
      throw err;
    }
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
    // waits end by the deadline; the source's silence counts from before a deferral; the lease lives
    http.deadline = deadline;
    http.unavailableSince = job.waiting_since ? new Date(job.waiting_since).getTime() : undefined;
    http.keepAlive(() => db.heartbeat(sql, job.id, workerId, leaseSeconds), heartbeatEveryMs(leaseSeconds));
    const streams = orderStreams(connector, job.streams);
    const progress = new Map((await db.getProgress(sql, job.id)).map((p) => [p.phase, p]));
    const run = new JobRun({ deps, job, connector, config, http, deadline, leaseSeconds });
    const env = { sql, job, workerId, http, config, deadline, leaseSeconds, now: deps.now ?? Date.now, log };
    // a connector may run a job itself (Bubble's integrity sync); then the stream loop is skipped
    const custom = connector.runJob?.(env) ?? null;
    const outcome = custom ? await custom : null;
    if (outcome === "yield") {
      await db.releaseJob(sql, job.id, workerId);
      await flush();
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
        await flush();
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
      const wait = sourceWait(err, http);
      if (wait !== undefined) {
        const now = deps.now ?? Date.now;
        const since = http?.unavailableSince ?? now();
        const giveUp = http?.policy.giveUpAfterMs ?? defaultGiveUpAfterMs;
        if (now() - since < giveUp) {
          const runAfter = new Date(now() + wait);
          const reason = `waiting for the source until ${runAfter.toISOString()}: ${message}`;
          await db.deferJob(sql, job.id, workerId, { runAfter, reason, waitingSince: new Date(since) });
          await flush();
          log(`job ${job.id} deferred ${formatWait(wait)}: ${message}`);
          return { jobId: job.id, status: "yielded", error: reason };
        }
        return await finish(
          "failed",
          `${message}; gave up after ${formatWait(giveUp)} of waiting (giveUpAfterMs)`,
        );
      }
      return await finish("failed", message);
    } catch (finishErr) {
      // the lease is gone (or the database is): whoever holds the job now will finish it
      return {
        jobId: job.id,
        status: "lost",
        error: errorText(`${message}; then: ${(finishErr as Error).message}`),
      };
    }
  }
}
