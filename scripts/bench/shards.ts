// Shard benchmark (issue 17, items 4-6): a full sync of N Square orders from the fake Square API
// (its own process) answering each request after a realistic delay and refusing more than a limit of
// requests per second with 429, read by 1, 2, 4 and 8 worker processes (scripts/worker.ts) in as many
// shards, next to the rate-limit bound (requests/s x orders per page) and the hand-written loop
// (scripts/bench/handwritten_loop.ts) at the same settings; then the same at zero latency without a
// limit. Workers share the vendor's limit through sync.rate_take (at most 20 requests in any second,
// kept with a 2% margin: 19.6/s sustained). Wall time is the job's created_at to finished_at.
//   deno run -A scripts/bench/shards.ts [--orders 100000] [--latency-ms 200] [--limit 20] [--shards 1,2,4,8]
//     [--zero-shards 1,2,4] [--no-handwritten] [--ids] (--ids: the completeness id walk after the read too)
import { parseArgs } from "node:util";
import postgres from "postgres";
import { freshDatabase } from "../lib/database.ts";
import { RUNNER_V8_FLAGS } from "../lib/v8.ts";
import { cpuSeconds } from "./_cpu.ts";
import {
  FAKE_SQUARE_TOKEN as TOKEN,
  type FakeSquareProcess,
  startFakeSquareProcess,
} from "./_fake_square.ts";
import { handwrittenSync } from "./handwritten_loop.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    orders: { type: "string", default: "100000" },
    "latency-ms": { type: "string", default: "200" },
    limit: { type: "string", default: "20" },
    shards: { type: "string", default: "1,2,4,8" },
    "zero-shards": { type: "string", default: "1,2,4" },
    "no-handwritten": { type: "boolean", default: false },
    ids: { type: "boolean", default: false },
  },
});
const ORDERS = Number(values.orders);
const LATENCY = Number(values["latency-ms"]);
const LIMIT = Number(values.limit);
const PAGE = 500;
const root = new URL("../..", import.meta.url).pathname;
const list = (s: string) => s.split(",").filter(Boolean).map(Number);

/** The fake Square process, its orders built (one untimed search), outside any measurement. */
async function startFake(latencyMs: number, limit: number): Promise<FakeSquareProcess> {
  const fake = await startFakeSquareProcess(ORDERS, { latencyMs, limitPerSecond: limit });
  // the fake builds its orders on first use: one untimed search does it (it counts against the
  // limit's window too, so wait a second afterwards)
  const warm = await fetch(`${fake.url}/v2/orders/search`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ location_ids: fake.locations.slice(0, 10), limit: 1 }),
  });
  await warm.body?.cancel();
  await new Promise((r) => setTimeout(r, 1100));
  return fake;
}

/** CPU seconds of one PostgreSQL cluster: its postmaster, live children, and reaped children. */
function clusterCpu(postmaster: number): number {
  let sum = 0;
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(e.name);
      if (pid === postmaster) sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
      else if (Number(f[1]) === postmaster) sum += (Number(f[11]) + Number(f[12])) / 100;
    } catch { /* gone */ }
  }
  return sum;
}

interface Run {
  label: string;
  shards: number | null;
  latencyMs: number;
  records: number;
  seconds: number;
  requests: number;
  rateLimited: number;
  status: string;
  runnerCpu: number;
  postgresCpu: number;
  fakeCpu: number;
  /** s from the job's creation to its shards' planning, and from the last shard's end to the job's */
  startup?: number;
  tail?: number;
}

async function engineRun(shards: number, latencyMs: number, limit: number): Promise<Run> {
  const fake = await startFake(latencyMs, limit);
  const dbUrl = await freshDatabase("syncline_bench_shards");
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const workers: Deno.ChildProcess[] = [];
  try {
    const [{ ppid }] = await sql`select pg_backend_pid() as ppid`;
    const stat = Deno.readTextFileSync(`/proc/${ppid}/stat`);
    const postmaster = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    for (let i = 0; i < shards; i++) {
      workers.push(
        new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            `--v8-flags=${RUNNER_V8_FLAGS}`,
            "scripts/worker.ts",
            "--quiet",
            "--poll-ms",
            "50",
          ],
          cwd: root,
          env: {
            SYNCLINE_DB_URL: dbUrl,
            SQUARE_BASE_URL: fake.url,
            SQUARE_ACCESS_TOKEN: TOKEN,
            SQUARE_PAGE_SIZE: String(PAGE),
            SQUARE_RATE_LIMIT_REQUESTS: String(limit),
            SQUARE_COMPLETENESS_IDS: values.ids ? "true" : "false",
            SQUARE_HTTP_MAX_ATTEMPTS: "20",
          },
          stdout: "null",
          stderr: "inherit",
        }).spawn(),
      );
    }
    // workers up (their first idle pass) before the clock starts
    await new Promise((r) => setTimeout(r, 3000));
    const cpu0 = {
      runner: workers.reduce((n, w) => n + cpuSeconds(w.pid), 0),
      pg: clusterCpu(postmaster),
      fake: cpuSeconds(fake.pid),
    };
    const [job] = await sql`select * from sync.create_job('square', array['orders'], 'default', 'full',
      ${sql.json(shards > 1 ? { shards } : {})})`;
    let done: Record<string, unknown>;
    for (;;) {
      [done] = await sql`select status, stats, extract(epoch from finished_at - created_at)::float8 as seconds
        from sync.jobs where id = ${job.id}`;
      if (!["queued", "running"].includes(done.status as string)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const [phases] = await sql`select extract(epoch from min(s.planned_at) - j.created_at)::float8 as startup,
        extract(epoch from j.finished_at - max(s.finished_at))::float8 as tail
      from sync.jobs j join sync.job_shards s on s.job_id = j.id where j.id = ${job.id} group by j.id`;
    const runnerCpu = workers.reduce((n, w) => n + cpuSeconds(w.pid), 0) - cpu0.runner;
    const postgresCpu = clusterCpu(postmaster) - cpu0.pg;
    const fakeCpu = cpuSeconds(fake.pid) - cpu0.fake;
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.status));
    workers.length = 0;
    const served = await fake.stop();
    if (Deno.env.get("BENCH_ARRIVALS")) {
      // requests the fake saw per 500 ms from the job's first one (the two before are set-up)
      const a = served.arrivals.slice(2);
      const slots: number[] = [];
      for (const t of a) slots[Math.floor((t - a[0]) / 500)] = (slots[Math.floor((t - a[0]) / 500)] ?? 0) + 1;
      console.error(`arrivals per 500 ms (${shards} shards): ${Array.from(slots, (n) => n ?? 0).join(" ")}`);
    }
    return {
      label: shards === 1 ? "engine, unsharded" : `engine, ${shards} shards`,
      shards,
      latencyMs,
      records: Number((done.stats as { records?: number }).records ?? 0),
      seconds: Number(done.seconds),
      requests: served.requests.total - 2, // less the start-up check and the warm-up
      rateLimited: served.rateLimited,
      status: done.status as string,
      runnerCpu,
      postgresCpu,
      fakeCpu,
      ...(phases ? { startup: Number(phases.startup), tail: Number(phases.tail) } : {}),
    };
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    await sql.end();
  }
}

async function handwrittenRun(latencyMs: number, limit: number): Promise<Run> {
  const fake = await startFake(latencyMs, limit);
  const dbUrl = await freshDatabase("syncline_bench_shards");
  const probe = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const [{ ppid }] = await probe`select pg_backend_pid() as ppid`;
  const stat = Deno.readTextFileSync(`/proc/${ppid}/stat`);
  const postmaster = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  await probe.end();
  const cpu0 = { self: cpuSeconds("self"), pg: clusterCpu(postmaster), fake: cpuSeconds(fake.pid) };
  const r = await handwrittenSync({ dbUrl, baseUrl: fake.url, token: TOKEN, pageSize: PAGE });
  const runnerCpu = cpuSeconds("self") - cpu0.self;
  const postgresCpu = clusterCpu(postmaster) - cpu0.pg;
  const fakeCpu = cpuSeconds(fake.pid) - cpu0.fake;
  const served = await fake.stop();
  return {
    label: "hand-written loop",
    shards: null,
    latencyMs,
    records: r.records,
    seconds: r.seconds,
    requests: r.requests,
    rateLimited: served.rateLimited,
    status: "done",
    runnerCpu,
    postgresCpu,
    fakeCpu,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const us = (cpu: number, r: Run) => `${((cpu / Math.max(1, r.records)) * 1e6).toFixed(0)}`;
function table(title: string, runs: Run[], bound: number | null) {
  console.log(`\n${title}`);
  console.log(
    `${"run".padEnd(20)} ${"status".padEnd(10)} ${"records".padStart(8)} ${"seconds".padStart(8)} ${
      "records/s".padStart(10)
    } ${"of bound".padStart(9)} ${"requests".padStart(9)} ${"429s".padStart(5)} ${
      "plan/tail s".padStart(11)
    }  CPU µs/record runner / Postgres / fake`,
  );
  for (const r of runs) {
    const rate = r.records / r.seconds;
    console.log(
      `${r.label.padEnd(20)} ${r.status.padEnd(10)} ${fmt(r.records).padStart(8)} ${
        r.seconds.toFixed(2).padStart(8)
      } ${fmt(rate).padStart(10)} ${(bound ? `${((rate / bound) * 100).toFixed(0)}%` : "-").padStart(9)} ${
        fmt(r.requests).padStart(9)
      } ${String(r.rateLimited).padStart(5)} ${
        (r.startup === undefined ? "-" : `${r.startup.toFixed(2)}/${r.tail!.toFixed(2)}`).padStart(11)
      }  ${us(r.runnerCpu, r)} / ${us(r.postgresCpu, r)} / ${us(r.fakeCpu, r)}`,
    );
  }
}

const limited: Run[] = [];
if (!values["no-handwritten"]) limited.push(await handwrittenRun(LATENCY, LIMIT));
for (const n of list(values.shards)) limited.push(await engineRun(n, LATENCY, LIMIT));
const bound = LIMIT * PAGE;
console.log(`\n${fmt(ORDERS)} orders, ${PAGE} per page, ${navigator.hardwareConcurrency} cores`);
table(
  `${LATENCY} ms per page, at most ${LIMIT} requests/s (bound ${
    fmt(bound)
  } records/s = ${LIMIT} requests/s x ${PAGE})`,
  limited,
  bound,
);
const zero: Run[] = [];
if (!values["no-handwritten"] && list(values["zero-shards"]).length) zero.push(await handwrittenRun(0, 0));
for (const n of list(values["zero-shards"])) zero.push(await engineRun(n, 0, 0));
if (zero.length) table("zero latency, no limit", zero, null);
console.log(JSON.stringify({ limited, zero }));
