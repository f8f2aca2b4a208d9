import { Hono } from "hono";
import type { AppDeps } from "../../_shared/deps.ts";

/**
 * GET /sync/health: is the function up, can it reach Postgres, and can the database wake the
 * worker (pg_net + Vault on Supabase; why not, when it cannot). Public, reveals no secret.
 */
export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const started = performance.now();
    try {
      const rows = await deps.sql<{ ok: boolean; reason: string; changed_at: Date }[]>`
        select ok, reason, changed_at from sync.wake_status`;
      const wake = rows[0];
      return c.json({
        ok: true,
        database: "up",
        latencyMs: Math.round(performance.now() - started),
        workerWakeUp: wake
          ? { ok: wake.ok, reason: wake.reason, since: wake.changed_at.toISOString() }
          : { ok: null, reason: "no wake-up attempted yet" },
      });
    } catch {
      return c.json({ ok: false, database: "down" }, 503);
    }
  });
  return app;
}
