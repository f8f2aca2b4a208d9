// Thin wrappers over the promotion RPCs (sql/promotion.sql). SQL does the work; these only call it
// and turn documented SQLSTATEs into typed errors.
import type { Sql } from "../engine/types.ts";
import { fromRow, rpc } from "../engine/postgres/mod.ts";
import { asStepLog, type StepLogEntry } from "./log.ts";

export interface PromotionCounts {
  promoted: number;
  ineligible: number;
  failed: number;
  withdrawn: number;
  unchanged: number;
  missing: number;
}

export interface PromotionBatch extends PromotionCounts {
  /** Roots in this batch. */
  done: number;
  finished: boolean;
  cancel_requested: boolean;
}

export interface PromotionRoot {
  plan: string;
  root_id: string;
  sort_at: string | null;
  status: "promoted" | "ineligible" | "failed" | "withdrawn";
  reason_code: string | null;
  reason: string | null;
  failed_step: string | null;
  error: string | null;
  log: StepLogEntry[];
  attempts: number;
  job_id: number | null;
  promoted_at: string | null;
  updated_at: string;
}

const numbers = <T>(o: unknown): T => fromRow<T>(o as Record<string, unknown>);

export const promotionDb = {
  /** Promotes the roots whose chain holds these keys of an import table (immediate promotion). */
  affected(sql: Sql, input: { plan: string; table: string; keys: string[]; jobId: number | null }) {
    return rpc(async () => {
      const [row] =
        await sql`select sync.promote_affected(${input.plan}, ${input.table}, ${input.keys}::text[],
        ${input.jobId}) as counts`;
      return numbers<Partial<PromotionCounts>>(row.counts);
    });
  },

  /** Judges again every root whose chain rows this job wrote (catch-up after an interruption). */
  jobRows(sql: Sql, input: { plan: string; jobId: number }) {
    return rpc(async () => {
      const [row] = await sql`select sync.promote_job_rows(${input.plan}, ${input.jobId}) as counts`;
      return numbers<Partial<PromotionCounts>>(row.counts);
    });
  },

  /** One batch of a bulk promote job (lease-fenced, moves the job's checkpoint). */
  next(
    sql: Sql,
    input: { jobId: number; worker: string; plan: string; batch: number; leaseSeconds: number },
  ) {
    return rpc(async () => {
      const [row] = await sql`select sync.promote_next(${input.jobId}, ${input.worker}, ${input.plan},
        ${input.batch}, ${input.leaseSeconds}) as r`;
      return numbers<PromotionBatch>(row.r);
    });
  },

  /** Which import tables feed a plan (its root table and its steps' source tables). */
  async importTables(sql: Sql, plan: string): Promise<string[]> {
    return await rpc(async () => {
      const rows = await sql`select root_table as t from sync.promotion_plans where name = ${plan}
        union select source_table from sync.promotion_steps where plan = ${plan}`;
      return rows.map((r) => String(r.t));
    });
  },

  start(sql: Sql, input: {
    plan: string;
    since?: string | null;
    until?: string | null;
    ids?: string[] | null;
    batchSize?: number;
    force?: boolean;
    trigger?: string;
    requestedBy?: string | null;
  }) {
    return rpc(async () => {
      if (input.force) {
        const [forced] = await sql`select * from sync.start_repromotion(${input.plan}, ${
          input.ids ?? null
        }::text[],
          ${input.trigger ?? "api"}, ${input.requestedBy ?? null}, ${input.batchSize ?? 500})`;
        return numbers<Record<string, unknown>>(forced);
      }
      const [row] = await sql`select * from sync.start_promotion(${input.plan}, ${
        input.since ?? null
      }::timestamptz,
        ${input.until ?? null}::timestamptz, ${input.ids ?? null}::text[], ${input.trigger ?? "api"},
        ${input.requestedBy ?? null}, ${input.batchSize ?? 500})`;
      return numbers<Record<string, unknown>>(row);
    });
  },

  plans(sql: Sql) {
    return rpc(async () => {
      const plans =
        await sql`select p.name, p.connector, p.root_table, p.root_key, p.root_order, p.root_label,
          p.withdraw_reasons, p.description,
          coalesce((select jsonb_agg(jsonb_build_object('ordinal', s.ordinal, 'name', s.name, 'source_table',
            s.source_table, 'target', s.target, 'tie_column', s.tie_column, 'label', s.label, 'retire', s.retire)
            order by s.ordinal) from sync.promotion_steps s where s.plan = p.name), '[]'::jsonb) as steps
        from sync.promotion_plans p order by p.name`;
      return plans.map((p) => ({ ...p }));
    });
  },

  async root(sql: Sql, plan: string, rootId: string): Promise<PromotionRoot | null> {
    return await rpc(async () => {
      const [row] =
        await sql`select * from sync.get_promotion_root(${plan}, ${rootId}) where root_id is not null`;
      return row ? { ...numbers<PromotionRoot>(row), log: asStepLog(row.log) } : null;
    });
  },

  roots(
    sql: Sql,
    q: { plan: string; status?: string; reason?: string; limit: number; after?: string; job?: number },
  ) {
    return rpc(async () => {
      const rows = await sql`select * from sync.promotion_roots
        where plan = ${q.plan} and (${q.status ?? null}::text is null or status = ${q.status ?? null})
          and (${q.reason ?? null}::text is null or reason_code = ${q.reason ?? null})
          and (${q.after ?? null}::text is null or root_id > ${q.after ?? null})
          and (${q.job ?? null}::bigint is null or job_id = ${q.job ?? null})
        order by root_id limit ${q.limit}`;
      return rows.map((r) => ({ ...numbers<PromotionRoot>(r), log: asStepLog(r.log) }));
    });
  },

  status(sql: Sql, plan: string, failures = 20) {
    return rpc(async () => {
      const [row] = await sql`select sync.get_promotion_status(${plan}, ${failures}) as s`;
      return row.s as Record<string, unknown>;
    });
  },
};
