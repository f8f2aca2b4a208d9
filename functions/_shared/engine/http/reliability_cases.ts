// One table of transition cases for the circuit breaker and the token bucket, run against both
// implementations: the pure TypeScript one (circuit.ts, rate_limit.ts: memory stores, tests and
// scripts) and the Postgres one every worker shares in production (sync.circuit_allow/record,
// sync.rate_take; tests/db/reliability_cases_test.ts). hono's router/common.case.test.ts habit:
// a behaviour is written down once and every implementation must pass it.
import type { CircuitOptions, CircuitState } from "./circuit.ts";
import type { RateWindow } from "./rate_limit.ts";

export type CircuitStep =
  | { advanceMs: number }
  | { allow: { allowed: boolean; state: CircuitState; failures: number; retryInMs?: number } }
  | { record: "success" | "failure"; state: CircuitState };

export interface CircuitCase {
  name: string;
  opts: CircuitOptions;
  steps: CircuitStep[];
}

const opts: CircuitOptions = { failureThreshold: 3, cooldownMs: 30_000, probeMs: 60_000 };
const fail = { record: "failure", state: "closed" } as const;

export const circuitCases: CircuitCase[] = [
  {
    name: "a new source is closed and lets requests through",
    opts,
    steps: [{ allow: { allowed: true, state: "closed", failures: 0, retryInMs: 0 } }],
  },
  {
    name: "the threshold of consecutive failures opens the circuit, which refuses until the cool-down",
    opts,
    steps: [
      fail,
      fail,
      { allow: { allowed: true, state: "closed", failures: 2 } },
      { record: "failure", state: "open" },
      { allow: { allowed: false, state: "open", failures: 3, retryInMs: 30_000 } },
      { advanceMs: 20_000 },
      { allow: { allowed: false, state: "open", failures: 3, retryInMs: 10_000 } },
    ],
  },
  {
    name: "a success in between resets the count",
    opts,
    steps: [fail, fail, { record: "success", state: "closed" }, fail, fail, {
      allow: { allowed: true, state: "closed", failures: 2 },
    }],
  },
  {
    name: "after the cool-down one probe goes; others wait; its success closes the circuit",
    opts,
    steps: [
      fail,
      fail,
      { record: "failure", state: "open" },
      { advanceMs: 30_000 },
      { allow: { allowed: true, state: "half_open", failures: 3, retryInMs: 0 } },
      { allow: { allowed: false, state: "half_open", failures: 3, retryInMs: 60_000 } },
      { record: "success", state: "closed" },
      { allow: { allowed: true, state: "closed", failures: 0 } },
    ],
  },
  {
    name: "a failed probe opens the circuit again for a full cool-down",
    opts,
    steps: [
      fail,
      fail,
      { record: "failure", state: "open" },
      { advanceMs: 31_000 },
      { allow: { allowed: true, state: "half_open", failures: 3 } },
      { record: "failure", state: "open" },
      { allow: { allowed: false, state: "open", failures: 4, retryInMs: 30_000 } },
    ],
  },
  {
    name: "a probe that never reports back frees the slot after the probe time",
    opts,
    steps: [
      fail,
      fail,
      { record: "failure", state: "open" },
      { advanceMs: 30_000 },
      { allow: { allowed: true, state: "half_open", failures: 3 } },
      { advanceMs: 59_000 },
      { allow: { allowed: false, state: "half_open", failures: 3, retryInMs: 1_000 } },
      { advanceMs: 1_000 },
      { allow: { allowed: true, state: "half_open", failures: 3 } },
    ],
  },
  {
    name: "a failure reported late by a request that started before the circuit opened keeps it open",
    opts,
    steps: [
      fail,
      fail,
      { record: "failure", state: "open" },
      { record: "failure", state: "open" },
      { allow: { allowed: false, state: "open", failures: 4, retryInMs: 30_000 } },
    ],
  },
];

export type WindowStep = { advanceMs: number } | { take: number };

export interface WindowCase {
  name: string;
  windows: RateWindow[];
  steps: WindowStep[];
}

export const windowCases: WindowCase[] = [
  {
    name: "a window lets its whole limit through at once, then reserves times as the oldest leave it",
    windows: [{ requests: 3, windowMs: 1_000 }],
    steps: [{ take: 0 }, { take: 0 }, { take: 0 }, { take: 1_000 }, { advanceMs: 250 }, { take: 750 }],
  },
  {
    name:
      "waiting requests are reserved in turn and go unasked: each waits for the request a window before it",
    windows: [{ requests: 2, windowMs: 1_000 }],
    steps: [
      { take: 0 },
      { advanceMs: 400 },
      { take: 0 },
      { take: 600 },
      { take: 1_000 },
      { advanceMs: 5_000 },
      { take: 0 },
    ],
  },
  {
    name: "capacity unused early in a window is used later in it",
    windows: [{ requests: 4, windowMs: 1_000 }],
    steps: [{ take: 0 }, { advanceMs: 900 }, { take: 0 }, { take: 0 }, { take: 0 }, { take: 100 }],
  },
  {
    name: "a burst window inside a longer one, HighLevel's shape (100 per 10 s, 10 per second): each holds",
    windows: [{ requests: 6, windowMs: 10_000 }, { requests: 2, windowMs: 1_000 }],
    steps: [
      { take: 0 },
      { take: 0 },
      { take: 1_000 },
      { advanceMs: 1_000 },
      { take: 0 },
      { take: 1_000 },
      { advanceMs: 1_000 },
      { take: 0 },
      { take: 8_000 },
    ],
  },
];

/** How close a Postgres timing must be to the case's figure (real time passes between statements). */
export const SQL_TOLERANCE_MS = 1_000;
