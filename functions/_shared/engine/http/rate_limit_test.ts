import assert from "node:assert/strict";
import { MemoryRateLimiter, reserve, windowsFor } from "./rate_limit.ts";
import { windowCases } from "./reliability_cases.ts";

/** Workers that each reserve as soon as their last request went, sending `lateMs` after their time. */
function simulate(limit: Parameters<typeof windowsFor>[0], workers: number, lateMs: number, forMs: number) {
  const windows = windowsFor(limit);
  let sent: number[] = [];
  const free = Array.from({ length: workers }, () => 0);
  const times: number[] = [];
  for (;;) {
    const w = free.indexOf(Math.min(...free));
    const [wait, next] = reserve(sent, free[w], windows);
    sent = next;
    const at = free[w] + wait + lateMs;
    if (at > forMs) break;
    times.push(at);
    free[w] = at;
  }
  return times.sort((a, b) => a - b);
}

/** The most requests in any window of windowMs. */
const busiestWindow = (sent: number[], windowMs: number) =>
  Math.max(...sent.map((start) => sent.filter((t) => t >= start && t < start + windowMs).length));

Deno.test("windowsFor: the published window (and a burst as a shorter one), widened by a small margin", () => {
  assert.deepEqual(windowsFor({ requests: 20, windowMs: 1_000 }), [{ requests: 20, windowMs: 1_030 }]);
  assert.deepEqual(windowsFor({ requests: 100, windowMs: 10_000, burst: 10 }), [
    { requests: 100, windowMs: 10_300 },
    { requests: 10, windowMs: 1_030 },
  ]);
  assert.throws(() => windowsFor({ requests: 10, windowMs: 1_000, burst: 11 }), RangeError);
  assert.throws(() => windowsFor({ requests: 0, windowMs: 1_000 }), RangeError);
});

Deno.test("eight workers asking at once get distinct times, as the window allows, unasked", async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter([{ requests: 2, windowMs: 1_000 }], () => now);
  const waits = [];
  for (let i = 0; i < 8; i++) waits.push(await limiter.take("s"));
  assert.deepEqual(waits, [0, 0, 1_000, 1_000, 2_000, 2_000, 3_000, 3_000]);
  now = 10_000;
  assert.equal(await limiter.take("s"), 0);
});

Deno.test("the in-memory limiter passes every shared window case", async () => {
  for (const c of windowCases) {
    let now = 5_000_000;
    const limiter = new MemoryRateLimiter(c.windows, () => now);
    for (const [i, step] of c.steps.entries()) {
      if ("advanceMs" in step) now += step.advanceMs;
      else assert.equal(await limiter.take("src"), step.take, `${c.name}, step ${i + 1}`);
    }
  }
});

Deno.test("Square's 20 per second: 8 workers sending 10 ms late keep the limit and use 97% of it", () => {
  const times = simulate({ requests: 20, windowMs: 1_000 }, 8, 10, 60_000);
  assert.ok(busiestWindow(times, 1_000) <= 20, `${busiestWindow(times, 1_000)} requests in one second`);
  assert.ok(times.length >= 19.4 * 60 - 20, `sent ${times.length} in 60 s`);
});

Deno.test("HighLevel's 100 per 10 s with a burst of 10: both windows hold, nearly 10 requests/s", () => {
  const times = simulate({ requests: 100, windowMs: 10_000, burst: 10 }, 4, 5, 60_000);
  assert.ok(busiestWindow(times, 10_000) <= 100, `${busiestWindow(times, 10_000)} in 10 s`);
  assert.ok(busiestWindow(times, 1_000) <= 10, `${busiestWindow(times, 1_000)} in 1 s`);
  assert.ok(times.length >= 9.7 * 60 - 10, `sent ${times.length} in 60 s`);
});
