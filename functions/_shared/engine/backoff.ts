// Retry timing, pure: exponential backoff with full jitter, and Retry-After parsing.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Full jitter: a uniform delay in [0, min(max, base * 2^attempt)). attempt starts at 0. */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait after the n-th consecutive 429 (n from 0) that named no time: exponential, half of it
 * fixed and half jittered, so a storm's waits grow for sure (to maxMs, minutes) while workers spread.
 */
export function rateLimitDelay(
  n: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** n);
  return Math.floor(cap / 2 + (random() * cap) / 2);
}
