// The fake Square seller: deterministic locations, customers, catalog, orders, payments and
// inventory counts generated from a seed, shaped like Square's published API objects.
import { seeded as rng } from "../_random.ts";
import {
  eventItemName,
  type EventOptions,
  eventOrderExtras,
  eventOrderFacts,
  eventPaymentExtras,
  isEventItem,
  lineMetadata,
  tierName,
} from "./events.ts";
import { hash32, Table } from "./table.ts";

export interface WorldOptions {
  seed?: number;
  /** The seller's merchant id (locations' merchant_id); default "MLSYNCLINEFAKE". */
  merchantId?: string;
  locations?: number;
  customers?: number;
  categories?: number;
  items?: number;
  /** Variations per item. */
  variations?: number;
  orders?: number;
  /** Payments (payment i pays order i); default: one per order. */
  payments?: number;
  /** Creation times spread evenly from here over spanDays. */
  baseTime?: string;
  spanDays?: number;
  /**
   * Event sales (off by default): EVENT catalog items, ticket line items with attendee metadata
   * (or a fulfillment recipient, or none), buyers without a customer, refunds (events.ts).
   */
  events?: boolean | EventOptions;
}

const DAY = 86_400_000;
const FIRST = ["Ava", "Ben", "Chloe", "Dev", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai", "Lena"];
const LAST = ["Nguyen", "Smith", "Garcia", "Okafor", "Kim", "Rossi", "Silva", "Novak", "Ahmed", "Brown"];
const PRODUCTS = ["Latte", "Espresso", "Cold Brew", "Croissant", "Bagel", "Muffin", "Tea", "Mocha", "Scone"];
const CATEGORIES = ["Coffee", "Tea", "Bakery", "Breakfast", "Merch", "Seasonal", "Cold Drinks", "Snacks"];
const iso = (ms: number) => new Date(ms).toISOString();
const money = (amount: number) => ({ amount, currency: "USD" });

export type World = ReturnType<typeof createWorld>;

export function createWorld(opts: WorldOptions = {}) {
  const seed = opts.seed ?? 42;
  const n = {
    locations: opts.locations ?? 3,
    customers: opts.customers ?? 200,
    categories: opts.categories ?? 6,
    items: opts.items ?? 40,
    variations: opts.variations ?? 2,
    orders: opts.orders ?? 1000,
  };
  const nPayments = Math.min(opts.payments ?? n.orders, n.orders);
  const base = Date.parse(opts.baseTime ?? "2026-01-01T00:00:00Z");
  const span = (opts.spanDays ?? 300) * DAY;
  const events: EventOptions | null = opts.events ? (opts.events === true ? {} : opts.events) : null;
  const r = (salt: number, i: number) => rng(hash32(seed, salt, i));
  const spread = (i: number, count: number) => base + Math.floor((i * span) / Math.max(1, count));

  const locations: Table = new Table({
    name: "locations",
    count: n.locations,
    prefix: "L",
    seed,
    salt: 1,
    facts: (i) => ({ created: base - DAY * (400 - i), updated: base - DAY * (400 - i), loc: i }),
    build: (t, i, rev) => ({
      id: t.id(i),
      name: `Syncline Coffee #${i + 1}${rev ? ` (rev ${rev})` : ""}`,
      business_name: "Syncline Coffee",
      address: { address_line_1: `${100 + i} Market St`, locality: "San Francisco", country: "US" },
      timezone: "America/Los_Angeles",
      capabilities: ["CREDIT_CARD_PROCESSING"],
      status: i % 7 === 6 ? "INACTIVE" : "ACTIVE",
      created_at: iso(t.created[i]),
      merchant_id: opts.merchantId ?? "MLSYNCLINEFAKE",
      country: "US",
      language_code: "en-US",
      currency: "USD",
      type: "PHYSICAL",
      mcc: "5812",
    }),
  });

  const customers: Table = new Table({
    name: "customers",
    count: n.customers,
    prefix: "C",
    seed,
    salt: 2,
    facts: (i) => {
      const created = spread(i, n.customers) - 30 * DAY;
      return { created, updated: created + Math.floor(r(2, i)() * DAY), loc: -1 };
    },
    build: (t, i, rev) => {
      const g = r(20, i);
      const first = FIRST[Math.floor(g() * FIRST.length)], last = LAST[Math.floor(g() * LAST.length)];
      return {
        id: t.id(i),
        created_at: iso(t.created[i]),
        updated_at: iso(t.updated[i]),
        given_name: first,
        family_name: last,
        email_address: `${first}.${last}.${i}@example.com`.toLowerCase(),
        phone_number: `+1415555${String(i % 10000).padStart(4, "0")}`,
        ...(rev ? { reference_id: `touch-${rev}`, note: `touched ${rev} time(s)` } : {}),
        preferences: { email_unsubscribed: false },
        creation_source: "THIRD_PARTY",
        version: rev,
      };
    },
  });

  const catalogFacts = (salt: number, count: number) => (i: number) => {
    const created = base - 60 * DAY + Math.floor((i * 30 * DAY) / Math.max(1, count));
    return { created, updated: created + Math.floor(r(salt, i)() * DAY), loc: -1 };
  };
  const catalogBase = (t: Table, i: number, type: string) => ({
    type,
    id: t.id(i),
    updated_at: iso(t.updated[i]),
    created_at: iso(t.created[i]),
    version: t.updated[i],
    is_deleted: false,
    present_at_all_locations: true,
  });
  const suffix = (rev: number) => (rev ? ` v${rev + 1}` : "");

  const categories: Table = new Table({
    name: "catalog_categories",
    count: n.categories,
    prefix: "K",
    seed,
    salt: 3,
    facts: catalogFacts(3, n.categories),
    build: (t, i, rev) => ({
      ...catalogBase(t, i, "CATEGORY"),
      category_data: {
        name: `${CATEGORIES[i % CATEGORIES.length]}${i >= CATEGORIES.length ? ` ${i}` : ""}${suffix(rev)}`,
        category_type: "REGULAR_CATEGORY",
        is_top_level: true,
      },
    }),
  });

  // variation j belongs to item floor(j / variations); its price drives order amounts
  const price = (j: number) => 250 + Math.floor(r(50, j)() * 60) * 25;
  const variations: Table = new Table({
    name: "catalog_variations",
    count: n.items * n.variations,
    prefix: "V",
    seed,
    salt: 5,
    facts: catalogFacts(5, n.items * n.variations),
    build: (t, j, rev) => ({
      ...catalogBase(t, j, "ITEM_VARIATION"),
      item_variation_data: {
        item_id: items.id(Math.floor(j / n.variations)),
        name: `${
          events
            ? tierName(j, n.variations)
            : ["Small", "Large", "Extra Large", "Family"][j % n.variations % 4]
        }${suffix(rev)}`,
        sku: `SKU-${String(j).padStart(6, "0")}`,
        ordinal: j % n.variations,
        pricing_type: "FIXED_PRICING",
        price_money: money(price(j)),
        track_inventory: true,
        sellable: true,
        stockable: true,
      },
    }),
  });

  const items: Table = new Table({
    name: "catalog_items",
    count: n.items,
    prefix: "I",
    seed,
    salt: 4,
    facts: catalogFacts(4, n.items),
    build: (t, i, rev) => {
      const cat = n.categories > 0 ? categories.id(i % n.categories) : undefined;
      const vars = [];
      for (let k = 0; k < n.variations; k++) vars.push(variations.record(i * n.variations + k));
      return {
        ...catalogBase(t, i, "ITEM"),
        item_data: {
          name: events && isEventItem(i)
            ? `${eventItemName(i)}${suffix(rev)}`
            : `${PRODUCTS[i % PRODUCTS.length]} ${i + 1}${suffix(rev)}`,
          description: `House ${PRODUCTS[i % PRODUCTS.length].toLowerCase()}`,
          is_taxable: true,
          ...(cat
            ? { categories: [{ id: cat, ordinal: 0 }], reporting_category: { id: cat, ordinal: 0 } }
            : {}),
          variations: vars,
          product_type: events && isEventItem(i) ? "EVENT" : "REGULAR",
        },
      };
    },
  });

  /** What order i is: location, customer, state and line items, from the seed alone. */
  const orderFacts = (i: number) => {
    const g = r(6, i);
    if (events) {
      return eventOrderFacts(g, i, {
        locations: n.locations,
        customers: n.customers,
        variationCount: variations.count,
        varsPerItem: n.variations,
        price,
        events,
      });
    }
    const loc = Math.floor(g() * n.locations);
    const customer = g() < 0.7 && n.customers > 0 ? Math.floor(g() * n.customers) : -1;
    const s = g();
    const state = s < 0.8 ? "COMPLETED" : s < 0.9 ? "OPEN" : "CANCELED";
    const lines = [];
    const count = variations.count > 0 ? 1 + Math.floor(g() * 3) : 0;
    for (let k = 0; k < count; k++) {
      const v = Math.floor(g() * variations.count);
      lines.push({ v, qty: 1 + Math.floor(g() * 3), price: price(v) });
    }
    const gross = lines.reduce((a, l) => a + l.qty * l.price, 0);
    const discount = g() < 0.15 ? Math.round(gross * 0.1) : 0;
    const tax = Math.round((gross - discount) * 0.0875);
    const tip = state === "COMPLETED" && g() < 0.5 ? 50 * (1 + Math.floor(g() * 10)) : 0;
    return { loc, customer, state, lines, gross, discount, tax, tip, total: gross - discount + tax + tip };
  };

  const orders: Table = new Table({
    name: "orders",
    count: n.orders,
    prefix: "O",
    seed,
    salt: 6,
    facts: (i) => {
      const created = spread(i, n.orders) + Math.floor(r(60, i)() * 60_000);
      return { created, updated: created + Math.floor(r(61, i)() * 7_200_000), loc: orderFacts(i).loc };
    },
    build: (t, i, rev) => {
      const f = orderFacts(i);
      const id = t.id(i);
      return {
        id,
        location_id: locations.id(f.loc),
        ...(f.customer >= 0 ? { customer_id: customers.id(f.customer) } : {}),
        ...(rev ? { reference_id: `touch-${rev}`, metadata: { syncline_touch: String(rev) } } : {}),
        source: { name: i % 5 === 0 ? "Online Store" : "Point of Sale" },
        line_items: f.lines.map((l, k) => ({
          uid: `${id.slice(0, 8)}-${k}`,
          catalog_object_id: variations.id(l.v),
          catalog_version: variations.updated[l.v],
          quantity: String(l.qty),
          name: events && isEventItem(Math.floor(l.v / n.variations))
            ? eventItemName(Math.floor(l.v / n.variations))
            : `${PRODUCTS[Math.floor(l.v / n.variations) % PRODUCTS.length]}`,
          ...(events ? { variation_name: tierName(l.v, n.variations) } : {}),
          item_type: "ITEM",
          base_price_money: money(l.price),
          gross_sales_money: money(l.qty * l.price),
          total_money: money(l.qty * l.price),
          ...("ticket" in l && lineMetadata(l) ? { metadata: lineMetadata(l) } : {}),
        })),
        ...(events ? eventOrderExtras(f as ReturnType<typeof eventOrderFacts>, id) : {}),
        net_amounts: {
          total_money: money(f.total),
          tax_money: money(f.tax),
          discount_money: money(f.discount),
          tip_money: money(f.tip),
          service_charge_money: money(0),
        },
        created_at: iso(t.created[i]),
        updated_at: iso(t.updated[i]),
        ...(f.state === "COMPLETED" ? { closed_at: iso(t.created[i] + 60_000) } : {}),
        state: f.state,
        version: 1 + rev,
        total_money: money(f.total),
        total_tax_money: money(f.tax),
        total_discount_money: money(f.discount),
        total_tip_money: money(f.tip),
        total_service_charge_money: money(0),
      };
    },
  });

  const paymentStatus = { COMPLETED: "COMPLETED", OPEN: "APPROVED", CANCELED: "CANCELED" } as const;
  const payments: Table = new Table({
    name: "payments",
    count: nPayments,
    prefix: "P",
    seed,
    salt: 7,
    facts: (i) => ({
      created: orders.created[i] + 30_000,
      updated: orders.updated[i] + 1_000,
      loc: orders.loc[i],
    }),
    build: (t, i, rev) => {
      const f = orderFacts(i);
      const id = t.id(i);
      const status = events && (f as ReturnType<typeof eventOrderFacts>).paidThenCancelled
        ? "COMPLETED"
        : paymentStatus[f.state as keyof typeof paymentStatus];
      return {
        id,
        created_at: iso(t.created[i]),
        updated_at: iso(t.updated[i]),
        amount_money: money(f.total - f.tip),
        tip_money: money(f.tip),
        total_money: money(f.total),
        approved_money: money(f.total),
        ...(status === "COMPLETED"
          ? {
            processing_fee: [{
              effective_at: iso(t.created[i] + 60_000),
              type: "INITIAL",
              amount_money: money(Math.round(f.total * 0.026) + 10),
            }],
          }
          : {}),
        status,
        delay_duration: "PT168H",
        source_type: "CARD",
        card_details: {
          status: status === "CANCELED" ? "VOIDED" : status === "COMPLETED" ? "CAPTURED" : "AUTHORIZED",
          card: { card_brand: "VISA", last_4: String(1000 + (i % 9000)), exp_month: 12, exp_year: 2030 },
          entry_method: "KEYED",
        },
        location_id: locations.id(f.loc),
        order_id: orders.id(i),
        ...(f.customer >= 0 ? { customer_id: customers.id(f.customer) } : {}),
        ...(rev ? { reference_id: `touch-${rev}`, note: `touched ${rev} time(s)` } : {}),
        ...(events ? eventPaymentExtras(f as ReturnType<typeof eventOrderFacts>, id, money) : {}),
        receipt_number: id.slice(0, 4),
        version_token: `vt${rev}${id.slice(-6)}`,
      };
    },
  });

  const inventory: Table = new Table({
    name: "inventory_counts",
    count: variations.count * n.locations,
    prefix: "N",
    seed,
    salt: 8,
    facts: (i) => {
      const at = base + span - DAY + Math.floor(r(8, i)() * DAY);
      return { created: at, updated: at, loc: i % n.locations };
    },
    build: (t, i, rev) => ({
      catalog_object_id: variations.id(Math.floor(i / n.locations)),
      catalog_object_type: "ITEM_VARIATION",
      state: "IN_STOCK",
      location_id: locations.id(i % n.locations),
      quantity: String(Math.floor(r(80, i)() * 200) + rev * 5),
      calculated_at: iso(t.updated[i]),
    }),
    key: (_t, i) => `${variations.id(Math.floor(i / n.locations))}:${locations.id(i % n.locations)}:IN_STOCK`,
  });

  return {
    seed,
    tables: {
      locations,
      customers,
      catalog_categories: categories,
      catalog_items: items,
      catalog_variations: variations,
      orders,
      payments,
      inventory_counts: inventory,
    },
  };
}
