import { Hono } from "hono";
import { requireAuth } from "../../_shared/api/auth.ts";
import { query } from "../../_shared/api/validate.ts";
import {
  merchantMetrics,
  MetricsQuery,
  refreshMetrics,
} from "../../_shared/connectors/irelandpay/metrics.ts";
import type { AppDeps } from "../../_shared/deps.ts";

/** Ireland Pay metrics per merchant and month (admin): read, and recompute on demand. */
export function irelandpayRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("/irelandpay/*", requireAuth(deps.auth));
  app.get("/irelandpay/metrics", async (c) => {
    const q = query(c, MetricsQuery);
    if (q.from && q.to && q.from > q.to) {
      return c.json({
        error: { code: "invalid_request", message: `"from" (${q.from}) is after "to" (${q.to})` },
      }, 422);
    }
    return c.json({ metrics: await merchantMetrics(deps.sql, q) });
  });
  app.post("/irelandpay/metrics/refresh", async (c) => {
    await refreshMetrics(deps.sql);
    return c.json({ refreshed: true });
  });
  return app;
}
