// zod shapes of the HighLevel API records we read (apps/products.json, payments.json,
// contacts.json in GoHighLevel/highlevel-api-docs). Unknown fields pass through into `raw`.
import { z } from "zod";

const timestamp = z.iso.datetime({ offset: true });

export const productSchema = z.looseObject({
  _id: z.string().min(1),
  locationId: z.string().optional(),
  name: z.string().optional(),
  productType: z.string().optional(),
  description: z.string().optional(),
  availableInStore: z.boolean().optional(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp,
});
export type HighLevelProduct = z.infer<typeof productSchema>;

export const orderItemSchema = z.looseObject({
  _id: z.string().optional(),
  name: z.string().optional(),
  qty: z.number().min(0),
  product: z.looseObject({ _id: z.string().min(1) }).optional(),
  price: z.looseObject({}).optional(),
});

export const orderSchema = z.looseObject({
  _id: z.string().min(1),
  altId: z.string().optional(),
  altType: z.string().optional(),
  contactId: z.string().optional(),
  contactName: z.string().optional(),
  contactEmail: z.string().optional(),
  status: z.string().optional(),
  paymentStatus: z.string().optional(),
  currency: z.string().optional(),
  amount: z.number().optional(),
  subtotal: z.number().optional(),
  liveMode: z.boolean().optional(),
  sourceType: z.string().optional(),
  sourceName: z.string().optional(),
  items: z.array(orderItemSchema).optional(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp,
});
export type HighLevelOrder = z.infer<typeof orderSchema>;

export const contactSchema = z.looseObject({
  id: z.string().min(1),
  locationId: z.string().optional(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  companyName: z.string().nullish(),
  type: z.string().nullish(),
  tags: z.array(z.string()).optional(),
  dateAdded: timestamp.optional(),
  dateUpdated: timestamp,
});
export type HighLevelContact = z.infer<typeof contactSchema>;
