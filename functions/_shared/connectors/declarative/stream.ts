// A declarative stream as an engine StreamDef. A listing is windows × parents × pages: for each
// date window (or the one range of the run), for each parent record (or none), the pages of one
// request. The opaque cursor (paging.ts) says where in that walk the next page is; the runner
// saves it with every page, so a killed job resumes at the page it was on, window by window.
import {
  type FetchContext,
  getOrNull,
  type Page,
  pageLimit,
  type StreamDef,
} from "../../engine/connector/mod.ts";
import { ValidationError } from "../../engine/errors.ts";
import { isExactNumber } from "../../engine/json.ts";
import { getter, keyOf, pick, recordSchema, rowMapper, updatedAtOf } from "./fields.ts";
import {
  decodeCursor,
  encodeCursor,
  firstPosition,
  followUrl,
  type ListingCursor,
  nextPosition,
  pageParams,
} from "./paging.ts";
import { authQuery, buildRequest, fill, requestVars } from "./request.ts";
import { type ConnectorSpec, targetOf } from "./spec.ts";
import { type DateWindow, windowAt } from "./windows.ts";

/** Parent keys per listing context: one parent listing per stream run (and per resumed invocation). */
const parentCache = new WeakMap<FetchContext, Map<string, Promise<string[]>>>();

/** Whether another stream of the description is read once per record of this one. */
const isParent = (spec: ConnectorSpec, name: string) =>
  Object.values(spec.streams).some((o) => o.parent?.stream === name);

/**
 * The date range a run covers: since (or the start date) to until (or now). A history (the job's
 * own --since/--until) reads a parent stream whole: its range is its children's, not its own.
 */
function runRange(spec: ConnectorSpec, name: string, ctx: FetchContext, now: () => number) {
  const s = spec.streams[name];
  if (ctx.history && !s.windows && isParent(spec, name)) return { from: null, to: null };
  const configured = typeof ctx.config.startDate === "string" ? ctx.config.startDate : undefined;
  const from = ctx.since ?? (s.windows ? new Date(configured ?? s.windows.start) : null);
  if (from && Number.isNaN(from.getTime())) {
    throw new ValidationError(`Invalid ${spec.name} connector config: startDate: not a date`, {
      field: "startDate",
    });
  }
  const to = ctx.until ?? (s.windows ? new Date(now()) : null);
  return { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null };
}

export function declarativeStream(
  spec: ConnectorSpec,
  name: string,
  opts: { now?: () => number; streams?: () => Map<string, StreamDef> } = {},
): StreamDef {
  const s = spec.streams[name];
  const now = opts.now ?? Date.now;
  const key = keyOf(s);
  const updatedAt = updatedAtOf(s);
  const readRecords = getter(s.records);
  const pagingIn = "in" in s.pagination ? s.pagination.in : "query";

  /** The parent stream's keys, sorted (so "the parent after k" survives new parents appearing). */
  function parentKeys(ctx: FetchContext): Promise<string[]> {
    const parent = s.parent!;
    let byStream = parentCache.get(ctx);
    if (!byStream) parentCache.set(ctx, byStream = new Map());
    let keys = byStream.get(parent.stream);
    if (!keys) {
      const def = opts.streams?.().get(parent.stream);
      if (!def) throw new ValidationError(`Stream "${name}" names unknown parent "${parent.stream}"`);
      keys = (async () => {
        const pctx: FetchContext = { ...ctx, since: null, until: null };
        const out = new Set<string>();
        let cursor: string | null = null;
        do {
          const page: Page = await def.fetchPage(pctx, cursor);
          for (const r of page.records) {
            const v = pick(r, parent.field);
            if (typeof v === "string" || typeof v === "number") out.add(String(v));
            else if (isExactNumber(v)) out.add(JSON.stringify(v)); // an id beyond 2^53, digit for digit
          }
          cursor = page.nextCursor;
        } while (cursor !== null);
        return [...out].sort();
      })();
      keys.catch(() => byStream!.delete(parent.stream));
      byStream.set(parent.stream, keys);
    }
    return keys;
  }

  /** The first (window, parent) at or after the given ones that has something to read; null: done. */
  async function settle(
    ctx: FetchContext,
    c: ListingCursor,
    skipParent: boolean,
  ): Promise<ListingCursor | null> {
    const from = c.from ? new Date(c.from) : null;
    const to = c.to ? new Date(c.to) : null;
    let window: string | null = c.window;
    let parent: string | null = c.parent;
    let skip = skipParent;
    for (;;) {
      if (s.parent) {
        const keys = await parentKeys(ctx);
        const next = parent === null ? keys[0] : keys.find((k) => (skip ? k > parent! : k >= parent!));
        if (next !== undefined) return { ...c, window, parent: next, page: firstPosition(s.pagination) };
      } else if (!skip) return { ...c, window, parent: null, page: firstPosition(s.pagination) };
      // this window is done: the next one
      if (!s.windows || !from || !to || window === null) return null;
      const w = windowAt(new Date(window), from, to, s.windows.step);
      const nextWindow = w ? windowAt(w.end, from, to, s.windows.step) : null;
      if (!nextWindow) return null;
      window = nextWindow.start.toISOString();
      parent = null;
      skip = false;
    }
  }

  function start(ctx: FetchContext): Promise<ListingCursor | null> {
    const range = runRange(spec, name, ctx, now);
    let window: string | null = null;
    if (s.windows) {
      const w = range.from && range.to
        ? windowAt(new Date(range.from), new Date(range.from), new Date(range.to), s.windows.step)
        : null;
      if (!w) return Promise.resolve(null); // an empty range
      window = w.start.toISOString();
    }
    return settle(ctx, { ...range, window, parent: null, page: null }, false);
  }

  async function fetchPage(ctx: FetchContext, cursor: string | null): Promise<Page> {
    const first = cursor === null ? await start(ctx) : decodeCursor(cursor);
    if (!first) return { records: [], nextCursor: null };
    const at: ListingCursor = first;
    const from = at.from ? new Date(at.from) : null;
    const to = at.to ? new Date(at.to) : null;
    let window: DateWindow | null = null;
    if (s.windows && at.window) window = windowAt(new Date(at.window), from!, to!, s.windows.step);
    const size = pageLimit(ctx, s.maxPageSize);
    const vars = requestVars(s, ctx.config, window, at.parent);
    const range = window
      ? { start: window.start, end: window.end }
      : from || to
      ? { start: from, end: to }
      : null;
    let link: string | null = null;
    const onHeaders = s.pagination.type === "link_header"
      ? (h: Headers) => (link = h.get("link"))
      : undefined;
    let body: unknown;
    if (
      typeof at.page === "string" && (s.pagination.type === "next_url" || s.pagination.type === "link_header")
    ) {
      // the API's own URL for the next page carries every parameter
      body = await ctx.http.get(followUrl(ctx.http.baseUrl, at.page), {
        query: authQuery(spec, ctx.config),
        signal: ctx.signal,
        onHeaders,
      });
    } else {
      const req = buildRequest({
        stream: s,
        vars,
        range,
        paging: pageParams(s.pagination, at.page, size),
        pagingIn,
      });
      body = await ctx.http.request(req.method, req.path, {
        query: { ...req.query, ...authQuery(spec, ctx.config) },
        body: req.body,
        signal: ctx.signal,
        onHeaders,
      });
    }
    const found = readRecords(body);
    if (found !== undefined && found !== null && !Array.isArray(found)) {
      throw new ValidationError(
        `${spec.name} stream "${name}": the answer's ${s.records || "body"} is not a list of records`,
      );
    }
    let records = (found ?? []) as unknown[];
    const filter = s.incremental?.filter;
    if (filter?.format === "date" && range?.start && range.start.getTime() % 86_400_000 !== 0 && updatedAt) {
      // the API filters by day and the range starts within one: records before the range's instant
      // were read already (or are older than since), so the listing returns exactly the range
      const min = range.start.getTime();
      const all = records;
      records = all.filter((r) => !(Date.parse(updatedAt(r) ?? "") < min));
      if (records.length !== all.length) return finishPage(all.length, records);
    }
    return finishPage(records.length, records);

    async function finishPage(count: number, records: unknown[]): Promise<Page> {
      const page = nextPosition(s.pagination, at.page, { body, count, size, link });
      const next = page !== null ? { ...at, page } : await settle(ctx, at, true);
      // a total is the whole listing's only when the listing is one request's pages
      const total = s.total && !s.windows && !s.parent ? Number(pick(body, s.total)) : NaN;
      return {
        records,
        nextCursor: next ? encodeCursor(next) : null,
        ...(Number.isFinite(total) ? { total } : {}),
      };
    }
  }

  const one = s.one;
  return {
    name,
    target: targetOf(spec, name),
    schema: recordSchema(s),
    key,
    updatedAt,
    toRow: rowMapper(s),
    parents: [...new Set([...(s.parent ? [s.parent.stream] : []), ...s.dependsOn])],
    incremental: s.incremental?.filter ? { lookbackMs: s.incremental.lookbackHours * 3_600_000 } : "full",
    fetchPage,
    ...(one
      ? {
        async fetchOne(ctx: FetchContext, id: string) {
          const vars = { ...requestVars(s, ctx.config, null, null), id };
          const res = await getOrNull<unknown>(ctx, fill(one.path, vars, true), {
            query: authQuery(spec, ctx.config),
          });
          const record = res === null ? null : pick(res, one.record) ?? null;
          if (record === null || (one.where && pick(record, one.where.field) !== one.where.equals)) {
            return null;
          }
          return record;
        },
      }
      : {}),
  };
}
