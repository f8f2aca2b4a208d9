// Immediate promotion: a connector's afterCommit hook that promotes, right after a page (or a
// single record) of an import table committed, the roots whose chain those rows belong to. When a
// stream ends in a job that was interrupted before (claimed more than once), every root whose rows
// the job wrote is judged again, so a kill between a page's commit and its promotion loses nothing.
// When a stream ends, the roots this job judged whose promotion failed (and still stands failed)
// are counted as failed in the job's "promotion" phase, so the job ends partial, not succeeded.
import type { CommitContext } from "../engine/connector/mod.ts";
import { db } from "../engine/queue/mod.ts";
import { promotionDb } from "./db.ts";

/** The phase of a sync job that carries its immediate promotion's failures. */
export const PROMOTION_PHASE = "promotion";

/** The hook for connector settings naming a plan in `promotionPlan` (e.g. SQUARE_PROMOTION_PLAN). */
export function promotionHook(): (ctx: CommitContext) => Promise<void> {
  const tables = new Map<string, Promise<string[]>>();
  return async (ctx) => {
    const plan = typeof ctx.config.promotionPlan === "string" ? ctx.config.promotionPlan : "";
    if (!plan) return;
    if (!tables.has(plan)) {
      const t = promotionDb.importTables(ctx.sql, plan).then((names) => {
        if (!names.length) ctx.log(`promotion plan "${plan}" does not exist: nothing is promoted`);
        return names;
      });
      t.catch(() => tables.delete(plan));
      tables.set(plan, t);
    }
    if (!(await tables.get(plan)!).includes(ctx.stream.target)) return;
    if (ctx.keys === null) {
      if (ctx.job.attempts > 1) {
        const c = await promotionDb.jobRows(ctx.sql, { plan, jobId: ctx.job.id });
        ctx.log(`job ${ctx.job.id}: ${ctx.stream.name} catch-up promotion ${JSON.stringify(c)}`);
      }
      await reportFailedRoots(ctx, plan);
      return;
    }
    if (ctx.keys.length === 0) return;
    await promotionDb.affected(ctx.sql, {
      plan,
      table: ctx.stream.target,
      keys: ctx.keys,
      jobId: ctx.job.id,
    });
  };
}

/**
 * The job's "promotion" phase counts the roots this job judged whose promotion failed and still
 * stands failed (a root that failed on one page and was promoted on a later one is not counted):
 * a failed count makes sync.finish_job end the job partial. Called at each stream's end; the
 * phase holds the current figure (only the difference is added).
 */
async function reportFailedRoots(ctx: CommitContext, plan: string): Promise<void> {
  const [row] = await ctx.sql`select count(*)::int as n from sync.promotion_roots
    where plan = ${plan} and job_id = ${ctx.job.id} and status = 'failed'`;
  const failed = Number(row?.n ?? 0);
  const shown = (await db.getProgress(ctx.sql, ctx.job.id)).find((p) => p.phase === PROMOTION_PHASE);
  const before = Number(shown?.failed ?? 0);
  if (failed === before && (failed === 0 || shown)) return;
  await db.reportProgress(ctx.sql, ctx.job.id, PROMOTION_PHASE, {
    counts: { failed: failed - before },
    status: "done",
    message: failed === 0
      ? `plan ${plan}: every root judged was promoted or is ineligible`
      : `plan ${plan}: ${failed} root${failed === 1 ? "" : "s"} failed to promote; see ` +
        `"deno task sync promote roots --plan ${plan} --status failed" or GET /sync/promotions/${plan}/roots?job=${ctx.job.id}&status=failed`,
  });
}
