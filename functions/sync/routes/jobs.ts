import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { isIsoDate } from "../../_shared/api/iso_date.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import { type Connector, orderStreams } from "../../_shared/engine/connector/mod.ts";
import { db } from "../../_shared/engine/queue/mod.ts";
import { NotFoundError, ValidationError } from "../../_shared/engine/errors.ts";
import { MAX_SHARDS, shardDb } from "../../_shared/engine/shards/mod.ts";
import { workerPass } from "../../_shared/worker_pass.ts";
import { stopOnShutdown } from "../../_shared/engine/budget/mod.ts";
import { type AppDeps, workerDeps } from "../../_shared/deps.ts";
import { explainError, explainFailure } from "../../_shared/failures.ts";
import type { Job } from "../../_shared/engine/types.ts";

/** Record ids one single-record job may carry (each is one API request). */
export const MAX_RECORD_IDS = 1000;

const isoDate = z.string().max(40).refine(
  isIsoDate,
  "must be an ISO date or date-time, e.g. 2026-11-01T08:00:00Z",
);

export const StartSyncBody = z.object({
  connector: z.string().min(1),
  account: z.string().min(1).max(200).default("default"),
  streams: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
  /** reconcile: list the source's ids, re-fetch the missing, mark rows gone at the source deleted */
  mode: z.enum(["full", "incremental", "reconcile"]).default("incremental"),
  since: isoDate.optional(),
  until: isoDate.optional(),
  force: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** full or historical (since) reads: time-window shards per shardable stream, read by several workers */
  shards: z.number().int().min(1).max(MAX_SHARDS).optional(),
  /** single-record sync: ids per stream, e.g. {"orders": ["abc"]}; at most MAX_RECORD_IDS in all */
  records: z.record(z.string().min(1).max(100), z.array(z.string().min(1).max(256)).min(1))
    .refine(
      (r) => Object.values(r).reduce((n, ids) => n + ids.length, 0) <= MAX_RECORD_IDS,
      `at most ${MAX_RECORD_IDS} record ids per job (split larger sets into several jobs)`,
    ).optional(),
}).strict();

export const ListQuery = z.object({
  connector: z.string().optional(),
  status: z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]).optional(),
  stream: z.string().optional(),
  before: z.coerce.number().int().positive().optional(),
  /** created at or after / before these times (ISO) */
  since: isoDate.optional(),
  until: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const JobId = z.coerce.number().int().positive();

/**
 * A manual sync starts at once: on Supabase pg_net calls the worker endpoint (a fresh invocation
 * with its own budget); where pg_net cannot (local stack, self-hosted without it) this process
 * runs a worker pass in the background. "queued" only when neither is possible.
 */
async function startWorker(deps: AppDeps, jobId: number): Promise<"woken" | "in-process" | "queued"> {
  const [{ woken }] = await deps.sql<
    { woken: boolean }[]
  >`select sync._wake_worker('manual', ${jobId}) as woken`;
  if (woken) return "woken";
  if (!deps.waitUntil) return "queued";
  const cpuBudget = deps.cpuBudget?.();
  const unlisten = stopOnShutdown(cpuBudget);
  deps.waitUntil(
    workerPass(
      {
        ...workerDeps(deps, { workerId: `api-${crypto.randomUUID().slice(0, 8)}`, cpuBudget }),
        notify: deps.notify,
      },
      { budgetMs: deps.budgetMs },
    ).catch((err) =>
      (deps.log ?? console.error)(`job ${jobId}: in-process worker pass failed: ${(err as Error)?.message}`)
    ).finally(unlisten),
  );
  return "in-process";
}

/**
 * The streams a reconcile job takes: those that can list their ids and fetch one record. Named
 * streams that cannot are refused by name; with none named, the connector's reconcilable ones.
 */
export function reconcilableStreams(connector: Connector, streams: string[], named: boolean): string[] {
  const def = (n: string) => connector.streams.find((s) => s.name === n)!;
  const can = streams.filter((n) => def(n).listIds && def(n).fetchOne);
  const cannot = streams.filter((n) => !can.includes(n));
  if ((named && cannot.length) || can.length === 0) {
    throw new ValidationError(
      `Cannot reconcile ${connector.name} stream${cannot.length === 1 ? "" : "s"} ${
        cannot.map((n) => `"${n}"`).join(", ")
      }: ${cannot.length === 1 ? "it cannot" : "they cannot"} list ids${
        can.length ? ` (reconcilable: ${can.join(", ")})` : ""
      }`,
    );
  }
  return can;
}

/**
 * Refuses shards where they cannot apply: only full reads and historical ones (a `since`) of streams
 * that can read a time window (StreamDef.shardable) are split; named streams that cannot are refused
 * by name, and so is a job none of whose streams can.
 */
function checkShards(
  connector: Connector,
  streams: string[],
  named: boolean,
  body: z.infer<typeof StartSyncBody>,
): void {
  if ((body.shards ?? 1) <= 1) return;
  if (
    body.records || body.dryRun || body.mode === "reconcile" || (body.mode === "incremental" && !body.since)
  ) {
    throw new ValidationError(
      `"shards" splits a full read (mode "full") or a historical one (a "since") into time windows; ` +
        `it does not apply to ${
          body.records
            ? "single-record syncs"
            : body.dryRun
            ? "dry runs"
            : body.mode === "reconcile"
            ? "a reconcile"
            : "an incremental sync without since"
        }`,
    );
  }
  const def = (n: string) => connector.streams.find((s) => s.name === n)!;
  const cannot = streams.filter((n) => !def(n).shardable);
  if ((named && cannot.length) || cannot.length === streams.length) {
    const can = connector.streams.filter((s) => s.shardable).map((s) => s.name);
    throw new ValidationError(
      `Cannot shard ${connector.name} stream${cannot.length === 1 ? "" : "s"} ${
        cannot.map((n) => `"${n}"`).join(", ")
      }: ${cannot.length === 1 ? "its API cannot" : "their APIs cannot"} read a time window${
        can.length ? ` (shardable: ${can.join(", ")})` : ""
      }`,
      { field: "shards" },
    );
  }
}

export function jobRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  // a failed, partial or cancelled job says what happened and what to do (failures.ts); `error` stays raw
  const explained = <J extends Job>(job: J) => ({
    ...job,
    failure: explainFailure(
      job,
      Object.hasOwn(deps.connectors, job.connector) ? deps.connectors[job.connector].operator : undefined,
    ),
  });
  app.use("/jobs", requireAuth(deps.auth));
  app.use("/jobs/*", requireAuth(deps.auth));
  app.use("/connectors", requireAuth(deps.auth));

  // What can be synced: connectors and their streams in dependency order.
  app.get("/connectors", (c) =>
    c.json({
      connectors: Object.values(deps.connectors).map((k) => ({
        name: k.name,
        streams: orderStreams(k).map((s) => ({
          name: s.name,
          target: s.target,
          parents: s.parents ?? [],
          incremental: s.incremental === "full" ? "full" : { lookbackMs: s.incremental.lookbackMs },
          shardable: s.shardable === true,
        })),
      })),
    }));

  // Start a sync: 202 with the queued job; a worker picks it up.
  app.post("/jobs", async (c) => {
    const body = await jsonBody(c, StartSyncBody);
    const connector = deps.connectors[body.connector];
    if (!connector) {
      throw new ValidationError(
        `Unknown connector "${body.connector}" (available: ${Object.keys(deps.connectors).join(", ")})`,
      );
    }
    if (body.since && body.until && Date.parse(body.since) > Date.parse(body.until)) {
      throw new ValidationError(`"since" (${body.since}) is after "until" (${body.until})`);
    }
    const streamNames = body.records ? Object.keys(body.records) : body.streams;
    let streams: string[];
    try {
      streams = orderStreams(connector, streamNames).map((s) => s.name);
    } catch (err) {
      throw new ValidationError((err as Error).message);
    }
    if (body.mode === "reconcile") {
      if (body.records || body.since || body.until || body.dryRun) {
        throw new ValidationError(
          `A reconcile reads whole id listings: "records", "since", "until" and "dryRun" do not apply to it`,
        );
      }
      streams = reconcilableStreams(connector, streams, Boolean(body.streams));
    }
    checkShards(connector, streams, Boolean(body.streams), body);
    const caller = c.get("caller");
    const job = await db.createJob(deps.sql, {
      connector: body.connector,
      account: body.account,
      streams,
      mode: body.records ? "single" : body.mode,
      options: {
        ...(body.since ? { since: new Date(body.since).toISOString() } : {}),
        ...(body.until ? { until: new Date(body.until).toISOString() } : {}),
        ...(body.force ? { force: true } : {}),
        ...(body.dryRun ? { dryRun: true } : {}),
        ...(body.records ? { records: body.records } : {}),
        ...((body.shards ?? 1) > 1 ? { shards: body.shards } : {}),
      },
      trigger: c.req.header("x-syncline-client") === "cli" ? "cli" : "api",
      requestedBy: caller?.subject ?? null,
    });
    return c.json({ job, worker: await startWorker(deps, job.id) }, 202, {
      location: `/sync/jobs/${job.id}`,
    });
  });

  app.get("/jobs", async (c) => {
    const q = query(c, ListQuery);
    const jobs = await db.listJobs(deps.sql, q);
    return c.json({
      jobs: jobs.map(explained),
      next: jobs.length === q.limit ? jobs[jobs.length - 1].id : null,
    });
  });

  app.get("/jobs/:id", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const job = await db.getJob(deps.sql, id);
    if (!job) throw new NotFoundError(`Job ${id} does not exist`);
    // a failed shard's error in words too
    const help = Object.hasOwn(deps.connectors, job.connector)
      ? deps.connectors[job.connector].operator
      : undefined;
    const shards = (await shardDb.list(deps.sql, id)).map((s) => ({
      ...s,
      failure: s.error ? explainError(job.connector, s.error, help) : null,
    }));
    return c.json({
      job: explained(job),
      progress: await db.getProgress(deps.sql, id),
      ...(shards.length ? { shards } : {}),
    });
  });

  app.post("/jobs/:id/cancel", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const job = await db.cancelJob(deps.sql, id);
    return c.json({ job }, job.status === "cancelled" ? 200 : 202);
  });
  return app;
}
