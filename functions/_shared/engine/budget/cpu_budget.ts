// The CPU half of a worker invocation's budget. An Edge Function request may use about 2 s of CPU
// (Supabase's documented limit; async I/O excluded), far less than its wall clock, so the runner
// also stops taking new pages when this budget is spent and leaves the job queued to continue.
// CPU time is measured where the runtime exposes it (process.cpuUsage under the Deno CLI: the
// local worker and function server). The Supabase Edge Runtime does not implement it (zeros), so
// there the budget is an estimate calibrated on this machine (scripts/bench/cpu_per_record.ts,
// docs/benchmarks.md): fixed costs (the worker's start-up, TLS handshakes), a cost per request
// (sending it, reading and parsing its JSON) and a cost per record of the job's connector. It also
// ends when the runtime announces its own shutdown ("beforeunload", stopOnShutdown).

export interface CpuBudgetOptions {
  /** CPU milliseconds this invocation may spend on sync work. */
  cpuMs: number;
  /** CPU time used by this process so far, in µs, or null where the runtime cannot tell. */
  cpuUsageMicros: () => number | null;
  /** Estimated CPU per record, in µs, for a connector without its own figure (or all, when set by the operator). */
  perRecordMicros: number;
  /** Estimated CPU per record of each connector, in µs (default: MEASURED_PER_RECORD_MICROS). */
  perRecordByConnector?: Record<string, number>;
  /** Estimated CPU per request sent to a source, in µs (default: DEFAULT_PER_REQUEST_MICROS). */
  perRequestMicros?: number;
  /** CPU already spent or certain to be before the first record, in ms (default: DEFAULT_FIXED_CPU_MS). */
  fixedMs?: number;
}

export interface CpuBudget {
  /** True once this invocation should take no new page. */
  spent(): boolean;
  /** Counts records handled for `connector` (the estimate's input where CPU time cannot be read). */
  addRecords(n: number, connector?: string): void;
  /** Counts requests sent to a source (the estimate's input where CPU time cannot be read). */
  addRequests(n: number): void;
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
  const perRequest = opts.perRequestMicros ?? DEFAULT_PER_REQUEST_MICROS;
  const fixedMs = opts.fixedMs ?? DEFAULT_FIXED_CPU_MS;
  if (!(perRequest >= 0) || !(fixedMs >= 0)) {
    throw new RangeError(`perRequestMicros and fixedMs must be 0 or more (got ${perRequest}, ${fixedMs})`);
  }
  if (fixedMs >= opts.cpuMs) {
    throw new RangeError(`cpuMs (${opts.cpuMs}) must exceed the fixed CPU of an invocation (${fixedMs} ms)`);
  }
  const byConnector = opts.perRecordByConnector ?? MEASURED_PER_RECORD_MICROS;
  const start = opts.cpuUsageMicros();
  let estimatedMicros = fixedMs * 1000;
  let stoppedBy: string | null = null;
  const used = () => {
    const now = start === null ? null : opts.cpuUsageMicros();
    return now === null || start === null
      ? { ms: estimatedMicros / 1000, measured: false, stoppedBy }
      : { ms: (now - start) / 1000, measured: true, stoppedBy };
  };
  return {
    spent: () => stoppedBy !== null || used().ms >= opts.cpuMs,
    addRecords(n, connector) {
      estimatedMicros += n *
        ((connector !== undefined ? byConnector[connector] : undefined) ?? opts.perRecordMicros);
    },
    addRequests(n) {
      estimatedMicros += n * perRequest;
    },
    stop(reason) {
      stoppedBy ??= reason;
    },
    used,
  };
}

/**
 * Stops `budget` when the runtime announces its shutdown: the Edge Runtime sends "beforeunload"
 * (CPU or memory near its limit, the wall clock spent) before it ends a worker. The runner then
 * takes no new page: the pages in flight commit with their checkpoint and the job goes back to the
 * queue. Returns a function that removes the listener.
 */
export function stopOnShutdown(
  budget: CpuBudget | undefined,
  target: Pick<EventTarget, "addEventListener" | "removeEventListener"> = globalThis,
): () => void {
  if (!budget) return () => {};
  const onUnload = (e: Event) =>
    budget.stop(`runtime shutdown (${(e as CustomEvent).detail?.reason ?? "beforeunload"})`);
  target.addEventListener("beforeunload", onUnload);
  return () => target.removeEventListener("beforeunload", onUnload);
}

/** Documented per-request CPU limit of a Supabase Edge Function, in ms. */
export const EDGE_CPU_LIMIT_MS = 2_000;
/** Default share of it the runner spends (the response and what the runtime itself uses need the rest). */
export const DEFAULT_CPU_BUDGET_MS = 1_200;
/**
 * Runner CPU per record for a connector without a figure of its own: above every connector measured
 * (docs/benchmarks.md, "Edge CPU budget").
 */
export const DEFAULT_PER_RECORD_MICROS = 80;
/**
 * Runner CPU per record measured per connector (scripts/bench/cpu_per_record.ts: two full syncs
 * at two page sizes, fake API in its own process), rounded up by about a third.
 */
export const MEASURED_PER_RECORD_MICROS: Readonly<Record<string, number>> = {
  square: 60, // 44.0 µs measured
};
/**
 * Runner CPU per request, in µs: sending it, reading its answer and the page's own work beyond its
 * records (Square: 3,980 µs measured per page), rounded up.
 */
export const DEFAULT_PER_REQUEST_MICROS = 5_000;
/**
 * Fixed CPU of an invocation before its first record, in ms: the worker's start-up (the function's
 * modules evaluated: 180 ms measured under the Deno CLI, which also resolves the npm packages the
 * runtime has bundled) and two TLS handshakes (the source's API and Postgres; an allowance of 10 ms
 * each, not measured here: the fakes and the local database speak plain TCP).
 */
export const DEFAULT_FIXED_CPU_MS = 200;

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
