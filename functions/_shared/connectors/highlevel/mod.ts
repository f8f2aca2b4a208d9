// The HighLevel connector: products (and their prices), contacts and orders of one sub-account
// (location); order line items of products that issue tickets become tickets in Postgres
// (sql/highlevel.sql).
import type { Connector } from "../../engine/connector.ts";
import { HIGHLEVEL_BASE_URL, highlevelHeaders } from "./config.ts";
import { highlevelGuardKey, highlevelRetryAfter } from "./rate_limit.ts";
import { highlevelStreams } from "./streams.ts";

export const highlevelConnector: Connector = {
  name: "highlevel",
  baseUrl: HIGHLEVEL_BASE_URL,
  streams: highlevelStreams,
  pageSize: 100,
  headers: highlevelHeaders,
  guardKey: highlevelGuardKey,
  retryAfterHint: highlevelRetryAfter,
};

export { HIGHLEVEL_VERSION, type HighLevelConfig, parseHighLevelConfig } from "./config.ts";
