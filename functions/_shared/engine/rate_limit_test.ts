import assert from "node:assert/strict";
import { type Bucket, bucketFor, type BucketSpec, MemoryRateLimiter, takeToken } from "./rate_limit.ts";
import { bucketCases } from "./reliability_cases.ts";

/** A greedy client: as many requests as the bucket allows, every 10 ms for 30 s; their times. */
function greedy(spec: BucketSpec): number[] {
  let bucket: Bucket | null = null;
  const sent: number[] = [];
  for (let t = 0; t <= 30_000; t += 10) {
    for (;;) {
      const [wait, next] = takeToken(bucket, t, spec);
      bucket = next;
      if (wait > 0) break;
      sent.push(t);
    }
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

Deno.test("an empty bucket says how long to wait", async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 2 }, () => now);
  assert.equal(await limiter.take("s"), 0);
  assert.equal(await limiter.take("s"), 500);
  now = 500;
  assert.equal(await limiter.take("s"), 0);
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
