import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import {
  CleanupInput,
  CooldownInput,
  DaysBack,
  NotificationSettingsPatch,
  ops,
  ScheduleInput,
  TickInput,
} from "../../_shared/ops/mod.ts";
import { orderStreams } from "../../_shared/engine/connector.ts";
import { ValidationError } from "../../_shared/engine/errors.ts";
import { completenessDb } from "../../_shared/engine/completeness_check.ts";
import type { AppDeps } from "../../_shared/deps.ts";
import { reconcilableStreams } from "./jobs.ts";

const Id = z.coerce.number().int().positive();
const StatsQuery = z.object({ days: DaysBack.default(7), connector: z.string().optional() });

/** Operations, admin only: stats, schedules (kept in step with pg_cron), cleanup, notifications. */
export function opsRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const sql = deps.sql;
  const paths = ["/stats", "/stats/*", "/schedules", "/schedules/*", "/cleanup", "/notifications/*"];
  for (const path of [...paths, "/cooldowns", "/cooldowns/*", "/ops/*"]) {
    app.use(path, requireAuth(deps.auth));
  }

  app.get("/stats", async (c) => c.json({ stats: await ops.getSyncStats(sql, query(c, StatsQuery).days) }));
  app.get("/stats/trends", async (c) => {
    const q = query(c, StatsQuery.extend({ days: DaysBack.default(30) }));
    return c.json({ trends: await ops.getPerformanceTrends(sql, q.days, q.connector ?? null) });
  });
  app.get("/stats/failed-items", async (c) => c.json({ summary: await ops.getFailedItemsSummary(sql) }));
  app.get("/stats/freshness", async (c) => c.json({ freshness: await ops.getDataFreshness(sql) }));
  app.get(
    "/stats/integrity",
    async (c) =>
      c.json({ checks: await ops.checkIntegrity(sql), completeness: await completenessDb.latest(sql) }),
  );
  app.get(
    "/stats/recovery",
    async (c) => c.json({ recovery: await ops.getRecoveryStats(sql, query(c, StatsQuery).days) }),
  );

  app.get("/cooldowns", async (c) => c.json({ cooldowns: await ops.listCooldowns(sql) }));
  app.put("/cooldowns/:connector/:stream", async (c) => {
    const connector = c.req.param("connector");
    const def = Object.hasOwn(deps.connectors, connector) ? deps.connectors[connector] : undefined;
    if (!def) {
      throw new ValidationError(
        `Unknown connector "${connector}" (available: ${Object.keys(deps.connectors).join(", ")})`,
      );
    }
    const stream = c.req.param("stream");
    if (!def.streams.some((s) => s.name === stream)) {
      throw new ValidationError(`Connector "${connector}" has no stream "${stream}"`);
    }
    const { seconds } = await jsonBody(c, CooldownInput);
    return c.json({ cooldown: await ops.setCooldown(sql, connector, stream, seconds) });
  });
  app.post(
    "/ops/tick",
    async (c) => {
      await jsonBody(c, TickInput);
      return c.json({ tick: await ops.opsTick(sql) });
    },
  );

  app.get("/schedules", async (c) => c.json({ schedules: await ops.listSchedules(sql) }));
  app.post("/schedules", async (c) => {
    const input = await jsonBody(c, ScheduleInput.strict());
    const connector = deps.connectors[input.connector];
    if (!connector) {
      throw new ValidationError(
        `Unknown connector "${input.connector}" (available: ${Object.keys(deps.connectors).join(", ")})`,
      );
    }
    try {
      const streams = orderStreams(connector, input.streams).map((s) => s.name); // else it fails at 02:00
      // a reconcile of a stream that cannot list its ids is refused now, as POST /jobs refuses it
      if (input.mode === "reconcile") reconcilableStreams(connector, streams, true);
    } catch (err) {
      throw new ValidationError(`Cannot save schedule "${input.name}": ${(err as Error).message}`);
    }
    return c.json({ schedule: await ops.upsertSchedule(sql, input) }, 201);
  });
  app.post(
    "/schedules/:id/enable",
    async (c) =>
      c.json({
        schedule: await ops.setScheduleEnabled(sql, parseWith(Id, c.req.param("id"), "schedule id"), true),
      }),
  );
  app.post(
    "/schedules/:id/disable",
    async (c) =>
      c.json({
        schedule: await ops.setScheduleEnabled(sql, parseWith(Id, c.req.param("id"), "schedule id"), false),
      }),
  );
  app.post(
    "/schedules/:id/run",
    async (c) => c.json({ run: await ops.runSchedule(sql, parseWith(Id, c.req.param("id"), "schedule id")) }),
  );
  app.delete(
    "/schedules/:id",
    async (c) =>
      c.json({ schedule: await ops.removeSchedule(sql, parseWith(Id, c.req.param("id"), "schedule id")) }),
  );

  app.post(
    "/cleanup",
    async (c) => c.json({ deleted: await ops.cleanupOldSyncData(sql, await jsonBody(c, CleanupInput)) }),
  );

  app.get(
    "/notifications/settings",
    async (c) => c.json({ settings: await ops.getNotificationSettings(sql) }),
  );
  app.patch(
    "/notifications/settings",
    async (c) =>
      c.json({
        settings: await ops.updateNotificationSettings(sql, await jsonBody(c, NotificationSettingsPatch)),
      }),
  );
  return app;
}
