// Ireland Pay metrics per merchant and month: computed in Postgres (sql/irelandpay_metrics.sql,
// a materialised view refreshed after every irelandpay sync), read here for the API and the CLI.
import { z } from "zod";
import type { Sql } from "../../engine/types.ts";

const month = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "must be a month (YYYY-MM) or a date (YYYY-MM-DD)")
  .refine((s) => !Number.isNaN(Date.parse(s.length === 7 ? `${s}-01` : s)), "is not a real date");

export const MetricsQuery = z.object({
  mid: z.string().min(1).max(64).optional(),
  from: month.optional(),
  to: month.optional(),
}).strict();
export type MetricsQuery = z.infer<typeof MetricsQuery>;

/** One merchant-month; amounts are exact decimals as strings (EUR). */
export interface MerchantMonth {
  mid: string;
  month: string;
  transaction_count: number;
  volume: string;
  average_ticket: string | null;
  refund_count: number;
  refund_amount: string;
  chargeback_count: number;
  chargeback_amount: string;
  net_volume: string;
  residual_sales_amount: string | null;
  residual_income: string | null;
  residual_expense: string | null;
  residual_net: string | null;
  residual_agent_net: string | null;
}

const asDate = (s: string | undefined) => (s === undefined ? null : s.length === 7 ? `${s}-01` : s);

export async function merchantMetrics(sql: Sql, q: MetricsQuery): Promise<MerchantMonth[]> {
  const rows = await sql<MerchantMonth[]>`
    select mid, to_char(month, 'YYYY-MM') as month, transaction_count, volume::text, average_ticket::text,
      refund_count, refund_amount::text, chargeback_count, chargeback_amount::text, net_volume::text,
      residual_sales_amount::text, residual_income::text, residual_expense::text, residual_net::text,
      residual_agent_net::text
    from irelandpay.merchant_metrics(${q.mid ?? null}, ${asDate(q.from)}::date, ${asDate(q.to)}::date)`;
  return [...rows];
}

export async function refreshMetrics(sql: Sql): Promise<void> {
  await sql`select irelandpay.refresh_metrics()`;
}
