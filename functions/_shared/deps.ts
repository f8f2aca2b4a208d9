// The dependencies every part of Syncline is given, in one place: the engine's (database,
// connectors and their settings, clock, log), what a worker adds (its id, HTTP clients, CPU
// budget) and what the `sync` Edge Function's app adds (auth, budgets, webhooks, CORS). Routes and
// engine take their types from here, never from app.ts.
import type { AuthConfig } from "./api/auth.ts";
import type { Connector } from "./engine/connector/mod.ts";
import type { CpuBudget } from "./engine/budget/mod.ts";
import type { Sql } from "./engine/types.ts";
import type { HttpClient } from "./engine/http/mod.ts";
import type { NotifyDeps } from "./notify/deliver.ts";
import type { WebhookSettings } from "./webhooks/provider.ts";
import type { TimestampWindow } from "./webhooks/timestamp.ts";
import type { SchemaCheck } from "./version.ts";

/** What planning and running jobs needs: the database, the connectors, their settings, clock and log. */
export interface EngineDeps {
  sql: Sql;
  connectors: Record<string, Connector>;
  /**
   * The environment's settings of a connector (token, baseUrl override, ...): the `default` account's,
   * and the base of every account's. A job runs with its account's settings: the registry's and
   * Vault's over these (engine/connector/account_config.ts).
   */
  connectorConfig(connector: string): Record<string, unknown>;
  now?: () => number;
  log?: (line: string) => void;
}

/** A worker's dependencies: the engine's, its id, and what one invocation owns. */
export interface RunnerDeps extends EngineDeps {
  workerId: string;
  /** Builds the HTTP client for a connector (tests inject policies). */
  httpFor?(connector: Connector, config: Record<string, unknown>): HttpClient;
  /** The invocation's CPU budget (an Edge Function request has ~2 s of CPU); none: wall clock only. */
  cpuBudget?: CpuBudget;
}

/** A worker's dependencies from the engine's: only the engine's fields, plus the worker's own. */
export function workerDeps(
  deps: EngineDeps,
  worker: { workerId: string; cpuBudget?: CpuBudget },
): RunnerDeps {
  return {
    sql: deps.sql,
    connectors: deps.connectors,
    connectorConfig: deps.connectorConfig,
    workerId: worker.workerId,
    now: deps.now,
    log: deps.log,
    ...(worker.cpuBudget ? { cpuBudget: worker.cpuBudget } : {}),
  };
}

export interface WebhookOptions {
  /** Settings per connector; they override the connector config's webhook* keys. */
  settings?: Record<string, WebhookSettings>;
  /** Largest accepted body (default 256 KB). */
  maxBodyBytes?: number;
  window?: TimestampWindow;
  /** Run the created job right away in the background (default true when waitUntil exists). */
  runJobs?: boolean;
}

/** The `sync` Edge Function's dependencies (functions/sync/app.ts and its routes). */
export interface AppDeps extends EngineDeps {
  auth: AuthConfig;
  budgetMs: number;
  /** Keeps background work alive after the response (EdgeRuntime.waitUntil on Supabase). */
  waitUntil?: (p: Promise<unknown>) => void;
  /** Webhook settings (keys, body limit, replay window); connector config webhook* keys also work. */
  webhooks?: WebhookOptions;
  /** Origins allowed to call the API from a browser (the dashboard); default: any origin. */
  corsOrigins?: string[];
  /** A fresh CPU budget for each worker invocation (POST /sync/worker); none: wall clock only. */
  cpuBudget?: () => CpuBudget;
  /** Largest request body of the admin routes (default 1 MiB; webhooks have their own limit). */
  maxBodyBytes?: number;
  /** The cached schema-version check (default: sync.schema_version() read once, version.ts schemaGate). */
  schemaCheck?: () => Promise<SchemaCheck>;
  /** The public path before /sync that the platform strips before the function sees it ("/functions/v1" on
   * Supabase): put back in the OpenAPI document's `servers`. */
  publicPathPrefix?: string;
  /** Notification settings of the function's environment and the resolver (default: Deno.env, the system's). */
  notify?: NotifyDeps;
}
