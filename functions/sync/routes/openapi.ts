import { Hono } from "hono";
import { z } from "zod";
import {
  CleanupInput,
  CooldownInput,
  NotificationSettingsPatch,
  ScheduleInput,
} from "../../_shared/ops/mod.ts";
import { StartSyncBody } from "./jobs.ts";

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a route accepts. */
function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

const error = { $ref: "#/components/schemas/Error" };
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((
      c,
    ) => [String(c), { description: "error", content: { "application/json": { schema: error } } }]),
  );
const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
const admin = (summary: string, codes: number[], withId = false) => ({
  summary,
  security: [{ adminJwt: [] }, { secretKey: [] }],
  ...(withId ? { parameters: [{ name: "id", in: "path", required: true }] } : {}),
  responses: Object.fromEntries(
    codes.map((c) => [String(c), c < 400 ? { description: "ok" } : { description: "error", ...json(error) }]),
  ),
});

/** The API's OpenAPI 3.1 description, served at GET /sync/openapi.json. */
export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Syncline sync API",
    version: "0.1.0",
    description:
      "Start, follow and cancel syncs; the worker endpoint continues queued work within a time budget.",
  },
  servers: [{ url: "/functions/v1" }, { url: "http://127.0.0.1:54321" }],
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
      ScheduleInput: requestSchema(ScheduleInput),
      NotificationSettingsPatch: requestSchema(NotificationSettingsPatch),
      CleanupInput: requestSchema(CleanupInput),
      CooldownInput: requestSchema(CooldownInput),
    },
  },
  paths: {
    "/sync/health": {
      get: {
        summary: "Liveness, database reachability, the code version and the database schema version",
        responses: { 200: { description: "up (ok false: the schema is behind or ahead)" } },
      },
    },
    "/sync/jobs": {
      post: {
        summary: "Start a sync (queued; 202)",
        security: [{ adminJwt: [] }, { secretKey: [] }],
        requestBody: json({ $ref: "#/components/schemas/StartSync" }),
        responses: {
          202: {
            description: "queued",
            ...json({ type: "object", properties: { job: { $ref: "#/components/schemas/Job" } } }),
          },
          ...errors(400, 401, 403, 409, 413, 415, 422),
        },
      },
      get: {
        summary: "Job history, newest first",
        security: [{ adminJwt: [] }, { secretKey: [] }],
        parameters: ["connector", "status", "stream", "before", "limit"].map((name) => ({
          name,
          in: "query",
        })),
        responses: { 200: { description: "jobs" }, ...errors(401, 403, 422) },
      },
    },
    "/sync/jobs/{id}": {
      get: {
        summary: "A job with its progress per stream (and its shards, when read in shards)",
        security: [{ adminJwt: [] }, { secretKey: [] }],
        parameters: [{ name: "id", in: "path", required: true }],
        responses: {
          200: { description: "job, progress and, for a sharded read, shards" },
          ...errors(401, 403, 404, 422),
        },
      },
    },
    "/sync/jobs/{id}/cancel": {
      post: {
        summary: "Cancel: a queued job at once (200), a running one at its next page (202)",
        security: [{ adminJwt: [] }, { secretKey: [] }],
        parameters: [{ name: "id", in: "path", required: true }],
        responses: {
          200: { description: "cancelled" },
          202: { description: "cancel requested" },
          ...errors(401, 404, 409),
        },
      },
    },
    "/sync/openapi.json": {
      get: { summary: "This document", responses: { 200: { description: "OpenAPI 3.1" } } },
    },
    "/sync/connectors": { get: admin("Connectors and their streams in dependency order", [200, 401, 403]) },
    "/sync/webhooks/{connector}": {
      post: {
        summary:
          "Signed webhook intake: verified, stored in the inbox by event id, processed as a single-record sync",
        parameters: [{ name: "connector", in: "path", required: true }, { name: "account", in: "query" }],
        responses: {
          200: { description: "duplicate delivery (already received)" },
          202: { description: "received (or ignored: unknown event type)" },
          ...errors(400, 401, 404, 413, 415),
        },
      },
    },
    "/sync/failed-items": {
      get: admin("Failed records (open by default), filterable", [200, 401, 403, 422]),
    },
    "/sync/failed-items/retry": {
      post: admin("Queue a retry job for due failed items", [202, 401, 403, 409, 422]),
    },
    "/sync/failed-items/{id}/resolve": {
      post: admin("Mark a failed item resolved", [200, 401, 403, 404], true),
    },
    "/sync/failed-items/{id}/dismiss": { post: admin("Dismiss a failed item", [200, 401, 403, 404], true) },
    "/sync/stats": {
      get: admin("Runs, success rate, avg/p95 duration, records per run (?days=7)", [200, 401, 403, 422]),
    },
    "/sync/stats/trends": {
      get: admin("Daily series of runs, failures, duration, records", [200, 401, 403, 422]),
    },
    "/sync/stats/failed-items": {
      get: admin("Failed items open vs resolved by connector, stream, class", [200]),
    },
    "/sync/stats/freshness": { get: admin("Time since the last successful sync per stream", [200]) },
    "/sync/stats/integrity": {
      get: admin(
        "Orphan checks (e.g. tickets without their order) and each stream's last completeness result",
        [200],
      ),
    },
    "/sync/stats/recovery": {
      get: admin(
        "Failed-item recovery per connector and stream: retried, recovered, still_failing, given_up, open (?days=7)",
        [200, 401, 403, 422],
      ),
    },
    "/sync/cooldowns": { get: admin("Cool-down per stream, and when the current gap ends", [200, 401, 403]) },
    "/sync/cooldowns/{connector}/{stream}": {
      put: {
        ...admin("Set a stream's cool-down: {seconds} (0 turns it off)", [200, 401, 403, 422]),
        requestBody: json({ $ref: "#/components/schemas/CooldownInput" }),
      },
    },
    "/sync/ops/tick": {
      post: admin(
        "Run the ops tick now (what pg_cron runs every minute: due zoned schedules, automatic retries, alert rules)",
        [200, 401, 403, 422],
      ),
    },
    "/sync/highlevel/ticket-products": {
      get: admin(
        "HighLevel products: HighLevel's state, the team's override, and whether each issues tickets",
        [
          200,
          401,
          403,
        ],
      ),
    },
    "/sync/highlevel/ticket-products/{id}": {
      put: {
        ...admin("Set the ticket override of a product: {ticketType?, active}", [200, 401, 403, 422]),
        parameters: [{ name: "id", in: "path", required: true }],
      },
      delete: {
        ...admin("Clear the override: HighLevel's product state decides again", [200, 401, 403, 404]),
        parameters: [{ name: "id", in: "path", required: true }],
      },
    },
    "/sync/schedules": {
      get: admin("Schedules with their pg_cron job", [200, 401, 403]),
      post: {
        ...admin("Create or change a schedule (kept in step with pg_cron)", [201, 401, 403, 422]),
        requestBody: json({ $ref: "#/components/schemas/ScheduleInput" }),
      },
    },
    "/sync/schedules/{id}": { delete: admin("Remove a schedule and its cron job", [200, 404], true) },
    "/sync/schedules/{id}/enable": { post: admin("Enable a schedule", [200, 404], true) },
    "/sync/schedules/{id}/disable": {
      post: admin("Disable a schedule (its cron job is removed)", [200, 404], true),
    },
    "/sync/schedules/{id}/run": {
      post: admin("Fire a schedule now (enqueued or skipped)", [200, 404], true),
    },
    "/sync/cleanup": {
      post: {
        ...admin("Delete old sync bookkeeping: {days_to_keep, batch_size}", [200, 401, 403, 422]),
        requestBody: json({ $ref: "#/components/schemas/CleanupInput" }),
      },
    },
    "/sync/notifications/settings": {
      get: admin("Notification channels and alert thresholds", [200]),
      patch: {
        ...admin("Change notification settings", [200, 422]),
        requestBody: json({ $ref: "#/components/schemas/NotificationSettingsPatch" }),
      },
    },
    "/sync/irelandpay/metrics": {
      get: admin(
        "Ireland Pay metrics per merchant and month (?mid&from=YYYY-MM&to=YYYY-MM): sales, volume, average ticket, refunds, chargebacks, residuals",
        [200, 401, 403, 422],
      ),
    },
    "/sync/irelandpay/metrics/refresh": {
      post: admin("Recompute the Ireland Pay metrics now (every irelandpay sync does it)", [200, 401, 403]),
    },
    "/sync/promotions": {
      get: admin("Promotion plans with their steps (docs/promotion.md)", [200, 401, 403]),
    },
    "/sync/promotions/{plan}/status": {
      get: admin(
        "Monitoring: roots by outcome, import vs production rows per step, ineligible by reason, failures, orphans",
        [200, 401, 403, 404, 422],
      ),
    },
    "/sync/promotions/{plan}/roots": {
      get: admin("Judged roots with their step logs (?status, ?reason, ?job, ?after, ?limit)", [
        200,
        401,
        403,
        422,
      ]),
    },
    "/sync/promotions/{plan}/roots/{id}": {
      get: admin("One root: outcome, reason or error, step log (stored and as one line)", [
        200,
        401,
        403,
        404,
      ]),
    },
    "/sync/promotions/{plan}/jobs": {
      post: admin("Start a bulk promote job: {since?, until?, ids?, batchSize?} (202)", [
        202,
        401,
        403,
        404,
        409,
        422,
      ]),
    },
    "/sync/bubble/coverage": {
      get: admin(
        "Bubble field-mapping coverage: per type {type, seen, mapped, unmapped[], notSeen[], records}, overall {seen, mapped, percent}",
        [200, 401, 403, 404],
      ),
    },
    "/sync/bubble/model": {
      get: admin("Bubble model: types with level, parents and field mappings; back-links", [
        200,
        401,
        403,
        404,
      ]),
    },
    "/sync/bubble/dangling-links": {
      get: admin("Bubble links naming a thing that is not in its table, per declared link", [200, 404]),
    },
    "/sync/bubble/jobs/{id}/report": {
      get: admin(
        "Step report of a Bubble integrity sync: totals {synced, skipped, failed}, each invoice's steps (?invoice=, ?limit=)",
        [200, 401, 403, 404, 422],
        true,
      ),
    },
    "/sync/jobs/{id}/steps": {
      get: admin("Step log of a single-record job (?after=seq&limit=200)", [200, 401, 403, 422], true),
    },
    "/sync/circuits": { get: admin("Circuit breaker state per source", [200, 401, 403]) },
    "/sync/notifications/deliveries": { get: admin("Recent notifications and their delivery status", [200]) },
    "/sync/notifications/test": {
      post: admin("Send a test message to every configured channel", [200, 401, 403, 422]),
    },
    "/sync/worker": {
      post: {
        summary: "Run queued jobs until the time budget is spent",
        security: [{ workerSecret: [] }, { adminJwt: [] }, { secretKey: [] }],
        responses: { 200: { description: "what was run" }, ...errors(401, 403, 422) },
      },
    },
  },
};

export function openApiRoutes(): Hono {
  const app = new Hono();
  app.get("/openapi.json", (c) => c.json(openApiDocument));
  return app;
}
