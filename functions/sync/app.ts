// Builds the `sync` Edge Function's Hono app. Routes only: the engine does the work.
import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AuthConfig } from "../_shared/api/auth.ts";
import type { Connector } from "../_shared/engine/connector.ts";
import type { Sql } from "../_shared/engine/db.ts";
import { fromDatabaseError, SynclineError } from "../_shared/engine/errors.ts";
import { consoleRoutes } from "./routes/console.ts";
import { failedItemRoutes } from "./routes/failed-items.ts";
import { healthRoutes } from "./routes/health.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { opsRoutes } from "./routes/ops.ts";
import { type WebhookOptions, webhookRoutes } from "./routes/webhooks.ts";
import { workerRoutes } from "./routes/worker.ts";

export interface AppDeps {
  sql: Sql;
  connectors: Record<string, Connector>;
  connectorConfig(connector: string, account: string): Record<string, unknown>;
  auth: AuthConfig;
  budgetMs: number;
  now?: () => number;
  /** Keeps background work alive after the response (EdgeRuntime.waitUntil on Supabase). */
  waitUntil?: (p: Promise<unknown>) => void;
  log?: (line: string) => void;
  /** Webhook settings (keys, body limit, replay window); connector config webhook* keys also work. */
  webhooks?: WebhookOptions;
  /** Origins allowed to call the API from a browser (the dashboard); default: any origin. */
  corsOrigins?: string[];
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono().basePath("/sync");
  // bearer tokens, no cookies: allowing the dashboard's origin exposes nothing without a token
  app.use(
    "*",
    cors({
      origin: deps.corsOrigins ?? "*",
      allowHeaders: ["authorization", "content-type", "x-syncline-client"],
    }),
  );
  app.route("/", healthRoutes(deps));
  app.route("/", openApiRoutes());
  app.route("/", consoleRoutes(deps));
  app.route("/", jobRoutes(deps));
  app.route("/", workerRoutes(deps));
  app.route("/", webhookRoutes(deps));
  app.route("/", failedItemRoutes(deps));
  app.route("/", opsRoutes(deps));

  app.notFound((c) =>
    c.json({
      error: { code: "not_found", message: `No route ${c.req.method} ${new URL(c.req.url).pathname}` },
    }, 404)
  );
  app.onError((thrown, c) => {
    const err = fromDatabaseError(thrown);
    if (err instanceof SynclineError) {
      const body: Record<string, unknown> = { code: err.code, message: err.message };
      if (err.details) body.details = err.details;
      return c.json({ error: body }, err.status as 400);
    }
    (deps.log ?? console.error)(
      `unhandled error on ${c.req.method} ${c.req.path}: ${(err as Error)?.stack ?? err}`,
    );
    return c.json({ error: { code: "internal", message: "Internal error; see the function's logs" } }, 500);
  });
  return app;
}
