// Staged promotion (import -> production), admin only: plans, monitoring, one root's step log,
// roots by outcome, and bulk promote jobs. Shapes: docs/promotion.md.
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import { NotFoundError, ValidationError } from "../../_shared/engine/errors.ts";
import { promotionDb } from "../../_shared/promotion/db.ts";
import { renderStepLog } from "../../_shared/promotion/log.ts";
import type { AppDeps } from "../../_shared/deps.ts";

export const PlanName = z.string().regex(
  /^[a-z_][a-z0-9_]*$/,
  "must be a plan name (lower-case letters, digits, _)",
);
export const RootId = z.string().min(1).max(255);
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO date or date-time");

export const StartPromotionBody = z.object({
  since: isoDate.optional(),
  until: isoDate.optional(),
  ids: z.array(RootId).min(1).max(10_000).optional(),
  batchSize: z.number().int().min(1).max(10_000).default(500),
  force: z.boolean().optional(),
}).strict();

export const RootsQuery = z.object({
  status: z.enum(["promoted", "ineligible", "failed", "withdrawn"]).optional(),
  reason: z.string().regex(/^[a-z_]+$/).optional(),
  after: RootId.optional(),
  /** The roots a job judged last (the console's job view). */
  job: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const StatusQuery = z.object({ failures: z.coerce.number().int().min(0).max(500).default(20) });

export function promotionRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("/promotions", requireAuth(deps.auth));
  app.use("/promotions/*", requireAuth(deps.auth));
  const plan = (raw: string) => parseWith(PlanName, raw, "plan name");

  app.get("/promotions", async (c) => c.json({ plans: await promotionDb.plans(deps.sql) }));

  // Monitoring: roots by outcome, import vs production rows per step, reasons, failures, orphans.
  app.get("/promotions/:plan/status", async (c) => {
    const q = query(c, StatusQuery);
    return c.json({ status: await promotionDb.status(deps.sql, plan(c.req.param("plan")), q.failures) });
  });

  app.get("/promotions/:plan/roots", async (c) => {
    const q = query(c, RootsQuery);
    const roots = await promotionDb.roots(deps.sql, { plan: plan(c.req.param("plan")), ...q });
    return c.json({
      roots: roots.map((r) => ({ ...r, line: renderStepLog(r.log) })),
      next: roots.length === q.limit ? roots[roots.length - 1].root_id : null,
    });
  });

  // One root (e.g. a payment id): its outcome and step log, stored and as one line.
  app.get("/promotions/:plan/roots/:id", async (c) => {
    const name = plan(c.req.param("plan"));
    const id = parseWith(RootId, c.req.param("id"), "root id");
    const root = await promotionDb.root(deps.sql, name, id);
    if (!root) {
      const known = (await promotionDb.plans(deps.sql)).some((p) => p.name === name);
      if (!known) throw new NotFoundError(`No promotion plan "${name}"`);
      throw new NotFoundError(
        `Root "${id}" of plan "${name}" has not been judged yet (not imported, or not promoted yet)`,
      );
    }
    return c.json({ root, line: renderStepLog(root.log) });
  });

  // Bulk promotion: every pending root, or those created in [since, until), or the listed ids
  // (with force: judged again even when their import chain did not change).
  app.post("/promotions/:plan/jobs", async (c) => {
    const name = plan(c.req.param("plan"));
    const body = await jsonBody(c, StartPromotionBody);
    if (body.since && body.until && Date.parse(body.since) >= Date.parse(body.until)) {
      throw new ValidationError(`"since" (${body.since}) is not before "until" (${body.until})`);
    }
    if (body.force && (!body.ids || body.since || body.until)) {
      throw new ValidationError(
        `"force" judges the listed roots again: it takes "ids" and no "since"/"until"`,
      );
    }
    const caller = c.get("caller");
    const job = await promotionDb.start(deps.sql, {
      plan: name,
      since: body.since ? new Date(body.since).toISOString() : null,
      until: body.until ? new Date(body.until).toISOString() : null,
      ids: body.ids ?? null,
      batchSize: body.batchSize,
      force: body.force ?? false,
      trigger: c.req.header("x-syncline-client") === "cli" ? "cli" : "api",
      requestedBy: caller?.subject ?? null,
    });
    return c.json({ job }, 202, { location: `/sync/jobs/${job.id}` });
  });
  return app;
}
