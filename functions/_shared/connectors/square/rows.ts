// Square records to square.* table rows: exactly the table's source-owned columns, every
// column present (null when Square omits it) so each page merges as one uniform batch.
import type {
  Money,
  SquareCatalogItem,
  SquareCatalogVariation,
  SquareCustomer,
  SquareInventoryCount,
  SquareOrder,
  SquarePayment,
} from "./schemas.ts";

type Row = Record<string, unknown>;

const amount = (m: Money | undefined): number | null => m?.amount ?? null;
const orNull = <T>(v: T | undefined): T | null => v ?? null;

export function customerRow(r: SquareCustomer): Row {
  return {
    id: r.id,
    given_name: orNull(r.given_name),
    family_name: orNull(r.family_name),
    company_name: orNull(r.company_name),
    email_address: orNull(r.email_address),
    phone_number: orNull(r.phone_number),
    reference_id: orNull(r.reference_id),
    creation_source: orNull(r.creation_source),
    version: orNull(r.version),
    created_at: r.created_at,
    updated_at: r.updated_at,
    raw: r,
  };
}

function catalogBase(r: SquareCatalogItem | SquareCatalogVariation): Row {
  return {
    id: r.id,
    is_deleted: r.is_deleted ?? false,
    version: orNull(r.version),
    created_at: orNull(r.created_at),
    updated_at: r.updated_at,
  };
}

export function catalogItemRow(r: SquareCatalogItem): Row {
  const d = r.item_data;
  return {
    ...catalogBase(r),
    name: orNull(d.name),
    description: orNull(d.description),
    category_id: d.reporting_category?.id ?? d.categories?.[0]?.id ?? d.category_id ?? null,
    product_type: orNull(d.product_type),
    present_at_all_locations: orNull(r.present_at_all_locations),
    raw: r,
  };
}

export function catalogVariationRow(r: SquareCatalogVariation): Row {
  const d = r.item_variation_data;
  return {
    ...catalogBase(r),
    item_id: orNull(d.item_id),
    name: orNull(d.name),
    sku: orNull(d.sku),
    pricing_type: orNull(d.pricing_type),
    price_amount: amount(d.price_money),
    price_currency: d.price_money?.currency ?? null,
    ordinal: orNull(d.ordinal),
    raw: r,
  };
}

export function orderRow(r: SquareOrder): Row {
  return {
    id: r.id,
    location_id: r.location_id,
    customer_id: orNull(r.customer_id),
    state: r.state,
    reference_id: orNull(r.reference_id),
    source_name: r.source?.name ?? null,
    version: orNull(r.version),
    currency: r.total_money?.currency ?? null,
    total_amount: amount(r.total_money),
    total_tax_amount: amount(r.total_tax_money),
    total_discount_amount: amount(r.total_discount_money),
    total_tip_amount: amount(r.total_tip_money),
    total_service_charge_amount: amount(r.total_service_charge_money),
    created_at: r.created_at,
    updated_at: r.updated_at,
    closed_at: orNull(r.closed_at),
    raw: r,
  };
}

export function paymentRow(r: SquarePayment): Row {
  const fees = r.processing_fee?.map((f) => f.amount_money?.amount ?? 0);
  return {
    id: r.id,
    location_id: orNull(r.location_id),
    order_id: orNull(r.order_id),
    customer_id: orNull(r.customer_id),
    status: r.status,
    source_type: orNull(r.source_type),
    currency: r.amount_money.currency,
    amount: r.amount_money.amount,
    tip_amount: amount(r.tip_money),
    total_amount: amount(r.total_money),
    refunded_amount: amount(r.refunded_money),
    processing_fee_amount: fees && fees.length > 0 ? fees.reduce((a, b) => a + b, 0) : null,
    receipt_number: orNull(r.receipt_number),
    reference_id: orNull(r.reference_id),
    created_at: r.created_at,
    updated_at: r.updated_at,
    raw: r,
  };
}

export function inventoryCountRow(r: SquareInventoryCount): Row {
  return {
    catalog_object_id: r.catalog_object_id,
    location_id: r.location_id,
    state: r.state,
    catalog_object_type: orNull(r.catalog_object_type),
    quantity: orNull(r.quantity),
    calculated_at: r.calculated_at,
    updated_at: r.calculated_at,
    raw: r,
  };
}

/** Inventory counts have no id of their own: object, location and state make one. */
export function inventoryCountKey(r: SquareInventoryCount): string {
  return `${r.catalog_object_id}:${r.location_id}:${r.state}`;
}
