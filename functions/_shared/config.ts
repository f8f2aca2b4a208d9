// Runtime configuration from the environment, validated once at start-up.
// On Supabase, SUPABASE_DB_URL, SUPABASE_URL, SUPABASE_SECRET_KEYS and SUPABASE_JWKS are provided;
// names starting with SUPABASE_ are reserved there, so our own settings are SYNCLINE_* and <CONNECTOR>_*.
import type { Jwk } from "./api/jwt.ts";

export interface SynclineConfig {
  dbUrl: string;
  /** Legacy HS256 JWT secret of the project (SYNCLINE_JWT_SECRET; Supabase does not provide it). */
  jwtSecret: string | null;
  /** JWKS endpoint of the project's asymmetric JWT signing keys. */
  jwksUrl: string | null;
  /** Inline signing keys (SUPABASE_JWKS, provided to Edge Functions). */
  jwks: Jwk[] | null;
  /** The `iss` of the project's user tokens: SYNCLINE_JWT_ISSUER, else $SUPABASE_URL/auth/v1. */
  jwtIssuer: string | null;
  /** The project's ref (the legacy service_role key's `ref`): SYNCLINE_PROJECT_REF, else from SUPABASE_URL. */
  projectRef: string | null;
  /** Secret API keys (sb_secret_...) that act as admin: values of SUPABASE_SECRET_KEYS. */
  secretKeys: string[];
  /** Shared secret of the worker endpoint (pg_cron/pg_net and the local worker send it). */
  workerSecret: string | null;
  /** Wall-clock budget of one worker invocation. */
  budgetMs: number;
  /** CPU budget of one worker invocation (an Edge Function request has ~2 s of CPU). */
  cpuBudgetMs: number;
  /** Estimated runner CPU per record where CPU time cannot be read (the Edge Runtime). */
  /** SYNCLINE_CPU_PER_RECORD_US: one figure for every connector; null: the measured figures. */
  cpuPerRecordMicros: number | null;
  /**
   * Settings per connector, from <CONNECTOR>_* variables (e.g. SQUARE_ACCESS_TOKEN), with
   * `mergePath` ("copy", the default, or "json"): <CONNECTOR>_MERGE_PATH, else SYNCLINE_MERGE_PATH.
   */
  connectors: Record<string, Record<string, unknown>>;
  /** Origins allowed to call the API from a browser (SYNCLINE_CORS_ORIGINS, comma-separated). */
  corsOrigins: string[] | undefined;
  /** Port of the locally served function (SYNCLINE_PORT, default 54321). */
  port: number;
}

import { DEFAULT_CPU_BUDGET_MS } from "./engine/budget/mod.ts";

type Env = { get(name: string): string | undefined };

/**
 * Secret API keys: SUPABASE_SECRET_KEYS is a JSON object of named keys ({"default": "sb_secret_..."}),
 * as Supabase provides it to Edge Functions; SUPABASE_SECRET_KEY (one key) for self-hosting.
 */
export function secretKeysFrom(env: Env): string[] {
  const plural = env.get("SUPABASE_SECRET_KEYS");
  if (plural) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(plural);
    } catch {
      throw new Error(
        'SUPABASE_SECRET_KEYS must be a JSON object of named keys, e.g. {"default": "sb_secret_..."}',
      );
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error(
        'SUPABASE_SECRET_KEYS must be a JSON object of named keys, e.g. {"default": "sb_secret_..."}',
      );
    }
    return Object.values(parsed).filter((v): v is string => typeof v === "string" && v.length >= 20);
  }
  const single = env.get("SUPABASE_SECRET_KEY");
  return single && single.length >= 20 ? [single] : [];
}

/** Inline JWKS (SUPABASE_JWKS: {"keys": [...]} or [...]); null when unset. */
export function jwksFrom(env: Env): Jwk[] | null {
  const raw = env.get("SUPABASE_JWKS");
  if (!raw?.trim()) return null;
  try {
    const parsed = JSON.parse(raw);
    const keys = Array.isArray(parsed) ? parsed : parsed?.keys;
    if (Array.isArray(keys)) return keys as Jwk[];
  } catch {
    // reported below
  }
  throw new Error('SUPABASE_JWKS must be a JSON Web Key Set ({"keys": [...]})');
}

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

const MERGE_PATHS = ["copy", "json"];

/** How uniform pages merge: "copy" (COPY into a staging table) or "json" (one JSON array). */
export function withMergePath(
  settings: Record<string, unknown>,
  fallback: string | undefined,
  connector: string,
): Record<string, unknown> {
  const path = settings.mergePath ?? fallback;
  if (path === undefined) return settings; // the default, "copy"
  if (!MERGE_PATHS.includes(path as string)) {
    throw new Error(`Merge path of "${connector}" must be "copy" or "json", got ${JSON.stringify(path)}`);
  }
  return { ...settings, mergePath: path };
}

/** <ref> of https://<ref>.supabase.co (the hosted project URL), else null (custom domain, local). */
export function projectRefFrom(supabaseUrl: string | undefined): string | null {
  if (!supabaseUrl) return null;
  try {
    return /^([a-z0-9]+)\.supabase\.co$/.exec(new URL(supabaseUrl).hostname)?.[1] ?? null;
  } catch {
    return null;
  }
}

export function loadConfig(env: Env = Deno.env, connectorNames: string[] = []): SynclineConfig {
  const all = Deno.env === env ? Deno.env.toObject() : {};
  const supabaseUrl = env.get("SUPABASE_URL");
  const projectUrl = supabaseUrl?.replace(/\/+$/, "");
  const dbUrl = env.get("SYNCLINE_DB_URL") ?? env.get("SUPABASE_DB_URL");
  if (!dbUrl) throw new Error("Set SYNCLINE_DB_URL (or SUPABASE_DB_URL) to the Postgres connection string");
  return {
    dbUrl,
    jwtSecret: env.get("SYNCLINE_JWT_SECRET") || null,
    jwksUrl: env.get("SYNCLINE_JWKS_URL") ??
      (projectUrl ? `${projectUrl}/auth/v1/.well-known/jwks.json` : null),
    jwks: jwksFrom(env),
    jwtIssuer: env.get("SYNCLINE_JWT_ISSUER") || (projectUrl ? `${projectUrl}/auth/v1` : null),
    projectRef: env.get("SYNCLINE_PROJECT_REF") || projectRefFrom(supabaseUrl),
    secretKeys: secretKeysFrom(env),
    workerSecret: env.get("SYNCLINE_WORKER_SECRET") ?? null,
    budgetMs: Number(env.get("SYNCLINE_BUDGET_MS") ?? 110_000),
    cpuBudgetMs: Number(env.get("SYNCLINE_CPU_BUDGET_MS") ?? DEFAULT_CPU_BUDGET_MS),
    cpuPerRecordMicros: env.get("SYNCLINE_CPU_PER_RECORD_US")
      ? Number(env.get("SYNCLINE_CPU_PER_RECORD_US"))
      : null,
    connectors: Object.fromEntries(
      connectorNames.map((
        c,
      ) => [c, withMergePath(connectorSettings(all, c), env.get("SYNCLINE_MERGE_PATH"), c)]),
    ),
    corsOrigins: env.get("SYNCLINE_CORS_ORIGINS")?.split(",").map((o) => o.trim()),
    port: Number(env.get("SYNCLINE_PORT") ?? 54321),
  };
}

/** Notification delivery's settings from the function's environment: never stored in the database. */
export interface NotifySecrets {
  /** SYNCLINE_SLACK_WEBHOOK_URL: overrides the table's Slack URL. */
  slackWebhookUrl: string | null;
  /** SYNCLINE_EMAIL_API_KEY: the e-mail provider's API key. */
  emailApiKey: string | null;
  /**
   * SYNCLINE_EMAIL_API_URL: where the e-mail API key may go besides the provider's documented endpoint
   * (a relay); a URL set through the API never receives the key.
   */
  emailApiUrl: string | null;
  /**
   * SYNCLINE_ALLOW_LOCAL_URLS=true (local development only): notification URLs may be http: and reach
   * this machine or a private network; cloud metadata and link-local addresses stay refused.
   */
  allowLocalUrls: boolean;
}

/** The notification settings of the environment, read when a pass delivers or a route checks (not at import time). */
export function notifySecrets(env: Env = Deno.env): NotifySecrets {
  return {
    slackWebhookUrl: env.get("SYNCLINE_SLACK_WEBHOOK_URL") || null,
    emailApiKey: env.get("SYNCLINE_EMAIL_API_KEY") || null,
    emailApiUrl: env.get("SYNCLINE_EMAIL_API_URL") || null,
    allowLocalUrls: /^(1|true|yes|on)$/i.test(env.get("SYNCLINE_ALLOW_LOCAL_URLS")?.trim() ?? ""),
  };
}
