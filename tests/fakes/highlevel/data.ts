// Deterministic HighLevel records from a seed, in the shapes HighLevel documents (see
// tests/fixtures/highlevel/SOURCE.md): orders as Get Order by ID answers them (contactSnapshot,
// amountSummary, source, items whose product may lack `_id`, no paymentStatus), List Orders
// entries derived from them, products (some off sale) with their prices, contacts. Hostile on
// purpose: unknown fields, integers beyond 2^53 (BigInt, written as exact JSON by json.ts), line
// items that name only their price or their product's name, items without qty.
import { seeded } from "../_random.ts";

export interface WorldOptions {
  seed?: number;
  locationId?: string;
  products?: number;
  contacts?: number;
  orders?: number;
  /** Start of the generated timeline (ms since epoch). */
  epoch?: number;
}

export type Rec = Record<string, unknown>;

export interface World {
  locationId: string;
  products: Rec[];
  /** Prices by product id. */
  prices: Map<string, Rec[]>;
  contacts: Rec[];
  orders: Rec[];
}

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Edsger",
  "Barbara",
  "Ken",
  "Radia",
  "Linus",
  "Margaret",
  "Zoë",
  "Łukasz",
  "李",
];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Nguyễn", "O'Brien 🎟️"];
/** An integer JSON numbers cannot hold exactly (2^53 is 9007199254740992). */
export const HUGE = 123456789012345678901234567890n;

/** A 24-hex id like HighLevel's (Mongo ObjectId-shaped), deterministic per kind and index. */
export function hexId(kind: number, i: number): string {
  return (kind.toString(16).padStart(4, "0") + i.toString(16).padStart(20, "0")).slice(0, 24);
}

function lineItem(rnd: () => number, products: Rec[], prices: Map<string, Rec[]>, id: string): Rec {
  const product = products[Math.floor(rnd() * products.length)];
  const price = prices.get(product._id as string)![0];
  const qty = 1 + Math.floor(rnd() * 4);
  const r = rnd();
  // how the line item names its product: documented example shape ({name, productType}), only a
  // price id, or a full product reference
  const ref = r < 0.15
    ? { product: { name: product.name, productType: product.productType }, price: {} }
    : r < 0.3
    ? { product: { name: product.name }, price: { _id: price._id, amount: price.amount } }
    : {
      product: { _id: product._id, name: product.name, productType: product.productType },
      price: { ...price },
    };
  return {
    _id: id,
    authorizeAmount: 0,
    locationId: product.locationId,
    name: product.name,
    ...(rnd() < 0.05 ? {} : { qty }),
    ...ref,
  };
}

export function createWorld(opts: WorldOptions = {}): World {
  const rnd = seeded(opts.seed ?? 1);
  const locationId = opts.locationId ?? "fakeLocation0001";
  const epoch = opts.epoch ?? Date.parse("2026-01-01T00:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const products: Rec[] = [];
  const prices = new Map<string, Rec[]>();
  for (let i = 0; i < (opts.products ?? 8); i++) {
    const t = epoch + i * 60_000;
    const id = hexId(1, i);
    products.push({
      _id: id,
      locationId,
      name: i < 3 ? `Event ticket ${["GA", "VIP", "Backstage"][i]}` : `Product ${i}`,
      productType: i < 3 ? "SERVICE" : "PHYSICAL",
      description: `Seeded product ${i}`,
      // every fourth product (not the first three) is off sale
      availableInStore: i < 3 || i % 4 !== 3,
      variants: [],
      collectionIds: [],
      futureField: { note: "unknown fields pass through" },
      createdAt: iso(t),
      updatedAt: iso(t),
    });
    prices.set(id, [{
      _id: hexId(5, i),
      product: id,
      locationId,
      name: "Default",
      type: "one_time",
      currency: "USD",
      amount: 10 + i * 5,
      trackInventory: i % 2 === 0,
      availableQuantity: 100,
      allowOutOfStockPurchases: false,
      createdAt: iso(t),
      updatedAt: iso(t),
    }]);
  }
  const contacts: Rec[] = [];
  for (let i = 0; i < (opts.contacts ?? 40); i++) {
    const t = epoch + i * 30_000;
    const first = pick(FIRST);
    const last = pick(LAST);
    contacts.push({
      id: hexId(2, i),
      locationId,
      firstName: first,
      lastName: last,
      email: `${first}.${last}.${i}@example.com`.toLowerCase(),
      phone: `+1555${String(i).padStart(7, "0")}`,
      companyName: rnd() < 0.3 ? "Acme Events" : null,
      type: "customer",
      tags: rnd() < 0.5 ? ["attendee"] : [],
      customFields: [{ id: "cf1", value: i % 7 === 0 ? HUGE : `value ${i}` }],
      dateAdded: iso(t),
      dateUpdated: iso(t),
    });
  }
  const orders: Rec[] = [];
  for (let i = 0; i < (opts.orders ?? 30); i++) {
    const t = epoch + i * 45_000;
    const contact = contacts.length ? contacts[i % contacts.length] : null;
    const items: Rec[] = [];
    const lines = 1 + Math.floor(rnd() * 3);
    for (let l = 0; l < lines && products.length; l++) {
      items.push(lineItem(rnd, products, prices, hexId(4, i * 10 + l)));
    }
    const amount = items.reduce(
      (s, it) => s + ((it.qty as number) ?? 1) * (((it.price as Rec)?.amount as number) ?? 0),
      0,
    );
    const r = rnd();
    orders.push({
      _id: hexId(3, i),
      altId: locationId,
      altType: "location",
      contactId: contact?.id,
      currency: "USD",
      amount,
      status: r < 0.8 ? "completed" : r < 0.9 ? "pending" : r < 0.95 ? "refunded" : "cancelled",
      liveMode: true,
      fulfillmentStatus: "unfulfilled",
      contactSnapshot: contact
        ? {
          first_name: contact.firstName,
          last_name: contact.lastName,
          email: contact.email,
          type: "lead",
          location_id: locationId,
        }
        : undefined,
      amountSummary: { subtotal: amount, discount: 0 },
      source: { type: "funnel", subType: "one_step_order_form", id: hexId(6, i % 5), name: "Event funnel" },
      items,
      meta: { couponSessionExpired: false, externalRef: i % 9 === 0 ? HUGE : i },
      markAsTest: false,
      createdAt: iso(t),
      updatedAt: iso(t),
    });
  }
  return { locationId, products, prices, contacts, orders };
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** A List Orders entry (OrderResponseSchema) of a stored order: no line items. */
export function orderSummary(o: Rec): Rec {
  const { items, contactSnapshot, amountSummary, source, meta: _meta, ...rest } = o;
  const snap = (contactSnapshot ?? {}) as Rec;
  const src = (source ?? {}) as Rec;
  const list = Array.isArray(items) ? items : [];
  return {
    ...rest,
    contactName: [str(snap.first_name), str(snap.last_name)].filter(Boolean).join(" ") || undefined,
    contactEmail: str(snap.email),
    subtotal: (amountSummary as Rec | undefined)?.subtotal,
    discount: (amountSummary as Rec | undefined)?.discount,
    sourceType: str(src.type),
    sourceName: str(src.name),
    sourceId: str(src.id),
    sourceSubType: str(src.subType),
    totalProducts: list.length,
  };
}
