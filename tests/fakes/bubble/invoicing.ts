// Seed data of the invoicing example (functions/_shared/connectors/bubble/model/invoicing.ts) as
// Bubble's Data API returns it: empty fields left out, links as _id strings or lists of them,
// dates as ISO strings. Hostile on purpose: links to things that no longer exist (404s), SEDA
// registrations whose invoice lost its back-link or which lack a customer, fields the model does
// not map, unicode and a huge amount; optionally malformed things.
import { seeded } from "../_random.ts";

type Rec = Record<string, unknown>;

export interface InvoicingSeedOptions {
  invoices?: number;
  agents?: number;
  customers?: number;
  users?: number;
  seed?: number;
  /** This many payments get a Modified Date that is no date (the schema refuses them). */
  malformedPayments?: number;
}

export const INVOICING_BASE = Date.parse("2026-01-01T00:00:00.000Z");
const DAY = 86_400_000;

/** Things per Data API type name (agent, customer, user, invoice, payment, submittedpayment, ...). */
export function invoicingData(opts: InvoicingSeedOptions = {}): Record<string, Rec[]> {
  const rand = seeded(opts.seed ?? 7);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
  let serial = 0;
  const thing = (createdAt: number, fields: Rec): Rec => {
    const created = Math.floor(createdAt);
    const modified = created + Math.floor(rand() * 5 * DAY);
    serial++;
    const out: Rec = {
      _id: `${created}x${String(serial).padStart(18, "0")}`,
      "Created Date": new Date(created).toISOString(),
      "Modified Date": new Date(modified).toISOString(),
    };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null && v !== "") out[k] = v;
    return out;
  };
  const at = (days: number) => INVOICING_BASE + days * DAY + Math.floor(rand() * DAY);
  const agents = Array.from({ length: opts.agents ?? 5 }, (_, i) =>
    thing(at(i / 10), {
      "Created By": "admin_user_invoicing",
      name: `Agent ${i} Ñandú`,
      email: `agent${i}@example.test`,
      agency: i % 2 ? "Sunrise Solar" : undefined,
      commission_rate: 0.05 + (i % 3) / 100,
      active: i % 4 !== 3,
    }));
  const customers = Array.from({ length: opts.customers ?? 20 }, (_, i) =>
    thing(at(i / 10), {
      "Created By": "admin_user_invoicing",
      name: i % 5 === 0 ? `Customer ${i} 李小龍 🌞` : `Customer ${i}`,
      email: `customer${i}@example.test`,
      phone: `+60 12-${String(1000000 + i)}`,
      address: `${i} Jalan Ampang`,
      city: "Kuala Lumpur",
      postcode: "50450",
      ic_number: `900101-14-${String(1000 + i)}`,
      tags: i % 3 ? ["solar", "residential"] : undefined,
      notes: i % 4 === 0 ? "Prefers WhatsApp" : undefined,
      fax: i % 6 === 0 ? "+60 3-0000 0000" : undefined, // a field the model does not map
    }));
  const users = Array.from({ length: opts.users ?? 10 }, (_, i) => {
    const agent = i % 2 === 0 ? pick(agents)._id : undefined;
    return thing(at(1 + i / 10), {
      "Created By": "admin_user_invoicing",
      authentication: { email: { email: `user${i}@example.test`, email_confirmed: i % 3 !== 0 } },
      user_signed_up: true,
      name: `User ${i}`,
      role: agent ? "agent" : "customer",
      agent,
      customer: agent ? undefined : pick(customers)._id,
    });
  });
  const invoices: Rec[] = [];
  const payments: Rec[] = [];
  const submitted: Rec[] = [];
  const items: Rec[] = [];
  const seda: Rec[] = [];
  const n = opts.invoices ?? 30;
  for (let i = 0; i < n; i++) {
    const created = at(2 + (150 * i) / n);
    // every 25th invoice names a customer that was deleted at the source (a 404 relation)
    const customer = i % 25 === 24 ? `${created}x999999999999999999` : pick(customers)._id;
    const inv = thing(created, {});
    const total = i === 7 ? 98_765_432_109_876.55 : Math.round(rand() * 5_000_000) / 100;
    const pays = Array.from({ length: i % 4 }, (_, k) =>
      thing(created + (k + 1) * DAY, {
        "Created By": "admin_user_invoicing",
        invoice: inv._id,
        amount: Math.round(total * 25) / 100,
        method: pick(["FPX", "card", "cash"]),
        reference: `REF-${i}-${k}`,
        paid_at: new Date(created + (k + 1) * DAY).toISOString(),
        status: "paid",
      }));
    const subs = Array.from({ length: i % 3 === 1 ? 1 : 0 }, () =>
      thing(created + DAY / 2, {
        "Created By": "admin_user_invoicing",
        invoice: inv._id,
        submitted_by: pick(users)._id,
        amount: Math.round(total * 10) / 100,
        receipt: `https://s3.example.test/receipts/${i}.pdf`,
        submitted_at: new Date(created + DAY / 2).toISOString(),
        approved: i % 2 === 0,
      }));
    const its = Array.from({ length: 1 + (i % 3) }, (_, k) =>
      thing(created + 1000, {
        "Created By": "admin_user_invoicing",
        invoice: inv._id,
        description: k === 0 ? `Solar panels × ${10 + i}` : `Installation «${k}»`,
        quantity: 1 + k,
        unit_price: Math.round(total / (1 + k)) / 10,
        amount: Math.round(total * 10) / 100,
        sort_order: k,
      }));
    // every 15th invoice lists a payment that no longer exists
    const paymentIds = pays.map((p) => p._id);
    if (i % 15 === 14) paymentIds.push(`${created}x888888888888888888`);
    let reg: Rec | undefined;
    if (i % 5 !== 2) {
      reg = thing(created + 2 * DAY, {
        "Created By": "admin_user_invoicing",
        linked_invoice: [inv._id],
        // a third of them lost their customer: the patch pass fills it from the invoice
        linked_customer: i % 3 === 0 ? undefined : customer,
        deposit_payment: pays[0]?._id,
        registration_no: `SEDA-${2026}-${String(i).padStart(5, "0")}`,
        status: pick(["submitted", "approved", "pending"]),
        system_size_kw: 4 + (i % 8) / 2,
        submitted_at: new Date(created + 2 * DAY).toISOString(),
      });
      seda.push(reg);
    }
    Object.assign(
      inv,
      Object.fromEntries(
        Object.entries({
          "Created By": pick(users)._id,
          invoice_no: `INV-${String(i + 1).padStart(6, "0")}`,
          status: pick(["draft", "sent", "paid", "overdue"]),
          issue_date: new Date(created).toISOString(),
          due_date: new Date(created + 30 * DAY).toISOString(),
          subtotal: total,
          tax: Math.round(total * 6) / 100,
          total,
          amount_paid: 0,
          balance: total,
          currency: "MYR",
          system_size_kw: 4 + (i % 8) / 2,
          panel_count: 8 + (i % 12),
          agent: pick(agents)._id,
          customer,
          payments: paymentIds.length ? paymentIds : undefined,
          submitted_payments: subs.length ? subs.map((s) => s._id) : undefined,
          items: its.map((t) => t._id),
          // two SEDA registrations in three keep their back-link; the patch pass restores the rest
          seda_registration: reg && i % 3 !== 1 ? reg._id : undefined,
        }).filter(([, v]) => v !== undefined),
      ),
    );
    invoices.push(inv);
    payments.push(...pays);
    submitted.push(...subs);
    items.push(...its);
  }
  for (let k = 0; k < (opts.malformedPayments ?? 0) && k < payments.length; k++) {
    payments[Math.floor((k * payments.length) / (opts.malformedPayments ?? 1))]["Modified Date"] =
      "yesterday";
  }
  return {
    agent: agents,
    customer: customers,
    user: users,
    invoice: invoices,
    payment: payments,
    submittedpayment: submitted,
    invoiceitem: items,
    sedaregistration: seda,
  };
}
