// Bubble integrity views for the console and the CLI (admin only): field-mapping coverage, the
// dependency levels and links of the model, dangling links, and the step report of a job. 404
// when the Bubble connector has no model (BUBBLE_MODEL unset).
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { parseWith, query } from "../../_shared/api/validate.ts";
import { bubbleModelOf } from "../../_shared/connectors/bubble/mod.ts";
import { dependencyLevels } from "../../_shared/connectors/bubble/model/levels.ts";
import { allFields } from "../../_shared/connectors/bubble/model/types.ts";
import { coverageReport, danglingLinks, stepReport } from "../../_shared/connectors/bubble/queries.ts";
import { db } from "../../_shared/engine/queue/mod.ts";
import { NotFoundError } from "../../_shared/engine/errors.ts";
import type { AppDeps } from "../../_shared/deps.ts";

export const JobId = z.coerce.number().int().positive();
export const ReportQuery = z.object({
  invoice: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function bubbleRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("/bubble/*", requireAuth(deps.auth));
  const model = () => {
    const m = bubbleModelOf(deps.connectors.bubble);
    if (!m) throw new NotFoundError("The Bubble connector has no model (set BUBBLE_MODEL, e.g. invoicing)");
    return m;
  };

  // {types: [{type, seen, mapped, unmapped, notSeen, records}], overall: {seen, mapped, percent}}
  app.get("/bubble/coverage", async (c) => c.json(await coverageReport(deps.sql, model())));

  // the model: per type its level, parents, and field -> column mappings; the back-links
  app.get("/bubble/model", (c) => {
    const m = model();
    const plan = dependencyLevels(m);
    return c.json({
      schema: m.schema,
      roots: m.roots,
      levels: plan.byLevel,
      backLinks: plan.backLinks,
      types: m.types.map((t) => ({
        type: t.name,
        apiType: t.apiType,
        level: plan.levels[t.name],
        parents: plan.parents[t.name],
        fields: Object.entries(allFields(t)).map(([field, f]) => ({ field, ...f })),
      })),
    });
  });

  // links naming a thing that is not in its table, per declared link
  app.get("/bubble/dangling-links", async (c) => c.json({ links: await danglingLinks(deps.sql, model()) }));

  // the step report of an integrity-sync job (?invoice=<id> for one invoice)
  app.get("/bubble/jobs/:id/report", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const q = query(c, ReportQuery);
    const m = model();
    const job = await db.getJob(deps.sql, id);
    if (!job) throw new NotFoundError(`Job ${id} does not exist`);
    const report = await stepReport(deps.sql, m.schema, id, { root: q.invoice, limit: q.limit });
    // counts per entity: the job's progress rows (one phase per type, and "patch")
    const entities = Object.fromEntries(
      (await db.getProgress(deps.sql, id)).map((p) => [p.phase, {
        done: p.done,
        inserted: p.inserted,
        updated: p.updated,
        unchanged: p.unchanged,
        stale: p.stale,
        failed: p.failed,
        message: p.message,
      }]),
    );
    return c.json({ job: { id: job.id, status: job.status, streams: job.streams }, ...report, entities });
  });
  return app;
}
