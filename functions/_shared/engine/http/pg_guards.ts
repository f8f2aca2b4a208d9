// The Postgres-backed circuit breaker and rate limiter: thin calls to the RPCs of
// sql/sync_circuits.sql and sql/sync_rate_limits.sql, so every worker of every invocation
// shares one state per source.
import type { CircuitDecision, CircuitOptions, CircuitState, CircuitStore } from "./circuit.ts";
import type postgres from "postgres";
import type { Sql } from "../types.ts";
import type { RateLimiter, RateWindow } from "./rate_limit.ts";
import { errorText } from "../../error_text.ts";

export class PgCircuitStore implements CircuitStore {
  constructor(readonly sql: Sql, readonly opts: CircuitOptions) {}

  async allow(source: string): Promise<CircuitDecision> {
    const [r] = await this.sql`select * from sync.circuit_allow(${source}, ${Math.round(this.opts.probeMs)})`;
    return {
      allowed: r.allowed as boolean,
      state: r.state as CircuitState,
      failures: Number(r.failures),
      retryInMs: Number(r.retry_in_ms),
    };
  }

  async record(source: string, success: boolean, error?: string): Promise<CircuitState> {
    const [r] = await this
      .sql`select (sync.circuit_record(${source}, ${success}, ${this.opts.failureThreshold},
      ${Math.round(this.opts.cooldownMs)}, ${
      error === undefined ? null : errorText(error, 500)
    })).state as state`;
    return r.state as CircuitState;
  }
}

export class PgRateLimiter implements RateLimiter {
  constructor(readonly sql: Sql, readonly windows: readonly RateWindow[]) {}

  async take(source: string): Promise<number> {
    const [r] = await this.sql`select sync.rate_take(${source},
      ${this.sql.json(this.windows as unknown as postgres.JSONValue)}) as wait`;
    return Number(r.wait);
  }
}
