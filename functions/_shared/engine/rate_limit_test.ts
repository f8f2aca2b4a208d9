import assert from "node:assert/strict";
import { type Bucket, bucketFor, type BucketSpec, MemoryRateLimiter, takeToken } from "./rate_limit.ts";
import { bucketCases } from "./reliability_cases.ts";

/** A greedy client: each request reserved as soon as the one before was sent, for 30 s; send times. */
function greedy(spec: BucketSpec): number[] {
  let bucket: Bucket | null = null;
  const sent: number[] = [];
  for (let t = 0; t <= 30_000;) {
    const [wait, next] = takeToken(bucket, t, spec);
    bucket = next;
    t += wait;
    sent.push(t);
  }
  return sent;
}

/** The most requests in any window of windowMs. */
const busiestWindow = (sent: number[], windowMs: number) =>
  Math.max(...sent.map((start) => sent.filter((t) => t >= start && t < start + windowMs).length));

Deno.test("bucketFor never allows more than the published limit in any window", () => {
  const spec = bucketFor({ requests: 100, windowMs: 10_000 });
  assert.deepEqual(spec, { capacity: 50, refillPerSecond: 5 });
  const sent = greedy(spec);
  assert.ok(busiestWindow(sent, 10_000) <= 100, `${busiestWindow(sent, 10_000)} requests in one window`);
  assert.ok(sent.length >= 190, `sent ${sent.length}`);
});

Deno.test("an empty bucket reserves the next tokens in turn: waiters go one per refill, unasked", async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 2 }, () => now);
  assert.equal(await limiter.take("s"), 0);
  // eight workers asking at once are given eight distinct times, 500 ms apart
  const waits = [];
  for (let i = 0; i < 8; i++) waits.push(await limiter.take("s"));
  assert.deepEqual(waits, [500, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000]);
  now = 4_000;
  assert.equal(await limiter.take("s"), 500, "the bucket refills only after the reserved tokens");
  now = 10_000;
  assert.equal(await limiter.take("s"), 0);
});

Deno.test("late senders lose no tokens: a reserved bucket sustains its refill rate", () => {
  // five workers that each send 30 ms after their token was due, for 60 s
  const spec = bucketFor({ requests: 20, windowMs: 1_000, burst: 1 });
  let bucket: Bucket | null = null;
  const free = Array.from({ length: 5 }, () => 0);
  let sent = 0;
  for (;;) {
    const w = free.indexOf(Math.min(...free));
    const [wait, next] = takeToken(bucket, free[w], spec);
    bucket = next;
    const at = free[w] + wait + 30;
    if (at > 60_000) break;
    sent++;
    free[w] = at;
  }
  assert.ok(sent >= 19 * 60 - 5, `sent ${sent} in 60 s at 19 tokens/s`);
});

Deno.test("the in-memory token bucket passes every shared case", async () => {
  for (const c of bucketCases) {
    let now = 5_000_000;
    const limiter = new MemoryRateLimiter(c.spec, () => now);
    for (const [i, step] of c.steps.entries()) {
      if ("advanceMs" in step) now += step.advanceMs;
      else assert.equal(await limiter.take("src"), step.take, `${c.name}, step ${i + 1}`);
    }
  }
});

Deno.test("a small burst sustains nearly the whole limit and still never exceeds it in any window", () => {
  const spec = bucketFor({ requests: 100, windowMs: 10_000, burst: 10 });
  assert.deepEqual(spec, { capacity: 10, refillPerSecond: 9 });
  const sent = greedy(spec);
  assert.ok(busiestWindow(sent, 10_000) <= 100, `${busiestWindow(sent, 10_000)} requests in one window`);
  assert.ok(sent.length >= 270, `sent ${sent.length} in 30 s: ~9 requests/s, not the 5 of a half burst`);
  assert.throws(() => bucketFor({ requests: 10, windowMs: 1_000, burst: 11 }), RangeError);
});
