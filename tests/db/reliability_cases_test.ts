// The shared circuit-breaker and rate-limit window cases (functions/_shared/engine/http/reliability_cases.ts)
// against what production runs: sync.circuit_allow / circuit_record / rate_take through the
// Postgres stores. The circuit's time is advanced by moving its stored timestamps back (it only
// compares clock_timestamp() with them), so a 30 s cool-down takes no 30 s, and the few ms that
// really pass between statements stay within SQL_TOLERANCE_MS; the rate limiter takes its clock
// as an argument and is checked exactly.
import assert from "node:assert/strict";
import type postgres from "postgres";
import {
  circuitCases,
  PgCircuitStore,
  SQL_TOLERANCE_MS,
  windowCases,
} from "../../functions/_shared/engine/http/mod.ts";
import { createTestDatabase } from "../_support/db.ts";

function near(actual: number, expected: number, where: string) {
  assert.ok(
    actual <= expected && actual >= expected - SQL_TOLERANCE_MS,
    `${where}: ${actual} ms, expected ${expected} ms (minus at most ${SQL_TOLERANCE_MS} ms of real time)`,
  );
}

Deno.test("the Postgres circuit breaker passes every shared transition case", async () => {
  await using db = await createTestDatabase();
  for (const [n, c] of circuitCases.entries()) {
    const source = `case-${n}`;
    const store = new PgCircuitStore(db.sql, c.opts);
    for (const [i, step] of c.steps.entries()) {
      const where = `${c.name}, step ${i + 1}`;
      if ("advanceMs" in step) {
        await db
          .sql`update sync.circuit_breakers set retry_at = retry_at - ${step.advanceMs} * interval '1 ms',
          opened_at = opened_at - ${step.advanceMs} * interval '1 ms' where source = ${source}`;
      } else if ("allow" in step) {
        const d = await store.allow(source);
        assert.deepEqual(
          { allowed: d.allowed, state: d.state, failures: d.failures },
          { allowed: step.allow.allowed, state: step.allow.state, failures: step.allow.failures },
          where,
        );
        if (step.allow.retryInMs !== undefined) near(d.retryInMs, step.allow.retryInMs, where);
      } else assert.equal(await store.record(source, step.record === "success"), step.state, where);
    }
  }
});

Deno.test("the Postgres rate limiter passes every shared window case", async () => {
  // sync.rate_take takes the clock as an argument, so these figures are exact
  await using db = await createTestDatabase();
  for (const [n, c] of windowCases.entries()) {
    const source = `windows-${n}`;
    let now = Date.parse("2026-01-01T00:00:00Z");
    for (const [i, step] of c.steps.entries()) {
      if ("advanceMs" in step) now += step.advanceMs;
      else {
        const [{ wait }] = await db.sql<{ wait: number }[]>`select sync.rate_take(${source},
          ${db.sql.json(c.windows as unknown as postgres.JSONValue)}, ${new Date(now)}) as wait`;
        assert.equal(wait, step.take, `${c.name}, step ${i + 1}`);
      }
    }
  }
});

Deno.test("sync.rate_take refuses windows that are no limit (SY422)", async () => {
  await using db = await createTestDatabase();
  for (
    const windows of [[], [{ requests: 0, windowMs: 1_000 }], [{ requests: 5 }], { requests: 5, windowMs: 1 }]
  ) {
    await assert.rejects(
      db.sql`select sync.rate_take('bad', ${db.sql.json(windows)})`,
      (err: { code?: string }) => err.code === "SY422",
      JSON.stringify(windows),
    );
  }
});
