// HighLevel records to highlevel.* rows: exactly the table's source-owned columns, every column
// present (null when HighLevel omits it) so each page merges as one uniform batch. Which
// documented field feeds which column is listed in docs/highlevel.md.
import type { HighLevelContact, HighLevelOrder, HighLevelPrice, HighLevelProduct } from "./schemas.ts";

type Row = Record<string, unknown>;
const orNull = <T>(v: T | undefined | null): T | null => v ?? null;
const str = (v: unknown): string | null => typeof v === "string" && v !== "" ? v : null;
const numOrNull = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);
const boolOrNull = (v: boolean | string | null | undefined): boolean | null =>
  v === null || v === undefined ? null : v === true || v === "true";

export function productRow(r: HighLevelProduct): Row {
  return {
    id: r._id,
    location_id: orNull(r.locationId),
    name: orNull(r.name),
    product_type: orNull(r.productType),
    description: orNull(r.description),
    available_in_store: boolOrNull(r.availableInStore),
    created_at: orNull(r.createdAt),
    updated_at: r.updatedAt,
    raw: r,
  };
}

export function priceRow(r: HighLevelPrice): Row {
  return {
    id: r._id,
    product_id: r.product,
    location_id: orNull(r.locationId),
    name: orNull(r.name),
    type: orNull(r.type),
    currency: orNull(r.currency),
    amount: numOrNull(r.amount),
    track_inventory: boolOrNull(r.trackInventory),
    available_quantity: numOrNull(r.availableQuantity),
    allow_out_of_stock_purchases: boolOrNull(r.allowOutOfStockPurchases),
    created_at: orNull(r.createdAt),
    updated_at: orNull(r.updatedAt),
    raw: r,
  };
}

/**
 * The order's contact name: List Orders' `contactName`, else Get Order's `contactSnapshot`
 * (HighLevel's contact record, snake_case: `name`/`full_name`, else first and last name, each
 * falling back to its documented `*_lower_case` form).
 */
export function contactNameOf(r: HighLevelOrder): string | null {
  const listed = str(r.contactName);
  if (listed) return listed;
  const s = (r.contactSnapshot ?? {}) as Record<string, unknown>;
  const whole = str(s.name) ?? str(s.full_name) ?? str(s.fullName);
  if (whole) return whole;
  const first = str(s.first_name) ?? str(s.firstName) ?? str(s.first_name_lower_case);
  const last = str(s.last_name) ?? str(s.lastName) ?? str(s.last_name_lower_case);
  return [first, last].filter(Boolean).join(" ") || null;
}

export function contactEmailOf(r: HighLevelOrder): string | null {
  const s = (r.contactSnapshot ?? {}) as Record<string, unknown>;
  return str(r.contactEmail) ?? str(s.email);
}

/**
 * Payment state from the documented order `status` (HighLevel documents no payment-status field
 * on orders; `paymentStatus` is only a List Orders filter, so an undocumented `paymentStatus` in
 * a record is kept in `raw` and not used): completed -> paid, refunded -> refunded,
 * partially_refunded -> partially_refunded, cancelled/canceled/void/voided -> unpaid,
 * pending/draft/failed -> unpaid; anything else -> null (unknown).
 */
export function paymentStateOf(status: string | null | undefined): string | null {
  switch ((status ?? "").toLowerCase()) {
    case "completed":
      return "paid";
    case "refunded":
      return "refunded";
    case "partially_refunded":
      return "partially_refunded";
    case "cancelled":
    case "canceled":
    case "void":
    case "voided":
    case "pending":
    case "draft":
    case "failed":
      return "unpaid";
    default:
      return null;
  }
}

export function orderRow(r: HighLevelOrder): Row {
  return {
    id: r._id,
    location_id: orNull(r.altId),
    contact_id: orNull(r.contactId),
    contact_name: contactNameOf(r),
    contact_email: contactEmailOf(r),
    status: orNull(r.status),
    payment_status: paymentStateOf(r.status),
    currency: orNull(r.currency),
    amount: numOrNull(r.amount),
    subtotal: numOrNull(r.amountSummary?.subtotal ?? r.subtotal),
    live_mode: boolOrNull(r.liveMode),
    source_type: str(r.source?.type) ?? str(r.sourceType),
    source_name: str(r.source?.name) ?? str(r.sourceName),
    items: r.items ?? [],
    created_at: orNull(r.createdAt),
    updated_at: r.updatedAt,
    raw: r,
  };
}

export function contactRow(r: HighLevelContact): Row {
  return {
    id: r.id,
    location_id: orNull(r.locationId),
    first_name: orNull(r.firstName),
    last_name: orNull(r.lastName),
    email: orNull(r.email),
    phone: orNull(r.phone),
    company_name: orNull(r.companyName),
    type: orNull(r.type),
    tags: orNull(r.tags),
    created_at: orNull(r.dateAdded),
    updated_at: r.dateUpdated ?? r.dateAdded,
    raw: r,
  };
}
