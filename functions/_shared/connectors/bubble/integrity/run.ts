// The integrity sync: a root thing (an invoice) with every thing it links to, fetched in batches
// (one `in` request per related type and 100 ids), merged level by level in one transaction per
// page of roots, back-links written after both sides exist, auto-patched, with a step report.
// Two ways in: a single-record job of the root stream (`records: {invoice: [id]}`) and a listing
// job of the root stream alone (`streams: ["invoice"]`, optionally `since`/`until`: the invoices
// modified in that window, each with its relations; resumable from its checkpoint).
import type { ConnectorJobEnv, ConnectorJobResult, FetchContext } from "../../../engine/connector/mod.ts";
import { db } from "../../../engine/queue/mod.ts";
import { HttpError, ValidationError } from "../../../engine/errors.ts";
import { incrementalSince } from "../../../engine/records/mod.ts";
import { objRoot, parseBubbleConfig } from "../config.ts";
import { dependencyLevels, type LevelPlan } from "../model/levels.ts";
import type { BubbleModel, BubbleTypeModel } from "../model/types.ts";
import { fetchThing, fetchTypePage } from "../streams.ts";
import type { RelationFetch } from "./fetch.ts";
import { gatherChain } from "./gather.ts";
import { patchSummary } from "./patch.ts";
import { StepLog } from "./steps.ts";
import { landPage, rootsDone } from "./store.ts";

const HOUR = 3_600_000;

/** The root type a job is about, when the integrity sync should run it; null otherwise. */
export function integrityRoot(model: BubbleModel, job: ConnectorJobEnv["job"]): string | null {
  for (const root of model.roots) {
    const records = job.options.records;
    if (job.mode === "single" && records && Object.keys(records).length === 1 && records[root]) return root;
    if (
      (job.mode === "full" || job.mode === "incremental") && job.streams.length === 1 &&
      job.streams[0] === root
    ) {
      return root;
    }
  }
  return null;
}

/** Connector.runJob of a Bubble connector with a model. */
export function integrityJob(model: BubbleModel) {
  const plan = dependencyLevels(model);
  return (env: ConnectorJobEnv): Promise<ConnectorJobResult> | null => {
    const root = integrityRoot(model, env.job);
    if (!root) return null;
    return new IntegrityRun(env, model, plan, root).run();
  };
}

class IntegrityRun {
  private readonly rootModel: BubbleTypeModel;
  private readonly ctx: FetchContext;
  private readonly appRoot: string;
  private readonly how: RelationFetch;
  private readonly force: boolean;

  constructor(
    private readonly env: ConnectorJobEnv,
    private readonly model: BubbleModel,
    private readonly plan: LevelPlan,
    private readonly rootType: string,
  ) {
    this.rootModel = model.types.find((t) => t.name === rootType)!;
    const config = parseBubbleConfig(env.config);
    this.appRoot = objRoot(config);
    this.how = env.config.relationFetch === "per-id" ? "per-id" : "batched";
    this.force = env.job.options.force === true;
    this.ctx = {
      http: env.http,
      config: env.config,
      since: null,
      until: null,
      pageSize: Number(env.config.pageSize ?? 100),
    };
  }

  async run(): Promise<ConnectorJobResult> {
    if (this.env.job.options.dryRun) {
      throw new ValidationError(
        "The Bubble integrity sync has no dry run: it lands each invoice with its relations",
      );
    }
    return this.env.job.mode === "single" ? await this.single() : await this.batch();
  }

  /** records: {invoice: [ids]}: each id its own page (transaction), resuming after the ids done. */
  private async single(): Promise<ConnectorJobResult> {
    const { sql, job } = this.env;
    const ids = job.options.records![this.rootType];
    const handled = await rootsDone(sql, this.model.schema, job.id, this.rootType);
    for (const id of ids.slice(handled)) {
      if (this.env.now() >= this.env.deadline) return "yield";
      const steps = new StepLog(true);
      let thing: unknown = null;
      try {
        thing = await fetchThing(this.ctx, this.appRoot, this.rootModel.apiType, id);
        steps.add(
          id,
          thing === null
            ? {
              action: "fetch",
              entity: this.rootType,
              status: "error",
              detail: `${this.rootType} ${id} does not exist at the source (404)`,
            }
            : { action: "fetch", entity: this.rootType, status: "success", count: 1 },
        );
      } catch (err) {
        if (!(err instanceof HttpError) || err.transient) throw err;
        steps.add(id, { action: "fetch", entity: this.rootType, status: "error", detail: err.message });
      }
      const cancel = await this.land(thing === null ? [] : [thing], steps, {
        inverse: true,
        cursor: null,
        saveCheckpoint: false,
        state: null,
        highWaterMark: null,
        total: ids.length,
      });
      if (cancel) return "cancelled";
    }
    return "done";
  }

  /** The roots modified in the job's window, page by page from the checkpoint. */
  private async batch(): Promise<ConnectorJobResult> {
    const { sql, job } = this.env;
    const cp = await db.getCheckpoint(sql, job.connector, job.account, this.rootType);
    const state = (cp?.state ?? {}) as {
      job_id?: number;
      running?: boolean;
      since?: string | null;
      run_max?: string;
    };
    const resuming = state.running === true && state.job_id === job.id;
    let since: Date | null;
    let cursor: string | null = null;
    let runMax: string | null = null;
    if (resuming) {
      since = state.since ? new Date(state.since) : null;
      cursor = cp?.cursor ?? null;
      runMax = state.run_max ?? null;
    } else {
      since = incrementalSince(
        { incremental: { lookbackMs: HOUR } },
        job,
        this.force ? null : cp?.high_water_mark ?? null,
        this.env.now(),
      );
      await db.saveCheckpoint(sql, job.id, this.rootType, null, null, {
        job_id: job.id,
        running: true,
        since: since?.toISOString() ?? null,
      });
    }
    const until = job.options.until ? new Date(job.options.until) : null;
    await db.reportProgress(sql, job.id, this.rootType, {
      message: `${resuming ? "resuming" : "reading"} ${this.rootType}s ${
        since ? `modified since ${since.toISOString()}` : "(all)"
      }${until ? ` until ${until.toISOString()}` : ""}, each with its relations`,
    });
    const ctx = { ...this.ctx, since, until };
    while (true) {
      if (this.env.now() >= this.env.deadline) return "yield";
      const page = await fetchTypePage(ctx, this.appRoot, this.rootModel.apiType, cursor);
      for (const r of page.records) {
        const m = (r as Record<string, unknown> | null)?.["Modified Date"];
        if (typeof m === "string" && !Number.isNaN(Date.parse(m)) && (!runMax || m > runMax)) runMax = m;
      }
      const last = page.nextCursor === null;
      const cancel = await this.land(page.records, new StepLog(false), {
        inverse: false,
        cursor: page.nextCursor,
        saveCheckpoint: true,
        state: { job_id: job.id, running: !last, since: since?.toISOString() ?? null, run_max: runMax },
        highWaterMark: last ? runMax : null,
        total: page.total ?? null,
      });
      if (last) return "done";
      if (cancel) return "cancelled";
      cursor = page.nextCursor;
    }
  }

  /** Validates roots, skips up-to-date ones, fetches their chains and lands the page. */
  private async land(
    records: unknown[],
    steps: StepLog,
    page: {
      /** Find the other side of empty back-links through their inverse field (single roots only). */
      inverse: boolean;
      cursor: string | null;
      saveCheckpoint: boolean;
      state: Record<string, unknown> | null;
      highWaterMark: string | null;
      total: number | null;
    },
  ): Promise<boolean> {
    const { chain, failedThings, sanitised } = await gatherChain(
      {
        sql: this.env.sql,
        ctx: this.ctx,
        appRoot: this.appRoot,
        model: this.model,
        rootType: this.rootType,
        how: this.how,
        force: this.force,
        inverse: page.inverse,
      },
      records,
      steps,
    );
    for (const r of chain.things.get(this.rootType)?.values() ?? []) steps.finish(r._id, "synced");
    const result = await landPage(this.env.sql, this.model.schema, this.plan, chain, steps, {
      jobId: this.env.job.id,
      worker: this.env.workerId,
      leaseSeconds: this.env.leaseSeconds,
      force: this.force,
      rootType: this.rootType,
      failedThings,
      sanitised,
      ...page,
    });
    return result.cancelRequested;
  }
}

/** Connector.afterJob of a Bubble connector with a model: the auto-patch, reported as phase "patch". */
export async function patchAfterJob(env: ConnectorJobEnv): Promise<void> {
  await env.sql.begin(async (tx) => {
    await tx`select sync.heartbeat(${env.job.id}, ${env.workerId}, ${env.leaseSeconds})`;
    const [p] = await tx`select bubble.patch_links() as p`;
    const { updated: total, detail } = patchSummary(p.p as Record<string, unknown>);
    await tx`select sync.report_progress(${env.job.id}, 'patch', 0, null, ${`after the sync: ${detail}`},
      ${tx.json({ updated: total })}, 'done')`;
  });
}
