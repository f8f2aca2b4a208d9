import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody } from "../../_shared/api/validate.ts";
import { workerPass } from "../../_shared/worker_pass.ts";
import { type AppDeps, workerDeps } from "../../_shared/deps.ts";
import { stopOnShutdown } from "../../_shared/engine/budget/mod.ts";

export const WorkerBody = z.object({
  budgetMs: z.number().int().min(1_000).max(400_000).optional(),
  connector: z.string().optional(),
  /** sent by pg_cron/pg_net wake-ups (sync.ops_tick, sync.run_schedule); informational */
  reason: z.string().max(200).optional(),
  job_id: z.number().int().positive().nullish(),
}).strict();

/** POST /sync/worker: webhook inbox -> jobs, queued jobs within the budget, notifications (pg_cron/pg_net call this). */
export function workerRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.post("/worker", requireAuth(deps.auth, { allowWorker: true }), async (c) => {
    const body = await jsonBody(c, WorkerBody);
    const cpuBudget = deps.cpuBudget?.();
    // the Edge Runtime announces its shutdown (CPU, memory, wall clock) before it stops a worker
    const unlisten = stopOnShutdown(cpuBudget);
    const report = await workerPass(
      {
        ...workerDeps(deps, { workerId: `edge-${crypto.randomUUID().slice(0, 8)}`, cpuBudget }),
        notify: deps.notify,
      },
      { budgetMs: Math.min(body.budgetMs ?? deps.budgetMs, deps.budgetMs), connector: body.connector },
    )
      .finally(unlisten);
    return c.json({ ...report, ...(cpuBudget ? { cpu: cpuBudget.used() } : {}) });
  });
  return app;
}
