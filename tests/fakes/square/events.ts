// Event-sales data for the fake Square seller (WorldOptions.events): EVENT catalog items, orders
// whose ticket line items carry attendee metadata (or a fulfillment recipient, or nothing), booking
// contacts as customers or as the payment's buyer, unpaid and cancelled orders, partial and full
// refunds. Shapes follow Square's Order, OrderLineItem (metadata), Fulfillment (pickup_details.
// recipient) and Payment (buyer_email_address, billing_address, refunded_money, refund_ids).
// The default world never calls this module, so its data stays exactly as before.

export interface EventOptions {
  /** Share of orders whose ticket line items carry no attendee data at all (default 0.04). */
  missingAttendees?: number;
  /** Share of completed payments partially refunded (default 0.06) and fully refunded (0.04). */
  partialRefunds?: number;
  fullRefunds?: number;
}

const EVENTS = ["Summer Gala", "Jazz Night", "Tech Meetup", "Wine Tasting", "Film Club", "Charity Run"];
const TIERS = ["General Admission", "VIP", "Student", "Early Bird"];
const FIRST = [
  "Zoë",
  "Ben",
  "Chloé",
  "Dev",
  "Émile",
  "Finn",
  "Grace",
  "Hugo",
  "Isla",
  "Jürgen",
  "Kai",
  "Łucja",
];
const LAST = ["Nguyen", "Smith", "García", "Okafor", "Kim", "Rossi", "Ødegård", "Novak", "Ahmed", "Brown"];

export type AttendeeSource = "metadata" | "recipient" | "none";

export interface EventLine {
  v: number;
  qty: number;
  price: number;
  /** Ticket lines (EVENT items) carry an attendee; merchandise lines do not. */
  ticket: boolean;
  attendee?: { name: string; email: string };
}

export interface EventOrderFacts {
  loc: number;
  customer: number;
  state: "COMPLETED" | "OPEN" | "CANCELED";
  lines: EventLine[];
  gross: number;
  discount: number;
  tax: number;
  tip: number;
  total: number;
  attendees: AttendeeSource;
  recipient?: { name: string; email: string };
  refund: "none" | "partial" | "full";
  /** A cancelled order whose payment had completed (cancelled after paying, refund not issued yet). */
  paidThenCancelled: boolean;
  buyer: { first: string; last: string; email: string };
}

/** Whether catalog item i is an event (every other item; the rest stay merchandise). */
export const isEventItem = (i: number) => i % 2 === 0;

export function eventItemName(i: number): string {
  return `${EVENTS[(i / 2) % EVENTS.length | 0]} ${2026 + Math.floor(i / (2 * EVENTS.length))}`;
}

export function tierName(j: number, variations: number): string {
  return TIERS[j % variations % TIERS.length];
}

function person(g: () => number, i: number, k: number) {
  const first = FIRST[Math.floor(g() * FIRST.length)], last = LAST[Math.floor(g() * LAST.length)];
  const ascii = (s: string) => s.normalize("NFD").replace(/[^A-Za-z]/g, "");
  // some e-mails differ only in case: contacts are deduplicated on the lower-cased address
  const email = `${ascii(first)}.${ascii(last)}.${(i * 7 + k) % 500}@example.com`;
  return {
    first,
    last,
    name: `${first} ${last}`,
    email: g() < 0.2 ? email.toUpperCase() : email.toLowerCase(),
  };
}

/**
 * What event order i is. g is the order's seeded random; nVariations/varsPerItem describe the
 * catalog; customers how many customers exist; price(v) the variation's price.
 */
export function eventOrderFacts(
  g: () => number,
  i: number,
  opts: {
    locations: number;
    customers: number;
    variationCount: number;
    varsPerItem: number;
    price: (v: number) => number;
    events: EventOptions;
  },
): EventOrderFacts {
  const loc = Math.floor(g() * opts.locations);
  const customer = g() < 0.7 && opts.customers > 0 ? Math.floor(g() * opts.customers) : -1;
  const s = g();
  const state = s < 0.85 ? "COMPLETED" : s < 0.93 ? "OPEN" : "CANCELED";
  const a = g();
  const missing = opts.events.missingAttendees ?? 0.04;
  const attendees: AttendeeSource = a < missing ? "none" : a < missing + 0.1 ? "recipient" : "metadata";
  const buyer = person(g, i, 0);
  const lines: EventLine[] = [];
  const eventVariations = (v: number) => isEventItem(Math.floor(v / opts.varsPerItem));
  const pick = (ticket: boolean) => {
    for (let tries = 0; tries < 20; tries++) {
      const v = Math.floor(g() * opts.variationCount);
      if (eventVariations(v) === ticket) return v;
    }
    return ticket ? 0 : Math.min(opts.varsPerItem, opts.variationCount - 1);
  };
  const ticketLines = opts.variationCount > 0 ? 1 + Math.floor(g() * 2) : 0;
  for (let k = 0; k < ticketLines; k++) {
    const v = pick(true);
    const who = k === 0 && g() < 0.5 ? buyer : person(g, i, k + 1);
    lines.push({
      v,
      qty: 1 + Math.floor(g() * 2),
      price: opts.price(v),
      ticket: true,
      ...(attendees === "metadata" ? { attendee: { name: who.name, email: who.email } } : {}),
    });
  }
  if (opts.variationCount > opts.varsPerItem && g() < 0.2) {
    const v = pick(false);
    lines.push({ v, qty: 1, price: opts.price(v), ticket: false });
  }
  const gross = lines.reduce((sum, l) => sum + l.qty * l.price, 0);
  const discount = g() < 0.1 ? Math.round(gross * 0.1) : 0;
  const tax = Math.round((gross - discount) * 0.0875);
  const tip = 0;
  const r = g();
  const partial = opts.events.partialRefunds ?? 0.06, full = opts.events.fullRefunds ?? 0.04;
  const refund = state !== "COMPLETED" ? "none" : r < full ? "full" : r < full + partial ? "partial" : "none";
  const recipient = attendees === "recipient" ? person(g, i, 9) : undefined;
  const paidThenCancelled = state === "CANCELED" && g() < 0.5;
  return {
    loc,
    customer,
    state,
    lines,
    gross,
    discount,
    tax,
    tip,
    total: gross - discount + tax + tip,
    attendees,
    ...(recipient ? { recipient: { name: recipient.name, email: recipient.email } } : {}),
    refund,
    paidThenCancelled,
    buyer: { first: buyer.first, last: buyer.last, email: buyer.email },
  };
}

/** The line item metadata Square stores for a ticket line (attendee_name / attendee_email). */
export function lineMetadata(l: EventLine): Record<string, string> | undefined {
  return l.attendee ? { attendee_name: l.attendee.name, attendee_email: l.attendee.email } : undefined;
}

/** Order fields of an event order beyond the line items: a PICKUP fulfillment with its recipient. */
export function eventOrderExtras(f: EventOrderFacts, orderId: string): Record<string, unknown> {
  if (!f.recipient) return {};
  return {
    fulfillments: [{
      uid: `${orderId.slice(0, 8)}-f`,
      type: "PICKUP",
      state: f.state === "CANCELED" ? "CANCELED" : "PROPOSED",
      pickup_details: {
        recipient: {
          display_name: f.recipient.name,
          email_address: f.recipient.email,
          phone_number: "+14155550100",
        },
        schedule_type: "ASAP",
      },
    }],
  };
}

/** Payment fields of an event payment: the buyer (when no customer) and its refunds. */
export function eventPaymentExtras(
  f: EventOrderFacts,
  paymentId: string,
  money: (n: number) => { amount: number; currency: string },
): Record<string, unknown> {
  const refunded = f.refund === "full"
    ? f.total
    : f.refund === "partial"
    ? Math.max(1, Math.round(f.total * 0.4))
    : 0;
  return {
    ...(f.customer < 0
      ? {
        buyer_email_address: f.buyer.email,
        billing_address: { first_name: f.buyer.first, last_name: f.buyer.last, country: "US" },
      }
      : {}),
    ...(refunded > 0 ? { refunded_money: money(refunded), refund_ids: [`${paymentId}_R1`] } : {}),
  };
}
