// Rate limiting, pure: sliding windows per source, with reservations. sql/sync_rate_limits.sql
// (sync.rate_take) keeps the same state in Postgres so concurrent workers share one budget per
// source. A vendor publishes "at most N requests in any W": the limiter keeps the times of the last
// requests it let go (reserved) and gives a new request the earliest time at which it keeps every
// window's count, never before the last reserved time (requests queue in turn). The request waits
// until then and goes without asking again, so no capacity is lost to workers that ask late (with
// the old token bucket and a burst of 1, a quarter of Square's limit went unused by 8 shards), and
// capacity left unused at the start of a window is used later in it.

/** A published limit: at most `requests` per `windowMs`. */
export interface RateLimit {
  requests: number;
  windowMs: number;
  /**
   * Also at most this many at once: `burst` requests in any `windowMs * burst / requests` (a second,
   * shorter window at the same rate). Absent: the whole limit may go at once.
   */
  burst?: number;
}

/** One window a limiter keeps: at most `requests` reserved times in any `windowMs`. */
export interface RateWindow {
  requests: number;
  windowMs: number;
}

/**
 * Windows are widened by this share: a request sent a little after its reserved time must not meet
 * the next window's requests at the vendor early (30 ms of a 1 s window).
 */
export const WINDOW_MARGIN = 0.03;

/** The windows a published limit is kept with (its burst as a shorter window), margins included. */
export function windowsFor(limit: RateLimit): RateWindow[] {
  if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
    throw new RangeError(`Invalid rate limit: ${limit.requests} requests per ${limit.windowMs} ms`);
  }
  const burst = limit.burst ?? limit.requests;
  if (!(burst >= 1) || burst > limit.requests || !Number.isInteger(burst)) {
    throw new RangeError(`Invalid rate-limit burst ${burst}: must be a whole number 1-${limit.requests}`);
  }
  const widen = (ms: number) => Math.ceil(ms * (1 + WINDOW_MARGIN));
  const windows = [{ requests: Math.floor(limit.requests), windowMs: widen(limit.windowMs) }];
  if (burst < limit.requests) {
    windows.push({ requests: burst, windowMs: widen((limit.windowMs * burst) / limit.requests) });
  }
  return windows;
}

/**
 * Reserves a time for one request: the earliest at or after `now` (and after the last reservation)
 * that keeps at most `requests` reservations in any `windowMs` of every window. `sent` holds the
 * reserved times so far, oldest first (ms). Returns the wait (0: go now) and the times to keep.
 */
export function reserve(
  sent: readonly number[],
  now: number,
  windows: readonly RateWindow[],
): [number, number[]] {
  let at = Math.max(now, sent.at(-1) ?? -Infinity);
  for (const w of windows) {
    // the w.requests-th most recent reservation must have left the window before this one goes
    const oldest = sent[sent.length - w.requests];
    if (oldest !== undefined) at = Math.max(at, oldest + w.windowMs);
  }
  const keep = Math.max(...windows.map((w) => w.requests));
  const next = [...sent.slice(Math.max(0, sent.length + 1 - keep)), at];
  return [Math.max(0, Math.ceil(at - now)), next];
}

/** Reserves a request: 0 when it may go now, else the ms until it may (then it goes unasked). */
export interface RateLimiter {
  take(source: string): Promise<number>;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly sent = new Map<string, number[]>();

  constructor(readonly windows: readonly RateWindow[], readonly now: () => number = Date.now) {}

  take(source: string): Promise<number> {
    const [wait, next] = reserve(this.sent.get(source) ?? [], this.now(), this.windows);
    this.sent.set(source, next);
    return Promise.resolve(wait);
  }
}
