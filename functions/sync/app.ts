// Builds the `sync` Edge Function's Hono app. Routes only: the engine does the work.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { AppDeps } from "../_shared/deps.ts";
import { integrityError } from "../_shared/api/db_errors.ts";
import { fromDatabaseError, SynclineError } from "../_shared/engine/errors.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { bubbleRoutes } from "./routes/bubble.ts";
import { consoleRoutes } from "./routes/console.ts";
import { failedItemRoutes } from "./routes/failed_items.ts";
import { healthRoutes } from "./routes/health.ts";
import { irelandpayRoutes } from "./routes/irelandpay.ts";
import { highlevelRoutes } from "./routes/highlevel.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { opsRoutes } from "./routes/ops.ts";
import { promotionRoutes } from "./routes/promotion.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { workerRoutes } from "./routes/worker.ts";
import {
  readSchemaVersion,
  schemaGate,
  schemaMismatchMessage,
  UPGRADE_COMMAND,
  VERSION,
} from "../_shared/version.ts";

export type { AppDeps };

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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
  // a database whose schema is not the one this code was built for (behind or ahead) gets no request
  // but health: every route answers 503 naming both versions and the fix (checked once, then cached)
  const schema = deps.schemaCheck ?? schemaGate(() => readSchemaVersion(deps.sql));
  app.use("*", async (c, next) => {
    if (c.req.path === "/sync/health") return next();
    let check;
    try {
      check = await schema();
    } catch {
      return next(); // the database is unreachable: the route reports that itself
    }
    if (check.status === "current") return next();
    return c.json({
      error: {
        code: "schema_mismatch",
        message: schemaMismatchMessage(check),
        details: {
          status: check.status,
          version: VERSION,
          schemaVersion: { database: check.database, expected: check.expected },
          fix: UPGRADE_COMMAND,
        },
      },
    }, 503);
  });
  // read at most maxBodyBytes of any admin request, before auth: a 150 MB POST costs 1 MiB, not the heap
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBody,
    onError: (c) =>
      c.json({
        error: { code: "payload_too_large", message: `Request body is over the ${maxBody}-byte limit` },
      }, 413),
  });
  app.use("*", (c, next) => c.req.path.startsWith("/sync/webhooks/") ? next() : limit(c, next));
  app.route("/", healthRoutes(deps));
  app.route("/", openApiRoutes(deps.publicPathPrefix));
  app.route("/", consoleRoutes(deps));
  app.route("/", jobRoutes(deps));
  app.route("/", workerRoutes(deps));
  app.route("/", webhookRoutes(deps));
  app.route("/", failedItemRoutes(deps));
  app.route("/", opsRoutes(deps));
  app.route("/", irelandpayRoutes(deps));
  app.route("/", promotionRoutes(deps));
  app.route("/", bubbleRoutes(deps));
  app.route("/", highlevelRoutes(deps));
  app.route("/", accountRoutes(deps));

  app.notFound((c) =>
    c.json({
      error: { code: "not_found", message: `No route ${c.req.method} ${new URL(c.req.url).pathname}` },
    }, 404)
  );
  app.onError((thrown, c) => {
    const err = integrityError(thrown) ?? fromDatabaseError(thrown);
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
