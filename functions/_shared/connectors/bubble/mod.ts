// The Bubble connector: the things of configured Bubble data types, each type one stream, all
// landing in bubble.records (sql/bubble.sql) as (type, id, created_at, modified_at, raw).
// Bubble apps define their own types, so the streams come from a type list: bubbleConnector(types)
// for any list, bubbleDefault (registered) for BUBBLE_TYPES read at start-up.
import type { Connector } from "../../engine/connector.ts";
import { BUBBLE_BASE_URL, bubbleHeaders } from "./config.ts";
import { bubbleStreams } from "./streams.ts";

/** Types of bubbleDefault when BUBBLE_TYPES is unset or unreadable. */
export const DEFAULT_BUBBLE_TYPES = ["user"];

export function bubbleConnector(types: string[]): Connector {
  return {
    name: "bubble",
    baseUrl: BUBBLE_BASE_URL,
    streams: bubbleStreams(types),
    pageSize: 100,
    headers: bubbleHeaders,
  };
}

/** Types from BUBBLE_TYPES (comma-separated); the default without it or without env permission. */
export function bubbleTypesFromEnv(
  read: (name: string) => string | undefined = (n) => Deno.env.get(n),
): string[] {
  let value: string | undefined;
  try {
    value = read("BUBBLE_TYPES");
  } catch {
    value = undefined; // no env permission (the registry is built at import time)
  }
  const types = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return types.length ? types : [...DEFAULT_BUBBLE_TYPES];
}

/**
 * The registered Bubble connector. A BUBBLE_TYPES that makes no valid connector (two types with
 * the same stream name) is reported and falls back to the default types, so a Bubble setting can
 * never take the other connectors down with it.
 */
export const bubbleDefault: Connector = (() => {
  try {
    return bubbleConnector(bubbleTypesFromEnv());
  } catch (err) {
    console.error(`BUBBLE_TYPES ignored: ${(err as Error).message}; using ${DEFAULT_BUBBLE_TYPES.join(",")}`);
    return bubbleConnector([...DEFAULT_BUBBLE_TYPES]);
  }
})();

export { type BubbleConfig, parseBubbleConfig } from "./config.ts";
export { apiTypeName, streamName } from "./paging.ts";
