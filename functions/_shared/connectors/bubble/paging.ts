// Bubble paging and filters, pure. A listing is read in `Created Date` order (ascending), which an
// edit cannot change, by keyset: each page asks for things created at or after the last Created
// Date read (`greater than` one millisecond before it) and skips, by offset, the things of that
// very millisecond it already has. An edit during the read moves nothing, a deletion behind the
// read moves nothing, and a thing created during the read comes last. (Sorting by Modified Date
// with a growing offset skipped a thing whenever one behind the offset was edited.)

/** Bubble returns at most this many records per request. */
export const BUBBLE_MAX_LIMIT = 100;
/** The field the incremental window filters on. */
export const MODIFIED_DATE = "Modified Date";
/** The field listings are ordered and paged by: set once, never moved by an edit. */
export const CREATED_DATE = "Created Date";

export interface BubbleConstraint {
  key: string;
  constraint_type: string;
  value?: unknown;
}

/** Where a listing goes on: after Created Date `after` (ISO), skipping `skip` things of that instant. */
export interface BubbleCursor {
  after: string;
  skip: number;
  /** Things read so far (progress). */
  done: number;
}

/**
 * Our cursor: JSON {after, skip, done}; null is the start. An offset cursor of the former
 * Modified-Date paging ("200") cannot be translated, so the read starts over (merges are
 * idempotent: at worst a page is merged twice).
 */
export function parseBubbleCursor(cursor: string | null): BubbleCursor | null {
  if (cursor === null || /^\d{1,9}$/.test(cursor)) return null;
  let c: Partial<BubbleCursor>;
  try {
    c = JSON.parse(cursor);
  } catch {
    throw new RangeError(`Invalid Bubble cursor "${cursor.slice(0, 60)}"`);
  }
  if (
    typeof c?.after !== "string" || Number.isNaN(Date.parse(c.after)) ||
    !Number.isInteger(c.skip) || c.skip! < 0 || !Number.isInteger(c.done) || c.done! < 0
  ) {
    throw new RangeError(`Invalid Bubble cursor "${cursor.slice(0, 60)}"`);
  }
  return { after: c.after, skip: c.skip!, done: c.done! };
}

/** The constraint and offset that continue a listing from a cursor. */
export function keysetQuery(
  cursor: BubbleCursor | null,
): { constraints: BubbleConstraint[]; offset: number } {
  if (!cursor) return { constraints: [], offset: 0 };
  const justBefore = new Date(Date.parse(cursor.after) - 1).toISOString();
  return {
    constraints: [{ key: CREATED_DATE, constraint_type: "greater than", value: justBefore }],
    offset: cursor.skip,
  };
}

/**
 * Where the listing continues after a page (null: it was the last). `created` are the page's
 * Created Dates in the order returned; `remaining` is Bubble's count of things after the page.
 */
export function nextBubbleCursor(
  cursor: BubbleCursor | null,
  created: (string | undefined)[],
  remaining: number | undefined,
): string | null {
  // an empty page ends the listing even if remaining disagrees: never loop on the same place
  if (created.length === 0 || !remaining || remaining <= 0) return null;
  // things without a readable Created Date (never seen from Bubble) are read, not paged after
  const times = created.map((c) => (c === undefined ? NaN : Date.parse(c))).filter((t) => !Number.isNaN(t));
  if (times.length === 0) {
    throw new RangeError("A page of Bubble things without a Created Date cannot be paged after");
  }
  const last = times.at(-1)!;
  const stillThere = cursor !== null && Date.parse(cursor.after) === last;
  const next: BubbleCursor = {
    after: new Date(last).toISOString(),
    // the things of that instant read so far: a page that did not get past the cursor's instant
    // adds to what the cursor skipped
    skip: (stillThere ? cursor.skip : 0) + times.filter((t) => t === last).length,
    done: (cursor?.done ?? 0) + created.length,
  };
  return JSON.stringify(next);
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
