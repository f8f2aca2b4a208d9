// Runtime configuration from the environment, validated once at start-up.
// On Supabase, SUPABASE_DB_URL and SUPABASE_URL are provided; names starting with SUPABASE_
// are reserved there, so our own settings are SYNCLINE_* and <CONNECTOR>_*.

export interface SynclineConfig {
  dbUrl: string;
  /** HS256 secret of the project's JWTs (Supabase "JWT secret"); or use jwksUrl. */
  jwtSecret: string | null;
  /** JWKS of the project's asymmetric JWT signing keys. */
  jwksUrl: string | null;
  /** Shared secret of the worker endpoint (pg_cron/pg_net and the local worker send it). */
  workerSecret: string | null;
  /** Wall-clock budget of one worker invocation. */
  budgetMs: number;
  /** CPU budget of one worker invocation (an Edge Function request has ~2 s of CPU). */
  cpuBudgetMs: number;
  /** Estimated runner CPU per record where CPU time cannot be read (the Edge Runtime). */
  cpuPerRecordMicros: number;
  /** Settings per connector, from <CONNECTOR>_* variables (e.g. SQUARE_ACCESS_TOKEN). */
  connectors: Record<string, Record<string, unknown>>;
}

import { DEFAULT_CPU_BUDGET_MS, DEFAULT_PER_RECORD_MICROS } from "./engine/cpu_budget.ts";

type Env = { get(name: string): string | undefined };

/** Reads CONNECTOR_* variables into camelCase settings: SQUARE_ACCESS_TOKEN -> accessToken. */
export function connectorSettings(env: Record<string, string>, connector: string): Record<string, unknown> {
  const prefix = connector.toUpperCase().replace(/[^A-Z0-9]/g, "_") + "_";
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length).toLowerCase().replace(
      /_([a-z0-9])/g,
      (_, c: string) => c.toUpperCase(),
    );
    out[key] = key.endsWith("Ids") ? v.split(",").map((s) => s.trim()).filter(Boolean) : v;
  }
  return out;
}

export function loadConfig(env: Env = Deno.env, connectorNames: string[] = []): SynclineConfig {
  const all = Deno.env === env ? Deno.env.toObject() : {};
  const supabaseUrl = env.get("SUPABASE_URL");
  const dbUrl = env.get("SYNCLINE_DB_URL") ?? env.get("SUPABASE_DB_URL");
  if (!dbUrl) throw new Error("Set SYNCLINE_DB_URL (or SUPABASE_DB_URL) to the Postgres connection string");
  return {
    dbUrl,
    jwtSecret: env.get("SYNCLINE_JWT_SECRET") ?? env.get("SUPABASE_JWT_SECRET") ?? null,
    jwksUrl: env.get("SYNCLINE_JWKS_URL") ??
      (supabaseUrl ? `${supabaseUrl}/auth/v1/.well-known/jwks.json` : null),
    workerSecret: env.get("SYNCLINE_WORKER_SECRET") ?? null,
    budgetMs: Number(env.get("SYNCLINE_BUDGET_MS") ?? 110_000),
    cpuBudgetMs: Number(env.get("SYNCLINE_CPU_BUDGET_MS") ?? DEFAULT_CPU_BUDGET_MS),
    cpuPerRecordMicros: Number(env.get("SYNCLINE_CPU_PER_RECORD_US") ?? DEFAULT_PER_RECORD_MICROS),
    connectors: Object.fromEntries(connectorNames.map((c) => [c, connectorSettings(all, c)])),
  };
}
