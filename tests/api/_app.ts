// A test app: the real Hono app and a real database, with a small in-memory connector
// ("widgets") so route behaviour is tested apart from any vendor's API.
import { z } from "zod";
import { Jwt } from "hono/utils/jwt";
import { createApp } from "../../functions/sync/app.ts";
import type { AppDeps } from "../../functions/_shared/deps.ts";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import type { CpuBudget } from "../../functions/_shared/engine/budget/mod.ts";
import { HttpError } from "../../functions/_shared/engine/errors.ts";
import { createTestDatabase, type TestDatabase } from "../_support/db.ts";

export const JWT_SECRET = "test-only-jwt-secret-not-a-real-one-000000";
export const WORKER_SECRET = "test-only-worker-secret";

export interface Widget {
  id: string;
  name: string;
  updated_at: string;
}

export function widgetConnector(
  source: Widget[],
  pageSize = 10,
  onPage?: (cursor: string | null) => Promise<void>,
  onFetchOne?: (id: string) => Promise<void>,
): Connector {
  const stream: StreamDef = {
    name: "widgets",
    target: "public.widgets",
    schema: z.object({ id: z.string(), name: z.string(), updated_at: z.string() }),
    key: (r: Widget) => r.id,
    updatedAt: (r: Widget) => r.updated_at,
    toRow: (r: Widget) => ({ id: r.id, name: r.name, updated_at: r.updated_at }),
    incremental: { lookbackMs: 0 },
    async fetchPage(ctx, cursor) {
      await onPage?.(cursor);
      const since = ctx.since?.getTime() ?? -Infinity;
      const all = source.filter((w) => Date.parse(w.updated_at) >= since);
      const start = cursor ? Number(cursor) : 0;
      const end = start + pageSize;
      return {
        records: all.slice(start, end),
        nextCursor: end < all.length ? String(end) : null,
        total: all.length,
      };
    },
    async fetchOne(_ctx, id) {
      await onFetchOne?.(id);
      if (id.startsWith("forbidden")) {
        throw new HttpError({
          source: "widgets",
          status: 403,
          message: `GET /widgets/${id} answered 403`,
          transient: false,
        });
      }
      return source.find((w) => w.id === id) ?? null;
    },
    // the cheap id listing: every id the source has, a page at a time
    listIds(_ctx, cursor) {
      const start = cursor ? Number(cursor) : 0;
      const end = start + pageSize * 2;
      return Promise.resolve({
        ids: source.slice(start, end).map((w) => w.id),
        nextCursor: end < source.length ? String(end) : null,
      });
    },
  };
  return { name: "widgets", baseUrl: "http://127.0.0.1:9", streams: [stream], pageSize, headers: () => ({}) };
}

export function makeWidgets(n: number, updatedAt = "2026-01-01T00:00:00Z"): Widget[] {
  return Array.from(
    { length: n },
    (_, i) => ({ id: `w${i + 1}`, name: `widget ${i + 1}`, updated_at: updatedAt }),
  );
}

export async function adminToken(appMetadata: Record<string, unknown> = { role: "admin" }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return await Jwt.sign(
    { sub: "user-1", role: "authenticated", aud: "authenticated", app_metadata: appMetadata, exp: now + 600 },
    JWT_SECRET,
  );
}

export async function testApp(
  source: Widget[],
  opts: {
    budgetMs?: number;
    pageSize?: number;
    onPage?: (cursor: string | null) => Promise<void>;
    onFetchOne?: (id: string) => Promise<void>;
    /** background work of the app (EdgeRuntime.waitUntil's role); none by default */
    waitUntil?: (work: Promise<unknown>) => void;
    /** a CPU budget per worker invocation; none by default */
    cpuBudget?: () => CpuBudget;
    /** changes the widgets connector (e.g. a listing that silently omits records) */
    connector?: (c: Connector) => Connector;
    /** the notification settings of the environment and a resolver (AppDeps.notify) */
    notify?: AppDeps["notify"];
    /** more connectors beside widgets (e.g. the real Square connector, for its jobs' words) */
    moreConnectors?: Record<string, Connector>;
  } = {},
) {
  const db: TestDatabase = await createTestDatabase();
  await db.sql.unsafe(`
    create table public.widgets (id text primary key, name text, updated_at timestamptz, local_note text);
    select sync.register_target('public.widgets', array['id'], 'updated_at');
    grant select, insert, update on public.widgets to service_role;`);
  const { app, token, call, work } = await apiClient({
    sql: db.sql,
    connectors: {
      ...opts.moreConnectors,
      widgets: (opts.connector ?? ((c) => c))(
        widgetConnector(source, opts.pageSize, opts.onPage, opts.onFetchOne),
      ),
    },
    connectorConfig: () => ({}),
    budgetMs: opts.budgetMs ?? 60_000,
    waitUntil: opts.waitUntil,
    cpuBudget: opts.cpuBudget,
    notify: opts.notify,
  });
  return { db, app, token, call, work, [Symbol.asyncDispose]: () => db[Symbol.asyncDispose]() };
}

/**
 * The one test-app builder: the real app over the given database and connectors, with the test JWT and
 * worker secrets (override any dependency). `call` speaks to the admin API as an admin, `work` runs the
 * worker endpoint; both answer `{ status, body }` with the JSON body.
 */
export async function apiClient(
  deps: Pick<AppDeps, "sql" | "connectors" | "connectorConfig"> & Partial<AppDeps>,
) {
  const app = createApp({
    auth: { jwtSecret: JWT_SECRET, jwksUrl: null, workerSecret: WORKER_SECRET },
    budgetMs: 60_000,
    log: () => {},
    ...deps,
  });
  const token = await adminToken();
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const work = (budgetMs?: number) =>
    call("POST", "/sync/worker", budgetMs ? { budgetMs } : {}, { "x-syncline-worker-secret": WORKER_SECRET });
  return { app, token, call, work };
}
