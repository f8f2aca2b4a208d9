// HighLevel records to highlevel.* rows: exactly the table's source-owned columns, every column
// present (null when HighLevel omits it) so each page merges as one uniform batch.
import type { HighLevelContact, HighLevelOrder, HighLevelProduct } from "./schemas.ts";

type Row = Record<string, unknown>;
const orNull = <T>(v: T | undefined | null): T | null => v ?? null;

export function productRow(r: HighLevelProduct): Row {
  return {
    id: r._id,
    location_id: orNull(r.locationId),
    name: orNull(r.name),
    product_type: orNull(r.productType),
    description: orNull(r.description),
    available_in_store: orNull(r.availableInStore),
    created_at: orNull(r.createdAt),
    updated_at: r.updatedAt,
    raw: r,
  };
}

export function orderRow(r: HighLevelOrder): Row {
  return {
    id: r._id,
    location_id: orNull(r.altId),
    contact_id: orNull(r.contactId),
    contact_name: orNull(r.contactName),
    contact_email: orNull(r.contactEmail),
    status: orNull(r.status),
    payment_status: orNull(r.paymentStatus),
    currency: orNull(r.currency),
    amount: orNull(r.amount),
    subtotal: orNull(r.subtotal),
    live_mode: orNull(r.liveMode),
    source_type: orNull(r.sourceType),
    source_name: orNull(r.sourceName),
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
    updated_at: r.dateUpdated,
    raw: r,
  };
}
