// Rate limiting, pure: a token bucket per source. sql/sync_rate_limits.sql (sync.rate_take)
// keeps the bucket in Postgres so concurrent workers share one budget per source. Taking a token
// reserves it: a bucket that is empty goes into debt and the taker is told when its token is due;
// it sends then, without asking again. So waiting workers queue for the refill in turn instead of
// racing for each token (where a token nobody asked for at once was lost: with several workers and
// a burst of 1, a quarter of the limit went unused).

export interface BucketSpec {
  /** Most requests that may go at once. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

/** A published limit: at most `requests` per `windowMs`. */
export interface RateLimit {
  requests: number;
  windowMs: number;
  /** Requests that may go at once (default half the limit); the rest refill over the window. */
  burst?: number;
}

/**
 * The bucket that never exceeds `requests` in any window of `windowMs`: `burst` at once and
 * `requests - burst` refilled over the window (burst + refill during one window = the limit).
 * A small burst sustains nearly the whole limit; the default, half, sustains half of it.
 */
export function bucketFor(limit: RateLimit): BucketSpec {
  if (!(limit.requests >= 1) || !(limit.windowMs > 0)) {
    throw new RangeError(`Invalid rate limit: ${limit.requests} requests per ${limit.windowMs} ms`);
  }
  const burst = limit.burst ?? Math.floor(limit.requests / 2);
  if (!(burst >= 1) || burst > limit.requests) {
    throw new RangeError(`Invalid rate-limit burst ${burst}: must be 1-${limit.requests}`);
  }
  const capacity = Math.max(1, Math.floor(burst));
  return { capacity, refillPerSecond: (limit.requests - capacity) / (limit.windowMs / 1000) || 1e-9 };
}

export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Takes (reserves) a token: the bucket after, and 0 when the request may go now or the ms until its
 * token is due (the request then goes without asking again). The bucket's tokens go below zero by
 * the tokens reserved ahead.
 */
export function takeToken(b: Bucket | null, now: number, spec: BucketSpec): [number, Bucket] {
  const elapsed = b ? Math.max(0, now - b.at) / 1000 : 0;
  const tokens = b ? Math.min(spec.capacity, b.tokens + elapsed * spec.refillPerSecond) : spec.capacity;
  const left = tokens - 1;
  const wait = left >= 0 ? 0 : Math.max(1, Math.ceil((-left / spec.refillPerSecond) * 1000));
  return [wait, { tokens: left, at: now }];
}

/** Reserves a token: 0 when a request may go now, else the ms until it may (then it goes unasked). */
export interface RateLimiter {
  take(source: string): Promise<number>;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly buckets = new Map<string, Bucket>();

  constructor(readonly spec: BucketSpec, readonly now: () => number = Date.now) {}

  take(source: string): Promise<number> {
    const [wait, next] = takeToken(this.buckets.get(source) ?? null, this.now(), this.spec);
    this.buckets.set(source, next);
    return Promise.resolve(wait);
  }
}
