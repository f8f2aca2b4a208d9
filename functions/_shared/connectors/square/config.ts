// Square connector settings: validated once at the edge, typed everywhere after.
import { z } from "zod";
import { parseConfig } from "../../engine/connector/mod.ts";

/** The Square API version every request pins (Square-Version header); config may override it. */
export const SQUARE_VERSION = "2026-09-16";
export const SQUARE_BASE_URL = "https://connect.squareup.com";
/** ListPayments filters on created_at and defaults to the last year: ask for everything. */
export const PAYMENTS_BEGIN_TIME = "2000-01-01T00:00:00Z";

export const squareConfigSchema = z.looseObject({
  accessToken: z.string().min(1),
  baseUrl: z.url().optional(),
  /** Locations to read orders and payments for; default: every location the token sees. */
  locationIds: z.array(z.string().min(1)).min(1).optional(),
  squareVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  paymentsBeginTime: z.iso.datetime({ offset: true }).optional(),
  /** A promotion plan (sql/promotion_square.sql) to run right after each page lands; off when unset. */
  promotionPlan: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
});
export type SquareConfig = z.infer<typeof squareConfigSchema>;

export function parseSquareConfig(config: Record<string, unknown>): SquareConfig {
  return parseConfig("Square", squareConfigSchema, config);
}

export function squareHeaders(config: Record<string, unknown>): Record<string, string> {
  const c = parseSquareConfig(config);
  return {
    authorization: `Bearer ${c.accessToken}`,
    "square-version": c.squareVersion ?? SQUARE_VERSION,
  };
}
