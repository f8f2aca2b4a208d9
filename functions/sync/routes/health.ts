import { Hono } from "hono";
import type { AppDeps } from "../app.ts";

/** GET /sync/health: is the function up and can it reach Postgres. Public, reveals nothing. */
export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const started = performance.now();
    try {
      await deps.sql`select 1`;
      return c.json({ ok: true, database: "up", latencyMs: Math.round(performance.now() - started) });
    } catch {
      return c.json({ ok: false, database: "down" }, 503);
    }
  });
  return app;
}
