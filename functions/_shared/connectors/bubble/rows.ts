// Bubble records to bubble.records rows: every column present so each page merges as one batch.
import type { BubbleRecord } from "./schemas.ts";

export function recordRow(type: string, r: BubbleRecord): Record<string, unknown> {
  return {
    type,
    id: r._id,
    created_at: r["Created Date"] ?? null,
    modified_at: r["Modified Date"],
    raw: r,
  };
}
