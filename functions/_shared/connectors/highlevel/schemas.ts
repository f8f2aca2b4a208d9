// zod shapes of the HighLevel API records we read, as HighLevel documents them (apps/products.json,
// payments.json, contacts.json in GoHighLevel/highlevel-api-docs; examples in
// tests/fixtures/highlevel). Only what the columns need is checked; unknown fields pass through
// into `raw`. The docs give several number/boolean examples as strings ("100", "false"): both
// forms are accepted and normalised in rows.ts.
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });
/** A documented number that may arrive as its decimal string. */
const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, "expected a number")]);
/** A documented boolean that may arrive as "true"/"false". */
const bool = z.union([z.boolean(), z.enum(["true", "false"])]);
const text = z.string().nullish();

export const productSchema = z.looseObject({
  _id: z.string().min(1),
  locationId: z.string().optional(),
  name: z.string().optional(),
  productType: z.string().optional(),
  description: z.string().nullish(),
  availableInStore: bool.nullish(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp,
});
export type HighLevelProduct = z.infer<typeof productSchema>;

/** A price of a product (List Prices for a Product: DefaultPriceResponseDto). */
export const priceSchema = z.looseObject({
  _id: z.string().min(1),
  product: z.string().min(1),
  locationId: z.string().optional(),
  name: text,
  type: text,
  currency: text,
  amount: num.nullish(),
  trackInventory: bool.nullish(),
  availableQuantity: num.nullish(),
  allowOutOfStockPurchases: bool.nullish(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
});
export type HighLevelPrice = z.infer<typeof priceSchema>;

/**
 * A line item. The documented Get-Order example has `{_id, name, price: {}, product: {name,
 * productType}}`: no product `_id`, no price `_id`, no `qty`. Everything is optional; the
 * ticket SQL links an item to a product by product id, else price id, else name.
 */
export const orderItemSchema = z.looseObject({
  _id: z.string().optional(),
  name: text,
  qty: num.nullish(),
  product: z.looseObject({ _id: z.string().optional(), name: text }).nullish(),
  price: z.looseObject({ _id: z.string().optional(), product: z.string().nullish() }).nullish(),
});

export const orderSchema = z.looseObject({
  _id: z.string().min(1),
  altId: z.string().optional(),
  altType: z.string().optional(),
  contactId: text,
  status: text,
  currency: text,
  amount: num.nullish(),
  liveMode: bool.nullish(),
  // Get Order by ID (GetOrderResponseSchema)
  contactSnapshot: z.looseObject({}).nullish(),
  amountSummary: z.looseObject({ subtotal: num.nullish() }).nullish(),
  source: z.looseObject({ type: text, name: text, id: text }).nullish(),
  items: z.array(orderItemSchema).optional(),
  // List Orders (OrderResponseSchema)
  contactName: text,
  contactEmail: text,
  subtotal: num.nullish(),
  sourceType: text,
  sourceName: text,
  createdAt: timestamp.optional(),
  updatedAt: timestamp,
});
export type HighLevelOrder = z.infer<typeof orderSchema>;

export const contactSchema = z.looseObject({
  id: z.string().min(1),
  locationId: z.string().optional(),
  firstName: text,
  lastName: text,
  email: text,
  phone: text,
  companyName: text,
  type: text,
  tags: z.array(z.string()).nullish(),
  dateAdded: timestamp.optional(),
  // documented on Get Contact, not on search results (ContactsSearchSchema): dateAdded stands in
  dateUpdated: timestamp.optional(),
}).refine((c) => c.dateUpdated !== undefined || c.dateAdded !== undefined, {
  message: "a contact needs dateUpdated or dateAdded",
  path: ["dateUpdated"],
});
export type HighLevelContact = z.infer<typeof contactSchema>;
