// The API's OpenAPI 3.1 document, served at GET /sync/openapi.json: one table of the routes, whose
// parameters and request bodies are generated from the zod schemas the routes validate with
// (openapi_build.ts), and `servers` naming the origin the request came to. Valid OpenAPI 3.1
// (tests/api/openapi_valid_test.ts checks it with an OpenAPI schema validator, and that it describes
// exactly the routes the Hono app serves).
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  CleanupInput,
  CooldownInput,
  NotificationSettingsPatch,
  ScheduleInput,
  TickInput,
} from "../../_shared/ops/mod.ts";
import { AccountInput, AccountKey, AccountPatch } from "../../_shared/accounts/mod.ts";
import { MetricsQuery } from "../../_shared/connectors/irelandpay/metrics.ts";
import { ListQuery as AccountsQuery, StateBody } from "./accounts.ts";
import { VERSION } from "../../_shared/version.ts";
import { JobId as BubbleJobId, ReportQuery } from "./bubble.ts";
import { DeliveriesQuery, JobId as StepsJobId, StepsQuery } from "./console.ts";
import { ItemId, ListQuery as FailedItemsQuery, RetryBody } from "./failed_items.ts";
import { ProductId, TicketOverride } from "./highlevel.ts";
import { JobId, ListQuery as JobsQuery, StartSyncBody } from "./jobs.ts";
import { buildPaths, refusals, requestSchema, type RouteSpec } from "./openapi_build.ts";
import { Id as ScheduleId, StatsQuery, TrendsQuery } from "./ops.ts";
import { PlanName, RootId, RootsQuery, StartPromotionBody, StatusQuery } from "./promotion.ts";
import { ACCOUNT } from "./webhooks.ts";
import { WorkerBody } from "./worker.ts";

const ConnectorName = z.string().min(1).max(63);
const WebhookQuery = z.object({ account: z.string().regex(ACCOUNT).optional() });
const job = { type: "object", properties: { job: { $ref: "#/components/schemas/Job" } } };

/** Every route of the app: "method path" -> what it takes and answers. */
export const ROUTES: Record<string, RouteSpec> = {
  "get /sync/health": {
    summary: "Liveness, database reachability, the code version and the database schema version",
    auth: "public",
    responses: { 200: "up (ok false: the schema is behind or ahead)" },
  },
  "get /sync/openapi.json": { summary: "This document", auth: "public", responses: { 200: "OpenAPI 3.1" } },
  "post /sync/jobs": {
    summary: "Start a sync (queued; 202)",
    body: "StartSync",
    responses: { 202: { description: "queued", schema: job }, 400: "", ...refusals(409, 413, 415, 422) },
  },
  "get /sync/jobs": {
    summary: "Job history, newest first",
    query: JobsQuery,
    responses: { 200: "jobs", ...refusals(422) },
  },
  "get /sync/jobs/{id}": {
    summary: "A job with its progress per stream (and its shards, when read in shards)",
    path: { id: JobId },
    responses: { 200: "job, progress and, for a sharded read, shards", ...refusals(404, 422) },
  },
  "post /sync/jobs/{id}/cancel": {
    summary: "Cancel: a queued job at once (200), a running one at its next page (202)",
    path: { id: JobId },
    responses: { 200: "cancelled", 202: "cancel requested", ...refusals(404, 409, 422) },
  },
  "get /sync/jobs/{id}/steps": {
    summary: "Step log of a single-record job (?after=seq&limit=200)",
    path: { id: StepsJobId },
    query: StepsQuery,
    responses: { 200: "steps", ...refusals(422) },
  },
  "get /sync/connectors": {
    summary: "Connectors and their streams in dependency order",
    responses: { 200: "connectors", ...refusals() },
  },
  "post /sync/webhooks/{connector}": {
    summary:
      "Signed webhook intake: verified, stored in the inbox by event id, processed as a single-record sync",
    auth: "public",
    query: WebhookQuery,
    responses: {
      200: "duplicate delivery (already received)",
      202: "received (or ignored: unknown event type)",
      400: "",
      401: "the signature or timestamp does not verify",
      404: "no webhook endpoint for this connector",
      413: "",
      415: "",
    },
  },
  "post /sync/worker": {
    summary: "Run queued jobs until the time budget is spent",
    auth: "worker",
    body: "WorkerInput",
    responses: { 200: "what was run", ...refusals(422) },
  },
  "get /sync/failed-items": {
    summary: "Failed records (open by default), filterable",
    query: FailedItemsQuery,
    responses: { 200: "failed items", ...refusals(422) },
  },
  "post /sync/failed-items/retry": {
    summary: "Queue a retry job for due failed items",
    body: "RetryInput",
    responses: { 200: "nothing to retry", 202: "retry job queued", ...refusals(409, 422) },
  },
  "post /sync/failed-items/{id}/resolve": {
    summary: "Mark a failed item resolved",
    path: { id: ItemId },
    responses: { 200: "resolved", ...refusals(404, 422) },
  },
  "post /sync/failed-items/{id}/dismiss": {
    summary: "Dismiss a failed item",
    path: { id: ItemId },
    responses: { 200: "dismissed", ...refusals(404, 422) },
  },
  "get /sync/stats": {
    summary: "Runs, success rate, avg/p95 duration, records per run",
    query: StatsQuery,
    responses: { 200: "stats", ...refusals(422) },
  },
  "get /sync/stats/trends": {
    summary: "Daily series of runs, failures, duration, records",
    query: TrendsQuery,
    responses: { 200: "trends", ...refusals(422) },
  },
  "get /sync/stats/failed-items": {
    summary: "Failed items open vs resolved by connector, stream, class",
    responses: { 200: "summary", ...refusals() },
  },
  "get /sync/stats/freshness": {
    summary: "Time since the last successful sync per stream",
    responses: { 200: "freshness", ...refusals() },
  },
  "get /sync/stats/integrity": {
    summary: "Orphan checks (e.g. tickets without their order) and each stream's last completeness result",
    responses: { 200: "checks and completeness", ...refusals() },
  },
  "get /sync/stats/recovery": {
    summary:
      "Failed-item recovery per connector and stream: retried, recovered, still_failing, given_up, open",
    query: StatsQuery,
    responses: { 200: "recovery", ...refusals(422) },
  },
  "get /sync/cooldowns": {
    summary: "Cool-down per stream, and when the current gap ends",
    responses: { 200: "cool-downs", ...refusals() },
  },
  "put /sync/cooldowns/{connector}/{stream}": {
    summary: "Set a stream's cool-down (0 turns it off)",
    body: "CooldownInput",
    responses: { 200: "the cool-down", ...refusals(404, 422) },
  },
  "post /sync/ops/tick": {
    summary:
      "Run the ops tick now (what pg_cron runs every minute: due zoned schedules, automatic retries, alert rules)",
    body: "TickInput",
    responses: { 200: "what the tick did", ...refusals(422) },
  },
  "get /sync/schedules": {
    summary: "Schedules with their pg_cron job",
    responses: { 200: "schedules", ...refusals() },
  },
  "get /sync/accounts": {
    summary: "The registered accounts per connector (secrets only as set or not), and the environment's",
    query: AccountsQuery,
    responses: { 200: "accounts", ...refusals(422) },
  },
  "post /sync/accounts": {
    summary: "Register an account: connector, key, name, settings, secrets (stored in Vault, never returned)",
    body: "AccountInput",
    responses: { 201: "the account", ...refusals(409, 413, 415, 422, 503) },
  },
  "get /sync/accounts/{connector}/{key}": {
    summary: "One account",
    path: { connector: ConnectorName, key: AccountKey },
    responses: { 200: "the account", ...refusals(404, 422) },
  },
  "patch /sync/accounts/{connector}/{key}": {
    summary: "Change an account's name, settings or secrets",
    path: { connector: ConnectorName, key: AccountKey },
    body: "AccountPatch",
    responses: { 200: "the account", ...refusals(404, 413, 415, 422, 503) },
  },
  "delete /sync/accounts/{connector}/{key}": {
    summary: "Remove an account and its Vault secrets (its synced data stays)",
    path: { connector: ConnectorName, key: AccountKey },
    responses: { 200: "removed", ...refusals(404, 422) },
  },
  "post /sync/accounts/{connector}/{key}/pause": {
    summary: "Pause an account: its jobs are refused (409) until resumed",
    path: { connector: ConnectorName, key: AccountKey },
    body: "AccountState",
    responses: { 200: "the account", ...refusals(404, 413, 415, 422) },
  },
  "post /sync/accounts/{connector}/{key}/resume": {
    summary: "Resume a paused account",
    path: { connector: ConnectorName, key: AccountKey },
    body: "AccountState",
    responses: { 200: "the account", ...refusals(404, 413, 415, 422) },
  },
  "post /sync/schedules": {
    summary: "Create or change a schedule (kept in step with pg_cron)",
    body: "ScheduleInput",
    responses: { 201: "the schedule", ...refusals(422) },
  },
  "delete /sync/schedules/{id}": {
    summary: "Remove a schedule and its cron job",
    path: { id: ScheduleId },
    responses: { 200: "removed", ...refusals(404, 422) },
  },
  "post /sync/schedules/{id}/enable": {
    summary: "Enable a schedule",
    path: { id: ScheduleId },
    responses: { 200: "enabled", ...refusals(404, 422) },
  },
  "post /sync/schedules/{id}/disable": {
    summary: "Disable a schedule (its cron job is removed)",
    path: { id: ScheduleId },
    responses: { 200: "disabled", ...refusals(404, 422) },
  },
  "post /sync/schedules/{id}/run": {
    summary: "Fire a schedule now (enqueued or skipped)",
    path: { id: ScheduleId },
    responses: { 200: "enqueued or skipped", ...refusals(404, 422) },
  },
  "post /sync/cleanup": {
    summary: "Delete old sync bookkeeping (never synced data)",
    body: "CleanupInput",
    responses: { 200: "rows deleted per table", ...refusals(422) },
  },
  "get /sync/notifications/settings": {
    summary: "Notification channels and alert thresholds",
    responses: { 200: "settings", ...refusals() },
  },
  "patch /sync/notifications/settings": {
    summary: "Change notification settings",
    body: "NotificationSettingsPatch",
    responses: { 200: "settings", ...refusals(422) },
  },
  "get /sync/notifications/deliveries": {
    summary: "Recent notifications and their delivery status",
    query: DeliveriesQuery,
    responses: { 200: "deliveries", ...refusals(422) },
  },
  "post /sync/notifications/test": {
    summary: "Send a test message to every configured channel",
    responses: { 200: "what each channel answered", ...refusals(422) },
  },
  "get /sync/circuits": {
    summary: "Circuit breaker state per source",
    responses: { 200: "circuits", ...refusals() },
  },
  "get /sync/irelandpay/metrics": {
    summary:
      "Ireland Pay metrics per merchant and month: sales, volume, average ticket, refunds, chargebacks, residuals",
    query: MetricsQuery,
    responses: { 200: "metrics", ...refusals(422) },
  },
  "post /sync/irelandpay/metrics/refresh": {
    summary: "Recompute the Ireland Pay metrics now (every irelandpay sync does it)",
    responses: { 200: "recomputed", ...refusals() },
  },
  "get /sync/promotions": {
    summary: "Promotion plans with their steps (docs/promotion.md)",
    responses: { 200: "plans", ...refusals() },
  },
  "get /sync/promotions/{plan}/status": {
    summary:
      "Monitoring: roots by outcome, import vs production rows per step, ineligible by reason, failures, orphans",
    path: { plan: PlanName },
    query: StatusQuery,
    responses: { 200: "status", ...refusals(404, 422) },
  },
  "get /sync/promotions/{plan}/roots": {
    summary: "Judged roots with their step logs",
    path: { plan: PlanName },
    query: RootsQuery,
    responses: { 200: "roots", ...refusals(404, 422) },
  },
  "get /sync/promotions/{plan}/roots/{id}": {
    summary: "One root: outcome, reason or error, step log (stored and as one line)",
    path: { plan: PlanName, id: RootId },
    responses: { 200: "the root", ...refusals(404, 422) },
  },
  "post /sync/promotions/{plan}/jobs": {
    summary: "Start a bulk promote job (202)",
    path: { plan: PlanName },
    body: "StartPromotion",
    responses: { 202: { description: "queued", schema: job }, ...refusals(404, 409, 422) },
  },
  "get /sync/bubble/coverage": {
    summary:
      "Bubble field-mapping coverage: per type {type, seen, mapped, unmapped[], notSeen[], records}, overall {seen, mapped, percent}",
    responses: { 200: "coverage", ...refusals(404) },
  },
  "get /sync/bubble/model": {
    summary: "Bubble model: types with level, parents and field mappings; back-links",
    responses: { 200: "model", ...refusals(404) },
  },
  "get /sync/bubble/dangling-links": {
    summary: "Bubble links naming a thing that is not in its table, per declared link",
    responses: { 200: "links", ...refusals(404) },
  },
  "get /sync/bubble/jobs/{id}/report": {
    summary: "Step report of a Bubble integrity sync: totals {synced, skipped, failed}, each invoice's steps",
    path: { id: BubbleJobId },
    query: ReportQuery,
    responses: { 200: "report", ...refusals(404, 422) },
  },
  "get /sync/highlevel/ticket-products": {
    summary: "HighLevel products: HighLevel's state, the team's override, and whether each issues tickets",
    responses: { 200: "products", ...refusals() },
  },
  "put /sync/highlevel/ticket-products/{id}": {
    summary: "Set the ticket override of a product",
    path: { id: ProductId },
    body: "TicketOverride",
    responses: { 200: "the override", ...refusals(422) },
  },
  "delete /sync/highlevel/ticket-products/{id}": {
    summary: "Clear the override: HighLevel's product state decides again",
    path: { id: ProductId },
    responses: { 200: "cleared", ...refusals(404, 422) },
  },
};

/** The document: `components.schemas` typed for the tests that read it, the rest plain JSON. */
type Document = Record<string, unknown> & {
  components: { schemas: Record<string, unknown>; [k: string]: unknown };
};
let built: Document | undefined;

/** The document, naming `server` (the origin and prefix the API is reached at) in `servers`. */
export function openApiDocument(server = "/"): Document {
  built ??= buildDocument();
  return { ...built, servers: [{ url: server }] };
}

function buildDocument(): Document {
  return {
    openapi: "3.1.0",
    info: {
      title: "Syncline sync API",
      version: VERSION,
      description:
        "Start, follow and cancel syncs; the worker endpoint continues queued work within a time budget.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        adminJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A secret API key (sb_secret_...), the service_role key, or the Supabase Auth JWT of an admin",
        },
        secretKey: {
          type: "apiKey",
          in: "header",
          name: "apikey",
          description: "A secret API key (sb_secret_...)",
        },
        workerSecret: { type: "apiKey", in: "header", name: "x-syncline-worker-secret" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                details: { type: "object" },
              },
            },
          },
        },
        Job: {
          type: "object",
          properties: {
            id: { type: "integer" },
            connector: { type: "string" },
            account: { type: "string" },
            streams: { type: "array", items: { type: "string" } },
            mode: { enum: ["full", "incremental", "single", "retry", "promote", "reconcile"] },
            status: { enum: ["queued", "running", "succeeded", "partial", "failed", "cancelled"] },
            options: { type: "object" },
            stats: { type: "object" },
            error: { type: ["string", "null"] },
            created_at: { type: "string", format: "date-time" },
            started_at: { type: ["string", "null"], format: "date-time" },
            finished_at: { type: ["string", "null"], format: "date-time" },
          },
        },
        Progress: {
          type: "object",
          properties: {
            phase: { type: "string" },
            status: { type: "string" },
            done: { type: "integer" },
            total: { type: ["integer", "null"] },
            percent: { type: ["number", "null"] },
            rate: { type: ["number", "null"] },
            eta_seconds: { type: ["integer", "null"] },
            inserted: { type: "integer" },
            updated: { type: "integer" },
            unchanged: { type: "integer" },
            stale: { type: "integer" },
            failed: { type: "integer" },
          },
        },
        // request bodies: generated from the zod schemas the routes validate with, never copied
        StartSync: requestSchema(StartSyncBody),
        AccountInput: requestSchema(AccountInput),
        AccountPatch: requestSchema(AccountPatch),
        AccountState: requestSchema(StateBody),
        ScheduleInput: requestSchema(ScheduleInput.strict()),
        NotificationSettingsPatch: requestSchema(NotificationSettingsPatch),
        CleanupInput: requestSchema(CleanupInput),
        CooldownInput: requestSchema(CooldownInput),
        TickInput: requestSchema(TickInput),
        RetryInput: requestSchema(RetryBody),
        TicketOverride: requestSchema(TicketOverride),
        StartPromotion: requestSchema(StartPromotionBody),
        WorkerInput: requestSchema(WorkerBody),
      },
    },
    paths: buildPaths(ROUTES),
  };
}

/**
 * Where the client reached the API: the origin of the request (the gateway's x-forwarded-host and
 * x-forwarded-proto when it sets them) and the path before /sync, with `prefix` (on Supabase the
 * gateway strips "/functions/v1" before the function sees the path) put back.
 */
export function serverUrl(c: Context, prefix = ""): string {
  const url = new URL(c.req.url);
  const host = c.req.header("x-forwarded-host")?.split(",")[0].trim();
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0].trim();
  const origin = host && /^[A-Za-z0-9.:\[\]-]{1,255}$/.test(host)
    ? `${proto === "http" ? "http" : "https"}://${host}`
    : url.origin;
  const before = url.pathname.slice(0, Math.max(0, url.pathname.lastIndexOf("/sync/openapi.json")));
  const path = before.startsWith(prefix) ? before : `${prefix}${before}`;
  return `${origin}${path}`;
}

/** GET /openapi.json; `prefix` is the public path the platform strips ("/functions/v1" on Supabase). */
export function openApiRoutes(prefix = ""): Hono {
  const app = new Hono();
  app.get("/openapi.json", (c) => {
    c.header("cache-control", "no-store");
    return c.json(openApiDocument(serverUrl(c, prefix)));
  });
  return app;
}
