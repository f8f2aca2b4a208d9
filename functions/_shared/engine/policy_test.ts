import assert from "node:assert/strict";
import { resolveReliability } from "./policy.ts";

Deno.test("HighLevel keeps to 100 requests per 10 s by default; configuration overrides", () => {
  assert.deepEqual(resolveReliability("highlevel", {}).rateLimit, {
    requests: 100,
    windowMs: 10_000,
    burst: 10,
  });
  assert.deepEqual(resolveReliability("highlevel", { rateLimitBurst: "5" }).rateLimit, {
    requests: 100,
    windowMs: 10_000,
    burst: 5,
  });
  const r = resolveReliability("square", {
    rateLimitRequests: "50",
    httpTimeoutMs: "2000",
    circuitCooldownMs: "100",
  });
  assert.deepEqual(r.rateLimit, { requests: 50, windowMs: 1_000 });
  assert.equal(r.http.timeoutMs, 2_000);
  assert.equal(r.circuit.cooldownMs, 100);
  assert.equal(resolveReliability("square", { rateLimitRequests: 0 }).rateLimit, null);
  assert.throws(
    () => resolveReliability("square", { httpMaxAttempts: "many" }),
    /Invalid reliability setting for "square": httpMaxAttempts/,
  );
});
