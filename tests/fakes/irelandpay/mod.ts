// A fake Ireland Pay CRM API (the assumed shape in functions/_shared/connectors/irelandpay/
// description.ts, modelled on IRIS CRM's Open API v1): X-API-KEY auth, Laravel-style pages
// ({data, links: {first, last, prev, next}, meta: {current_page, last_page, per_page, total}}),
// merchants filtered by date_filter=modified&start_date&end_date, per-merchant transactions by
// start_date/end_date (Y-m-d, inclusive), monthly residual rows. Hostile on demand: 429s with
// Retry-After, 503s, malformed records (data.ts). Runs in process (tests) or as its own process (main.ts).
import { createWorld, type IrelandPayWorld, type IrelandPayWorldOptions, type Rec } from "./data.ts";

export const FAKE_IRELANDPAY_KEY = "fake-irelandpay-api-key";
const PREFIX = "/api/v1";

export type FakeStream = "merchants" | "transactions" | "residuals";

export interface FakeIrelandPayOptions extends IrelandPayWorldOptions {
  port?: number;
  hostname?: string;
  apiKey?: string;
  /** Every n-th request answers 429 (0: never). */
  rateLimitEvery?: number;
  /** Every n-th request answers 503 (0: never). */
  faultEvery?: number;
  /** Latency of every answer (ms): makes a run long enough to be killed in the middle. */
  delayMs?: number;
  /** Every page after the first repeats the previous page's last record (duplicates across pages). */
  duplicates?: boolean;
  /** Answers a request in the vendor's place (a redirect, an error echoing the key); null: the API answers. */
  intercept?: (url: URL, req: Request) => Response | null;
}

export interface FakeIrelandPayState {
  world: IrelandPayWorld;
  /** Request counts per path shape, and every request line (path and query). */
  requests: { total: number; byPath: Map<string, number>; log: string[] };
  rateLimitEvery: number;
  faultEvery: number;
  /** The next n requests answer 429. */
  rateLimitNext(n: number): void;
  keys(stream: FakeStream): string[];
  /** Changes records at the source (a later modified time / date); returns their keys. */
  touch(stream: FakeStream, count: number): string[];
}

export interface FakeIrelandPay {
  url: string;
  state: FakeIrelandPayState;
  close(): Promise<void>;
}

const message = (status: number, text: string, headers: Record<string, string> = {}) =>
  Response.json({ message: text }, { status, headers });

class Refusal extends Error {
  constructor(readonly response: Response) {
    super("refused");
  }
}

function int(q: URLSearchParams, name: string, def: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Refusal(message(422, `The ${name} must be an integer between 1 and ${max}.`));
  }
  return n;
}

function dateParam(q: URLSearchParams, name: string, pattern: RegExp): string | null {
  const v = q.get(name);
  if (v === null) return null;
  if (!pattern.test(v) || Number.isNaN(Date.parse(v))) {
    throw new Refusal(message(422, `The ${name} is not a valid date.`));
  }
  return v;
}

/** One Laravel-style page of list, with absolute links that keep the request's other parameters. */
function paged(url: URL, list: Rec[], maxPerPage: number, duplicates = false): Response {
  const q = url.searchParams;
  const perPage = int(q, "per_page", 15, maxPerPage);
  const page = int(q, "page", 1, 1_000_000);
  const last = Math.max(1, Math.ceil(list.length / perPage));
  const link = (p: number) => {
    const u = new URL(url.href);
    u.searchParams.set("page", String(p));
    return u.href;
  };
  const data = list.slice((page - 1) * perPage, page * perPage);
  if (duplicates && page > 1 && data.length) data.unshift(list[(page - 1) * perPage - 1]);
  return Response.json({
    data,
    links: {
      first: link(1),
      last: link(last),
      prev: page > 1 ? link(page - 1) : null,
      next: page < last ? link(page + 1) : null,
    },
    meta: {
      current_page: page,
      from: data.length ? (page - 1) * perPage + 1 : null,
      last_page: last,
      path: url.pathname,
      per_page: perPage,
      to: data.length ? (page - 1) * perPage + data.length : null,
      total: list.length,
    },
  });
}

function route(w: IrelandPayWorld, url: URL, duplicates: boolean): Response {
  const path = url.pathname.slice(PREFIX.length);
  const q = url.searchParams;
  let m: RegExpExecArray | null;
  if (path === "/merchants") {
    let list = w.merchants;
    const filter = q.get("date_filter");
    if (filter !== null) {
      if (!["modified", "created"].includes(filter)) {
        throw new Refusal(message(422, "The selected date filter is invalid."));
      }
      const iso = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;
      const from = dateParam(q, "start_date", iso);
      const to = dateParam(q, "end_date", iso);
      list = list.filter((r) => {
        const t = Date.parse(String(r[filter]));
        return (from === null || t >= Date.parse(from)) && (to === null || t < Date.parse(to));
      });
    }
    const by = q.get("sort_by") ?? "mid";
    const dir = q.get("sort_dir") === "desc" ? -1 : 1;
    list = [...list].sort((a, b) =>
      dir * String(a[by] ?? "").localeCompare(String(b[by] ?? "")) ||
      String(a.mid).localeCompare(String(b.mid))
    );
    return paged(url, list, 100);
  }
  if ((m = /^\/merchants\/([^/]+)$/.exec(path))) {
    const r = w.merchants.find((x) => x.mid === decodeURIComponent(m![1]));
    return r ? Response.json({ data: r }) : message(404, "Merchant not found.");
  }
  if ((m = /^\/merchants\/([^/]+)\/transactions$/.exec(path))) {
    const mid = decodeURIComponent(m[1]);
    if (!w.merchants.some((x) => x.mid === mid)) return message(404, "Merchant not found.");
    const ymd = /^\d{4}-\d{2}-\d{2}$/;
    const from = dateParam(q, "start_date", ymd);
    const to = dateParam(q, "end_date", ymd);
    const list = w.transactions.filter((t) => {
      if (t.mid !== mid) return false;
      const day = String(t.date).slice(0, 10);
      return (from === null || day >= from) && (to === null || day <= to);
    });
    return paged(url, list, 500, duplicates);
  }
  if ((m = /^\/transactions\/([^/]+)$/.exec(path))) {
    const r = w.transactions.find((x) => x.id === decodeURIComponent(m![1]));
    return r ? Response.json({ data: r }) : message(404, "Transaction not found.");
  }
  if ((m = /^\/residuals\/reports\/summary\/rows\/(\d{4})\/(\d{1,2})$/.exec(path))) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return message(422, "The month must be between 1 and 12.");
    const period = `${m[1]}-${String(month).padStart(2, "0")}-01`;
    return paged(url, w.residuals.filter((r) => r.period === period), 100);
  }
  return message(404, `No route ${url.pathname}`);
}

export function startFakeIrelandPay(opts: FakeIrelandPayOptions = {}): FakeIrelandPay {
  const world = createWorld(opts);
  const apiKey = opts.apiKey ?? FAKE_IRELANDPAY_KEY;
  let limitNext = 0;
  let tick = 0;
  const state: FakeIrelandPayState = {
    world,
    requests: { total: 0, byPath: new Map(), log: [] },
    rateLimitEvery: opts.rateLimitEvery ?? 0,
    faultEvery: opts.faultEvery ?? 0,
    rateLimitNext: (n) => (limitNext = n),
    keys(stream) {
      if (stream === "merchants") return world.merchants.map((r) => String(r.mid));
      if (stream === "transactions") return world.transactions.map((r) => String(r.id));
      return world.residuals.map((r) => `${r.mid}:${r.period}`);
    },
    touch(stream, count) {
      const list = stream === "merchants"
        ? world.merchants
        : world.transactions.filter((t) => !world.malformed.has(String(t.id)));
      const field = stream === "merchants" ? "modified" : "date";
      const newest = Math.max(...list.map((r) => Date.parse(String(r[field]))));
      const picked = Array.from(
        { length: Math.min(count, list.length) },
        (_, i) => list[Math.floor(i * list.length / count)],
      );
      for (const r of picked) {
        r[field] = new Date(newest + 1000 * ++tick).toISOString();
        if (stream === "merchants") r.status = `Touched ${tick}`;
      }
      if (stream === "transactions") {
        world.transactions.sort((a, b) => String(a.date).localeCompare(String(b.date)));
      }
      return picked.map((r) => String(stream === "merchants" ? r.mid : r.id));
    },
  };
  const server = Deno.serve({
    port: opts.port ?? 0,
    hostname: opts.hostname ?? "127.0.0.1",
    onListen: () => {},
  }, (req) => {
    const url = new URL(req.url);
    const n = ++state.requests.total;
    const key = url.pathname.replace(/\/\d+/g, "/:n");
    state.requests.byPath.set(key, (state.requests.byPath.get(key) ?? 0) + 1);
    state.requests.log.push(url.pathname + url.search);
    if (limitNext > 0 || (state.rateLimitEvery > 0 && n % state.rateLimitEvery === 0)) {
      if (limitNext > 0) limitNext--;
      return message(429, "Too Many Attempts.", {
        "retry-after": "0",
        "x-ratelimit-limit": "120",
        "x-ratelimit-remaining": "0",
      });
    }
    if (state.faultEvery > 0 && n % state.faultEvery === 0) return message(503, "Service Unavailable");
    const intercepted = opts.intercept?.(url, req);
    if (intercepted) return intercepted;
    if (req.headers.get("x-api-key") !== apiKey) return message(401, "Unauthenticated.");
    if (req.method !== "GET") {
      return message(405, `The ${req.method} method is not supported for this route.`);
    }
    if (!url.pathname.startsWith(PREFIX + "/")) return message(404, `No route ${url.pathname}`);
    try {
      return route(world, url, opts.duplicates ?? false);
    } catch (err) {
      if (err instanceof Refusal) return err.response;
      throw err;
    }
  });
  const port = (server.addr as Deno.NetAddr).port;
  return { url: `http://127.0.0.1:${port}${PREFIX}`, state, close: () => server.shutdown() };
}
