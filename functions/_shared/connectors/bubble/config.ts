// Bubble connector settings: validated once at the edge, typed everywhere after. Env form:
// BUBBLE_API_TOKEN, BUBBLE_APP_URL, BUBBLE_TYPES (comma-separated) -> apiToken, appUrl, types.
import { z } from "zod";
import { parseConfig } from "../../engine/connector/mod.ts";

/** Placeholder base of the HTTP client: every Bubble request is built from appUrl (or baseUrl). */
export const BUBBLE_BASE_URL = "https://bubble.io";

/** A comma-separated list (the env form) or an array of Bubble type names. */
const typeList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string().trim().min(1)).min(1),
);

export const bubbleConfigSchema = z.looseObject({
  /** Data API token (Settings > API > API tokens); sent as a bearer token. */
  apiToken: z.string().min(1),
  /** The app root: https://myapp.bubbleapps.io, .../version-test, or the live custom domain. */
  appUrl: z.url().optional(),
  /** Replaces appUrl (fake servers in tests). */
  baseUrl: z.url().optional(),
  /** The Bubble types this account syncs; when given, every stream read must be one of them. */
  types: typeList.optional(),
}).refine((c) => c.appUrl !== undefined || c.baseUrl !== undefined, {
  path: ["appUrl"],
  message: "appUrl is required (the Bubble app root, e.g. https://myapp.bubbleapps.io)",
});
export type BubbleConfig = z.infer<typeof bubbleConfigSchema>;

export function parseBubbleConfig(config: Record<string, unknown>): BubbleConfig {
  return parseConfig("Bubble", bubbleConfigSchema, config);
}

export function bubbleHeaders(config: Record<string, unknown>): Record<string, string> {
  return { authorization: `Bearer ${parseBubbleConfig(config).apiToken}` };
}

/** The Data API object root of the app: <appUrl or baseUrl>/api/1.1/obj. */
export function objRoot(config: BubbleConfig): string {
  return `${(config.baseUrl ?? config.appUrl)!.replace(/\/+$/, "")}/api/1.1/obj`;
}
