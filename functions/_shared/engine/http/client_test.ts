import assert from "node:assert/strict";
import { MemoryCircuitStore } from "./circuit.ts";
import { CircuitOpenError, HttpError, RateLimitedError } from "../errors.ts";
import { HttpClient, type HttpPolicy } from "./client.ts";
import { MemoryRateLimiter } from "./rate_limit.ts";

type Answer = Response | Error;
function client(answers: Answer[], policy: Partial<HttpPolicy> = {}, sleeps: number[] = []) {
  let i = 0;
  const fetchImpl = (() => {
    const a = answers[Math.min(i++, answers.length - 1)];
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a.clone());
  }) as typeof fetch;
  return new HttpClient({
    source: "fake",
    baseUrl: "http://fake.test",
    headers: {},
    policy: { timeoutMs: 1_000, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, ...policy },
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    random: () => 0.5,
    fetchImpl,
  });
}
const ok = () => new Response('{"ok":true}', { status: 200 });

Deno.test("transient answers are retried with backoff and Retry-After is honoured", async () => {
  const sleeps: number[] = [];
  const http = client(
    [
      new Response("slow down", { status: 429, headers: { "retry-after": "2" } }),
      new Response("oops", { status: 503 }),
      new TypeError("connection reset"),
      ok(),
    ],
    {},
    sleeps,
  );
  assert.deepEqual(await http.get("/x"), { ok: true });
  assert.deepEqual(sleeps, [2_000, 100, 200]);
  assert.equal(http.stats.retries, 3);
  assert.equal(http.stats.failures, 3);
  assert.equal(http.stats.requests, 4);
});

Deno.test("permanent 4xx is not retried", async () => {
  const http = client([new Response("nope", { status: 404 }), ok()]);
  await assert.rejects(http.get("/x"), (e) => e instanceof HttpError && !e.transient && e.httpStatus === 404);
  assert.equal(http.stats.requests, 1);
});

Deno.test("retries are bounded and the error says so", async () => {
  const http = client([new Response("down", { status: 500 })]);
  await assert.rejects(http.get("/x"), /answered 500: down \(gave up after 4 attempts\)/);
  assert.equal(http.stats.requests, 4);
});

Deno.test("a Retry-After beyond the cap is not waited for", async () => {
  const http = client([new Response("later", { status: 429, headers: { "retry-after": "3600" } })], {
    maxRetryAfterMs: 60_000,
  });
  await assert.rejects(http.get("/x"), /Retry-After 3600 s exceeds the 60 s cap/);
  assert.equal(http.stats.requests, 1);
});

Deno.test("an open circuit refuses requests; the circuit opens after the threshold", async () => {
  const circuit = new MemoryCircuitStore({ failureThreshold: 3, cooldownMs: 60_000, probeMs: 60_000 });
  const http = client([new Response("down", { status: 502 })], { circuit, maxAttempts: 10 });
  await assert.rejects(
    http.get("/x"),
    (e) => e instanceof CircuitOpenError && /circuit breaker is open/.test(e.message),
  );
  assert.equal(http.stats.requests, 3);
  assert.equal(http.stats.circuitRejections, 1);
  const other = client([ok()], { circuit });
  await assert.rejects(other.get("/y"), CircuitOpenError);
  assert.equal(other.stats.requests, 0);
});

Deno.test("the rate limiter delays requests instead of sending them", async () => {
  let now = 0;
  const rateLimiter = new MemoryRateLimiter([{ requests: 1, windowMs: 100 }], () => now);
  const http = new HttpClient({
    source: "fake",
    baseUrl: "http://fake.test",
    headers: {},
    policy: {
      timeoutMs: 1_000,
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      rateLimiter,
    },
    sleep: (ms) => (now += ms, Promise.resolve()),
    random: Math.random,
    fetchImpl: (() => Promise.resolve(ok())) as typeof fetch,
  });
  await http.get("/a");
  await http.get("/b");
  assert.equal(http.stats.rateLimitedMs, 100);
  assert.equal(now, 100);
});

Deno.test("a timeout is transient", async () => {
  const http = new HttpClient({
    source: "fake",
    baseUrl: "http://fake.test",
    headers: {},
    policy: {
      timeoutMs: 20,
      maxAttempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
    },
    sleep: () => Promise.resolve(),
    random: Math.random,
    fetchImpl: ((_u: string, init: RequestInit) =>
      new Promise((_r, reject) =>
        init.signal?.addEventListener("abort", () =>
          reject(init.signal?.reason))
      )) as typeof fetch,
  });
  await assert.rejects(http.get("/x"), /timed out after 20 ms/);
  assert.equal(http.stats.requests, 2);
});

const tooMany = (headers: Record<string, string> = {}) => new Response("slow down", { status: 429, headers });

Deno.test("429s do not use up the attempts and never open the circuit: 12 in a row, then the answer", async () => {
  const circuit = new MemoryCircuitStore({ failureThreshold: 3, cooldownMs: 60_000, probeMs: 60_000 });
  const sleeps: number[] = [];
  const answers = [...Array.from({ length: 12 }, () => tooMany()), ok()];
  const http = client(answers, { circuit, maxAttempts: 2, baseDelayMs: 100 }, sleeps);
  assert.deepEqual(await http.get("/x"), { ok: true });
  assert.equal(http.stats.requests, 13);
  assert.equal(circuit.circuits.get("fake")?.state ?? "closed", "closed");
  // no time named: a backoff that grows for sure (half fixed, half jittered) up to its cap
  assert.deepEqual(sleeps.slice(0, 4), [75, 150, 300, 600]);
  assert.ok(sleeps.every((ms, i) => i === 0 || ms >= sleeps[i - 1]), JSON.stringify(sleeps));
  assert.equal(http.unavailableSince, undefined, "a success ends the wait");
});

Deno.test("a 429 wait that passes the deadline throws RateLimitedError with the source's time", async () => {
  let now = 1_000_000;
  const http = new HttpClient({
    source: "fake",
    baseUrl: "http://fake.test",
    policy: { timeoutMs: 1_000, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: (ms) => (now += ms, Promise.resolve()),
    now: () => now,
    fetchImpl: (() => Promise.resolve(tooMany({ "retry-after": "30" }))) as typeof fetch,
  });
  http.deadline = now + 45_000;
  await assert.rejects(http.get("/x"), (e) => {
    assert.ok(e instanceof RateLimitedError);
    assert.equal(e.waitMs, 30_000);
    assert.match(
      e.message,
      /rate limited \(429\) 2 times in a row; the wait of 30 s passes this run's deadline/,
    );
    return true;
  });
  assert.equal(http.stats.requests, 2, "waited once (30 s fit), not twice");
});

Deno.test("a long wait heartbeats every few seconds, not once per request", async () => {
  let now = 0;
  const beats: number[] = [];
  const http = new HttpClient({
    source: "fake",
    baseUrl: "http://fake.test",
    policy: { timeoutMs: 1_000, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: (ms) => (now += ms, Promise.resolve()),
    now: () => now,
    fetchImpl: (() => {
      now += 10;
      return Promise.resolve(now < 20_000 ? tooMany({ "retry-after": "12" }) : ok());
    }) as typeof fetch,
  });
  http.keepAlive(() => Promise.resolve(beats.push(now)), 5_000);
  assert.deepEqual(await http.get("/x"), { ok: true });
  assert.ok(beats.length >= 4 && beats.length <= 6, JSON.stringify(beats));
  for (let i = 1; i < beats.length; i++) assert.ok(beats[i] - beats[i - 1] >= 2_000, JSON.stringify(beats));
});
