// Deterministic HighLevel records from a seed: products (the first ones are event tickets),
// contacts and orders with line items, shaped like HighLevel's API responses.
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
  contacts: Rec[];
  orders: Rec[];
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Linus", "Margaret", "Donald"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Torvalds"];

/** A 24-hex id like HighLevel's (Mongo ObjectId-shaped), deterministic per kind and index. */
export function hexId(kind: number, i: number): string {
  return (kind.toString(16).padStart(4, "0") + i.toString(16).padStart(20, "0")).slice(0, 24);
}

export function createWorld(opts: WorldOptions = {}): World {
  const rnd = seeded(opts.seed ?? 1);
  const locationId = opts.locationId ?? "fakeLocation0001";
  const epoch = opts.epoch ?? Date.parse("2026-01-01T00:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const products: Rec[] = [];
  for (let i = 0; i < (opts.products ?? 8); i++) {
    const t = epoch + i * 60_000;
    products.push({
      _id: hexId(1, i),
      locationId,
      name: i < 3 ? `Event ticket ${["GA", "VIP", "Backstage"][i]}` : `Product ${i}`,
      productType: i < 3 ? "SERVICE" : "PHYSICAL",
      description: `Seeded product ${i}`,
      availableInStore: true,
      createdAt: iso(t),
      updatedAt: iso(t),
    });
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
      dateAdded: iso(t),
      dateUpdated: iso(t),
    });
  }
  const orders: Rec[] = [];
  for (let i = 0; i < (opts.orders ?? 30); i++) {
    const t = epoch + i * 45_000;
    const contact = contacts.length ? contacts[i % contacts.length] : null;
    const lines = 1 + Math.floor(rnd() * 3);
    const items: Rec[] = [];
    for (let l = 0; l < lines; l++) {
      const product = products[Math.floor(rnd() * products.length)];
      const amount = 10 + Math.floor(rnd() * 90);
      items.push({
        _id: hexId(4, i * 10 + l),
        name: product?.name,
        qty: 1 + Math.floor(rnd() * 4),
        product: product ? { _id: product._id, name: product.name } : undefined,
        price: { _id: hexId(5, i * 10 + l), name: "Default", currency: "USD", amount, type: "one_time" },
      });
    }
    const r = rnd();
    orders.push({
      _id: hexId(3, i),
      altId: locationId,
      altType: "location",
      contactId: contact?.id,
      contactName: contact ? `${contact.firstName} ${contact.lastName}` : undefined,
      contactEmail: contact?.email,
      status: r < 0.8 ? "completed" : r < 0.9 ? "pending" : r < 0.95 ? "refunded" : "cancelled",
      paymentStatus: r < 0.8 ? "paid" : r < 0.9 ? "pending" : r < 0.95 ? "refunded" : "void",
      currency: "USD",
      amount: items.reduce((s, it) => s + (it.qty as number) * ((it.price as Rec).amount as number), 0),
      subtotal: items.reduce((s, it) => s + (it.qty as number) * ((it.price as Rec).amount as number), 0),
      liveMode: true,
      sourceType: "funnel",
      sourceName: "Event funnel",
      items,
      createdAt: iso(t),
      updatedAt: iso(t),
    });
  }
  return { locationId, products, contacts, orders };
}

/** A list entry of an order: List Orders answers without line items. */
export function orderSummary(o: Rec): Rec {
  const { items, ...rest } = o;
  return { ...rest, totalProducts: Array.isArray(items) ? items.length : 0 };
}
