// The Bubble streams: one per configured data type, each reading GET <app>/api/1.1/obj/<type>
// sorted by Modified Date (ascending) and, when incremental, constrained to Modified Date
// greater than the window start. Every stream lands in bubble.records keyed by (type, id).
import {
  type FetchContext,
  getOrNull,
  type Page,
  pageLimit,
  type StreamDef,
} from "../../engine/connector.ts";
import { ValidationError } from "../../engine/errors.ts";
import { type BubbleConfig, objRoot, parseBubbleConfig } from "./config.ts";
import {
  apiTypeName,
  BUBBLE_MAX_LIMIT,
  MODIFIED_DATE,
  modifiedWindow,
  nextBubbleCursor,
  parseBubbleCursor,
  streamName,
} from "./paging.ts";
import { recordRow } from "./rows.ts";
import { bubbleRecordSchema } from "./schemas.ts";

const HOUR = 3_600_000;

export const BUBBLE_TARGET = "bubble.records";

interface ListResponse {
  response?: { cursor?: number; results?: unknown[]; count?: number; remaining?: number };
}

/** The account's config, refusing a stream whose type the account does not list (when it lists any). */
function configFor(ctx: FetchContext, type: string): BubbleConfig {
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
export function listQuery(ctx: FetchContext, offset: number): Record<string, string | number> {
  const constraints = modifiedWindow(ctx.since, ctx.until);
  return {
    cursor: offset,
    limit: pageLimit(ctx, BUBBLE_MAX_LIMIT),
    sort_field: MODIFIED_DATE,
    descending: "false",
    ...(constraints.length ? { constraints: JSON.stringify(constraints) } : {}),
  };
}

/** The stream of one Bubble data type. */
export function typeStream(type: string): StreamDef<typeof bubbleRecordSchema> {
  const apiType = apiTypeName(type);
  const name = streamName(type);
  if (!apiType || !name) throw new RangeError(`Invalid Bubble type name "${type}"`);
  return {
    name,
    target: BUBBLE_TARGET,
    schema: bubbleRecordSchema,
    key: (r) => r._id,
    updatedAt: (r) => r["Modified Date"],
    toRow: (r) => recordRow(apiType, r),
    incremental: { lookbackMs: HOUR },
    async fetchPage(ctx, cursor): Promise<Page> {
      const root = objRoot(configFor(ctx, apiType));
      const offset = parseBubbleCursor(cursor);
      const res = await ctx.http.get<ListResponse>(`${root}/${encodeURIComponent(apiType)}`, {
        query: listQuery(ctx, offset),
        signal: ctx.signal,
      });
      const r = res?.response ?? {};
      const records = r.results ?? [];
      const count = typeof r.count === "number" ? r.count : records.length;
      const remaining = typeof r.remaining === "number" ? r.remaining : 0;
      return {
        records,
        nextCursor: nextBubbleCursor(offset, records.length === 0 ? 0 : count, remaining),
        total: offset + count + remaining,
      };
    },
    async fetchOne(ctx, id) {
      const root = objRoot(configFor(ctx, apiType));
      const res = await getOrNull<{ response?: unknown }>(
        ctx,
        `${root}/${encodeURIComponent(apiType)}/${encodeURIComponent(id)}`,
      );
      return res?.response ?? null;
    },
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
