// Bubble paging and filters, pure. A listing pages by offset: the request's cursor is the
// position of the first record, the answer says how many it returned (count) and how many are
// left after them (remaining); the listing ends when remaining is 0.

/** Bubble returns at most this many records per request. */
export const BUBBLE_MAX_LIMIT = 100;
/** The field every Bubble record carries and the connector sorts and filters on. */
export const MODIFIED_DATE = "Modified Date";

export interface BubbleConstraint {
  key: string;
  constraint_type: string;
  value?: unknown;
}

/** Our cursor is Bubble's: the offset of the next record, as a decimal string. */
export function parseBubbleCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d{1,9}$/.test(cursor)) throw new RangeError(`Invalid Bubble cursor "${cursor.slice(0, 40)}"`);
  return Number(cursor);
}

/** Where the listing continues after a page (null: it was the last). */
export function nextBubbleCursor(
  cursor: number,
  count: number,
  remaining: number | undefined,
): string | null {
  // an empty page ends the listing even if remaining disagrees: never loop on the same offset
  if (count <= 0 || !remaining || remaining <= 0) return null;
  return String(cursor + count);
}

/** Constraints of an incremental window on Modified Date (none for a full read). */
export function modifiedWindow(since: Date | null, until: Date | null): BubbleConstraint[] {
  const out: BubbleConstraint[] = [];
  if (since) out.push({ key: MODIFIED_DATE, constraint_type: "greater than", value: since.toISOString() });
  if (until) out.push({ key: MODIFIED_DATE, constraint_type: "less than", value: until.toISOString() });
  return out;
}

/** The type's name in Data API paths: Bubble lowercases it and drops spaces ("Order Item" -> orderitem). */
export function apiTypeName(type: string): string {
  return type.trim().toLowerCase().replace(/\s+/g, "");
}

/** The stream name of a type, in snake case ("Order Item", "orderItem" -> order_item). */
export function streamName(type: string): string {
  return type.trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
