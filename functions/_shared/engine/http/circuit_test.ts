import assert from "node:assert/strict";
import { allowRequest, closedCircuit, MemoryCircuitStore, recordOutcome } from "./circuit.ts";
import { circuitCases } from "./reliability_cases.ts";

const opts = { failureThreshold: 3, cooldownMs: 1_000, probeMs: 5_000 };

Deno.test("circuit opens after the threshold of consecutive failures and refuses until the cool-down", () => {
  let c = closedCircuit;
  c = recordOutcome(c, false, 0, opts);
  c = recordOutcome(c, false, 0, opts);
  assert.equal(c.state, "closed");
  c = recordOutcome(c, false, 10, opts);
  assert.deepEqual(c, { state: "open", failures: 3, retryAt: 1_010 });
  const [refused] = allowRequest(c, 500, opts);
  assert.deepEqual(refused, { allowed: false, state: "open", failures: 3, retryInMs: 510 });
});

Deno.test("a success resets the failure count of a closed circuit", () => {
  let c = recordOutcome(closedCircuit, false, 0, opts);
  c = recordOutcome(c, false, 0, opts);
  c = recordOutcome(c, true, 0, opts);
  c = recordOutcome(c, false, 0, opts);
  assert.equal(c.state, "closed");
  assert.equal(c.failures, 1);
});

Deno.test("half-open lets one probe through: success closes, failure reopens", () => {
  const open = { state: "open" as const, failures: 3, retryAt: 1_000 };
  const [probe, half] = allowRequest(open, 1_000, opts);
  assert.equal(probe.allowed, true);
  assert.equal(half.state, "half_open");
  const [second] = allowRequest(half, 1_001, opts);
  assert.equal(second.allowed, false, "only one probe at a time");
  assert.equal(recordOutcome(half, true, 1_100, opts).state, "closed");
  assert.deepEqual(recordOutcome(half, false, 1_100, opts), { state: "open", failures: 4, retryAt: 2_100 });
  // a probe that never reported back frees the slot after probeMs
  assert.equal(allowRequest(half, 6_000, opts)[0].allowed, true);
});

Deno.test("memory store runs the same transitions with an injected clock", async () => {
  let now = 0;
  const store = new MemoryCircuitStore(opts, () => now);
  for (let i = 0; i < 3; i++) await store.record("s", false);
  assert.equal((await store.allow("s")).allowed, false);
  now = 1_000;
  assert.equal((await store.allow("s")).state, "half_open");
  assert.equal(await store.record("s", true), "closed");
});

Deno.test("the in-memory circuit passes every shared transition case", async () => {
  for (const c of circuitCases) {
    let now = 1_000_000;
    const store = new MemoryCircuitStore(c.opts, () => now);
    for (const [i, step] of c.steps.entries()) {
      const where = `${c.name}, step ${i + 1}`;
      if ("advanceMs" in step) now += step.advanceMs;
      else if ("allow" in step) {
        const d = await store.allow("src");
        assert.deepEqual(
          { allowed: d.allowed, state: d.state, failures: d.failures },
          { allowed: step.allow.allowed, state: step.allow.state, failures: step.allow.failures },
          where,
        );
        if (step.allow.retryInMs !== undefined) assert.equal(d.retryInMs, step.allow.retryInMs, where);
      } else assert.equal(await store.record("src", step.record === "success"), step.state, where);
    }
  }
});
