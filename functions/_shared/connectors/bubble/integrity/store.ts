// The database side of the integrity sync: local versions of roots, which ids exist locally, and
// landing one page of roots with their chains in ONE transaction: every type merged in level
// order, back-links written once both sides exist, the auto-patch, failed items, the step report,
// and the lease-fenced bookkeeping (sync.commit_page: checkpoint + progress, or commit_page_progress). A page that fails or
// whose worker lost the lease leaves nothing behind, and a resumed job starts at its checkpoint.
import type { MergeCounts, Sql } from "../../../engine/types.ts";
import { fromDatabaseError } from "../../../engine/errors.ts";
import { commitPage } from "../../../engine/merge/mod.ts";
import { sanitiseValue } from "../../../engine/records/mod.ts";
import type { LevelPlan } from "../model/levels.ts";
import type { Chain } from "./chain.ts";
import type { StepLog } from "./steps.ts";
import { patchSummary } from "./patch.ts";
import { errorText } from "../../../error_text.ts";

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const table = (schema: string, name: string) => `${ident(schema)}.${ident(name)}`;

export interface FailedThing {
  stream: string;
  key: string;
  payload: unknown;
  error: string;
}

export interface PagePlan {
  jobId: number;
  worker: string;
  leaseSeconds: number;
  force: boolean;
  rootType: string;
  cursor: string | null;
  saveCheckpoint: boolean;
  state: Record<string, unknown> | null;
  highWaterMark: string | null;
  total: number | null;
  failedThings: FailedThing[];
  /** things of the page whose text was sanitised (counted in the root stream's progress) */
  sanitised?: number;
}

export interface LandResult {
  cancelRequested: boolean;
  merged: Record<string, MergeCounts>;
  backLinks: number;
  patched: Record<string, number>;
}

/** Local Modified Dates of the given ids of a type. */
export async function localVersions(sql: Sql, schema: string, type: string, ids: string[]) {
  if (!ids.length) return new Map<string, number>();
  const rows = await sql.unsafe(
    `select id, modified_date from ${table(schema, type)} where id = any($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [String(r.id), new Date(r.modified_date as string).getTime()]));
}

/** Which of the ids exist locally. */
export async function existing(sql: Sql, schema: string, type: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await sql.unsafe(`select id from ${table(schema, type)} where id = any($1::text[])`, [ids]);
  return new Set(rows.map((r) => String(r.id)));
}

/** How many roots of a job already have an outcome (a single-record job resumes after them). */
export async function rootsDone(sql: Sql, schema: string, jobId: number, rootType: string): Promise<number> {
  const [row] = await sql.unsafe(
    `select count(*)::int as n from ${table(schema, "sync_steps")}
     where job_id = $1 and root_type = $2 and action = 'outcome'`,
    [jobId, rootType],
  );
  return Number(row.n);
}

const fmt = (c: MergeCounts) =>
  `inserted ${c.inserted}, updated ${c.updated}, unchanged ${c.unchanged}, stale ${c.stale}`;

export async function landPage(
  sql: Sql,
  schema: string,
  plan: LevelPlan,
  chain: Chain,
  steps: StepLog,
  page: PagePlan,
): Promise<LandResult> {
  try {
    return await sql.begin(async (tx) => {
      const merged: Record<string, MergeCounts> = {};
      const backLinks: ReturnType<Chain["rows"]>["backLinks"] = [];
      let rootCounts: MergeCounts | null = null;
      for (const level of plan.byLevel) {
        for (const type of level) {
          const { rows, backLinks: bl } = chain.rows(type);
          backLinks.push(...bl.map((b) => ({ ...b, type } as (typeof bl)[number] & { type: string })));
          if (!rows.length) continue;
          const target = `${schema}.${type}`;
          const json = JSON.stringify(rows);
          const [m] = page.force
            ? await tx`select sync.merge_rows_force(${target}, ${json}::text::jsonb, ${page.jobId}) as c`
            : await tx`select sync.merge_rows(${target}, ${json}::text::jsonb, ${page.jobId}) as c`;
          const counts = m.c as MergeCounts;
          merged[type] = counts;
          if (type === page.rootType) rootCounts = counts;
          else {
            await tx`select sync.report_progress(${page.jobId}, ${type}, ${rows.length}, null, null,
              ${tx.json(counts as never)})`;
          }
          // per root: how many of its things of this type landed
          const perRoot = new Map<string, number>();
          for (const r of rows) {
            for (const o of chain.owners.get(`${type}:${r.id}`) ?? []) {
              perRoot.set(o, (perRoot.get(o) ?? 0) + 1);
            }
          }
          for (const [root, n] of perRoot) {
            steps.add(root, {
              action: `merge level ${plan.levels[type]}`,
              entity: type,
              status: "success",
              count: n,
              detail: fmt(counts),
            });
          }
        }
      }
      // back-links (invoice -> SEDA) now that both sides exist; never to a thing that is not here
      let written = 0;
      const byTable = new Map<string, typeof backLinks>();
      for (const b of backLinks as (typeof backLinks[number] & { type: string })[]) {
        const key = `${b.type}\u0000${b.column}\u0000${b.target}`;
        (byTable.get(key) ?? byTable.set(key, []).get(key)!).push(b);
      }
      for (const [key, list] of byTable) {
        const [type, column, target] = key.split("\u0000");
        const rows = await tx.unsafe(
          `update ${table(schema, type)} t set ${ident(column)} = x.value
           from jsonb_to_recordset($1::text::jsonb) as x(id text, value text)
           where t.id = x.id and t.${ident(column)} is distinct from x.value
             and exists (select from ${table(schema, target)} s where s.id = x.value)
           returning t.id`,
          [JSON.stringify(list.map((b) => ({ id: b.id, value: b.value })))],
        );
        written += rows.length;
        const done = new Set(rows.map((r) => String(r.id)));
        for (const b of list) {
          for (const o of chain.owners.get(`${type}:${b.id}`) ?? []) {
            steps.add(o, {
              action: "back-link",
              entity: `${type}.${column}`,
              status: "success",
              count: done.has(b.id) ? 1 : 0,
              detail: done.has(b.id)
                ? `-> ${target} ${b.value}`
                : `already -> ${target} ${b.value}, or not here`,
            });
          }
        }
      }
      const [p] = await tx`select bubble.patch_links() as p`;
      const patched = p.p as Record<string, number>;
      const { updated: patchedTotal, detail: patchDetail } = patchSummary(patched);
      await tx`select sync.report_progress(${page.jobId}, 'patch', 0, null, ${
        errorText(`last pass: ${patchDetail}`)
      },
        ${tx.json({ updated: patchedTotal })})`;
      for (const f of page.failedThings) {
        await tx`select sync.record_failed_item(${page.jobId}, ${f.stream}, ${f.key},
          ${tx.json((f.payload ?? null) as never)}, 'validation', ${errorText(f.error)})`;
      }
      const entries = steps.entries();
      for (const e of entries) {
        if (steps.verbose && e.steps.at(-1)!.status === "synced") {
          e.steps.splice(e.steps.length - 1, 0, {
            action: "auto-patch",
            status: "success",
            count: patchedTotal,
            detail: patchDetail,
          });
        }
      }
      const stepRows = entries.flatMap((e) =>
        e.steps.map((s, i) => ({
          root_id: e.root,
          seq: i + 1,
          action: s.action,
          entity: s.entity ?? null,
          status: s.status,
          count: s.count ?? null,
          detail: s.detail?.slice(0, 2000) ?? null,
        }))
      );
      await tx.unsafe(
        `insert into ${
          table(schema, "sync_steps")
        } (job_id, root_type, root_id, seq, action, entity, status, count, detail)
         select $1, $2, x.root_id, x.seq, x.action, x.entity, x.status, x.count, x.detail
         from jsonb_to_recordset($3::text::jsonb) as x(root_id text, seq int, action text, entity text, status text,
           count int, detail text)
         on conflict do nothing`,
        // a step's detail may quote the source (an error, an id): storable text like the rest
        [page.jobId, page.rootType, JSON.stringify(sanitiseValue(stepRows).value)],
      );
      const totals = steps.totals();
      const committed = await commitPage(tx, {
        jobId: page.jobId,
        worker: page.worker,
        stream: page.rootType,
        counts: page.sanitised
          ? {
            ...(rootCounts ?? { inserted: 0, updated: 0, unchanged: 0, stale: 0 }),
            sanitised: page.sanitised,
          }
          : rootCounts,
        done: totals.synced + totals.skipped,
        checkpoint: page.saveCheckpoint
          ? { cursor: page.cursor, highWaterMark: page.highWaterMark, state: page.state }
          : null,
        total: page.total,
        failed: totals.failed,
        leaseSeconds: page.leaseSeconds,
      });
      const all = await tx.unsafe(
        `select status, count(*)::int as n from ${table(schema, "sync_steps")}
         where job_id = $1 and root_type = $2 and action = 'outcome' group by status`,
        [page.jobId, page.rootType],
      );
      const sum = Object.fromEntries(all.map((r) => [r.status, Number(r.n)]));
      await tx`select sync.report_progress(${page.jobId}, ${page.rootType}, 0, null,
        ${`${sum.synced ?? 0} synced, ${sum.skipped ?? 0} skipped, ${sum.failed ?? 0} failed`})`;
      return {
        cancelRequested: (committed as { cancel_requested?: boolean }).cancel_requested === true,
        merged,
        backLinks: written,
        patched,
      };
    }) as LandResult;
  } catch (err) {
    throw fromDatabaseError(err);
  }
}
