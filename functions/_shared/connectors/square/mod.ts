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
  // Square answers 401 (UNAUTHORIZED, ACCESS_TOKEN_EXPIRED, ACCESS_TOKEN_REVOKED) for a bad token and
  // 403 INSUFFICIENT_SCOPES naming the scope the seller must grant (developer.squareup.com, Handling Errors)
  operator: {
    vendor: "Square",
    credential: "access token",
    credentialKeys: ["accessToken"],
    renew: "re-authorise the account",
    forbidden: "re-authorise the account with the scope Square names (or use a token that has it), " +
      "or leave this stream out of the job",
    notFound: "check SQUARE_LOCATION_IDS (a location that no longer exists) and SQUARE_BASE_URL",
  },
};

export { parseSquareConfig, SQUARE_VERSION, type SquareConfig } from "./config.ts";
