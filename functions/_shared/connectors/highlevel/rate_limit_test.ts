// HighLevel's documented rate limit: the default budget, the per-location key, and 429s that
// carry X-RateLimit-* headers but no Retry-After.
import assert from "node:assert/strict";
import { HttpClient, windowsFor } from "../../engine/http/mod.ts";
import { resolveReliability } from "../../engine/connector/mod.ts";
import { highlevelConnector } from "./mod.ts";
import { DAILY_CAP_WAIT_MS, highlevelGuardKey, highlevelRetryAfter } from "./rate_limit.ts";

const limitHeaders = (remaining: string, daily = "199000") =>
  new Headers({
    "x-ratelimit-max": "100",
    "x-ratelimit-remaining": remaining,
    "x-ratelimit-interval-milliseconds": "10000",
    "x-ratelimit-daily-remaining": daily,
  });

Deno.test("HighLevel's default budget is the documented 100 requests per 10 s, at most 10 in a second", () => {
  const limit = resolveReliability(highlevelConnector, {}).rateLimit!;
  assert.deepEqual(windowsFor(limit), [{ requests: 100, windowMs: 10_300 }, {
    requests: 10,
    windowMs: 1_030,
  }]);
  const custom = resolveReliability(highlevelConnector, {
    rateLimitRequests: "50",
    rateLimitWindowMs: "10000",
  })
    .rateLimit!;
  assert.deepEqual(windowsFor(custom), [{ requests: 50, windowMs: 10_300 }], "configurable");
});

Deno.test("the limiter and circuit are keyed by location, whatever the account is called", () => {
  const a = highlevelGuardKey({ accessToken: "t1", locationId: "loc1" });
  const b = highlevelGuardKey({ accessToken: "t2", locationId: "loc1" });
  assert.equal(a, "highlevel/location:loc1");
  assert.equal(a, b);
});

Deno.test("a 429 without Retry-After waits out the interval of the X-RateLimit-* headers", async () => {
  assert.equal(highlevelRetryAfter(429, limitHeaders("0")), 10_000);
  assert.equal(highlevelRetryAfter(429, limitHeaders("0", "0")), DAILY_CAP_WAIT_MS, "daily cap spent");
  assert.equal(highlevelRetryAfter(429, new Headers()), undefined, "no headers: plain backoff");
  assert.equal(highlevelRetryAfter(503, limitHeaders("0")), undefined);
  const answers = [
    new Response('{"statusCode":429,"message":"Too Many Requests"}', {
      status: 429,
      headers: limitHeaders("0"),
    }),
    new Response('{"ok":true}', { status: 200, headers: limitHeaders("99") }),
  ];
  const slept: number[] = [];
  const client = new HttpClient({
    source: "highlevel",
    baseUrl: "http://highlevel.test",
    headers: {},
    policy: {
      timeoutMs: 1_000,
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 2,
      retryAfterHint: highlevelConnector.retryAfterHint,
    },
    sleep: (ms) => (slept.push(ms), Promise.resolve()),
    random: () => 0.5,
    fetchImpl: () => Promise.resolve(answers.shift()!),
  });
  assert.deepEqual(await client.get("/products/"), { ok: true });
  assert.deepEqual(slept, [10_000]);
});
