// Rate limiting, pure: a token bucket per source. sql/sync_rate_limits.sql (sync.rate_take)
// keeps the bucket in Postgres so concurrent workers share one budget per source.

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

/** Takes a token: the bucket after, and 0 when taken or the ms to wait before asking again. */
export function takeToken(b: Bucket | null, now: number, spec: BucketSpec): [number, Bucket] {
  const elapsed = b ? Math.max(0, now - b.at) / 1000 : 0;
  const tokens = b ? Math.min(spec.capacity, b.tokens + elapsed * spec.refillPerSecond) : spec.capacity;
  if (tokens >= 1) return [0, { tokens: tokens - 1, at: now }];
  return [Math.max(1, Math.ceil(((1 - tokens) / spec.refillPerSecond) * 1000)), { tokens, at: now }];
}

/** Returns 0 when a request may go now, else the ms to wait before asking again. */
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
