// The benchmark's baseline: the Ireland Pay transactions stream written by hand the way the
// Square and HighLevel streams are (a zod schema, a row function, paging code), reading the same
// endpoints in the same order as the declarative one: merchants listed once, then month windows ×
// merchants × next-URL pages. Not registered; scripts/bench/declarative.ts compares the two.
import { z } from "zod";
import type {
  Connector,
  FetchContext,
  Page,
  StreamDef,
} from "../../functions/_shared/engine/connector/mod.ts";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";

const transactionSchema = z.looseObject({
  id: z.string(),
  mid: z.string(),
  date: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
  type: z.string(),
  status: z.string().nullable().optional(),
  amount: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]),
  currency: z.string().nullable().optional(),
  card_brand: z.string().nullable().optional(),
  cardholder: z.string().nullable().optional(),
  auth_code: z.string().nullable().optional(),
  pos_entry_mode: z.string().nullable().optional(),
  invoice_number: z.string().nullable().optional(),
  batch_reference: z.string().nullable().optional(),
});
type Transaction = z.infer<typeof transactionSchema>;

function transactionRow(t: Transaction): Record<string, unknown> {
  return {
    id: t.id,
    mid: t.mid,
    date: t.date,
    type: t.type,
    status: t.status ?? null,
    amount: t.amount,
    currency: t.currency ?? "EUR",
    card_brand: t.card_brand ?? null,
    cardholder: t.cardholder ?? null,
    auth_code: t.auth_code ?? null,
    pos_entry_mode: t.pos_entry_mode ?? null,
    invoice_number: t.invoice_number ?? null,
    batch_reference: t.batch_reference ?? null,
    raw: t,
  };
}

interface At {
  to: string;
  month: string; // first day of the window's month, YYYY-MM-DD
  mid: string;
  url: string | null;
}

const merchantsOf = new WeakMap<FetchContext, Promise<string[]>>();
function merchants(ctx: FetchContext): Promise<string[]> {
  let p = merchantsOf.get(ctx);
  if (!p) {
    p = (async () => {
      const mids: string[] = [];
      for (let page = 1;; page++) {
        const res = await ctx.http.get<{ data: { mid: string }[]; meta: { last_page: number } }>(
          "/merchants",
          {
            query: { page, per_page: 100 },
          },
        );
        mids.push(...res.data.map((m) => m.mid));
        if (page >= res.meta.last_page) return mids.sort();
      }
    })();
    merchantsOf.set(ctx, p);
  }
  return p;
}

const nextMonth = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

const transactions: StreamDef<typeof transactionSchema> = {
  name: "transactions",
  target: "irelandpay.transactions",
  schema: transactionSchema,
  key: (t) => t.id,
  updatedAt: (t) => t.date,
  toRow: transactionRow,
  parents: ["merchants"],
  incremental: { lookbackMs: 72 * 3_600_000 },
  async fetchPage(ctx, cursor): Promise<Page> {
    const mids = await merchants(ctx);
    let at: At = cursor ? JSON.parse(cursor) : {
      to: (ctx.until ?? new Date()).toISOString().slice(0, 10),
      month: (ctx.since ?? new Date("2024-04-01")).toISOString().slice(0, 10),
      mid: mids[0],
      url: null,
    };
    const end = nextMonth(at.month);
    const last = new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const res = at.url
      ? await ctx.http.get<{ data: unknown[]; links: { next: string | null } }>(at.url)
      : await ctx.http.get<{ data: unknown[]; links: { next: string | null } }>(
        `/merchants/${encodeURIComponent(at.mid)}/transactions`,
        {
          query: {
            start_date: at.month,
            end_date: last < at.to ? last : at.to,
            per_page: Math.min(500, ctx.pageSize),
          },
        },
      );
    let next: At | null = null;
    if (res.links.next) next = { ...at, url: res.links.next };
    else {
      const i = mids.indexOf(at.mid);
      if (i + 1 < mids.length) next = { ...at, mid: mids[i + 1], url: null };
      else if (end <= at.to) next = { ...at, month: end, mid: mids[0], url: null };
    }
    at = next ?? at;
    return { records: res.data, nextCursor: next ? JSON.stringify(next) : null };
  },
};

/** The Ireland Pay connector with its transactions stream hand-written. */
export const handwrittenIrelandpay: Connector = {
  ...irelandpayConnector,
  streams: irelandpayConnector.streams.map((
    s,
  ) => (s.name === "transactions" ? transactions as StreamDef : s)),
};
