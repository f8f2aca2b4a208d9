// Runner CPU per record and per request, per connector, for the Edge CPU budget's estimate
// (engine/budget/cpu_budget.ts; docs/benchmarks.md "Edge CPU budget"). Each connector's fake API
// runs in a child process, the sync in this one (a real migrated database); this process's CPU is
// read from /proc around two full syncs at two page sizes and solved for cpu = a·records + b·requests.
//   deno run -A scripts/bench/cpu_per_record.ts [connector]   (needs the local stack: bash scripts/stack.sh start)
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { highlevelConnector } from "../../functions/_shared/connectors/highlevel/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { createTestDatabase } from "../../tests/_support/db.ts";
import { cpuSeconds } from "./_cpu.ts";

const serve = Deno.args[0] === "--serve" ? Deno.args[1] : null;
if (serve) {
  const url = serve === "square"
    ? (await import("../../tests/fakes/square/mod.ts")).startFakeSquare({
      seed: 3,
      orders: 6_000,
      customers: 3_000,
    })
      .url
    : (await import("../../tests/fakes/highlevel/mod.ts")).startFakeHighLevel({
      seed: 3,
      products: 500,
      contacts: 3_000,
      orders: 3_000,
      rateLimitMax: 0,
    }).url;
  console.log(url);
  await new Promise(() => {});
}

interface Case {
  name: string;
  connector: Connector;
  config: Record<string, unknown>;
  pageSizes: [number, number];
}
const cases: Case[] = [
  {
    name: "square",
    connector: squareConnector,
    config: { accessToken: "fake-square-token" },
    pageSizes: [100, 500],
  },
  {
    name: "highlevel",
    connector: highlevelConnector,
    config: { accessToken: "fake-highlevel-token", locationId: "fakeLocation0001" },
    pageSizes: [20, 100],
  },
];

async function once(c: Case, url: string, pageSize: number) {
  await using t = await createTestDatabase();
  const sql = connect(t.url, 4);
  try {
    await db.createJob(sql, {
      connector: c.name,
      mode: "full",
      streams: c.connector.streams.map((s) => s.name),
    });
    const config = { ...c.config, baseUrl: url, pageSize, rateLimitRequests: 0 };
    let requests = 0;
    const before = cpuSeconds("self");
    const out = await runUntilIdle({
      sql,
      connectors: { [c.name]: c.connector },
      connectorConfig: () => config,
      workerId: "bench",
      log: (line) => {
        const m = /(\d+) requests/.exec(line);
        if (m) requests += Number(m[1]);
      },
    }, { budgetMs: 600_000 });
    const cpu = cpuSeconds("self") - before;
    const [{ records }] = await sql`select coalesce(sum(done), 0)::int as records from sync.progress`;
    const [{ reqs }] = await sql`select coalesce(sum(requests), 0)::int as reqs from sync.job_http_stats`;
    return { status: out.map((o) => o.status).join(","), cpu, records, requests: reqs || requests };
  } finally {
    await sql.end();
  }
}

const only = Deno.args[0];
for (const c of cases.filter((c) => !only || c.name === only)) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--serve", c.name],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const url = (await reader.read()).value!.trim();
  try {
    await once(c, url, c.pageSizes[1]); // warm-up (JIT, connections)
    const runs = [];
    for (const p of c.pageSizes) runs.push({ pageSize: p, ...(await once(c, url, p)) });
    const [r1, r2] = runs;
    // cpu = a·records + b·requests, same records at two page sizes
    const b = (r1.cpu - r2.cpu) / (r1.requests - r2.requests);
    const a = (r2.cpu - b * r2.requests) / r2.records;
    for (const r of runs) {
      console.log(
        `${c.name} pageSize ${r.pageSize}: ${r.records} records, ${r.requests} requests, ${
          (r.cpu * 1000).toFixed(0)
        } ms CPU (${r.status}) = ${((r.cpu * 1e6) / r.records).toFixed(1)} µs per record all in`,
      );
    }
    console.log(`${c.name}: ${(a * 1e6).toFixed(1)} µs per record + ${(b * 1e6).toFixed(0)} µs per request`);
  } finally {
    child.kill();
    await child.status;
  }
}
