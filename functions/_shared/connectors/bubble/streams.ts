// The Bubble streams: one per data type, each reading GET <app>/api/1.1/obj/<type> in Created Date
// order by keyset (paging.ts) and, when incremental, constrained to Modified Date greater than the
// window start. A type of the model lands in its typed table (bubble.<type>); any other configured
// type lands in bubble.records keyed by (type, id).
import {
  type FetchContext,
  getOrNull,
  type Page,
  pageLimit,
  type StreamDef,
} from "../../engine/connector/mod.ts";
import { ValidationError } from "../../engine/errors.ts";
import { type BubbleConfig, objRoot, parseBubbleConfig } from "./config.ts";
import { typedRow } from "./model/rows.ts";
import type { BubbleTypeModel } from "./model/types.ts";
import {
  apiTypeName,
  BUBBLE_MAX_LIMIT,
  type BubbleCursor,
  CREATED_DATE,
  keysetQuery,
  modifiedWindow,
  nextBubbleCursor,
  parseBubbleCursor,
  streamName,
} from "./paging.ts";
import { recordRow } from "./rows.ts";
import { type BubbleRecord, bubbleRecordSchema } from "./schemas.ts";

const HOUR = 3_600_000;

export const BUBBLE_TARGET = "bubble.records";

export interface ListResponse {
  response?: { cursor?: number; results?: unknown[]; count?: number; remaining?: number };
}

/** The account's config, refusing a stream whose type the account does not list (when it lists any). */
export function configFor(ctx: FetchContext, type: string): BubbleConfig {
  const config = parseBubbleConfig(ctx.config);
  if (config.types && !config.types.map(apiTypeName).includes(type)) {
    throw new ValidationError(
      `Bubble type "${type}" is not among this account's types (${config.types.join(", ")})`,
      { type },
    );
  }
  return config;
}

/** The query of one page of a type's listing. */
export function listQuery(ctx: FetchContext, cursor: BubbleCursor | null): Record<string, string | number> {
  const keyset = keysetQuery(cursor);
  const constraints = [...modifiedWindow(ctx.since, ctx.until), ...keyset.constraints];
  return {
    cursor: keyset.offset,
    limit: pageLimit(ctx, BUBBLE_MAX_LIMIT),
    sort_field: CREATED_DATE,
    descending: "false",
    ...(constraints.length ? { constraints: JSON.stringify(constraints) } : {}),
  };
}

/** Reads one page of a type's listing from a cursor (ours, see paging.ts). */
export async function fetchTypePage(
  ctx: FetchContext,
  root: string,
  apiType: string,
  cursor: string | null,
): Promise<Page> {
  const from = parseBubbleCursor(cursor);
  const res = await ctx.http.get<ListResponse>(`${root}/${encodeURIComponent(apiType)}`, {
    query: listQuery(ctx, from),
    signal: ctx.signal,
  });
  const r = res?.response ?? {};
  const records = Array.isArray(r.results) ? r.results : [];
  const remaining = typeof r.remaining === "number" ? r.remaining : 0;
  const created = records.map((x) => {
    const v = (x as Record<string, unknown> | null)?.[CREATED_DATE];
    return typeof v === "string" ? v : undefined;
  });
  return {
    records,
    nextCursor: nextBubbleCursor(from, created, remaining),
    total: (from?.done ?? 0) + records.length + remaining,
  };
}

/** Reads one thing by id (null: it does not exist). */
export async function fetchThing(ctx: FetchContext, root: string, apiType: string, id: string) {
  const res = await getOrNull<{ response?: unknown }>(
    ctx,
    `${root}/${encodeURIComponent(apiType)}/${encodeURIComponent(id)}`,
  );
  return res?.response ?? null;
}

function baseStream(apiType: string, name: string) {
  if (!apiType || !name) throw new RangeError(`Invalid Bubble type name "${apiType}"`);
  return {
    name,
    schema: bubbleRecordSchema,
    key: (r: BubbleRecord) => r._id,
    updatedAt: (r: BubbleRecord) => r["Modified Date"],
    incremental: { lookbackMs: HOUR },
    async fetchPage(ctx: FetchContext, cursor: string | null): Promise<Page> {
      return await fetchTypePage(ctx, objRoot(configFor(ctx, apiType)), apiType, cursor);
    },
    async fetchOne(ctx: FetchContext, id: string) {
      return await fetchThing(ctx, objRoot(configFor(ctx, apiType)), apiType, id);
    },
  };
}

/** The stream of one Bubble data type outside the model: rows of bubble.records. */
export function typeStream(type: string): StreamDef<typeof bubbleRecordSchema> {
  const apiType = apiTypeName(type);
  return {
    ...baseStream(apiType, streamName(type)),
    target: BUBBLE_TARGET,
    toRow: (r) => recordRow(apiType, r),
  };
}

/** The stream of a modelled type: rows of its typed table, after the types it links to. */
export function typedStream(
  schema: string,
  t: BubbleTypeModel,
  parents: string[],
): StreamDef<typeof bubbleRecordSchema> {
  return {
    ...baseStream(t.apiType, t.name),
    target: `${schema}.${t.name}`,
    parents,
    toRow: (r) => typedRow(t, r),
  };
}

/** One stream per type, in the given order; two types with the same stream name are refused. */
export function bubbleStreams(types: string[]): StreamDef[] {
  if (types.length === 0) throw new RangeError("A Bubble connector needs at least one type");
  const streams = types.map(typeStream);
  const seen = new Set<string>();
  for (const [i, s] of streams.entries()) {
    if (seen.has(s.name)) throw new RangeError(`Bubble types name stream "${s.name}" twice (${types[i]})`);
    seen.add(s.name);
  }
  return streams as StreamDef[];
}
