// A bulk promote job (mode "promote"): batches of roots in source order, each batch one transaction
// that also moves the job's checkpoint (the last finished root), until every root is judged, the
// budget is spent (the job yields and resumes after its checkpoint) or a cancel is asked.
import { db } from "../engine/queue/mod.ts";
import type { Job, Sql } from "../engine/types.ts";
import { promotionDb } from "./db.ts";

export interface PromotionJobInput {
  sql: Sql;
  job: Job;
  workerId: string;
  deadline: number;
  leaseSeconds: number;
  now: () => number;
}

export async function runPromotionJob(input: PromotionJobInput): Promise<"done" | "yield" | "cancelled"> {
  const { sql, job } = input;
  const plan = String(job.options.plan ?? "");
  const batch = Number(job.options.batchSize ?? 500);
  const totals = { promoted: 0, ineligible: 0, failed: 0, withdrawn: 0, unchanged: 0 };
  while (true) {
    if (input.now() >= input.deadline) return "yield";
    const r = await promotionDb.next(sql, {
      jobId: job.id,
      worker: input.workerId,
      plan,
      batch,
      leaseSeconds: input.leaseSeconds,
    });
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += Number(r[k] ?? 0);
    if (r.finished) {
      await db.reportProgress(sql, job.id, `promote:${plan}`, {
        status: "done",
        message:
          `done: promoted ${totals.promoted}, ineligible ${totals.ineligible}, failed ${totals.failed}, ` +
          `withdrawn ${totals.withdrawn}, unchanged ${totals.unchanged} (this invocation)`,
      });
      return "done";
    }
    if (r.cancel_requested) return "cancelled";
  }
}
