// End to end: the HTTP API starts an Ireland Pay history sync from 2024-04-01, the worker reads
// the hostile fake (429s, malformed records) month by month, merchants -> transactions ->
// residuals land in irelandpay.*, the metrics computed in Postgres equal the ones computed here
// from the fake's data (exact decimals), and a second run adds no duplicates.
import assert from "node:assert/strict";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { FAKE_IRELANDPAY_KEY, startFakeIrelandPay } from "../fakes/irelandpay/mod.ts";
import type { Rec } from "../fakes/irelandpay/data.ts";
import { createTestDatabase } from "../_support/db.ts";
import { apiClient } from "./_app.ts";

const cents = (s: unknown) => BigInt(Math.round(Number(s) * 100));
const money = (c: bigint) => {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
};

/** The metrics the API must return, computed from the fake's valid records. */
export function expectedMetrics(transactions: Rec[], residuals: Rec[], malformed: Set<string>) {
  const out = new Map<string, Record<string, unknown>>();
  const at = (mid: string, month: string) => {
    const k = `${mid} ${month}`;
    if (!out.has(k)) {
      out.set(k, {
        mid,
        month,
        sales: 0,
        volume: 0n,
        refunds: 0,
        refundAmount: 0n,
        chargebacks: 0,
        chargebackAmount: 0n,
        residualNet: null,
      });
    }
    return out.get(k)!;
  };
  for (const t of transactions) {
    if (malformed.has(String(t.id))) continue;
    const m = at(String(t.mid), String(t.date).slice(0, 7));
    if (t.type === "sale") (m.sales as number)++, m.volume = (m.volume as bigint) + cents(t.amount);
    if (t.type === "refund") {
      (m.refunds as number)++, m.refundAmount = (m.refundAmount as bigint) + cents(t.amount);
    }
    if (t.type === "chargeback") {
      (m.chargebacks as number)++, m.chargebackAmount = (m.chargebackAmount as bigint) + cents(t.amount);
    }
  }
  for (const r of residuals) {
    at(String(r.mid), String(r.period).slice(0, 7)).residualNet = money(cents(r.net));
  }
  return [...out.values()].sort((a, b) => `${a.mid} ${a.month}`.localeCompare(`${b.mid} ${b.month}`)).map(
    (m) => {
      const n = BigInt(m.sales as number);
      const vol = m.volume as bigint;
      return {
        mid: m.mid,
        month: m.month,
        transaction_count: m.sales,
        volume: money(vol),
        // numeric round(): half away from zero
        average_ticket: n ? money((2n * vol + n) / (2n * n)) : null,
        refund_count: m.refunds,
        refund_amount: money(m.refundAmount as bigint),
        chargeback_count: m.chargebacks,
        chargeback_amount: money(m.chargebackAmount as bigint),
        net_volume: money(vol - (m.refundAmount as bigint) - (m.chargebackAmount as bigint)),
        residual_net: m.residualNet,
      };
    },
  );
}

Deno.test("Ireland Pay history from 2024-04-01: every phase lands, metrics are exact, a re-run adds no duplicates", async () => {
  const fake = startFakeIrelandPay({
    seed: 11,
    merchants: 6,
    perMonth: 12,
    malformed: 4,
    rateLimitEvery: 37,
    duplicates: true,
  });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors: { irelandpay: irelandpayConnector },
      connectorConfig: () => ({
        apiKey: FAKE_IRELANDPAY_KEY,
        baseUrl: fake.url,
        // small pages: a merchant's month spans pages, each repeating the previous page's last record
        pageSize: 5,
        rateLimitRequests: 0,
        httpBaseDelayMs: 1,
        httpMaxDelayMs: 5,
      }),
      budgetMs: 120_000,
    });

    const started = await call("POST", "/sync/jobs", { connector: "irelandpay", since: "2024-04-01" });
    assert.equal(started.status, 202);
    assert.deepEqual(started.body.job.streams, ["merchants", "transactions", "residuals"]);
    await work();
    const { body: shown } = await call("GET", `/sync/jobs/${started.body.job.id}`);
    // the malformed records are failed items, the rest landed: partial, never plain success
    assert.equal(shown.job.status, "partial", shown.job.error);
    assert.deepEqual(shown.progress.map((p: { phase: string }) => p.phase), [
      "merchants",
      "transactions",
      "residuals",
    ]);
    const w = fake.state.world;
    const counts = async () =>
      Object.fromEntries(
        (await db.sql`select 'merchants' as t, count(*)::int as n from irelandpay.merchants
          union all select 'transactions', count(*)::int from irelandpay.transactions
          union all select 'residuals', count(*)::int from irelandpay.residuals`).map((r) => [r.t, r.n]),
      );
    const expectedCounts = {
      merchants: w.merchants.length,
      transactions: w.transactions.length - w.malformed.size,
      residuals: w.residuals.length,
    };
    assert.deepEqual(await counts(), expectedCounts);
    const failed = await call("GET", "/sync/failed-items?connector=irelandpay");
    assert.deepEqual(
      failed.body.items.map((i: { item_key: string }) => i.item_key).sort(),
      [...w.malformed].sort(),
    );

    const expected = expectedMetrics(w.transactions, w.residuals, w.malformed);
    const got = await call("GET", "/sync/irelandpay/metrics");
    assert.equal(got.status, 200);
    assert.deepEqual(
      got.body.metrics.map((m: Record<string, unknown>) => ({
        mid: m.mid,
        month: m.month,
        transaction_count: m.transaction_count,
        volume: m.volume,
        average_ticket: m.average_ticket,
        refund_count: m.refund_count,
        refund_amount: m.refund_amount,
        chargeback_count: m.chargeback_count,
        chargeback_amount: m.chargeback_amount,
        net_volume: m.net_volume,
        residual_net: m.residual_net,
      })),
      expected,
    );
    // the merchant trading since the start has a row for every month up to last month
    const first = w.merchants[0].mid as string;
    const one = await call("GET", `/sync/irelandpay/metrics?mid=${first}&from=2024-04&to=2024-06`);
    assert.deepEqual(one.body.metrics.map((m: { month: string }) => m.month), [
      "2024-04",
      "2024-05",
      "2024-06",
    ]);
    const bad = await call("GET", "/sync/irelandpay/metrics?from=April");
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.message, /from: must be a month/);

    // the same history again: every row is unchanged, nothing duplicated
    const again = await call("POST", "/sync/jobs", { connector: "irelandpay", since: "2024-04-01" });
    await work();
    const { body: second } = await call("GET", `/sync/jobs/${again.body.job.id}`);
    assert.equal(second.job.status, "partial");
    for (const p of second.progress) assert.equal(p.inserted + p.updated, 0, `${p.phase} wrote rows again`);
    assert.deepEqual(await counts(), expectedCounts);

    // a dry run reports what would change and writes nothing; a single-record sync re-reads one record
    fake.state.touch("merchants", 2);
    const dry = await call("POST", "/sync/jobs", {
      connector: "irelandpay",
      streams: ["merchants"],
      dryRun: true,
    });
    await work();
    const { body: dryJob } = await call("GET", `/sync/jobs/${dry.body.job.id}`);
    assert.equal(dryJob.job.status, "succeeded", dryJob.job.error);
    assert.equal(dryJob.progress[0].updated, 2);
    const [{ n: touchedInDb }] = await db
      .sql`select count(*)::int as n from irelandpay.merchants where status like 'Touched%'`;
    assert.equal(touchedInDb, 0, "the dry run wrote nothing");
    const txn = w.transactions.find((t) => !w.malformed.has(String(t.id)))!;
    const single = await call("POST", "/sync/jobs", {
      connector: "irelandpay",
      records: { transactions: [txn.id] },
    });
    await work();
    const { body: singleJob } = await call("GET", `/sync/jobs/${single.body.job.id}`);
    assert.equal(singleJob.job.status, "succeeded", singleJob.job.error);
    assert.equal(singleJob.progress[0].unchanged, 1);
  } finally {
    await fake.close();
  }
});
