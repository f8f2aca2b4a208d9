// HighLevel connector settings: validated once at the edge, typed everywhere after.
import { z } from "zod";
import { parseConfig } from "../../engine/connector/mod.ts";

export const HIGHLEVEL_BASE_URL = "https://services.leadconnectorhq.com";
/** API version every request pins (Version header). */
export const HIGHLEVEL_VERSION = "2021-07-28";

export const highlevelConfigSchema = z.looseObject({
  /** Private integration token or OAuth access token of the sub-account (location). */
  accessToken: z.string().min(1),
  /** The sub-account (location) synced. */
  locationId: z.string().min(1),
  baseUrl: z.url().optional(),
  apiVersion: z.string().min(1).optional(),
  /**
   * Compatibility: also send `altType` (e.g. "location") on the order routes. The current docs
   * list only `altId` (altType was dropped from Get Order in 2025-09 and from List Orders in
   * 2026-05); set this for an API that still requires it (env HIGHLEVEL_ORDER_ALT_TYPE).
   */
  orderAltType: z.string().min(1).optional(),
  /** Orders re-read by id at once (each still takes a rate-limit token). */
  orderReadConcurrency: z.coerce.number().int().min(1).max(16).optional(),
});
export type HighLevelConfig = z.infer<typeof highlevelConfigSchema>;

export function parseHighLevelConfig(config: Record<string, unknown>): HighLevelConfig {
  return parseConfig("HighLevel", highlevelConfigSchema, config);
}

export function highlevelHeaders(config: Record<string, unknown>): Record<string, string> {
  const c = parseHighLevelConfig(config);
  return { authorization: `Bearer ${c.accessToken}`, version: c.apiVersion ?? HIGHLEVEL_VERSION };
}
