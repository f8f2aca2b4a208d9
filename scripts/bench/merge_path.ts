// Merge paths side by side (issue 17, item 6), printed as figures (not a timed test):
//   deno task bench:merge-path [--orders 50000] [--sync-orders 100000] [--reps 3] [--only merge|sync]
// (a) the same Square orders (from the fake Square API, prepared by the connector as a sync does)
//     merged page by page (500 a page, one transaction each) through the JSON path (merge_rows),
//     the COPY path (copy_stage + COPY + merge_copied), the COPY path with a staging table kept for
//     the session (what creating one per page costs), and per-column arrays (unnest): Postgres
//     backend CPU per record from the backend's /proc entry, into an empty table and again
//     (unchanged); runner CPU per record to build each payload.
// (b) zero-latency full syncs of --sync-orders orders from the fake Square (its own process, rate
//     limits off, no id check) through the real runner with the JSON path, with the COPY path, and
//     the hand-written loop (handwritten_loop.ts): wall time, records/s, CPU per record of runner,
//     Postgres and fake.
import { parseArgs } from "node:util";
import { orders as ordersStream } from "../../functions/_shared/connectors/square/streams.ts";
import { copyColumns, copyMerge, writeCopy } from "../../functions/_shared/engine/merge/mod.ts";
import { type CopyColumn, copyPage, prepareRecords } from "../../functions/_shared/engine/records/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { freshDatabase } from "../lib/database.ts";
import { RUNNER_V8_FLAGS } from "../lib/v8.ts";
import { cpuSeconds } from "./_cpu.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquareProcess } from "./_fake_square.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    orders: { type: "string", default: "50000" },
    "sync-orders": { type: "string", default: "100000" },
    reps: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const REPS = Number(values.reps);
const root = new URL("../..", import.meta.url).pathname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const us = (seconds: number, n: number) => (seconds / n) * 1e6;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

type Row = Record<string, unknown>;

/** Every SearchOrders page of the fake, as the connector reads them (500 orders, 10 locations a call). */
async function readOrderPages(url: string): Promise<unknown[][]> {
  const headers = { authorization: `Bearer ${FAKE_SQUARE_TOKEN}`, "content-type": "application/json" };
  const locations = (await (await fetch(`${url}/v2/locations`, { headers })).json()).locations as {
    id: string;
  }[];
  const ids = locations.map((l) => l.id).sort();
  const pages: unknown[][] = [];
  for (let i = 0; i < ids.length; i += 10) {
    let cursor: string | undefined;
    do {
      const res = await fetch(`${url}/v2/orders/search`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          location_ids: ids.slice(i, i + 10),
          limit: 500,
          ...(cursor ? { cursor } : {}),
          query: { sort: { sort_field: "UPDATED_AT", sort_order: "ASC" } },
        }),
      });
      const body = await res.json() as { orders?: unknown[]; cursor?: string };
      if (body.orders?.length) pages.push(body.orders);
      cursor = body.cursor;
    } while (cursor);
  }
  return pages;
}

/** Per-column text arrays (the unnest alternative's payload): JSON for jsonb, text for the rest. */
function columnArrays(rows: Row[], columns: string[], types: Map<string, CopyColumn>): (string | null)[][] {
  return columns.map((c) => {
    const json = types.get(c)?.type === "jsonb";
    return rows.map((r) => {
      const v = r[c];
      return v === null || v === undefined ? null : json ? JSON.stringify(v) : String(v);
    });
  });
}

interface Variant {
  name: string;
  /** builds the page's payload (runner CPU measured around it) */
  build(rows: Row[]): unknown;
  /** merges one page's payload in its own transaction */
  merge(sql: Sql, payload: unknown): Promise<void>;
  setUp?(sql: Sql): Promise<void>;
}

async function mergeBench(orders: number) {
  await using fake = await startFakeSquareProcess(orders);
  const raw = await readOrderPages(fake.url);
  const dbUrl = await freshDatabase("syncline_bench_merge_path");
  const sql = connect(dbUrl, 1);
  const [{ pid }] = await sql`select pg_backend_pid() as pid`;
  const types = await copyColumns(sql, "square.orders");
  const pages = raw.map((p) => prepareRecords(ordersStream, p).rows);
  const n = pages.reduce((s, p) => s + p.length, 0);
  const columns = Object.keys(pages[0][0]);
  const casts = await sql`select attname::text as c, format_type(atttypid, atttypmod) as t from pg_attribute
    where attrelid = 'square.orders'::regclass and attname = any (${columns}::text[])`;
  const typeOf = new Map(casts.map((r) => [r.c as string, r.t as string]));
  // $1 is the first column's array, $2/$3 the merge statement's own (observed at, job), $4.. the rest
  const params = columns.map((_, i) => (i === 0 ? 1 : i + 3));
  const src = `select ${columns.map((c) => `u.${c}::${typeOf.get(c)} as ${c}`).join(", ")} from unnest(${
    params.map((p) => `$${p}::text[]`).join(", ")
  }) u(${columns.join(", ")})`;
  const [{ stmt }] =
    await sql`select sync._merge_statement('square.orders'::regclass, array['id'], ${columns}::text[],
    ${`select s.*, coalesce(s.updated_at, $2) as _v from (${src}) s`}, false) as stmt`;

  const variants: Variant[] = [
    {
      name: "JSON array (merge_rows)",
      build: (rows) => JSON.stringify(rows),
      merge: (sql, json) =>
        sql.begin((tx) => tx`select sync.merge_rows('square.orders', ${json as string}::text::jsonb)`).then(
          () => {},
        ),
    },
    {
      name: "COPY, temp table per page",
      build: (rows) => copyPage(rows, types),
      merge: (sql, page) =>
        sql.begin((tx) => copyMerge(tx, "square.orders", page as ReturnType<typeof copyPage> & object, null))
          .then(() => {}),
    },
    {
      name: "COPY, staging kept per session",
      build: (rows) => copyPage(rows, types),
      // created once for the connection (not at each commit): what a cached staging table would save
      setUp: (sql) =>
        sql.unsafe(
          `create temp table _sync_copy as select ${columns.join(", ")} from square.orders with no data`,
        )
          .then(() => {}),
      merge: (sql, page) =>
        sql.begin(async (tx) => {
          await writeCopy(tx, page as NonNullable<ReturnType<typeof copyPage>>);
          await tx`select sync.merge_copied('square.orders', ${columns}::text[])`;
          await tx`truncate pg_temp._sync_copy`;
        }).then(() => {}),
    },
    {
      name: "column arrays (unnest)",
      build: (rows) => columnArrays(rows, columns, types),
      merge: (sql, arrays) => {
        const a = arrays as (string | null)[][];
        const args: unknown[] = [a[0], new Date(), null, ...a.slice(1)];
        return sql.begin((tx) => tx.unsafe(stmt as string, args as never[])).then(() => {});
      },
    },
  ];

  // runner CPU to build each payload (median of 5 rounds over every page)
  const build = new Map<string, number>();
  for (const v of variants) {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      for (const p of pages) v.build(p);
      times.push((performance.now() - t0) / 1000);
    }
    build.set(v.name, us(median(times), n));
  }
  // the session-kept staging table only matters for its own variant: a separate connection
  const backend = new Map<
    string,
    { insert: number[]; unchanged: number[]; send: number[]; wall: number[] }
  >();
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 ? [...variants].reverse() : variants;
    for (const v of order) {
      const own = v.setUp ? connect(dbUrl, 1) : sql;
      const ownPid = v.setUp ? Number((await own`select pg_backend_pid() as pid`)[0].pid) : Number(pid);
      await v.setUp?.(own);
      await sql`truncate square.orders`;
      const payloads = pages.map((p) => v.build(p));
      const got = backend.get(v.name) ?? { insert: [], unchanged: [], send: [], wall: [] };
      const measure = async () => {
        const [c0, s0, t0] = [cpuSeconds(ownPid), cpuSeconds("self"), performance.now()];
        for (const p of payloads) await v.merge(own, p);
        got.send.push(us(cpuSeconds("self") - s0, n));
        got.wall.push(us((performance.now() - t0) / 1000, n));
        return us(cpuSeconds(ownPid) - c0, n);
      };
      got.insert.push(await measure());
      got.unchanged.push(await measure());
      backend.set(v.name, got);
      if (v.setUp) await own.end();
    }
  }
  const [{ count }] = await sql`select count(*)::int as count from square.orders`;
  await sql.end();
  console.log(
    `\n(a) ${fmt(n)} Square orders (${pages.length} pages of up to 500, ${fmt(count)} rows stored), ` +
      `median of ${REPS} runs, µs per record:`,
  );
  console.log(
    "| payload / merge path | runner: build payload | runner: send (driver) | Postgres: insert | " +
      "Postgres: unchanged | wall, one page at a time |",
  );
  console.log(`| --- | --: | --: | --: | --: | --: |`);
  for (const v of variants) {
    const b = backend.get(v.name)!;
    const cells = [build.get(v.name)!, median(b.send), median(b.insert), median(b.unchanged), median(b.wall)];
    console.log(`| ${v.name} | ${cells.map((c) => c.toFixed(1)).join(" | ")} |`);
  }
}

interface SyncResult {
  path: string;
  records: number;
  seconds: number;
  runnerCpu: number;
  postgresCpu: number;
  fakeCpu: number;
  requests?: number;
  retries?: number;
  /** the runner's peak RSS (sync_run.ts samples it; not measured for the hand-written loop) */
  peakRssMb?: number;
}

/** Greatest CPU seen per backend of `db`, sampled while fn runs (for a process whose pool we cannot see). */
async function sampleBackends(dbUrl: string, fn: () => Promise<void>): Promise<number> {
  const monitor = connect(dbUrl, 1);
  const name = new URL(dbUrl).pathname.slice(1);
  const seen = new Map<number, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const pids =
        await monitor`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
      for (const { pid } of pids) {
        const cpu = cpuSeconds(Number(pid));
        if (!Number.isNaN(cpu)) seen.set(Number(pid), Math.max(seen.get(Number(pid)) ?? 0, cpu));
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    await fn();
  } finally {
    running = false;
    await loop;
    await monitor.end();
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

async function syncBench(orders: number) {
  await using fake = await startFakeSquareProcess(orders);
  const results: SyncResult[] = [];
  const runOnce = async (path: string) => {
    const dbUrl = await freshDatabase("syncline_bench_merge_path_sync");
    const fake0 = cpuSeconds(fake.pid);
    const run = (script: string, env: Record<string, string>) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, script],
        cwd: root,
        env,
        stdout: "piped",
        stderr: "inherit",
      }).output().then((o) =>
        JSON.parse(new TextDecoder().decode(o.stdout).trim().split("\n").at(-1) ?? "{}")
      );
    if (path === "hand-written loop") {
      let out:
        | { records: number; seconds: number; runnerCpu: number; requests: number; retries: number }
        | null = null;
      const postgresCpu = await sampleBackends(dbUrl, async () => {
        out = await run("scripts/bench/handwritten_run.ts", {
          BENCH_DB_URL: dbUrl,
          BENCH_BASE_URL: fake.url,
          BENCH_TOKEN: FAKE_SQUARE_TOKEN,
        });
      });
      results.push({ path, ...out!, postgresCpu, fakeCpu: cpuSeconds(fake.pid) - fake0 });
      return;
    }
    const out = await run("scripts/bench/sync_run.ts", {
      SYNCLINE_DB_URL: dbUrl,
      SQUARE_BASE_URL: fake.url,
      SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
      SQUARE_RATE_LIMIT_REQUESTS: "0",
      SQUARE_COMPLETENESS_IDS: "false",
      SQUARE_MERGE_PATH: path === "runner, JSON path" ? "json" : "copy",
      BENCH_STREAMS: "orders",
    });
    if (out.status !== "succeeded") throw new Error(`${path}: the sync ended ${out.status}`);
    results.push({ path, ...out, fakeCpu: cpuSeconds(fake.pid) - fake0 });
  };
  const paths = ["runner, JSON path", "runner, COPY path", "hand-written loop"];
  for (let rep = 0; rep < REPS; rep++) {
    for (const p of rep % 2 ? [...paths].reverse() : paths) await runOnce(p);
  }
  console.log(
    `\n(b) zero-latency full sync of ${fmt(orders)} orders from the fake Square, ${REPS} runs each ` +
      `(alternating order); CPU per record (user + system):`,
  );
  console.log(`| run | seconds | records/s | runner µs | Postgres µs | fake µs | runner peak RSS MB |`);
  console.log(`| --- | --: | --: | --: | --: | --: | --: |`);
  for (const r of results) {
    const cells = [
      r.seconds.toFixed(2),
      fmt(r.records / r.seconds),
      ...[r.runnerCpu, r.postgresCpu, r.fakeCpu].map((c) => us(c, r.records).toFixed(0)),
      r.peakRssMb?.toFixed(1) ?? "–",
    ];
    console.log(`| ${r.path} | ${cells.join(" | ")} |`);
  }
  const rate = (p: string) => median(results.filter((r) => r.path === p).map((r) => r.records / r.seconds));
  console.log(`\nmedian records/s: ${paths.map((p) => `${p} ${fmt(rate(p))}`).join(", ")}`);
  console.log(
    `runner (COPY path) vs hand-written loop: ${
      (rate("runner, COPY path") / rate("hand-written loop")).toFixed(2)
    }x (target >= 2x); JSON path vs hand-written: ${
      (rate("runner, JSON path") / rate("hand-written loop")).toFixed(2)
    }x`,
  );
}

console.log(
  `machine: ${navigator.hardwareConcurrency} cores, load average ${
    Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
  }, ${new Date().toISOString()}`,
);
if (values.only !== "sync") await mergeBench(Number(values.orders));
if (values.only !== "merge") await syncBench(Number(values["sync-orders"]));
