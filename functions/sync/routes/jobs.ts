import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import { orderStreams } from "../../_shared/engine/connector.ts";
import { db } from "../../_shared/engine/db.ts";
import { NotFoundError, ValidationError } from "../../_shared/engine/errors.ts";
import type { AppDeps } from "../app.ts";

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO date or date-time");

export const StartSyncBody = z.object({
  connector: z.string().min(1),
  account: z.string().min(1).max(200).default("default"),
  streams: z.array(z.string().min(1)).min(1).optional(),
  mode: z.enum(["full", "incremental"]).default("incremental"),
  since: isoDate.optional(),
  until: isoDate.optional(),
  force: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** single-record sync: ids per stream, e.g. {"orders": ["abc"]} */
  records: z.record(z.string(), z.array(z.string().min(1)).min(1).max(1000)).optional(),
}).strict();

const ListQuery = z.object({
  connector: z.string().optional(),
  status: z.enum(["queued", "running", "succeeded", "partial", "failed", "cancelled"]).optional(),
  stream: z.string().optional(),
  before: z.coerce.number().int().positive().optional(),
  /** created at or after / before these times (ISO) */
  since: isoDate.optional(),
  until: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const JobId = z.coerce.number().int().positive();

export function jobRoutes(deps: AppDeps): Hono {
  const app = new Hono();
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
    const caller = c.get("caller" as never) as { subject: string } | undefined;
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
      },
      trigger: c.req.header("x-syncline-client") === "cli" ? "cli" : "api",
      requestedBy: caller?.subject ?? null,
    });
    return c.json({ job }, 202, { location: `/sync/jobs/${job.id}` });
  });

  app.get("/jobs", async (c) => {
    const q = query(c, ListQuery);
    const jobs = await db.listJobs(deps.sql, q);
    return c.json({ jobs, next: jobs.length === q.limit ? jobs[jobs.length - 1].id : null });
  });

  app.get("/jobs/:id", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const job = await db.getJob(deps.sql, id);
    if (!job) throw new NotFoundError(`Job ${id} does not exist`);
    return c.json({ job, progress: await db.getProgress(deps.sql, id) });
  });

  app.post("/jobs/:id/cancel", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const job = await db.cancelJob(deps.sql, id);
    return c.json({ job }, job.status === "cancelled" ? 200 : 202);
  });
  return app;
}
