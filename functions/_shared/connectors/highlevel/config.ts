// HighLevel connector settings: validated once at the edge, typed everywhere after.
import { z } from "zod";
import { parseConfig } from "../../engine/connector.ts";

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
});
export type HighLevelConfig = z.infer<typeof highlevelConfigSchema>;

export function parseHighLevelConfig(config: Record<string, unknown>): HighLevelConfig {
  return parseConfig("HighLevel", highlevelConfigSchema, config);
}

export function highlevelHeaders(config: Record<string, unknown>): Record<string, string> {
  const c = parseHighLevelConfig(config);
  return { authorization: `Bearer ${c.accessToken}`, version: c.apiVersion ?? HIGHLEVEL_VERSION };
}
