// A fake HighLevel API for tests and the demo: HighLevel's paths, Version header and bearer
// auth, documented response shapes (routes.ts), deterministic data from a seed (data.ts), and
// hostile behaviour: 429 past 100 requests per 10 s with the documented X-RateLimit-* headers and
// no Retry-After, unknown fields, integers beyond 2^53, edits during paging (state.ts knobs).
import { createWorld, type WorldOptions } from "./data.ts";
import { stringifyExact } from "./json.ts";
import { Fault, route } from "./routes.ts";
import { createState, type FakeHighLevelState } from "./state.ts";

export {
  generateHighLevelKeys,
  highlevelEvent,
  sendHighLevelWebhook,
  signHighLevelBody,
} from "./webhooks.ts";
export type { HighLevelSigningKeys } from "./webhooks.ts";
export type { FakeHighLevelState, FakeStream } from "./state.ts";
export { HUGE } from "./data.ts";

export const FAKE_HIGHLEVEL_TOKEN = "fake-highlevel-token";
export const FAKE_HIGHLEVEL_LOCATION = "fakeLocation0001";

export interface FakeHighLevelOptions extends WorldOptions {
  port?: number;
  accessToken?: string;
  /** Requests allowed per interval (HighLevel: 100 per 10 s burst); 0 turns limiting off. */
  rateLimitMax?: number;
  rateLimitIntervalMs?: number;
  /** Older API: order routes require altType=location. */
  legacyAltType?: boolean;
  now?: () => number;
}

export interface FakeHighLevel {
  url: string;
  port: number;
  state: FakeHighLevelState;
  close(): Promise<void>;
}

const DAILY_MAX = 200_000;

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
      const key = `${req.method} ${url.pathname.replace(/\/[0-9a-zA-Z-]{16,}(?=\/|$)/g, "/:id")}`;
      state.requests[key] = (state.requests[key] ?? 0) + 1;
      const t = now();
      if (t - windowStart >= state.rateLimitIntervalMs) {
        windowStart = t;
        used = 0;
      }
      used++;
      const max = state.rateLimitMax || 1_000_000;
      const headers = {
        "content-type": "application/json",
        "x-ratelimit-limit-daily": String(DAILY_MAX),
        "x-ratelimit-daily-remaining": String(Math.max(0, DAILY_MAX - state.requests.total)),
        "x-ratelimit-interval-milliseconds": String(state.rateLimitIntervalMs),
        "x-ratelimit-max": String(max),
        "x-ratelimit-remaining": String(Math.max(0, max - used)),
      };
      const send = (status: number, body: unknown) => new Response(stringifyExact(body), { status, headers });
      // over the burst: 429 with the rate-limit headers and, as documented, no Retry-After
      if (state.rateLimitMax > 0 && used > state.rateLimitMax) {
        return send(429, { statusCode: 429, message: "Too Many Requests" });
      }
      if (req.headers.get("authorization") !== `Bearer ${token}`) {
        return send(401, {
          statusCode: 401,
          message: "Invalid token: access token is invalid",
          error: "Unauthorized",
        });
      }
      if (req.headers.get("version") !== "2021-07-28") {
        return send(400, { statusCode: 400, message: "Version header must be 2021-07-28" });
      }
      let body: Record<string, unknown> | null = null;
      if (req.method === "POST") {
        try {
          body = await req.json();
        } catch {
          return send(400, { statusCode: 400, message: "Bad Request" });
        }
      }
      state.log.push({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(body ? { body } : {}),
      });
      const injected = state.intercept?.(req, url);
      if (injected) {
        for (const [k, v] of Object.entries(headers)) injected.headers.set(k, v);
        return injected;
      }
      try {
        const [status, out] = route(state, req.method, url, body);
        return send(status, out);
      } catch (err) {
        if (err instanceof Fault) return send(err.status, err.body);
        throw err;
      }
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return { url: `http://127.0.0.1:${port}`, port, state, close: () => server.shutdown() };
}
