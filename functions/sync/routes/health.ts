import { Hono } from "hono";
import type { AppDeps } from "../../_shared/deps.ts";
import {
  compareSchema,
  readSchemaVersion,
  schemaMismatchMessage,
  UPGRADE_COMMAND,
  VERSION,
} from "../../_shared/version.ts";

/**
 * GET /sync/health: is the function up, can it reach Postgres, is the database's schema the one this
 * code was built for, and can the database wake the worker (pg_net + Vault on Supabase; why not, when
 * it cannot). Public, reveals no secret. Answers even when the schema is behind or ahead (then ok is
 * false and schema names the fix), since every other route refuses then.
 */
export function healthRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const started = performance.now();
    try {
      const schema = compareSchema(await readSchemaVersion(deps.sql));
      const rows = await deps.sql<{ ok: boolean; reason: string; changed_at: Date }[]>`
        select ok, reason, changed_at from sync.wake_status`.catch(() => []);
      const wake = rows[0];
      const current = schema.status === "current";
      return c.json({
        ok: current,
        version: VERSION,
        database: "up",
        latencyMs: Math.round(performance.now() - started),
        schema: {
          status: schema.status,
          database: schema.database,
          expected: schema.expected,
          ...(current ? {} : { message: schemaMismatchMessage(schema), fix: UPGRADE_COMMAND }),
        },
        workerWakeUp: wake
          ? { ok: wake.ok, reason: wake.reason, since: wake.changed_at.toISOString() }
          : { ok: null, reason: "no wake-up attempted yet" },
      });
    } catch {
      return c.json({ ok: false, version: VERSION, database: "down" }, 503);
    }
  });
  return app;
}
