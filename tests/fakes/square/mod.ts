// A fake Square API for tests and the demo: Square's request and response shapes, bearer auth,
// opaque cursors, page limits, updated_at filters, deterministic data from a seed (100k+ orders,
// built lazily), and knobs to rate-limit, inject faults, malform records and change records.
import { createWorld, type World, type WorldOptions } from "./data.ts";
import { json, squareError, SquareFault } from "./http.ts";
import { routes } from "./routes.ts";

export interface FakeSquareOptions extends WorldOptions {
  /** 0 (default): any free port. */
  port?: number;
  hostname?: string;
  /** The bearer token requests must carry (default "fake-square-token"). */
  accessToken?: string;
  /**
   * More sellers on the same API, by access token: as on Square, the token decides whose data a
   * request sees (one merchant per token). Each gets its own world from its options.
   */
  merchants?: Record<string, WorldOptions>;
  /** Clock for default time windows and touch times (ms since epoch). */
  now?: () => number;
}

export type FakeStream = keyof World["tables"];

export interface FakeSquareState {
  readonly world: World;
  /** Requests served, by route ("POST /v2/orders/search") and "total" (rejected ones included). */
  readonly requests: Record<string, number>;
  /** Every nth request (n > 0) answers 429 RATE_LIMITED with Retry-After; 0 turns it off. */
  rateLimitEvery: number;
  /** The next n requests answer 429 RATE_LIMITED. */
  rateLimitNext: number;
  /**
   * Square's limit as a real server keeps it: at most this many requests (n > 0) arrive in any
   * second; more answer 429 RATE_LIMITED at once. 0 turns it off. rateLimited counts the refusals.
   */
  limitPerSecond: number;
  rateLimited: number;
  /** Requests by the bearer token they carried ("(none)" without one), refused ones included. */
  readonly tokens: Record<string, number>;
  /** Arrival times (performance.now(), ms) of every request, in order. */
  readonly arrivals: number[];
  /** Every answered request takes this long (ms): a realistic API's time per page. */
  latencyMs: number;
  /** Seconds sent in Retry-After with a 429 (default 0). */
  retryAfterSeconds: number;
  /** Answers instead of the route when it returns a Response (5xx, latency, ...). */
  fault: ((req: Request, route: string) => Response | undefined | Promise<Response | undefined>) | null;
  /** Every record key of a stream (inventory counts: "object:location:state"). */
  keys(stream: FakeStream): string[];
  /**
   * Changes records at the source: bumps updated_at past every existing one and changes a field
   * (reference_id, a name, a quantity). ids: those keys; a number: that many spread evenly.
   * Returns the touched keys.
   */
  touch(stream: FakeStream, which: string[] | number): string[];
  /**
   * Changes records at the source like touch, and applies `change` to them from now on (a refund,
   * a cancelled order, an edited line item). Returns the touched keys.
   */
  edit(
    stream: FakeStream,
    which: string[] | number,
    change: (record: Record<string, unknown>) => void,
  ): string[];
  /** Breaks records (they fail the connector's schema; keys stay intact). Returns the keys. */
  malform(
    stream: FakeStream,
    which: string[] | number,
    mutate?: (record: Record<string, unknown>) => void,
  ): string[];
  /** Undoes every malform. */
  heal(): void;
}

export interface FakeSquare {
  url: string;
  port: number;
  state: FakeSquareState;
  /** The world of the seller behind this access token (the default one, or one of `merchants`). */
  merchant(token: string): World | undefined;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = "fake-square-token";
const BROKEN_FIELD: Record<FakeStream, string> = {
  locations: "created_at",
  customers: "created_at",
  catalog_categories: "updated_at",
  catalog_items: "updated_at",
  catalog_variations: "updated_at",
  orders: "created_at",
  payments: "created_at",
  inventory_counts: "calculated_at",
};

function createState(world: World, now: () => number): FakeSquareState {
  let lastTick = 0;
  const tick = () => {
    let max = 0;
    for (const t of Object.values(world.tables)) max = Math.max(max, t.maxUpdated());
    lastTick = Math.max(now(), max + 1, lastTick + 1);
    return lastTick;
  };
  const pick = (stream: FakeStream, which: string[] | number): number[] => {
    const t = world.tables[stream];
    if (!t) throw new Error(`Unknown fake Square stream "${stream}"`);
    if (typeof which === "number") {
      const n = Math.min(which, t.count);
      return Array.from({ length: n }, (_, k) => Math.floor((k * t.count) / n));
    }
    const byKey = new Map<string, number>();
    for (let i = 0; i < t.count; i++) byKey.set(t.key(i), i);
    return which.map((key) => {
      const i = byKey.get(key);
      if (i === undefined) throw new Error(`No ${stream} record with key "${key}" in the fake`);
      return i;
    });
  };
  return {
    world,
    requests: { total: 0 },
    tokens: {},
    rateLimitEvery: 0,
    rateLimitNext: 0,
    limitPerSecond: 0,
    rateLimited: 0,
    arrivals: [],
    latencyMs: 0,
    retryAfterSeconds: 0,
    fault: null,
    keys(stream) {
      const t = world.tables[stream];
      return Array.from({ length: t.count }, (_, i) => t.key(i));
    },
    touch(stream, which) {
      const t = world.tables[stream];
      const idx = pick(stream, which);
      const at = tick();
      for (const i of idx) t.touch(i, at);
      return idx.map((i) => t.key(i));
    },
    edit(stream, which, change) {
      const t = world.tables[stream];
      const keys = this.touch(stream, which);
      for (const i of pick(stream, keys)) {
        t.edits.set(i, [...(t.edits.get(i) ?? []), change as (r: unknown) => void]);
      }
      return keys;
    },
    malform(stream, which, mutate) {
      const t = world.tables[stream];
      const idx = pick(stream, which);
      const fn = mutate ??
        ((r: Record<string, unknown>) => void (r[BROKEN_FIELD[stream]] = "not-a-timestamp"));
      for (const i of idx) t.faults.set(i, fn as (r: unknown) => void);
      return idx.map((i) => t.key(i));
    },
    heal() {
      for (const t of Object.values(world.tables)) t.faults.clear();
    },
  };
}

/** Starts the fake on 127.0.0.1; close() stops it. */
export function startFakeSquare(opts: FakeSquareOptions = {}): FakeSquare {
  const now = opts.now ?? Date.now;
  const world = createWorld(opts);
  const state = createState(world, now);
  const token = opts.accessToken ?? DEFAULT_TOKEN;
  const sellers = new Map<string, World>([
    [token, world],
    ...Object.entries(opts.merchants ?? {}).map(([t, o]): [string, World] => [t, createWorld(o)]),
  ]);
  // arrival times of the last second's requests (limitPerSecond)
  const arrivals: number[] = [];
  const overLimit = () => {
    if (state.limitPerSecond <= 0) return false;
    const t = performance.now();
    while (arrivals.length > 0 && arrivals[0] <= t - 1000) arrivals.shift();
    if (arrivals.length >= state.limitPerSecond) return true;
    arrivals.push(t);
    return false;
  };

  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    let params: string[] = [];
    const route = routes.find((r) => {
      const m = r.method === req.method && url.pathname.match(r.pattern);
      if (m) params = m.slice(1).map(decodeURIComponent);
      return !!m;
    });
    const name = route?.name ?? `${req.method} ${url.pathname}`;
    state.requests.total++;
    state.arrivals.push(performance.now());
    state.requests[name] = (state.requests[name] ?? 0) + 1;
    const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
    state.tokens[bearer ?? "(none)"] = (state.tokens[bearer ?? "(none)"] ?? 0) + 1;
    const seller = bearer === undefined ? undefined : sellers.get(bearer);
    if (!seller) {
      return squareError(
        401,
        "AUTHENTICATION_ERROR",
        "UNAUTHORIZED",
        "This request could not be authorized.",
      );
    }
    const injected = await state.fault?.(req, name);
    if (injected) return injected;
    const limited = overLimit();
    if (limited) state.rateLimited++;
    if (
      limited || state.rateLimitNext > 0 ||
      (state.rateLimitEvery > 0 && state.requests.total % state.rateLimitEvery === 0)
    ) {
      if (!limited && state.rateLimitNext > 0) state.rateLimitNext--;
      return squareError(
        429,
        "RATE_LIMIT_ERROR",
        "RATE_LIMITED",
        "Rate limit exceeded. Retry later.",
        undefined,
        {
          "retry-after": String(state.retryAfterSeconds),
        },
      );
    }
    if (!route) {
      return squareError(
        404,
        "INVALID_REQUEST_ERROR",
        "NOT_FOUND",
        `API not found: ${req.method} ${url.pathname}`,
      );
    }
    let body: Record<string, unknown> = {};
    if (req.method === "POST") {
      try {
        const text = await req.text();
        body = text ? JSON.parse(text) : {};
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
          throw new Error("not an object");
        }
      } catch {
        return squareError(
          400,
          "INVALID_REQUEST_ERROR",
          "BAD_REQUEST",
          "The request body is not a JSON object.",
        );
      }
    }
    if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
    try {
      return route.handle({ world: seller, now, params, query: url.searchParams, body });
    } catch (err) {
      if (err instanceof SquareFault) return err.response;
      return json(
        { errors: [{ category: "API_ERROR", code: "INTERNAL_SERVER_ERROR", detail: String(err) }] },
        500,
      );
    }
  };

  const server = Deno.serve({
    hostname: opts.hostname ?? "127.0.0.1",
    port: opts.port ?? 0,
    onListen: () => {},
  }, handler);
  const port = server.addr.port;
  return {
    url: `http://${opts.hostname ?? "127.0.0.1"}:${port}`,
    port,
    state,
    merchant: (t) => sellers.get(t),
    close: async () => {
      await server.shutdown();
    },
  };
}

export { DEFAULT_TOKEN as FAKE_SQUARE_TOKEN };
