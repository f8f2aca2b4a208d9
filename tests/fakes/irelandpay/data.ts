// Seeded data of the fake Ireland Pay CRM: merchants opened over the history (the first one
// trades every month from the start date to today), their transactions (sales, refunds,
// chargebacks; decimal amounts as strings) and monthly residual rows computed from them.
// Hostile on purpose: unicode and apostrophes in names, unknown extra fields, missing optional
// fields, huge amounts, and (optionally) malformed records that must become failed items.
import { seeded } from "../_random.ts";

export type Rec = Record<string, unknown>;

export interface IrelandPayWorldOptions {
  seed?: number;
  merchants?: number;
  /** Mean transactions per merchant per month. */
  perMonth?: number;
  /** First day of the history (ISO date). */
  start?: string;
  /** "Today" of the fake (ms); data never lies after it. */
  now?: number;
  /** Malformed transactions mixed into the listings (never counted as valid). */
  malformed?: number;
  /**
   * Text PostgreSQL cannot store: a NUL character and a lone surrogate in two merchants' dba. Off by
   * default: the engine does not sanitise them yet (the page is refused; see docs/irelandpay.md).
   */
  unstorableText?: boolean;
}

export interface IrelandPayWorld {
  merchants: Rec[];
  transactions: Rec[];
  residuals: Rec[];
  /** Ids of the malformed records. */
  malformed: Set<string>;
  now: number;
}

const DAY = 86_400_000;
const NAMES = [
  "Café Ó Briain",
  "The Brazen Head",
  "Spar Rathmines",
  "Zhōng Noodles 麺",
  "O'Neill's Pharmacy",
  "Bike Shed 🚲",
];
const BRANDS = ["VISA", "MASTERCARD", "AMEX", undefined];

const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const cents = (n: number) => (n / 100).toFixed(2);
const deep = (depth: number): Rec => (depth === 0 ? { leaf: "🍀" } : { level: depth, next: deep(depth - 1) });

export function createWorld(opts: IrelandPayWorldOptions = {}): IrelandPayWorld {
  const rand = seeded(opts.seed ?? 1);
  const start = Date.parse(`${opts.start ?? "2024-04-01"}T00:00:00Z`);
  const now = opts.now ?? Date.now();
  const perMonth = opts.perMonth ?? 6;
  const n = opts.merchants ?? 12;
  const months: number[] = [];
  for (let m = monthStart(start); m < now; m = nextMonth(m)) months.push(m);
  const merchants: Rec[] = [];
  const transactions: Rec[] = [];
  const residuals: Rec[] = [];
  let txn = 0;
  for (let i = 0; i < n; i++) {
    const mid = String(800_100_000_000 + i * 7919);
    // merchant 0 spans the whole history; the others open at a random month, a few close
    const openIdx = i === 0 ? 0 : Math.floor(rand() * months.length);
    const closeIdx = i > 0 && i % 5 === 4
      ? Math.min(months.length, openIdx + 1 + Math.floor(rand() * 6))
      : months.length;
    const opened = months[openIdx] + Math.floor(rand() * 20) * DAY;
    const name = `${NAMES[i % NAMES.length]} #${i}`;
    const merchant: Rec = {
      mid,
      name,
      dba: i % 3 === 0 ? undefined : `${name} Ltd`,
      status: closeIdx < months.length ? "Closed" : "Approved",
      active: closeIdx >= months.length,
      group: i % 2 ? "Dublin" : "Cork",
      processor: "Ireland Pay Processing",
      sic_code: String(5812 + (i % 4)),
      vim: "No",
      opened: new Date(opened).toISOString().slice(0, 10),
      closed: closeIdx < months.length ? new Date(months[closeIdx] - DAY).toISOString().slice(0, 10) : null,
      created: new Date(opened - 3 * DAY).toISOString(),
      modified: new Date(Math.min(now - DAY, opened + Math.floor(rand() * 400) * DAY)).toISOString(),
      // unknown to the connector, deep for one merchant: it lands in raw as it is
      custom_fields: i === 2 ? deep(40) : { note: "unknown to the connector" },
    };
    if (merchant.dba === undefined) delete merchant.dba;
    merchants.push(merchant);
    for (let mi = openIdx; mi < closeIdx; mi++) {
      const from = Math.max(months[mi], opened);
      const to = Math.min(nextMonth(months[mi]), now - DAY);
      if (to <= from) continue;
      const count = Math.max(i === 0 ? 1 : 0, Math.round(perMonth * (0.4 + rand() * 1.2)));
      const rows: Rec[] = [];
      for (let k = 0; k < count; k++) {
        const r = rand();
        const type = r < 0.9 ? "sale" : r < 0.97 ? "refund" : "chargeback";
        // one huge sale in the history: amounts are decimals, not floats
        const amount = i === 1 && mi === openIdx && k === 0
          ? "123456789012.34"
          : cents(100 + Math.floor(rand() * 25_000));
        const brand = BRANDS[Math.floor(rand() * BRANDS.length)];
        const t: Rec = {
          id: `T${String(++txn).padStart(9, "0")}`,
          mid,
          date: new Date(from + Math.floor(rand() * (to - from))).toISOString(),
          type,
          status: type === "sale" ? "settled" : "posted",
          amount,
          currency: "EUR",
          card_brand: brand,
          cardholder: `************${String(1000 + Math.floor(rand() * 9000))}`,
          auth_code: String(Math.floor(rand() * 1e6)).padStart(6, "0"),
          pos_entry_mode: rand() < 0.8 ? "contactless" : "chip",
          invoice_number: rand() < 0.3 ? null : `INV-${txn}`,
          batch_reference: `B${mid.slice(-4)}-${new Date(from).toISOString().slice(0, 7)}`,
        };
        if (brand === undefined) delete t.card_brand;
        rows.push(t);
      }
      rows.sort((a, b) => String(a.date).localeCompare(String(b.date)));
      transactions.push(...rows);
      // the residual report of a month exists once the month is over
      if (nextMonth(months[mi]) <= now) {
        const sales = rows.filter((t) => t.type === "sale");
        const volume = sales.reduce((s, t) => s + Math.round(Number(t.amount) * 100), 0);
        const income = Math.round(volume * 0.018);
        const expense = Math.round(volume * 0.011);
        residuals.push({
          mid,
          merchant: name,
          period: new Date(months[mi]).toISOString().slice(0, 10),
          transactions: sales.length,
          sales_amount: cents(volume),
          income: cents(income),
          expense: cents(expense),
          net: cents(income - expense),
          bps: volume ? Number(((income - expense) / volume * 10_000).toFixed(2)) : 0,
          agent_net: cents(Math.round((income - expense) * 0.4)),
        });
      }
    }
  }
  if (opts.unstorableText && merchants.length > 1) {
    merchants[0].dba = "Nul\u0000Byte Ltd";
    merchants[1].dba = "Lone \ud800 Surrogate Ltd";
  }
  const malformed = new Set<string>();
  for (let k = 0; k < (opts.malformed ?? 0); k++) {
    const host = transactions[Math.floor(rand() * transactions.length)] ??
      { mid: merchants[0].mid, date: new Date(start).toISOString() };
    const id = `BAD${k}`;
    malformed.add(id);
    const bad: Rec = k % 2 === 0
      ? { ...host, id, amount: "N/A" } // not a number
      : { ...host, id, type: undefined }; // no type
    if (bad.type === undefined) delete bad.type;
    transactions.push(bad);
  }
  transactions.sort((a, b) =>
    String(a.date).localeCompare(String(b.date)) || String(a.id).localeCompare(String(b.id))
  );
  return { merchants, transactions, residuals, malformed, now };
}
