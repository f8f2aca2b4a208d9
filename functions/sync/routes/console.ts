// Small read endpoints the operator console needs beside the rest of the API: a single-record
// job's step log, circuit breakers per source, recent notification deliveries, and a test
// notification. Admin only.
import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { parseWith, query } from "../../_shared/api/validate.ts";
import { ValidationError } from "../../_shared/engine/errors.ts";
import {
  configuredChannels,
  loadNotifySettings,
  type NotificationKind,
  sendToChannel,
} from "../../_shared/notify/mod.ts";
import type { AppDeps } from "../../_shared/deps.ts";
import { explainError } from "../../_shared/failures.ts";

export const JobId = z.coerce.number().int().positive();
export const StepsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const num = (row: Record<string, unknown>, keys: string[]) => {
  const out = { ...row };
  for (const k of keys) if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
  return out;
};

export function consoleRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const sql = deps.sql;
  for (const path of ["/jobs/:id/steps", "/circuits", "/notifications/deliveries", "/notifications/test"]) {
    app.use(path, requireAuth(deps.auth));
  }

  // The step log of a single-record sync, oldest first; `after` pages on from a seq.
  app.get("/jobs/:id/steps", async (c) => {
    const id = parseWith(JobId, c.req.param("id"), "job id");
    const q = query(c, StepsQuery);
    const rows = await sql`select job_id, seq, stream, item_key, step, status, detail, at from sync.job_steps
      where job_id = ${id} and seq > ${q.after} order by seq limit ${q.limit}`;
    return c.json({ steps: rows.map((r) => num(r, ["job_id", "seq"])) });
  });

  app.get("/circuits", async (c) => {
    const rows = await sql`select source, state, failures, opened_at, retry_at, last_error, updated_at
      from sync.circuit_breakers order by source`;
    // the last error in the operator's words; a source is "<connector>/<account or location>"
    const words = (source: string, error: string | null) => {
      if (!error) return null;
      const connector = source.split("/")[0];
      const help = Object.hasOwn(deps.connectors, connector)
        ? deps.connectors[connector].operator
        : undefined;
      return explainError(connector, error, help);
    };
    return c.json({
      circuits: rows.map((r) => ({ ...num(r, ["failures"]), failure: words(r.source, r.last_error) })),
    });
  });

  app.get("/notifications/deliveries", async (c) => {
    const q = query(c, DeliveriesQuery);
    const rows = await sql`select id, kind, source, status, attempts, delivered_channels, last_error,
      suppressed_reason, created_at, sent_at from sync.notifications order by id desc limit ${q.limit}`;
    return c.json({ deliveries: rows.map((r) => num(r, ["id", "attempts"])) });
  });

  // Sends a test message to every configured channel now and says what each answered.
  app.post("/notifications/test", async (c) => {
    const settings = await loadNotifySettings(sql, deps.notify?.env?.(), { resolve: deps.notify?.resolve });
    const channels = configuredChannels(settings);
    if (channels.length === 0) {
      throw new ValidationError(
        "No notification channel is configured: set slack_webhook_url, or an email provider with SYNCLINE_EMAIL_API_KEY",
      );
    }
    const caller = c.get("caller");
    const note = {
      id: 0,
      kind: "test" as NotificationKind,
      source: "console",
      payload: {
        message: "Test notification from the Syncline console",
        requested_by: caller?.subject ?? null,
      },
      attempts: 0,
      delivered_channels: [],
      created_at: new Date().toISOString(),
    };
    const results = [];
    for (const channel of channels) {
      try {
        await sendToChannel(channel, note, settings);
        results.push({ channel, ok: true });
      } catch (err) {
        // sendToChannel's texts are already redacted: status, host and a short reason
        results.push({ channel, ok: false, error: (err as Error).message });
      }
    }
    return c.json({ results });
  });
  return app;
}
