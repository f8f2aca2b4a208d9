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
import { orderStreams } from "../../_shared/engine/connector/mod.ts";
import { ValidationError } from "../../_shared/engine/errors.ts";
import { completenessDb } from "../../_shared/engine/completeness/mod.ts";
import type { AppDeps } from "../../_shared/deps.ts";
import { notifySecrets } from "../../_shared/config.ts";
import {
  EMAIL_ENDPOINTS,
  type EmailProvider,
  isEmailEndpoint,
  type NotifyDeps,
} from "../../_shared/notify/mod.ts";
import { checkTarget, TargetRefused } from "../../_shared/net/target.ts";
import { reconcilableStreams } from "./jobs.ts";

export const Id = z.coerce.number().int().positive();
export const StatsQuery = z.object({ days: DaysBack.default(7), connector: z.string().optional() });
export const TrendsQuery = StatsQuery.extend({ days: DaysBack.default(30) });

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
    const q = query(c, TrendsQuery);
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
  app.patch("/notifications/settings", async (c) => {
    const patch = await jsonBody(c, NotificationSettingsPatch);
    await checkNotificationTargets(sql, patch, deps.notify);
    return c.json({ settings: await ops.updateNotificationSettings(sql, patch) });
  });
  return app;
}

/**
 * Where a saved notification setting may send: the Slack URL to a public https host (after resolving
 * it; http: and local addresses only under SYNCLINE_ALLOW_LOCAL_URLS), the e-mail API URL only to the
 * provider's documented endpoint (another endpoint for the API key only via SYNCLINE_EMAIL_API_URL).
 */
async function checkNotificationTargets(
  sql: AppDeps["sql"],
  patch: NotificationSettingsPatch,
  notify: NotifyDeps | undefined,
): Promise<void> {
  const refuse = (why: string) => new ValidationError(`Cannot save notification settings: ${why}`);
  if (typeof patch.slack_webhook_url === "string") {
    const env = notify?.env?.() ?? notifySecrets();
    try {
      await checkTarget(
        patch.slack_webhook_url,
        { allowLocal: env.allowLocalUrls, resolve: notify?.resolve },
        "slack_webhook_url",
      );
    } catch (err) {
      if (err instanceof TargetRefused) throw refuse(err.message);
      throw err;
    }
  }
  if (typeof patch.email_api_url === "string") {
    let provider = patch.email_provider as EmailProvider | null | undefined;
    if (provider === undefined) {
      provider = ((await ops.getNotificationSettings(sql)) as { email_provider?: EmailProvider | null })
        .email_provider ?? null;
    }
    if (!isEmailEndpoint(patch.email_api_url, provider ?? null)) {
      const list = Object.entries(EMAIL_ENDPOINTS).map(([p, urls]) => `${p}: ${urls.join(", ")}`).join("; ");
      throw refuse(
        `email_api_url: the e-mail API key is sent only to ${
          provider ? `${provider}'s` : "the provider's"
        } documented endpoint (${list}), or to SYNCLINE_EMAIL_API_URL set in the function's environment; ` +
          "never to a URL set through the API",
      );
    }
  }
}
