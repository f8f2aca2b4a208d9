// One job's streams, each by its mode: a listing (planned by listing_plan.ts, read through
// page_pipeline.ts, then checked for completeness), single records (single_records.ts), failed-item
// retries (retry_items.ts) or a reconcile (reconcile.ts). runner.ts owns the job's lifecycle.
import type { RunnerDeps } from "../../deps.ts";
import { checkCompleteness, describeCompleteness, reconcileStream } from "../completeness/mod.ts";
import type { Connector, FetchContext, StreamDef } from "../connector/mod.ts";
import { db } from "../queue/mod.ts";
import type { Job } from "../types.ts";
import type { HttpClient } from "../http/mod.ts";
import {
  catchUpSince,
  planListing,
  type RecordFailures,
  runPagePipeline,
  serialiseListingState,
  storedVersions,
  type StreamRun,
} from "../stream/mod.ts";
import { retryFailedItems } from "./retry_items.ts";
import { readShard, runShardedListing, type Shard, shardsFor, shardWindowOn } from "../shards/mod.ts";
import { syncSingleRecords } from "./single_records.ts";

export type StreamResult = "done" | "yield" | "cancelled";

export interface JobRunOptions {
  deps: RunnerDeps;
  job: Job;
  connector: Connector;
  config: Record<string, unknown>;
  http: HttpClient;
  /** the invocation's wall-clock deadline (ms since the epoch) */
  deadline: number;
  leaseSeconds: number;
}

/** Runs the streams of one claimed job within the invocation's budget. */
export class JobRun {
  private readonly deps: RunnerDeps;
  private readonly job: Job;
  private readonly connector: Connector;
  private readonly config: Record<string, unknown>;
  private readonly http: HttpClient;
  private readonly deadline: number;
  private readonly leaseSeconds: number;
  private readonly now: () => number;

  constructor(opts: JobRunOptions) {
    this.deps = opts.deps;
    this.job = opts.job;
    this.connector = opts.connector;
    this.config = opts.config;
    this.http = opts.http;
    this.deadline = opts.deadline;
    this.leaseSeconds = opts.leaseSeconds;
    this.now = opts.deps.now ?? Date.now;
  }

  /** Requests of this job's HTTP client the CPU budget has counted. */
  private countedRequests = 0;

  /** The wall-clock deadline passed, or the invocation's CPU budget is spent. */
  private budgetSpent(): boolean {
    const budget = this.deps.cpuBudget;
    if (budget) {
      const sent = this.http.stats.requests; // reset when the job's figures are flushed
      if (sent > this.countedRequests) budget.addRequests(sent - this.countedRequests);
      this.countedRequests = sent;
    }
    return this.now() >= this.deadline || (budget?.spent() ?? false);
  }

  private context(since: Date | null, stream?: StreamDef): FetchContext {
    const o = this.job.options;
    const skipUnchanged = stream && this.job.mode === "incremental" && !o.force && !o.dryRun;
    return {
      http: this.http,
      config: this.config,
      since,
      until: this.job.options.until ? new Date(this.job.options.until) : null,
      history: Boolean(o.since || o.until),
      pageSize: Number(this.config.pageSize ?? this.connector.pageSize),
      storedVersions: skipUnchanged
        ? (keys) => storedVersions(this.deps.sql, stream.target, keys)
        : undefined,
    };
  }

  private async failItems(stream: StreamDef, failures: RecordFailures) {
    if (this.job.options.dryRun) return;
    for (const f of failures) {
      await db.recordFailedItem(this.deps.sql, {
        jobId: this.job.id,
        stream: stream.name,
        itemKey: f.key,
        payload: f.payload,
        errorClass: f.errorClass,
        error: f.error,
      });
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

  /** What a stream's reader gets from this run (stream_run.ts). */
  private streamRun(stream: StreamDef, ctx: FetchContext): StreamRun {
    return {
      sql: this.deps.sql,
      job: this.job,
      worker: this.deps.workerId,
      stream,
      ctx,
      leaseSeconds: this.leaseSeconds,
      budgetSpent: () => this.budgetSpent(),
      addRecords: (n) => this.deps.cpuBudget?.addRecords(n, this.job.connector),
      failItems: (failures) => this.failItems(stream, failures),
      committed: (keys) => this.committed(stream, keys),
    };
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
      addRecords: (n) => this.deps.cpuBudget?.addRecords(n, this.job.connector),
      committed: (keys) => this.committed(stream, keys),
      maxDeleteShare: this.config.reconcileMaxDeleteShare === undefined
        ? undefined
        : Number(this.config.reconcileMaxDeleteShare),
    });
  }

  /**
   * Full or incremental read of a stream's listing, resuming from this job's checkpoint. A read of
   * the whole listing ends with its catch-up (catchUp): what changed at the source while it ran.
   */
  async listing(stream: StreamDef): Promise<StreamResult> {
    const { sql } = this.deps;
    const job = this.job;
    const shards = shardsFor(job, stream);
    if (shards > 1) return await this.sharded(stream, shards);
    const checkpoint = await db.getCheckpoint(sql, job.connector, job.account, stream.name);
    const plan = planListing({ job, stream, checkpoint, now: this.now() });
    if (plan.startState) await db.saveCheckpoint(sql, job.id, stream.name, null, null, plan.startState);
    const { startedBy } = plan;
    const notFull = startedBy === job.id ? undefined : "the read resumed one an earlier job began";
    if (plan.catchUp) {
      // the full read's pages were done: its catch-up goes on from its cursor
      const ctx = this.context(null, stream);
      return await this.catchUp(stream, ctx, plan, plan.sourceTotal, plan.fullDone, notFull);
    }
    const { since } = plan;
    await db.reportProgress(sql, job.id, stream.name, {
      message: `${plan.resuming ? "resuming" : "reading"} ${
        since ? `records updated since ${since.toISOString()}` : "all records"
      }`,
    });
    const ctx = this.context(since, stream);
    const { outcome, sourceTotal } = await runPagePipeline({
      ...this.streamRun(stream, ctx),
      start: plan,
      dryRun: plan.dryRun,
      overlap: !plan.dryRun && await db.canOverlapPages(sql, stream.target),
    });
    if (outcome !== "done") return outcome;
    if (plan.dryRun) return await this.streamDone(stream, "");
    // a listing that skipped records it found unchanged read fewer than its total: ids only
    const total = ctx.storedVersions ? null : sourceTotal;
    if (ctx.since !== null || ctx.until !== null) return await this.listingRead(stream, ctx, total, notFull);
    return await this.catchUp(stream, ctx, { ...plan, cursor: null, since: undefined }, total, null, notFull);
  }

  /**
   * The catch-up of a read of the whole listing: the records updated since the read began (less a
   * margin, listing_plan.ts catchUpSince), read as an incremental window. Records edited while the
   * read ran may have moved in the listing's order past its cursor, or been read before the edit;
   * the catch-up brings them at their new version, so the read ends complete. Its own checkpoint
   * (catch_up) lets a yield resume it; a stream read whole every time has none.
   */
  private async catchUp(
    stream: StreamDef,
    fullCtx: FetchContext,
    plan: {
      cursor: string | null;
      runMax: string | null;
      startedBy: number;
      startedAt: string | null;
      /** a resumed catch-up's window (else it opens at the read's start) */
      since?: Date | null;
    },
    sourceTotal: number | null,
    fullDone: number | null,
    notFull: string | undefined,
    windows?: { start: string | null; end: string | null }[],
  ): Promise<StreamResult> {
    const { sql } = this.deps;
    const job = this.job;
    const since = plan.since ?? catchUpSince({
      stream,
      startedAt: plan.startedAt,
      now: this.now(),
      marginMs: this.config.catchUpMarginMs === undefined ? undefined : Number(this.config.catchUpMarginMs),
    });
    const progress = async () =>
      (await db.getProgress(sql, job.id)).find((p) => p.phase === stream.name)?.done ?? 0;
    if (since === null) return await this.listingRead(stream, fullCtx, sourceTotal, notFull, windows);
    const read = fullDone ?? await progress();
    const start = {
      cursor: plan.cursor,
      since,
      runMax: plan.runMax,
      sourceTotal,
      startedBy: plan.startedBy,
      startedAt: plan.startedAt,
      catchUp: true,
      fullDone: read,
    };
    // the catch-up's start is kept at once: a worker gone before its first page resumes the catch-up,
    // not the whole read
    if (plan.since === undefined) {
      await db.saveCheckpoint(
        sql,
        job.id,
        stream.name,
        null,
        null,
        serialiseListingState({ jobId: job.id, running: true, ...start }),
      );
    }
    await db.reportProgress(sql, job.id, stream.name, {
      message: `catching up: records updated since ${since.toISOString()} (the read began at ${
        plan.startedAt ?? "an unknown time"
      })`,
    });
    const ctx = { ...this.context(since, stream), storedVersions: undefined };
    const { outcome } = await runPagePipeline({
      ...this.streamRun(stream, ctx),
      start,
      dryRun: false,
      overlap: await db.canOverlapPages(sql, stream.target),
    });
    if (outcome !== "done") return outcome;
    return await this.listingRead(stream, fullCtx, sourceTotal, notFull, windows, read);
  }

  /** A read in shards that several workers claim (shard_run.ts); this worker coordinates it. */
  private async sharded(stream: StreamDef, shards: number): Promise<StreamResult> {
    const since = this.job.options.since ? new Date(this.job.options.since) : null;
    // a full read's windows split creation time where the stream can (shards.ts shardWindowOn); the
    // completeness id walk reads the same windows
    const ctx = { ...this.context(since), windowOn: shardWindowOn(this.job, stream) };
    const result = await runShardedListing({
      run: this.streamRun(stream, ctx),
      shards,
      since,
      until: ctx.until,
      now: this.now,
    });
    if (result.outcome !== "done") return result.outcome;
    const totals = result.shards.map((s) => s.total);
    const total = totals.every((t) => typeof t === "number") ? totals.reduce((a, b) => a! + b!, 0) : null;
    const windows = result.shards.map((s) => ({ start: s.window_start, end: s.window_end }));
    if (since !== null || ctx.until !== null) {
      return await this.listingRead(stream, ctx, total, undefined, windows);
    }
    // a full read in shards catches up from the time its windows were planned (a yield during the
    // catch-up starts it again: the shards are done, the window is short)
    const plan = {
      cursor: null,
      runMax: null,
      startedBy: this.job.id,
      startedAt: result.shards[0].planned_at,
    };
    return await this.catchUp(stream, ctx, plan, total, null, undefined, windows);
  }

  /**
   * After a listing was read and committed: the connector's afterCommit for the whole stream, the
   * completeness check of a read of the whole listing, and the stream's done.
   */
  private async listingRead(
    stream: StreamDef,
    ctx: FetchContext,
    sourceTotal: number | null,
    notFull: string | undefined,
    windows?: { start: string | null; end: string | null }[],
    /** records the read of the whole listing delivered (before its catch-up); absent: the progress */
    delivered?: number,
  ): Promise<StreamResult> {
    const { sql, workerId } = this.deps;
    const job = this.job;
    await this.committed(stream, null);
    if (ctx.since !== null || ctx.until !== null) return await this.streamDone(stream, "");
    // a read of the whole listing is checked against what the source says it has
    const read = delivered ??
      (await db.getProgress(sql, job.id)).find((p) => p.phase === stream.name)?.done ?? 0;
    const result = await checkCompleteness({
      sql,
      jobId: job.id,
      worker: workerId,
      stream,
      ctx,
      facts: { sourceTotal, read, notFull },
      // SQUARE_COMPLETENESS_IDS=false (or config completenessIds: false) skips the id listing
      listIds: String(this.config.completenessIds) !== "false",
      windows,
    });
    return await this.streamDone(stream, `; ${describeCompleteness(result)}`);
  }

  private async streamDone(stream: StreamDef, checked: string): Promise<StreamResult> {
    await db.reportProgress(this.deps.sql, this.job.id, stream.name, {
      status: "done",
      message: `done (${this.httpSummary()})${checked}`,
    });
    return "done";
  }

  /** One shard of a stream another worker coordinates (a worker with nothing else to do). */
  async shard(stream: StreamDef, shard: Shard): Promise<StreamResult> {
    return await readShard(this.streamRun(stream, this.context(null)), shard);
  }

  /** Single-record sync of the job's named records (single_records.ts). */
  async single(stream: StreamDef, handled: number): Promise<StreamResult> {
    return await syncSingleRecords({
      ...this.streamRun(stream, this.context(null)),
      connectorName: this.connector.name,
      handled,
      httpSummary: () => this.httpSummary(),
    });
  }
}
