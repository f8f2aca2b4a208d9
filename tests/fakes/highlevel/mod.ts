// A fake HighLevel API for tests and the demo: HighLevel's paths, Version header and bearer
// auth, offset and search paging (10,000-record page window, then searchAfter), rate-limit
// headers with 429 past the burst, deterministic data from a seed, and knobs to change records.
import { createWorld, orderSummary, type Rec, type World, type WorldOptions } from "./data.ts";

export {
  generateHighLevelKeys,
  highlevelEvent,
  sendHighLevelWebhook,
  signHighLevelBody,
} from "./webhooks.ts";
export type { HighLevelSigningKeys } from "./webhooks.ts";

export const FAKE_HIGHLEVEL_TOKEN = "fake-highlevel-token";
export const FAKE_HIGHLEVEL_LOCATION = "fakeLocation0001";

export interface FakeHighLevelOptions extends WorldOptions {
  port?: number;
  accessToken?: string;
  /** Requests allowed per interval (HighLevel: 100 per 10 s burst); 0 turns limiting off. */
  rateLimitMax?: number;
  rateLimitIntervalMs?: number;
  now?: () => number;
}

export type FakeStream = "products" | "contacts" | "orders";

export interface FakeHighLevelState {
  readonly world: World;
  readonly requests: Record<string, number>;
  rateLimitMax: number;
  rateLimitIntervalMs: number;
  keys(stream: FakeStream): string[];
  /** Changes records (newer updated time, a changed field); returns their keys. */
  touch(stream: FakeStream, which: string[] | number): string[];
  /** Replaces fields of an order (items, status, ...) and bumps its updatedAt; returns it. */
  updateOrder(id: string, patch: Rec): Rec;
  /** Adds an order; returns it. */
  addOrder(order: Rec): Rec;
}

export interface FakeHighLevel {
  url: string;
  port: number;
  state: FakeHighLevelState;
  close(): Promise<void>;
}

const idField: Record<FakeStream, string> = { products: "_id", contacts: "id", orders: "_id" };
const updatedField: Record<FakeStream, string> = {
  products: "updatedAt",
  contacts: "dateUpdated",
  orders: "updatedAt",
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

const error = (status: number, message: string) =>
  json({ statusCode: status, message, error: status === 404 ? "Not Found" : "Bad Request" }, status);

function createState(world: World, opts: FakeHighLevelOptions, now: () => number): FakeHighLevelState {
  let last = 0;
  const tick = () => {
    let max = 0;
    for (const s of ["products", "contacts", "orders"] as FakeStream[]) {
      for (const r of world[s]) max = Math.max(max, Date.parse(r[updatedField[s]] as string));
    }
    last = Math.max(now(), max + 1000, last + 1000);
    return new Date(last).toISOString();
  };
  const state: FakeHighLevelState = {
    world,
    requests: { total: 0 },
    rateLimitMax: opts.rateLimitMax ?? 100,
    rateLimitIntervalMs: opts.rateLimitIntervalMs ?? 10_000,
    keys: (s) => world[s].map((r) => String(r[idField[s]])),
    touch(s, which) {
      const list = world[s];
      const picked = typeof which === "number"
        ? Array.from(
          { length: Math.min(which, list.length) },
          (_, i) => list[Math.floor(i * list.length / which)],
        )
        : which.map((id) => list.find((r) => r[idField[s]] === id)).filter((r): r is Rec => Boolean(r));
      for (const r of picked) {
        r[updatedField[s]] = tick();
        if (s === "contacts") r.companyName = `Touched ${r[updatedField[s]]}`;
        else if (s === "products") r.description = `Touched ${r[updatedField[s]]}`;
        else r.sourceName = `Touched ${r[updatedField[s]]}`;
      }
      return picked.map((r) => String(r[idField[s]]));
    },
    updateOrder(id, patch) {
      const o = world.orders.find((r) => r._id === id);
      if (!o) throw new Error(`fake HighLevel has no order "${id}"`);
      Object.assign(o, patch, { updatedAt: tick() });
      return o;
    },
    addOrder(order) {
      const o = {
        altId: world.locationId,
        altType: "location",
        status: "completed",
        currency: "USD",
        items: [],
        createdAt: tick(),
        ...order,
        updatedAt: tick(),
      };
      world.orders.push(o);
      return o;
    },
  };
  return state;
}

function page<T>(list: T[], offset: number, limit: number): T[] {
  return list.slice(offset, offset + limit);
}

function intParam(v: string | null, def: number, min: number, max: number, name: string): number {
  if (v === null || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Fault(error(422, `${name} must be an integer ${min}-${max}`));
  }
  return n;
}

class Fault extends Error {
  constructor(readonly response: Response) {
    super("fault");
  }
}

function route(state: FakeHighLevelState, req: Request, url: URL, body: Rec | null): Response {
  const w = state.world;
  const p = url.pathname.replace(/\/+$/, "") || "/";
  const q = url.searchParams;
  const needAlt = () => {
    if (q.get("altId") !== w.locationId || q.get("altType") !== "location") {
      throw new Fault(error(422, "altId must be the location id and altType must be location"));
    }
  };
  if (req.method === "GET" && p === "/products") {
    if (q.get("locationId") !== w.locationId) return error(422, "locationId is required");
    const limit = intParam(q.get("limit"), 100, 1, 100, "limit");
    const offset = intParam(q.get("offset"), 0, 0, 1e9, "offset");
    return json({ products: page(w.products, offset, limit), total: [{ total: w.products.length }] });
  }
  let m = /^\/products\/([^/]+)$/.exec(p);
  if (req.method === "GET" && m) {
    const r = w.products.find((x) => x._id === decodeURIComponent(m![1]));
    return r ? json(r) : error(404, "Product not found");
  }
  if (req.method === "GET" && p === "/payments/orders") {
    needAlt();
    const limit = intParam(q.get("limit"), 10, 1, 100, "limit");
    const offset = intParam(q.get("offset"), 0, 0, 1e9, "offset");
    // newest first, as HighLevel lists them
    const sorted = [...w.orders].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    return json({ data: page(sorted, offset, limit).map(orderSummary), totalCount: w.orders.length });
  }
  m = /^\/payments\/orders\/([^/]+)$/.exec(p);
  if (req.method === "GET" && m) {
    needAlt();
    const r = w.orders.find((x) => x._id === decodeURIComponent(m![1]));
    return r ? json(r) : error(400, "Order not found");
  }
  if (req.method === "POST" && p === "/contacts/search") {
    if (!body || body.locationId !== w.locationId) return error(422, "locationId is required");
    const pageLimit = Number(body.pageLimit ?? 20);
    if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 500) {
      return error(422, "pageLimit must be 1-500");
    }
    let list = [...w.contacts];
    for (const f of (body.filters ?? []) as Rec[]) {
      if (f.field !== "dateUpdated" || f.operator !== "range") {
        return error(422, `unsupported filter ${f.field}`);
      }
      const v = f.value as { gte?: string; lte?: string };
      list = list.filter((c) =>
        (!v.gte || String(c.dateUpdated) >= v.gte) && (!v.lte || String(c.dateUpdated) <= v.lte)
      );
    }
    list.sort((a, b) =>
      String(a.dateUpdated).localeCompare(String(b.dateUpdated)) || String(a.id).localeCompare(String(b.id))
    );
    const withAfter = (c: Rec) => ({ ...c, searchAfter: [Date.parse(String(c.dateUpdated)), c.id] });
    if (Array.isArray(body.searchAfter)) {
      const [t, id] = body.searchAfter as [number, string];
      const rest = list.filter((c) => {
        const ct = Date.parse(String(c.dateUpdated));
        return ct > t || (ct === t && String(c.id) > id);
      });
      return json({ contacts: rest.slice(0, pageLimit).map(withAfter), total: list.length });
    }
    const pg = Number(body.page ?? 1);
    if (!Number.isInteger(pg) || pg < 1) return error(422, "page must be >= 1");
    if (pg * pageLimit > 10_000) return error(422, "page * pageLimit beyond 10000: use searchAfter");
    return json({ contacts: page(list, (pg - 1) * pageLimit, pageLimit).map(withAfter), total: list.length });
  }
  m = /^\/contacts\/([^/]+)$/.exec(p);
  if (req.method === "GET" && m) {
    const r = w.contacts.find((x) => x.id === decodeURIComponent(m![1]));
    return r ? json({ contact: r }) : error(400, "Contact not found");
  }
  return error(404, `Cannot ${req.method} ${p}`);
}

export function startFakeHighLevel(opts: FakeHighLevelOptions = {}): FakeHighLevel {
  const now = opts.now ?? Date.now;
  const world = createWorld({ locationId: FAKE_HIGHLEVEL_LOCATION, ...opts });
  const state = createState(world, opts, now);
  const token = opts.accessToken ?? FAKE_HIGHLEVEL_TOKEN;
  let windowStart = 0;
  let used = 0;
  const server = Deno.serve(
    { port: opts.port ?? 0, hostname: "127.0.0.1", onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      state.requests.total++;
      const key = `${req.method} ${url.pathname.replace(/\/[0-9a-zA-Z]{16,}$/, "/:id")}`;
      state.requests[key] = (state.requests[key] ?? 0) + 1;
      const t = now();
      if (t - windowStart >= state.rateLimitIntervalMs) {
        windowStart = t;
        used = 0;
      }
      used++;
      const limited = state.rateLimitMax > 0 && used > state.rateLimitMax;
      const rl = {
        "x-ratelimit-max": String(state.rateLimitMax || 1_000_000),
        "x-ratelimit-remaining": String(Math.max(0, (state.rateLimitMax || 1_000_000) - used)),
        "x-ratelimit-interval-milliseconds": String(state.rateLimitIntervalMs),
        "x-ratelimit-daily-remaining": String(Math.max(0, 200_000 - state.requests.total)),
      };
      const withHeaders = (res: Response) => {
        for (const [k, v] of Object.entries(rl)) res.headers.set(k, v);
        return res;
      };
      if (limited) return withHeaders(json({ statusCode: 429, message: "Too Many Requests" }, 429));
      if (req.headers.get("authorization") !== `Bearer ${token}`) {
        return withHeaders(json({ statusCode: 401, message: "Invalid JWT" }, 401));
      }
      if (req.headers.get("version") !== "2021-07-28") {
        return withHeaders(error(400, "Version header must be 2021-07-28"));
      }
      let body: Rec | null = null;
      if (req.method === "POST") {
        try {
          body = await req.json();
        } catch {
          return withHeaders(error(400, "Body is not JSON"));
        }
      }
      try {
        return withHeaders(route(state, req, url, body));
      } catch (err) {
        if (err instanceof Fault) return withHeaders(err.response);
        throw err;
      }
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return { url: `http://127.0.0.1:${port}`, port, state, close: () => server.shutdown() };
}
