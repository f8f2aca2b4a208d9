// The HighLevel connector: products, contacts and orders of one sub-account (location); orders
// of configured ticket products become tickets in Postgres (sql/highlevel.sql).
import type { Connector } from "../../engine/connector.ts";
import { HIGHLEVEL_BASE_URL, highlevelHeaders } from "./config.ts";
import { highlevelStreams } from "./streams.ts";

export const highlevelConnector: Connector = {
  name: "highlevel",
  baseUrl: HIGHLEVEL_BASE_URL,
  streams: highlevelStreams,
  pageSize: 100,
  headers: highlevelHeaders,
};

export { HIGHLEVEL_VERSION, type HighLevelConfig, parseHighLevelConfig } from "./config.ts";
