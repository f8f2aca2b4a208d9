// zod shapes of the Square API records we read. Unknown fields pass through (they land in
// `raw`); only the fields we map to columns are checked, so a new Square field never breaks a sync.
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });

export const moneySchema = z.looseObject({
  amount: z.number().int(),
  currency: z.string().min(1),
});
export type Money = z.infer<typeof moneySchema>;

export const customerSchema = z.looseObject({
  id: z.string().min(1),
  created_at: timestamp,
  updated_at: timestamp,
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  company_name: z.string().optional(),
  email_address: z.string().optional(),
  phone_number: z.string().optional(),
  reference_id: z.string().optional(),
  creation_source: z.string().optional(),
  version: z.number().int().optional(),
});
export type SquareCustomer = z.infer<typeof customerSchema>;

const catalogObjectBase = {
  id: z.string().min(1),
  updated_at: timestamp,
  created_at: timestamp.optional(),
  version: z.number().int().optional(),
  is_deleted: z.boolean().optional(),
  present_at_all_locations: z.boolean().optional(),
};

export const catalogItemSchema = z.looseObject({
  ...catalogObjectBase,
  type: z.literal("ITEM"),
  item_data: z.looseObject({
    name: z.string().optional(),
    description: z.string().optional(),
    product_type: z.string().optional(),
    category_id: z.string().optional(),
    categories: z.array(z.looseObject({ id: z.string() })).optional(),
    reporting_category: z.looseObject({ id: z.string() }).optional(),
  }),
});
export type SquareCatalogItem = z.infer<typeof catalogItemSchema>;

export const catalogVariationSchema = z.looseObject({
  ...catalogObjectBase,
  type: z.literal("ITEM_VARIATION"),
  item_variation_data: z.looseObject({
    item_id: z.string().optional(),
    name: z.string().optional(),
    sku: z.string().optional(),
    ordinal: z.number().int().optional(),
    pricing_type: z.string().optional(),
    price_money: moneySchema.optional(),
  }),
});
export type SquareCatalogVariation = z.infer<typeof catalogVariationSchema>;

export const orderSchema = z.looseObject({
  id: z.string().min(1),
  location_id: z.string().min(1),
  customer_id: z.string().optional(),
  state: z.string(),
  reference_id: z.string().optional(),
  source: z.looseObject({ name: z.string().optional() }).optional(),
  version: z.number().int().optional(),
  total_money: moneySchema.optional(),
  total_tax_money: moneySchema.optional(),
  total_discount_money: moneySchema.optional(),
  total_tip_money: moneySchema.optional(),
  total_service_charge_money: moneySchema.optional(),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.optional(),
});
export type SquareOrder = z.infer<typeof orderSchema>;

export const paymentSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  location_id: z.string().optional(),
  order_id: z.string().optional(),
  customer_id: z.string().optional(),
  source_type: z.string().optional(),
  amount_money: moneySchema,
  tip_money: moneySchema.optional(),
  total_money: moneySchema.optional(),
  refunded_money: moneySchema.optional(),
  processing_fee: z.array(z.looseObject({ amount_money: moneySchema.optional() })).optional(),
  receipt_number: z.string().optional(),
  reference_id: z.string().optional(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type SquarePayment = z.infer<typeof paymentSchema>;

export const inventoryCountSchema = z.looseObject({
  catalog_object_id: z.string().min(1),
  catalog_object_type: z.string().optional(),
  state: z.string().min(1),
  location_id: z.string().min(1),
  /** A decimal as a string ("12", "0.5"). */
  quantity: z.string().regex(/^-?\d+(\.\d+)?$/).optional(),
  calculated_at: timestamp,
});
export type SquareInventoryCount = z.infer<typeof inventoryCountSchema>;

/** Square's error body: {"errors": [{category, code, detail?, field?}]}. */
export const errorBodySchema = z.object({
  errors: z.array(z.looseObject({ category: z.string(), code: z.string(), detail: z.string().optional() })),
});
