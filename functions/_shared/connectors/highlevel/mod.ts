// The HighLevel connector: products (and their prices), contacts and orders of one sub-account
// (location); order line items of products that issue tickets become tickets in Postgres
// (sql/highlevel.sql; tickets: sql/highlevel_tickets.sql).
import type { Connector } from "../../engine/connector/mod.ts";
import { HIGHLEVEL_BASE_URL, highlevelHeaders } from "./config.ts";
import { highlevelGuardKey, highlevelRetryAfter } from "./rate_limit.ts";
import { highlevelStreams } from "./streams.ts";
import { highlevelProvider } from "./webhooks.ts";

export const highlevelConnector: Connector = {
  name: "highlevel",
  baseUrl: HIGHLEVEL_BASE_URL,
  streams: highlevelStreams,
  pageSize: 100,
  headers: highlevelHeaders,
  guardKey: highlevelGuardKey,
  retryAfterHint: highlevelRetryAfter,
  // HighLevel documents 100 requests per 10 s per location (and 200,000 a day); at most 10 in any
  // second is our own smoothing, ~9.7/s sustained (docs/highlevel.md "Rate limit")
  rateLimit: { requests: 100, windowMs: 10_000, burst: 10 },
  // HighLevel records carry free-form numbers (custom fields, meta) that may pass 2^53
  exactIntegers: true,
  webhooks: highlevelProvider,
  // a Private Integration token (or an OAuth token) of one sub-account; HighLevel answers 401 for a bad
  // token and for one without the endpoint's scope ("not authorized for this scope")
  operator: {
    vendor: "HighLevel",
    credential: "access token",
    credentialKeys: ["accessToken"],
    renew: "create a new Private Integration token in the sub-account (Settings > Private Integrations)",
    forbidden:
      "give the token the scopes docs/highlevel.md lists (Settings > Private Integrations) and check " +
      "HIGHLEVEL_LOCATION_ID is the token's sub-account",
    notFound: "check HIGHLEVEL_LOCATION_ID (the sub-account's id) and HIGHLEVEL_BASE_URL",
  },
};

export { HIGHLEVEL_VERSION, type HighLevelConfig, parseHighLevelConfig } from "./config.ts";
