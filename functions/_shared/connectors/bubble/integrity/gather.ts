// Gathering the chain of a page of roots: validate the roots, set aside the up-to-date ones
// (unless forced), find the other side of empty back-links (single roots), then fetch what the
// roots link to, level by level from the highest, in batches per type (each type once); ids the
// source does not return are gone.
import type { FetchContext } from "../../../engine/connector/mod.ts";
import type { Sql } from "../../../engine/types.ts";
import { sanitiseRecords } from "../../../engine/records/mod.ts";
import { dependencyLevels } from "../model/levels.ts";
import { isEmpty } from "../model/rows.ts";
import type { BubbleModel } from "../model/types.ts";
import { bubbleRecordSchema } from "../schemas.ts";
import { Chain, ref, type Thing } from "./chain.ts";
import { fetchByIds, fetchWhereContains, type RelationFetch } from "./fetch.ts";
import type { StepLog } from "./steps.ts";
import { existing, type FailedThing, localVersions } from "./store.ts";

export interface GatherOptions {
  sql: Sql;
  ctx: FetchContext;
  appRoot: string;
  model: BubbleModel;
  rootType: string;
  how: RelationFetch;
  force: boolean;
  /** Find the other side of empty back-links through their inverse field (single roots only). */
  inverse: boolean;
}

export async function gatherChain(
  opts: GatherOptions,
  records: unknown[],
  steps: StepLog,
): Promise<{ chain: Chain; failedThings: FailedThing[]; sanitised: number }> {
  const { sql, ctx, appRoot, model, rootType, how, force, inverse } = opts;
  // the one sanitising rule of every path (engine/sanitise.ts): U+0000 removed, lone surrogates
  // replaced, before anything is validated, so typed tables, raw, failed items and the step report
  // all see storable text; `sanitised` counts the things changed
  let sanitised = 0;
  const clean = (things: unknown[]) => {
    const out = sanitiseRecords(things);
    sanitised += out.count;
    return out.records;
  };
  records = clean(records);
  const rootModel = model.types.find((t) => t.name === rootType)!;
  const schema = model.schema;
  const failedThings: FailedThing[] = [];
  const chain = new Chain(model, rootType);
  const roots: Thing[] = [];
  records.forEach((r, i) => {
    const parsed = bubbleRecordSchema.safeParse(r);
    const id = typeof (r as { _id?: unknown })?._id === "string" ? (r as Thing)._id : `${rootType}#${i}`;
    if (!parsed.success) {
      const error = `Record does not match the ${rootType} schema: ${
        parsed.error.issues.slice(0, 3).map((x) => `${x.path.join(".") || "(record)"}: ${x.message}`).join(
          "; ",
        )
      }`;
      failedThings.push({ stream: rootType, key: id, payload: r, error });
      steps.add(id, { action: "validate", entity: rootType, status: "error", detail: error });
    } else roots.push(parsed.data as Thing);
  });
  // skip roots whose local copy is not older than the source's, unless forced
  const local = await localVersions(sql, schema, rootType, roots.map((r) => r._id));
  for (const r of roots) {
    const mine = local.get(r._id);
    const theirs = Date.parse(String(r["Modified Date"]));
    if (!force && mine !== undefined && mine >= theirs) {
      steps.add(r._id, {
        action: "skip",
        entity: rootType,
        status: "success",
        detail: `local Modified Date ${new Date(mine).toISOString()} is not older than the source's`,
      });
      steps.finish(r._id, "skipped");
    } else chain.add(rootType, r, [r._id]);
  }
  const rootThings = [...(chain.things.get(rootType)?.values() ?? [])];
  // ids to read per type; "type:id" of those the roots link to themselves (always read fresh)
  const wanted = new Map<string, Set<string>>();
  const want = (type: string, things: Thing[]) => {
    for (const [target, ids] of chain.linkedIds(type, things)) {
      const set = wanted.get(target) ?? wanted.set(target, new Set()).get(target)!;
      for (const id of ids) set.add(id);
    }
  };
  want(rootType, rootThings);
  const direct = new Set([...wanted].flatMap(([type, ids]) => [...ids].map((id) => ref(type, id))));
  // an empty back-link (an invoice that lost its SEDA registration): find the other side through
  // its inverse field, so the patch pass can restore the link
  if (inverse) {
    for (const [field, f] of Object.entries(rootModel.fields)) {
      if (!f.backLink || !f.inverse || !f.link) continue;
      const target = chain.type(f.link);
      for (const r of rootThings.filter((x) => isEmpty(x[field]))) {
        const found = clean(await fetchWhereContains(ctx, appRoot, target.apiType, f.inverse, r._id));
        const valid = found.map((x) => bubbleRecordSchema.safeParse(x)).filter((x) => x.success).map((x) =>
          x.data as Thing
        );
        steps.add(r._id, {
          action: `find by ${f.inverse}`,
          entity: target.name,
          status: "success",
          count: valid.length,
        });
        for (const v of valid) chain.add(target.name, v, [r._id]);
        want(target.name, valid);
      }
    }
  }
  // the chain, level by level from the highest: single links point to lower levels, so the things
  // of a level are read once, after every thing that may link to them (payments and submitted
  // payments before the users they name, users before their agents and customers). A pass that
  // finds links upwards (a list) runs again.
  const levels = dependencyLevels(model).byLevel;
  for (let pass = 0; pass < model.types.length && [...wanted.values()].some((s) => s.size); pass++) {
    for (let level = levels.length - 1; level >= 0; level--) {
      const batch = levels[level].filter((t) => wanted.get(t)?.size).map((t) => [t, wanted.get(t)!] as const);
      for (const [type] of batch) wanted.delete(type);
      await Promise.all(batch.map(async ([type, ids]) => {
        // a thing only linked by relations is read when it is not here yet
        const indirect = [...ids].filter((id) => !direct.has(ref(type, id)));
        for (const id of await existing(sql, schema, type, indirect)) ids.delete(id);
        if (!ids.size) return;
        const found = clean(await fetchByIds(ctx, appRoot, chain.type(type).apiType, [...ids], how));
        const got = new Set<string>();
        const perOwner = new Map<string, { direct: number; indirect: number }>();
        const fresh: Thing[] = [];
        for (const r of found) {
          const id = (r as { _id?: unknown })?._id;
          if (typeof id !== "string" || !ids.has(id)) continue; // not asked for: ignore
          got.add(id);
          const owners = chain.owners.get(ref(type, id)) ?? new Set<string>();
          const parsed = bubbleRecordSchema.safeParse(r);
          if (!parsed.success) {
            const error = `Record does not match the ${type} schema: ${
              parsed.error.issues.slice(0, 3).map((x) => `${x.path.join(".") || "(record)"}: ${x.message}`)
                .join("; ")
            }`;
            failedThings.push({ stream: type, key: id, payload: r, error });
            for (const o of owners) {
              steps.add(o, { action: "validate", entity: type, status: "error", detail: `${id}: ${error}` });
            }
            continue;
          }
          chain.add(type, parsed.data as Thing, owners);
          fresh.push(parsed.data as Thing);
          const kind = direct.has(ref(type, id)) ? "direct" : "indirect";
          for (const o of owners) {
            const n = perOwner.get(o) ?? perOwner.set(o, { direct: 0, indirect: 0 }).get(o)!;
            n[kind]++;
          }
        }
        want(type, fresh);
        for (const [o, n] of perOwner) {
          if (n.direct) steps.add(o, { action: "fetch", entity: type, status: "success", count: n.direct });
          if (n.indirect) {
            steps.add(o, {
              action: "fetch (linked by relations)",
              entity: type,
              status: "success",
              count: n.indirect,
            });
          }
        }
        for (const id of ids) {
          if (got.has(id)) continue;
          chain.missing.add(ref(type, id));
          for (const o of chain.owners.get(ref(type, id)) ?? []) {
            steps.add(o, {
              action: "fetch",
              entity: type,
              status: "warning",
              detail:
                `${type} ${id} does not exist at the source (404); the link is cleared in the typed column, raw keeps it`,
            });
          }
        }
      }));
    }
  }
  return { chain, failedThings, sanitised };
}
