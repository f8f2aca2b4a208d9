// A fake Bubble Data API for tests: GET /api/1.1/obj/<type> with Bubble's offset paging
// ({response: {cursor, results, count, remaining}}, limit at most 100), constraints (equals, not
// equal, greater than, less than, in, not in, contains, not contains, is_empty, is_not_empty; on
// any field, `_id` included), sort_field/descending, bearer auth, Bubble's {statusCode, body:
// {status, message}} error envelope, 429 on demand, deterministic records from a seed or given
// data (tests/fakes/bubble/invoicing.ts), a latency per call, and a hook that changes the data
// between the pages of a read.
import { seeded as rng } from "../_random.ts";

export const FAKE_BUBBLE_TOKEN = "fake-bubble-token";

type Rec = Record<string, unknown>;

export interface FakeBubbleOptions {
  port?: number;
  apiToken?: string;
  seed?: number;
  /** Records per type (type names as in the API path: lowercase, no spaces). */
  types?: Record<string, number>;
  /** Path prefix of the app, e.g. "/version-test" (default none). */
  prefix?: string;
  /** Things per type, used as given (instead of `types`). */
  data?: Record<string, Rec[]>;
  /** Every answer waits this long (benchmarks: a real API's round trip). */
  latencyMs?: number;
  /** Called after each list request is answered (change the data between pages). */
  onList?(type: string, state: FakeBubbleState): void;
}

export interface FakeBubbleState {
  readonly records: Map<string, Rec[]>;
  readonly requests: { total: number; urls: string[] };
  /** The next n requests answer 429. */
  rateLimitNext(n: number): void;
  keys(type: string): string[];
  /** Changes records (Modified Date after every other, a changed field); returns their ids. */
  touch(type: string, which: number | string[]): string[];
  /** Deletes a thing (its reads answer 404 from now on). */
  remove(type: string, id: string): void;
}

export interface FakeBubble {
  url: string;
  port: number;
  state: FakeBubbleState;
  close(): Promise<void>;
}

const BASE = Date.parse("2026-01-01T00:00:00.000Z");
const DAY = 86_400_000;

function seedRecords(types: Record<string, number>, seed: number): Map<string, Rec[]> {
  const rand = rng(seed);
  const out = new Map<string, Rec[]>();
  for (const [type, n] of Object.entries(types)) {
    const list: Rec[] = [];
    for (let i = 0; i < n; i++) {
      const created = BASE + Math.floor(rand() * 200 * DAY);
      // a few records share a Modified Date, so ordering ties are exercised
      const own = created + Math.floor(rand() * 60 * DAY);
      const prev = list.length ? Date.parse(String(list.at(-1)!["Modified Date"])) : 0;
      const modified = i % 7 === 3 && prev >= created ? prev : own;
      const digits = String(Math.floor(rand() * 1e15)).padStart(15, "0") + String(i % 1000).padStart(3, "0");
      list.push({
        _id: `${created}x${digits}`,
        "Created Date": new Date(created).toISOString(),
        "Modified Date": new Date(modified).toISOString(),
        "Created By": "admin_user_test",
        name: `${type} ${i}`,
        score: Math.floor(rand() * 1000),
        tags: ["a", "b", "c"].slice(0, i % 4),
      });
    }
    out.set(type, list);
  }
  return out;
}

const error = (statusCode: number, status: string, message: string) =>
  Response.json({ statusCode, body: { status, message } }, { status: statusCode });

class Fault extends Error {
  constructor(readonly response: Response) {
    super("fault");
  }
}

const bad = (message: string) => new Fault(error(400, "INVALID_DATA", message));

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a ?? "").localeCompare(String(b ?? ""));
}

/** The record's value for a constraint or sort key; dates compare as times. */
function valueOf(r: Rec, key: string): unknown {
  const v = r[key];
  return key.endsWith(" Date") && typeof v === "string" ? Date.parse(v) : v;
}

function applyConstraints(list: Rec[], raw: string | null): Rec[] {
  if (raw === null || raw === "") return list;
  let cs: unknown;
  try {
    cs = JSON.parse(raw);
  } catch {
    throw bad("constraints is not valid JSON");
  }
  if (!Array.isArray(cs)) throw bad("constraints must be a JSON array");
  let out = list;
  for (const c of cs as Rec[]) {
    const key = String(c?.key ?? "");
    const want = key.endsWith(" Date") && typeof c.value === "string" ? Date.parse(c.value) : c.value;
    if (key === "") throw bad("a constraint needs a key");
    if (key.endsWith(" Date") && typeof c.value === "string" && !Number.isFinite(want)) {
      throw bad(`Invalid date for ${key}: ${c.value}`);
    }
    const has = (v: unknown) =>
      !(v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length));
    const list = (): unknown[] => {
      if (!Array.isArray(c.value)) throw bad(`${c.constraint_type} needs a list value for ${key}`);
      return c.value;
    };
    switch (c?.constraint_type) {
      case "greater than":
        out = out.filter((r) => compare(valueOf(r, key), want) > 0);
        break;
      case "less than":
        out = out.filter((r) => compare(valueOf(r, key), want) < 0);
        break;
      case "equals":
        out = out.filter((r) => compare(valueOf(r, key), want) === 0);
        break;
      case "not equal":
        out = out.filter((r) => compare(valueOf(r, key), want) !== 0);
        break;
      case "in": {
        const values = new Set(list());
        out = out.filter((r) => values.has(r[key]));
        break;
      }
      case "not in": {
        const values = new Set(list());
        out = out.filter((r) => !values.has(r[key]));
        break;
      }
      case "contains":
        out = out.filter((r) => Array.isArray(r[key]) && (r[key] as unknown[]).includes(c.value));
        break;
      case "not contains":
        out = out.filter((r) => !(Array.isArray(r[key]) && (r[key] as unknown[]).includes(c.value)));
        break;
      case "is_empty":
        out = out.filter((r) => !has(r[key]));
        break;
      case "is_not_empty":
        out = out.filter((r) => has(r[key]));
        break;
      default:
        throw bad(`Unsupported constraint_type ${JSON.stringify(c?.constraint_type)}`);
    }
  }
  return out;
}

function intParam(v: string | null, def: number, min: number, max: number, name: string): number {
  if (v === null || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw bad(`${name} must be an integer ${min}-${max}`);
  return n;
}

function route(
  state: FakeBubbleState,
  path: string,
  q: URLSearchParams,
  onList?: (type: string) => void,
): Response {
  const m = /^\/api\/1\.1\/obj\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return error(404, "NOT_FOUND", `No endpoint ${path}`);
  const type = decodeURIComponent(m[1]);
  const list = state.records.get(type);
  if (!list) return error(404, "NOT_FOUND", `Type not found ${type}`);
  if (m[2] !== undefined) {
    const id = decodeURIComponent(m[2]);
    const r = list.find((x) => x._id === id);
    return r
      ? Response.json({ response: r })
      : error(404, "MISSING_DATA", `Missing object of type ${type}: object with id ${id} does not exist`);
  }
  const cursor = intParam(q.get("cursor"), 0, 0, 1e9, "cursor");
  const limit = intParam(q.get("limit"), 100, 1, 100, "limit");
  const sortField = q.get("sort_field") ?? "Created Date";
  const descending = q.get("descending") === "true";
  const filtered = applyConstraints(list, q.get("constraints"));
  const sorted = [...filtered].sort((a, b) =>
    (descending ? -1 : 1) * compare(valueOf(a, sortField), valueOf(b, sortField)) ||
    compare(a._id, b._id)
  );
  const results = structuredClone(sorted.slice(cursor, cursor + limit));
  onList?.(type);
  return Response.json({
    response: {
      cursor,
      results,
      count: results.length,
      remaining: Math.max(0, sorted.length - cursor - results.length),
    },
  });
}

export function startFakeBubble(opts: FakeBubbleOptions = {}): FakeBubble {
  const records = opts.data
    ? new Map(Object.entries(opts.data).map(([t, list]) => [t, list.map((r) => ({ ...r }))]))
    : seedRecords(opts.types ?? { user: 50 }, opts.seed ?? 1);
  const token = opts.apiToken ?? FAKE_BUBBLE_TOKEN;
  const prefix = (opts.prefix ?? "").replace(/\/+$/, "");
  let limited = 0;
  let last = 0;
  const tick = () => {
    let max = 0;
    for (const list of records.values()) {
      for (const r of list) {
        const t = Date.parse(String(r["Modified Date"]));
        if (t > max) max = t;
      }
    }
    last = Math.max(max + 1000, last + 1000);
    return new Date(last).toISOString();
  };
  const state: FakeBubbleState = {
    records,
    requests: { total: 0, urls: [] },
    rateLimitNext(n) {
      limited = n;
    },
    keys: (type) => (records.get(type) ?? []).map((r) => String(r._id)),
    touch(type, which) {
      const list = records.get(type) ?? [];
      const picked = typeof which === "number"
        ? Array.from(
          { length: Math.min(which, list.length) },
          (_, i) => list[Math.floor(i * list.length / which)],
        )
        : which.map((id) => list.find((r) => r._id === id)).filter((r): r is Rec => Boolean(r));
      for (const r of picked) {
        r["Modified Date"] = tick();
        r.name = `Touched ${r["Modified Date"]}`;
      }
      return picked.map((r) => String(r._id));
    },
    remove(type, id) {
      const list = records.get(type) ?? [];
      const i = list.findIndex((r) => r._id === id);
      if (i >= 0) list.splice(i, 1);
    },
  };
  const server = Deno.serve(
    { port: opts.port ?? 0, hostname: "127.0.0.1", onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      state.requests.total++;
      state.requests.urls.push(url.pathname + url.search);
      if (limited > 0) {
        limited--;
        return error(429, "TOO_MANY_REQUESTS", "Rate limit exceeded");
      }
      if (req.headers.get("authorization") !== `Bearer ${token}`) {
        return error(401, "UNAUTHORIZED", "Invalid or expired token");
      }
      if (req.method !== "GET") {
        return error(
          405,
          "METHOD_NOT_ALLOWED",
          `${req.method} is not supported here`,
        );
      }
      if (!url.pathname.startsWith(prefix + "/")) {
        return error(
          404,
          "NOT_FOUND",
          `No endpoint ${url.pathname}`,
        );
      }
      try {
        return route(
          state,
          url.pathname.slice(prefix.length),
          url.searchParams,
          (t) => opts.onList?.(t, state),
        );
      } catch (err) {
        if (err instanceof Fault) return err.response;
        throw err;
      }
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    state,
    close: () => server.shutdown(),
  };
}
