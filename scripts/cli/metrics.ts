// `sync metrics irelandpay [--mid M] [--from YYYY-MM] [--to YYYY-MM] [--refresh]`: the Ireland Pay
// metrics per merchant and month (computed in Postgres), as a table.
import type { ApiClient } from "./client.ts";
import { CliUsageError } from "./ops.ts";
import { table } from "./render.ts";

export interface MetricsFlags {
  mid?: string;
  from?: string;
  to?: string;
  refresh?: boolean;
}

export async function runMetricsCommand(
  api: ApiClient,
  args: string[],
  flags: MetricsFlags,
  print: (line: string) => void = console.log,
): Promise<number> {
  if (args[0] !== "irelandpay" || args.length > 1) {
    throw new CliUsageError(`metrics takes one connector with metrics: irelandpay (got "${args.join(" ")}")`);
  }
  for (const [name, v] of [["from", flags.from], ["to", flags.to]] as const) {
    if (v !== undefined && !/^\d{4}-\d{2}(-\d{2})?$/.test(v)) {
      throw new CliUsageError(`--${name} takes a month (YYYY-MM) or a date, got "${v}"`);
    }
  }
  if (flags.refresh) await api.call("POST", "/irelandpay/metrics/refresh");
  const qs = new URLSearchParams(
    Object.entries({ mid: flags.mid, from: flags.from, to: flags.to }).filter(([, v]) => v !== undefined) as [
      string,
      string,
    ][],
  );
  const { metrics } = await api.call<{ metrics: Record<string, unknown>[] }>(
    "GET",
    `/irelandpay/metrics${qs.size ? `?${qs}` : ""}`,
  );
  if (!metrics.length) {
    print("no metrics yet (sync irelandpay first)");
    return 0;
  }
  for (
    const line of table(metrics.map((m) => ({
      merchant: m.mid,
      month: m.month,
      sales: m.transaction_count,
      volume: m.volume,
      "avg ticket": m.average_ticket ?? "",
      refunds: `${m.refund_count} / ${m.refund_amount}`,
      chargebacks: `${m.chargeback_count} / ${m.chargeback_amount}`,
      "residual net": m.residual_net ?? "",
    })))
  ) print(line);
  return 0;
}
