// Circuit breaker, pure: closed -> (threshold consecutive transient failures) -> open ->
// (cool-down over) -> half_open, where one probe request goes -> closed on success, open again
// on failure. sql/sync_circuits.sql runs the same transitions under a row lock so that every
// worker shares one state per source; MemoryCircuitStore runs them in process (tests, scripts).

export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitOptions {
  /** Consecutive transient failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses requests before letting one probe through. */
  cooldownMs: number;
  /** How long a half-open probe may take before another probe is allowed. */
  probeMs: number;
}

export const defaultCircuitOptions: CircuitOptions = {
  failureThreshold: 5,
  cooldownMs: 30_000,
  probeMs: 60_000,
};

export interface Circuit {
  state: CircuitState;
  failures: number;
  /** open: when a probe may go; half_open: when the probe in flight is presumed lost. */
  retryAt: number | null;
}

export const closedCircuit: Circuit = { state: "closed", failures: 0, retryAt: null };

export interface CircuitDecision {
  allowed: boolean;
  state: CircuitState;
  failures: number;
  /** When refused: ms until a probe may go. */
  retryInMs: number;
}

/** May a request go now? Returns the decision and the circuit after it. */
export function allowRequest(c: Circuit, now: number, opts: CircuitOptions): [CircuitDecision, Circuit] {
  if (c.state === "closed") {
    return [{ allowed: true, state: "closed", failures: c.failures, retryInMs: 0 }, c];
  }
  if (c.retryAt === null || now >= c.retryAt) {
    const next: Circuit = { ...c, state: "half_open", retryAt: now + opts.probeMs };
    return [{ allowed: true, state: "half_open", failures: c.failures, retryInMs: 0 }, next];
  }
  return [{ allowed: false, state: c.state, failures: c.failures, retryInMs: Math.ceil(c.retryAt - now) }, c];
}

/** The circuit after a request finished; only transient failures count against it. */
export function recordOutcome(c: Circuit, success: boolean, now: number, opts: CircuitOptions): Circuit {
  if (success) return closedCircuit;
  const failures = c.failures + 1;
  if (c.state === "half_open" || (c.state === "closed" && failures >= opts.failureThreshold)) {
    return { state: "open", failures, retryAt: now + opts.cooldownMs };
  }
  return { ...c, failures };
}

/** Where circuits live: Postgres for workers (shared), memory for tests. */
export interface CircuitStore {
  allow(source: string): Promise<CircuitDecision>;
  record(source: string, success: boolean, error?: string): Promise<CircuitState>;
}

export class MemoryCircuitStore implements CircuitStore {
  readonly circuits = new Map<string, Circuit>();

  constructor(
    readonly opts: CircuitOptions = defaultCircuitOptions,
    readonly now: () => number = Date.now,
  ) {}

  allow(source: string): Promise<CircuitDecision> {
    const [decision, next] = allowRequest(this.circuits.get(source) ?? closedCircuit, this.now(), this.opts);
    this.circuits.set(source, next);
    return Promise.resolve(decision);
  }

  record(source: string, success: boolean): Promise<CircuitState> {
    const next = recordOutcome(this.circuits.get(source) ?? closedCircuit, success, this.now(), this.opts);
    this.circuits.set(source, next);
    return Promise.resolve(next.state);
  }
}
