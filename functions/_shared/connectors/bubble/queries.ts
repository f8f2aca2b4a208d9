// Read-only queries over the typed tables for the API and CLI: field-mapping coverage (from the
// keys of raw), links pointing at things that are not here, and the step report of an
// integrity-sync job. Table names come from the model (code), never from input.
import type { Sql } from "../../engine/types.ts";
import { type CoverageReport, fieldCoverage } from "./model/coverage.ts";
import type { BubbleModel } from "./model/types.ts";
import { linksOf } from "./model/types.ts";

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const table = (schema: string, name: string) => `${ident(schema)}.${ident(name)}`;

/** Coverage of the model over what the typed tables hold (every key of every thing's raw). */
export async function coverageReport(sql: Sql, model: BubbleModel): Promise<CoverageReport> {
  const seen: Record<string, Record<string, number>> = {};
  const records: Record<string, number> = {};
  for (const t of model.types) {
    const rows = await sql.unsafe(
      `select k, count(*)::int as n from ${table(model.schema, t.name)}, jsonb_object_keys(raw) k group by k`,
    );
    seen[t.name] = Object.fromEntries(rows.map((r) => [String(r.k), Number(r.n)]));
    const [c] = await sql.unsafe(`select count(*)::int as n from ${table(model.schema, t.name)}`);
    records[t.name] = Number(c.n);
  }
  return fieldCoverage(model, seen, records);
}

export interface DanglingLink {
  type: string;
  field: string;
  target: string;
  /** Things of `type` whose link names a `target` that is not in its table. */
  things: number;
}

/** Declared links whose target is not here, per link (an integrity check; 0 everywhere is clean). */
export async function danglingLinks(sql: Sql, model: BubbleModel): Promise<DanglingLink[]> {
  const out: DanglingLink[] = [];
  for (const t of model.types) {
    for (const l of linksOf(t)) {
      const src = table(model.schema, t.name);
      const dst = table(model.schema, l.target);
      const col = ident(l.column);
      const q = l.list
        ? `select count(*)::int as n from ${src} s where exists (select from unnest(s.${col}) v(id)
             where not exists (select from ${dst} d where d.id = v.id))`
        : `select count(*)::int as n from ${src} s where s.${col} <> ''
             and not exists (select from ${dst} d where d.id = s.${col})`;
      const [r] = await sql.unsafe(q);
      out.push({ type: t.name, field: l.field, target: l.target, things: Number(r.n) });
    }
  }
  return out;
}

export interface StepReport {
  jobId: number;
  totals: { synced: number; skipped: number; failed: number };
  roots: {
    type: string;
    id: string;
    outcome: string | null;
    steps: {
      action: string;
      entity: string | null;
      status: string;
      count: number | null;
      detail: string | null;
    }[];
  }[];
  /** Roots left out after `limit` (the totals count them all). */
  more: number;
}

/** The step report of a job: totals, then each root's steps (failed roots first), up to `limit` roots. */
export async function stepReport(
  sql: Sql,
  schema: string,
  jobId: number,
  opts: { root?: string; limit?: number } = {},
): Promise<StepReport> {
  const limit = opts.limit ?? 100;
  const totals = { synced: 0, skipped: 0, failed: 0 };
  const t = await sql.unsafe(
    `select status, count(*)::int as n from ${table(schema, "sync_steps")}
     where job_id = $1 and action = 'outcome' group by status`,
    [jobId],
  );
  for (const r of t) totals[r.status as keyof typeof totals] = Number(r.n);
  const roots = await sql.unsafe(
    `select root_type, root_id, max(status) filter (where action = 'outcome') as outcome, min(at) as first
     from ${table(schema, "sync_steps")} where job_id = $1 and ($2::text is null or root_id = $2)
     group by root_type, root_id
     order by (max(status) filter (where action = 'outcome') = 'failed') desc, min(at), root_id
     limit $3`,
    [jobId, opts.root ?? null, limit],
  );
  const [all] = await sql.unsafe(
    `select count(*)::int as n from (select distinct root_type, root_id from ${table(schema, "sync_steps")}
     where job_id = $1 and ($2::text is null or root_id = $2)) r`,
    [jobId, opts.root ?? null],
  );
  const shown = roots;
  const steps = shown.length
    ? await sql.unsafe(
      `select root_type, root_id, action, entity, status, count, detail from ${table(schema, "sync_steps")}
       where job_id = $1 and root_id = any($2::text[]) order by root_id, seq`,
      [jobId, shown.map((r) => String(r.root_id))],
    )
    : [];
  return {
    jobId,
    totals,
    roots: shown.map((r) => ({
      type: String(r.root_type),
      id: String(r.root_id),
      outcome: r.outcome ?? null,
      steps: steps.filter((s) => s.root_id === r.root_id && s.root_type === r.root_type).map((s) => ({
        action: String(s.action),
        entity: s.entity ?? null,
        status: String(s.status),
        count: s.count === null ? null : Number(s.count),
        detail: s.detail ?? null,
      })),
    })),
    more: Math.max(0, Number(all.n) - shown.length),
  };
}

/** A step report as text lines (the CLI prints them). */
export function stepReportLines(report: StepReport): string[] {
  const lines: string[] = [];
  for (const r of report.roots) {
    lines.push(`${r.type} ${r.id}: ${r.outcome ?? "in progress"}`);
    for (const s of r.steps) {
      if (s.action === "outcome") continue;
      const mark = s.status === "success"
        ? "ok  "
        : s.status === "warning"
        ? "warn"
        : s.status === "error"
        ? "ERR "
        : s.status;
      lines.push(
        `  ${mark} ${s.action}${s.entity ? ` ${s.entity}` : ""}${s.count !== null ? ` (${s.count})` : ""}${
          s.detail ? `: ${s.detail}` : ""
        }`,
      );
    }
  }
  if (report.more) lines.push(`... and ${report.more} more`);
  const t = report.totals;
  lines.push(`totals: ${t.synced} synced, ${t.skipped} skipped, ${t.failed} failed`);
  return lines;
}
