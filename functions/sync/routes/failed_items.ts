import { Hono } from "hono";
import { z } from "zod";
import { requireAuth } from "../../_shared/api/auth.ts";
import { jsonBody, parseWith, query } from "../../_shared/api/validate.ts";
import { db } from "../../_shared/engine/queue/mod.ts";
import { ValidationError } from "../../_shared/engine/errors.ts";
import { reliabilityDb } from "../../_shared/engine/records/mod.ts";
import type { AppDeps } from "../../_shared/deps.ts";

export const ListQuery = z.object({
  connector: z.string().optional(),
  account: z.string().optional(),
  stream: z.string().optional(),
  /** open (unresolved, given up included), permanent (given up: no more automatic retries), ... */
  status: z.enum(["open", "permanent", "resolved", "dismissed", "all"]).default("open"),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const RetryBody = z.object({
  connector: z.string().min(1),
  account: z.string().min(1).max(200).default("default"),
  /** Only these items (due or not); default: every item whose backoff is over. */
  ids: z.array(z.number().int().positive()).min(1).max(1000).optional(),
}).strict();

export const ItemId = z.coerce.number().int().positive();

/** Failed items: list, retry (a retry job), resolve or dismiss. Admin only. */
export function failedItemRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("/failed-items", requireAuth(deps.auth));
  app.use("/failed-items/*", requireAuth(deps.auth));

  app.get("/failed-items", async (c) => {
    const q = query(c, ListQuery);
    const items = await reliabilityDb.listFailedItems(deps.sql, q);
    return c.json({ items, next: items.length === q.limit ? items[items.length - 1].id : null });
  });

  // Starts a retry job for the streams that have (due or named) open failed items: 202.
  app.post("/failed-items/retry", async (c) => {
    const body = await jsonBody(c, RetryBody);
    if (!deps.connectors[body.connector]) {
      throw new ValidationError(
        `Unknown connector "${body.connector}" (available: ${Object.keys(deps.connectors).join(", ")})`,
      );
    }
    const streams = await reliabilityDb.streamsWithFailedItems(
      deps.sql,
      body.connector,
      body.account,
      body.ids,
    );
    if (streams.length === 0) {
      return c.json({ job: null, message: `No failed items of "${body.connector}" are due for a retry` });
    }
    const caller = c.get("caller");
    const job = await db.createJob(deps.sql, {
      connector: body.connector,
      account: body.account,
      streams,
      mode: "retry",
      options: body.ids ? { failedItemIds: body.ids } : {},
      trigger: "retry",
      requestedBy: caller?.subject ?? null,
    });
    return c.json({ job }, 202, { location: `/sync/jobs/${job.id}` });
  });

  for (const action of ["resolve", "dismiss"] as const) {
    app.post(`/failed-items/:id/${action}`, async (c) => {
      const id = parseWith(ItemId, c.req.param("id"), "failed item id");
      const item = await reliabilityDb.closeFailedItem(
        deps.sql,
        id,
        action === "resolve" ? "resolved" : "dismissed",
      );
      return c.json({ item });
    });
  }
  return app;
}
