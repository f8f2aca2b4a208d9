// The Square connector: locations, customers, catalog, orders, payments and inventory counts.
import type { Connector } from "../../engine/connector/mod.ts";
import { promotionHook } from "../../promotion/hook.ts";
import { SQUARE_BASE_URL, squareHeaders } from "./config.ts";
import { squareStreams } from "./streams.ts";
import { squareProvider } from "./webhooks.ts";

export const squareConnector: Connector = {
  name: "square",
  baseUrl: SQUARE_BASE_URL,
  streams: squareStreams,
  // streams clamp this to their endpoint's maximum (orders 500, payments and customers 100)
  pageSize: 500,
  headers: squareHeaders,
  // Square publishes no rate limit: 20 requests/s is our conservative default (docs/square.md)
  rateLimit: { requests: 20, windowMs: 1_000 },
  webhooks: squareProvider,
  // staged promotion (SQUARE_PROMOTION_PLAN=square_event_sales): each page's roots right after it lands
  afterCommit: promotionHook(),
};

export { parseSquareConfig, SQUARE_VERSION, type SquareConfig } from "./config.ts";
