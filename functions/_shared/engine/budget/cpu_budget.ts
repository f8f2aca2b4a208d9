// The CPU half of a worker invocation's budget. An Edge Function request may use about 2 s of CPU
// (Supabase's documented limit; async I/O excluded), far less than its wall clock, so the runner
// also stops taking new pages when this budget is spent and leaves the job queued to continue.
// CPU time is measured where the runtime exposes it (process.cpuUsage under the Deno CLI: the
// local worker and function server); the Supabase Edge Runtime does not implement it, so there the
// budget counts records at a per-record cost measured here (docs/benchmarks.md) and also ends when
// the runtime announces its own shutdown ("beforeunload", e.g. for CPU or memory).

export interface CpuBudgetOptions {
  /** CPU milliseconds this invocation may spend on sync work. */
  cpuMs: number;
  /** CPU time used by this process so far, in µs, or null where the runtime cannot tell. */
  cpuUsageMicros: () => number | null;
  /** Estimated CPU per record, in µs, used when cpuUsageMicros is null. */
  perRecordMicros: number;
}

export interface CpuBudget {
  /** True once this invocation should take no new page. */
  spent(): boolean;
  /** Counts records handled (the estimate's input where CPU time cannot be read). */
  addRecords(n: number): void;
  /** Ends the budget at once (the runtime announced its shutdown). */
  stop(reason: string): void;
  /** CPU spent so far in ms (measured or estimated) and how it was obtained. */
  used(): { ms: number; measured: boolean; stoppedBy: string | null };
}

export function createCpuBudget(opts: CpuBudgetOptions): CpuBudget {
  if (!(opts.cpuMs > 0)) {
    throw new RangeError(`cpuMs must be a positive number of milliseconds (got ${opts.cpuMs})`);
  }
  if (!(opts.perRecordMicros > 0)) {
    throw new RangeError(`perRecordMicros must be a positive number (got ${opts.perRecordMicros})`);
  }
  const start = opts.cpuUsageMicros();
  let records = 0;
  let stoppedBy: string | null = null;
  const used = () => {
    const now = start === null ? null : opts.cpuUsageMicros();
    return now === null || start === null
      ? { ms: (records * opts.perRecordMicros) / 1000, measured: false, stoppedBy }
      : { ms: (now - start) / 1000, measured: true, stoppedBy };
  };
  return {
    spent: () => stoppedBy !== null || used().ms >= opts.cpuMs,
    addRecords(n) {
      records += n;
    },
    stop(reason) {
      stoppedBy ??= reason;
    },
    used,
  };
}

/** Documented per-request CPU limit of a Supabase Edge Function, in ms. */
export const EDGE_CPU_LIMIT_MS = 2_000;
/** Default share of it the runner spends on records (boot, claims and the response need the rest). */
export const DEFAULT_CPU_BUDGET_MS = 1_200;
/** Runner CPU per record measured with the shipped connectors (27–42 µs; docs/benchmarks.md), rounded up. */
export const DEFAULT_PER_RECORD_MICROS = 50;

/**
 * process.cpuUsage() where it is real (the Deno CLI from 2.2); null on the Supabase Edge Runtime
 * and on Deno 2.1 (the runtime's), whose process.cpuUsage() returns zeros: a process that has booted
 * has used CPU, so a zero first reading means the runtime cannot tell.
 */
export function processCpuMicros(
  g: { EdgeRuntime?: unknown; process?: { cpuUsage?: () => { user: number; system: number } } } = globalThis,
): () => number | null {
  const cpu = g.process?.cpuUsage;
  if (g.EdgeRuntime !== undefined || typeof cpu !== "function") return () => null;
  const read = () => {
    const u = cpu.call(g.process);
    return u.user + u.system;
  };
  const first = read();
  if (!(first > 0)) return () => null;
  return read;
}
