// Immediate promotion: a connector's afterCommit hook that promotes, right after a page (or a
// single record) of an import table committed, the roots whose chain those rows belong to. When a
// stream ends in a job that was interrupted before (claimed more than once), every root whose rows
// the job wrote is judged again, so a kill between a page's commit and its promotion loses nothing.
import type { CommitContext } from "../engine/connector/mod.ts";
import { promotionDb } from "./db.ts";

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
      if (ctx.job.attempts <= 1) return;
      const c = await promotionDb.jobRows(ctx.sql, { plan, jobId: ctx.job.id });
      ctx.log(`job ${ctx.job.id}: ${ctx.stream.name} catch-up promotion ${JSON.stringify(c)}`);
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
