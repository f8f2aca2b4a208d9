// HighLevel's rate limit: 100 requests per 10 s per app per location (and a daily cap), with
// X-RateLimit-Max / -Remaining / -Interval-Milliseconds / -Daily-Remaining headers and no
// documented Retry-After. The shared Postgres limiter keys the budget by location; a 429 without
// Retry-After waits out the interval the headers name.
import { parseHighLevelConfig } from "./config.ts";

/** Wait before retrying past the daily cap: far beyond any retry cap, so the request fails clearly. */
export const DAILY_CAP_WAIT_MS = 3_600_000;

/** One limiter and circuit per location, whatever account name configures it. */
export function highlevelGuardKey(config: Record<string, unknown>): string {
  return `highlevel/location:${parseHighLevelConfig(config).locationId}`;
}

/** The wait a 429 asks for, from the X-RateLimit-* headers (undefined: use the backoff). */
export function highlevelRetryAfter(status: number, headers: Headers): number | undefined {
  if (status !== 429) return undefined;
  const num = (name: string) => {
    const v = headers.get(name);
    return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  };
  if (num("x-ratelimit-daily-remaining") === 0) return DAILY_CAP_WAIT_MS;
  const interval = num("x-ratelimit-interval-milliseconds");
  if (interval === undefined) return undefined;
  // the burst is spent: the window it belongs to ends within one interval
  const remaining = num("x-ratelimit-remaining");
  return remaining === undefined || remaining === 0 ? Math.min(interval, 60_000) : undefined;
}
