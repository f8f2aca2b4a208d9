// Source HTTP: the one client every connector uses (timeouts, retries with backoff, Retry-After), the
// circuit breaker and the rate limiter (in memory and shared in Postgres).
// The module's only door: code outside engine/http/ imports from this file (scripts/check_imports.ts).
export * from "./circuit.ts";
export * from "./client.ts";
export * from "./pg_guards.ts";
export * from "./rate_limit.ts";
export * from "./reliability_cases.ts";
