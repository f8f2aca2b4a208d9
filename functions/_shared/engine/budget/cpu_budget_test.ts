import assert from "node:assert/strict";
import {
  createCpuBudget,
  DEFAULT_CPU_BUDGET_MS,
  DEFAULT_FIXED_CPU_MS,
  DEFAULT_PER_RECORD_MICROS,
  EDGE_CPU_LIMIT_MS,
  MEASURED_PER_RECORD_MICROS,
  processCpuMicros,
} from "./cpu_budget.ts";

Deno.test("a measured CPU budget is spent when the process has used that much CPU since it started", () => {
  let micros = 5_000_000;
  const b = createCpuBudget({ cpuMs: 1_200, cpuUsageMicros: () => micros, perRecordMicros: 50 });
  assert.equal(b.spent(), false);
  micros += 1_199_000;
  assert.equal(b.spent(), false);
  b.addRecords(1_000_000); // records do not count when CPU time can be read
  assert.equal(b.spent(), false);
  micros += 1_000;
  assert.equal(b.spent(), true);
  assert.deepEqual(b.used(), { ms: 1_200, measured: true, stoppedBy: null });
});

Deno.test("without a CPU clock the budget estimates from records at the per-record cost", () => {
  const b = createCpuBudget({ cpuMs: 1_200, cpuUsageMicros: () => null, perRecordMicros: 50, fixedMs: 0 });
  b.addRecords(23_999);
  assert.equal(b.spent(), false);
  b.addRecords(1);
  assert.equal(b.spent(), true, "24,000 records x 50 µs = 1.2 s");
  assert.equal(b.used().measured, false);
});

Deno.test("the estimate counts the fixed costs, each request and each connector's own per-record figure", () => {
  const b = createCpuBudget({
    cpuMs: 1_200,
    cpuUsageMicros: () => null,
    perRecordMicros: 60,
    perRecordByConnector: { square: 50 },
    perRequestMicros: 5_000,
    fixedMs: 200,
  });
  assert.equal(b.used().ms, 200, "start-up and TLS before the first record");
  b.addRecords(1_000, "square"); // 50 ms
  b.addRecords(1_000, "bubble"); // no figure of its own: 60 ms
  b.addRequests(20); // 100 ms
  assert.equal(b.used().ms, 410);
  // the shipped figures: with the default budget, at most ~1,000 ms of the 2,000 ms limit on records
  const shipped = createCpuBudget({
    cpuMs: DEFAULT_CPU_BUDGET_MS,
    cpuUsageMicros: () => null,
    perRecordMicros: DEFAULT_PER_RECORD_MICROS,
  });
  assert.equal(shipped.used().ms, DEFAULT_FIXED_CPU_MS);
  assert.ok(DEFAULT_CPU_BUDGET_MS < EDGE_CPU_LIMIT_MS);
  for (const figure of Object.values(MEASURED_PER_RECORD_MICROS)) {
    assert.ok(figure <= DEFAULT_PER_RECORD_MICROS);
  }
  assert.throws(
    () => createCpuBudget({ cpuMs: 100, cpuUsageMicros: () => null, perRecordMicros: 1, fixedMs: 100 }),
    /must exceed the fixed CPU/,
  );
});

Deno.test("the runtime's shutdown notice ends the budget at once and is reported", () => {
  const b = createCpuBudget({ cpuMs: 1_200, cpuUsageMicros: () => 0, perRecordMicros: 50 });
  b.stop("beforeunload: cpu");
  b.stop("later reason");
  assert.equal(b.spent(), true);
  assert.equal(b.used().stoppedBy, "beforeunload: cpu");
});

Deno.test("bad budget options are refused with a RangeError naming the value", () => {
  assert.throws(
    () => createCpuBudget({ cpuMs: 0, cpuUsageMicros: () => 0, perRecordMicros: 50 }),
    /cpuMs .*got 0/,
  );
  assert.throws(
    () => createCpuBudget({ cpuMs: 10, cpuUsageMicros: () => 0, perRecordMicros: -1 }),
    /perRecordMicros .*got -1/,
  );
});

Deno.test("CPU time is read from process.cpuUsage, except on the Edge Runtime which does not implement it", () => {
  const proc = { cpuUsage: () => ({ user: 700, system: 300 }) };
  assert.equal(processCpuMicros({ process: proc })(), 1_000);
  assert.equal(processCpuMicros({ process: proc, EdgeRuntime: {} })(), null);
  assert.equal(processCpuMicros({})(), null);
  // Deno 2.1 (the Edge Runtime's Deno) implements process.cpuUsage() as zeros
  assert.equal(processCpuMicros({ process: { cpuUsage: () => ({ user: 0, system: 0 }) } })(), null);
  const real = processCpuMicros()();
  assert.ok(real === null || real > 0);
});
