// Reading things by id in batches: one list request per type and per 100 ids, with Bubble's `in`
// constraint on `_id` (GET /obj/<type>?constraints=[{"key":"_id","constraint_type":"in","value":[...]}]),
// instead of one GET /obj/<type>/<id> per thing. `perId` is the one-request-per-thing way, kept for
// the benchmark's comparison (and as a fallback setting, relationFetch: "per-id").
import type { FetchContext } from "../../../engine/connector/mod.ts";
import { BUBBLE_MAX_LIMIT } from "../paging.ts";
import { fetchThing, type ListResponse } from "../streams.ts";

export type RelationFetch = "batched" | "per-id";

/** The things of the given ids that exist at the source (absent ones are simply not returned). */
export async function fetchByIds(
  ctx: FetchContext,
  root: string,
  apiType: string,
  ids: string[],
  how: RelationFetch = "batched",
): Promise<unknown[]> {
  const unique = [...new Set(ids)];
  if (how === "per-id") {
    const found: unknown[] = [];
    for (const id of unique) {
      const thing = await fetchThing(ctx, root, apiType, id);
      if (thing !== null) found.push(thing);
    }
    return found;
  }
  const out: unknown[] = [];
  for (let i = 0; i < unique.length; i += BUBBLE_MAX_LIMIT) {
    const chunk = unique.slice(i, i + BUBBLE_MAX_LIMIT);
    const constraints = JSON.stringify([{ key: "_id", constraint_type: "in", value: chunk }]);
    let offset = 0;
    // a chunk fits one page; the loop only guards against a server that pages smaller
    for (let guard = 0; guard < BUBBLE_MAX_LIMIT; guard++) {
      const res = await ctx.http.get<ListResponse>(`${root}/${encodeURIComponent(apiType)}`, {
        query: { constraints, limit: BUBBLE_MAX_LIMIT, cursor: offset },
        signal: ctx.signal,
      });
      const results = Array.isArray(res?.response?.results) ? res.response!.results! : [];
      out.push(...results);
      offset += results.length;
      if (!results.length || !(Number(res?.response?.remaining) > 0)) break;
    }
  }
  return out;
}

/** The things of a type whose list field contains the id (Bubble's `contains` constraint). */
export async function fetchWhereContains(
  ctx: FetchContext,
  root: string,
  apiType: string,
  field: string,
  id: string,
): Promise<unknown[]> {
  const res = await ctx.http.get<ListResponse>(`${root}/${encodeURIComponent(apiType)}`, {
    query: {
      constraints: JSON.stringify([{ key: field, constraint_type: "contains", value: id }]),
      limit: BUBBLE_MAX_LIMIT,
    },
    signal: ctx.signal,
  });
  return Array.isArray(res?.response?.results) ? res.response!.results! : [];
}
