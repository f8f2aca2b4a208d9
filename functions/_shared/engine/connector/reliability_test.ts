import assert from "node:assert/strict";
import { resolveReliability } from "./reliability.ts";

const highlevel = { name: "highlevel", rateLimit: { requests: 100, windowMs: 10_000, burst: 10 } };
const square = { name: "square", rateLimit: { requests: 20, windowMs: 1_000 } };

Deno.test("a connector's own rate limit is the default; configuration overrides it", () => {
  assert.deepEqual(resolveReliability(highlevel, {}).rateLimit, {
    requests: 100,
    windowMs: 10_000,
    burst: 10,
  });
  assert.deepEqual(resolveReliability(highlevel, { rateLimitBurst: "5" }).rateLimit, {
    requests: 100,
    windowMs: 10_000,
    burst: 5,
  });
  const r = resolveReliability(square, {
    rateLimitRequests: "50",
    httpTimeoutMs: "2000",
    circuitCooldownMs: "100",
  });
  assert.deepEqual(r.rateLimit, { requests: 50, windowMs: 1_000 });
  assert.equal(r.http.timeoutMs, 2_000);
  assert.equal(r.circuit.cooldownMs, 100);
  assert.equal(resolveReliability(square, { rateLimitRequests: 0 }).rateLimit, null);
  assert.throws(
    () => resolveReliability(square, { httpMaxAttempts: "many" }),
    /Invalid reliability setting for "square": httpMaxAttempts/,
  );
});

Deno.test("a connector without a rate limit has none unless configured", () => {
  assert.equal(resolveReliability({ name: "x" }, {}).rateLimit, null);
  assert.equal(resolveReliability({ name: "x" }, {}).exactIntegers, false);
  assert.equal(resolveReliability({ name: "x", exactIntegers: true }, {}).exactIntegers, true);
  assert.deepEqual(resolveReliability({ name: "x" }, { rateLimitRequests: "5" }).rateLimit, {
    requests: 5,
    windowMs: 1_000,
  });
});
