// Bubble integrity sync against the fake Bubble Data API with a fixed latency per call (default
// 100 ms, a real API's round trip): API calls and seconds per single invoice, and for a batch of
// invoices, relations fetched in batches (`in` on `_id`, one call per type and 100 ids) next to
// one call per relation (GET /obj/<type>/<id>). Same code, same concurrency (related types in
// parallel, ids of one type one after the other); only relationFetch differs. Prints figures;
// not a test. Single invoices run as one job each, on empty tables (the most calls an invoice needs).
//   deno run -A scripts/bench/bubble.ts [--latency 100] [--singles 10] [--batch 1000]
import { parseArgs } from "node:util";
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { defaultHttpPolicy, HttpClient } from "../../functions/_shared/engine/http/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { invoicingData } from "../../tests/fakes/bubble/invoicing.ts";
import { FAKE_BUBBLE_TOKEN, startFakeBubble } from "../../tests/fakes/bubble/mod.ts";
import { freshDatabase } from "../lib/database.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    latency: { type: "string", default: "100" },
    singles: { type: "string", default: "10" },
    batch: { type: "string", default: "1000" },
    only: { type: "string" },
  },
});
const latencyMs = Number(values.latency);
const singles = Number(values.singles);
const batch = Number(values.batch);
const connector = bubbleConnector([], { model: invoicingModel });

function worker(sql: ReturnType<typeof connect>, cfg: Record<string, unknown>, fakeUrl: string) {
  return runUntilIdle({
    sql,
    connectors: { bubble: connector },
    connectorConfig: () => cfg,
    workerId: "bench",
    httpFor: (c, k) =>
      new HttpClient({
        source: "bubble",
        baseUrl: fakeUrl,
        headers: c.headers(k),
        policy: { ...defaultHttpPolicy, timeoutMs: 600_000 },
      }),
  }, { budgetMs: 3_600_000, leaseSeconds: 600 });
}

/**
 * A batch job (all invoices), or `singles` single-invoice jobs one after the other, each on empty
 * tables (the most calls an invoice needs) or, warm, on what the invoices before it landed.
 */
async function run(how: "batched" | "per-id", invoices: number, mode: "single" | "full", warm = false) {
  const fake = startFakeBubble({ data: invoicingData({ invoices }), latencyMs });
  const url = await freshDatabase(`syncline_bench_bubble_${how.replace("-", "_")}`);
  const sql = connect(url, 4);
  const cfg = { apiToken: FAKE_BUBBLE_TOKEN, baseUrl: fake.url, relationFetch: how, pageSize: 100 };
  try {
    const ids = fake.state.keys("invoice");
    const perJob: number[] = [];
    let status: string | undefined;
    let ms = 0;
    for (const records of mode === "full" ? [null] : ids.slice(0, singles).map((id) => ({ invoice: [id] }))) {
      if (records && !warm) {
        await sql.unsafe(`truncate ${invoicingModel.types.map((t) => `bubble."${t.name}"`).join(", ")}`);
      }
      const before = fake.state.requests.total;
      const t0 = performance.now();
      await db.createJob(sql, {
        connector: "bubble",
        streams: ["invoice"],
        mode,
        options: records ? { records } : {},
      });
      status = (await worker(sql, cfg, fake.url)).at(-1)?.status;
      ms += performance.now() - t0;
      perJob.push(fake.state.requests.total - before);
    }
    const seconds = ms / 1000;
    const [rows] = await sql<{ invoices: number }[]>`select count(*)::int as invoices from bubble.invoice`;
    return { status, calls: fake.state.requests.total, maxPerJob: Math.max(...perJob), seconds, ...rows };
  } finally {
    await sql.end({ timeout: 5 });
    await fake.close();
  }
}

const line = (what: string, r: Awaited<ReturnType<typeof run>>, per: number) =>
  `${what.padEnd(44)} ${String(r.calls).padStart(6)} calls ${
    (r.calls / per).toFixed(1).padStart(5)
  } /invoice${per > 1 && r.maxPerJob < r.calls ? ` (max ${r.maxPerJob})` : ""} ${
    r.seconds.toFixed(2).padStart(8)
  } s ${(r.seconds / per).toFixed(3).padStart(7)} s/invoice (${r.status})`;

console.log(`Bubble integrity sync, fake Data API with ${latencyMs} ms per call`);
const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
for (const how of ["batched", "per-id"] as const) {
  if (values.only && values.only !== how) continue;
  results[`single ${how}`] = await run(how, 60, "single");
  console.log(line(`${singles} single invoices, relations ${how}`, results[`single ${how}`], singles));
  const warm = await run(how, 60, "single", true);
  console.log(line(`  the same, tables kept between invoices`, warm, singles));
}
for (const how of ["batched", "per-id"] as const) {
  if (values.only && values.only !== how) continue;
  results[`batch ${how}`] = await run(how, batch, "full");
  console.log(
    line(
      `batch of ${results[`batch ${how}`].invoices} invoices, relations ${how}`,
      results[`batch ${how}`],
      batch,
    ),
  );
}
if (results["batch batched"] && results["batch per-id"]) {
  console.log(
    `batch: ${(results["batch per-id"].seconds / results["batch batched"].seconds).toFixed(1)}x faster, ${
      (results["batch per-id"].calls / results["batch batched"].calls).toFixed(1)
    }x fewer calls with batched relations`,
  );
}
