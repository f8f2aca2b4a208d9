// Merge benchmark: sync.merge_rows against a hand-written upsert, server side and from Deno.
//   deno task bench [--rows 100000] [--batch 1000] [--row-sample 5000] [--reps 3]
// Every pass runs --reps times (tables emptied in between, merge and hand-written interleaved)
// and the median is reported: on a shared 2-core machine single runs move by +-20%.
// Builds its own database (Supabase baseline + supabase/migrations), measures, drops it.
import postgres from "postgres";
import { dbUrl, type Sql } from "../../tests/_support/db.ts";
import { cpuSeconds } from "./_cpu.ts";

const args = parseArgs(Deno.args);
const ROWS = args.rows ?? 100_000;
const BATCH = args.batch ?? 1_000;
const ROW_SAMPLE = args["row-sample"] ?? 5_000;
const REPS = args.reps ?? 3;
const baseUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const root = new URL("../../", import.meta.url);

function parseArgs(argv: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, "")] = Number(argv[i + 1]);
  return out;
}

// 20 synced columns (id, 18 data columns, updated_at) plus one local-only column.
const DATA_COLUMNS: [string, string][] = [
  ["name", "text"],
  ["email", "text"],
  ["phone", "text"],
  ["status", "text"],
  ["city", "text"],
  ["country", "text"],
  ["tier", "text"],
  ["amount", "numeric(12,2)"],
  ["balance", "numeric(12,2)"],
  ["quantity", "integer"],
  ["score", "integer"],
  ["visits", "integer"],
  ["active", "boolean"],
  ["verified", "boolean"],
  ["signed_up_at", "timestamptz"],
  ["last_order_at", "timestamptz"],
  ["tags", "text"],
  ["note", "text"],
];
const COLUMNS = ["id", ...DATA_COLUMNS.map(([c]) => c), "updated_at"];

function tableDdl(name: string): string {
  const cols = DATA_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ");
  return `create table public.${name} (id bigint primary key, ${cols}, updated_at timestamptz, local_note text)`;
}

/** One synthetic source record; `gen` changes every data value and the version. */
function record(i: number, gen: number): Record<string, string | number | boolean> {
  const t = Date.UTC(2024, 0, 1) + gen * 86_400_000;
  return {
    id: i,
    name: `Customer ${i} g${gen}`,
    email: `c${i}.${gen}@example.test`,
    phone: `+1555${String(i).padStart(7, "0")}`,
    status: gen % 2 ? "active" : "lead",
    city: `City ${i % 97}`,
    country: "US",
    tier: ["gold", "silver"][(i + gen) % 2],
    amount: ((i * 7 + gen) % 100_000) / 100,
    balance: ((i * 3 + gen) % 50_000) / 100,
    quantity: (i + gen) % 50,
    score: (i * 13 + gen) % 1000,
    visits: gen,
    active: (i + gen) % 3 !== 0,
    verified: gen % 2 === 0,
    signed_up_at: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(),
    last_order_at: new Date(t).toISOString(),
    tags: `t${i % 10},g${gen}`,
    note: `note for ${i} (${gen})`,
    updated_at: new Date(t).toISOString(),
  };
}

// The same record built in SQL, so the server-side passes never cross the wire.
const SQL_RECORD =
  `jsonb_build_object('id', i, 'name', 'Customer ' || i || ' g' || g, 'email', 'c' || i || '.' || g || '@example.test',
  'phone', '+1555' || lpad(i::text, 7, '0'), 'status', case when g % 2 = 1 then 'active' else 'lead' end,
  'city', 'City ' || i % 97, 'country', 'US', 'tier', (array['gold', 'silver'])[(i + g) % 2 + 1],
  'amount', ((i * 7 + g) % 100000) / 100.0, 'balance', ((i * 3 + g) % 50000) / 100.0, 'quantity', (i + g) % 50,
  'score', (i * 13 + g) % 1000, 'visits', g, 'active', (i + g) % 3 <> 0, 'verified', g % 2 = 0,
  'signed_up_at', '2020-01-01T00:00:00Z'::timestamptz + i * interval '1 second',
  'last_order_at', '2024-01-01T00:00:00Z'::timestamptz + g * interval '1 day', 'tags', 't' || i % 10 || ',g' || g,
  'note', 'note for ' || i || ' (' || g || ')', 'updated_at', '2024-01-01T00:00:00Z'::timestamptz + g * interval '1 day')`;

async function setup(sql: Sql): Promise<void> {
  for (const file of ["scripts/supabase-baseline.sql", ...await migrations()]) {
    await sql.unsafe(await Deno.readTextFile(new URL(file, root)));
  }
  for (const t of ["srv_merge", "srv_hand", "deno_merge", "deno_rows", "deno_two"]) {
    await sql.unsafe(tableDdl(t));
    if (t !== "srv_hand" && t !== "deno_rows") {
      await sql`select sync.register_target(${"public." + t}, array['id'], 'updated_at')`;
    }
  }
  await sql.unsafe(`create table public.bench_batches (gen int, n int, rows jsonb, primary key (gen, n));
    insert into public.bench_batches
    select g, i / ${BATCH}, jsonb_agg(${SQL_RECORD} order by i)
    from generate_series(0, ${ROWS - 1}) i, (values (0), (1)) gens(g) group by g, i / ${BATCH};`);
  const setList = COLUMNS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ");
  await sql.unsafe(`
    create function public.bench_merge(p_target text, p_gen int) returns jsonb language plpgsql as $$
    declare t0 timestamptz := clock_timestamp(); r record; c jsonb; tot jsonb := '{}';
    begin
      for r in select rows from public.bench_batches where gen = p_gen order by n loop
        c := sync.merge_rows(p_target, r.rows);
        tot := (select jsonb_object_agg(k, coalesce((tot ->> k)::int, 0) + (c ->> k)::int) from jsonb_object_keys(c) k);
      end loop;
      return tot || jsonb_build_object('seconds', extract(epoch from clock_timestamp() - t0));
    end $$;
    create function public.bench_hand(p_gen int) returns jsonb language plpgsql as $$
    declare t0 timestamptz := clock_timestamp(); r record;
    begin
      for r in select rows from public.bench_batches where gen = p_gen order by n loop
        insert into public.srv_hand (${COLUMNS.join(", ")})
        select ${COLUMNS.join(", ")} from jsonb_populate_recordset(null::public.srv_hand, r.rows)
        on conflict (id) do update set ${setList};
      end loop;
      return jsonb_build_object('seconds', extract(epoch from clock_timestamp() - t0));
    end $$;`);
}

async function migrations(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(new URL("supabase/migrations/", root))) {
    if (e.name.endsWith(".sql")) names.push(e.name);
  }
  return names.sort().map((n) => `supabase/migrations/${n}`);
}

interface Figure {
  name: string;
  rows: number;
  seconds: number;
  /** CPU seconds the Postgres backend used (server-side passes): steadier than wall time here. */
  cpu?: number;
  counts?: string;
}

let backendPid = 0;

async function serverPass(sql: Sql, name: string, query: string): Promise<Figure> {
  const cpu0 = cpuSeconds(backendPid);
  const [{ r }] = await sql.unsafe(`select ${query} as r`);
  const cpu = cpuSeconds(backendPid) - cpu0;
  const { seconds, ...counts } = r as Record<string, number>;
  const c = Object.keys(counts).length
    ? Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")
    : undefined;
  return { name, rows: ROWS, seconds, cpu, counts: c };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** The client's batches, built before any timing (only sending and merging are measured). */
function buildBatches(gen: number, from: number, to: number): Record<string, unknown>[][] {
  const batches = [];
  for (let start = from; start < to; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(start + BATCH, to); i++) batch.push(record(i, gen));
    batches.push(batch);
  }
  return batches;
}

/** As the engine sends a page (functions/_shared/engine/merge/page_merge.ts): JSON text, cast to jsonb. */
async function jsonBatches(sql: Sql, table: string, batches: Record<string, unknown>[][]): Promise<void> {
  for (const batch of batches) {
    await sql`select sync.merge_rows(${"public." + table}, ${JSON.stringify(batch)}::text::jsonb)`;
  }
}

/** The run with the median time of several. */
function median(runs: Figure[]): Figure {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

async function rowAtATime(sql: Sql, n: number, gen: number): Promise<void> {
  const cols = COLUMNS.join(", ");
  const params = COLUMNS.map((_, i) => `$${i + 1}`).join(", ");
  const set = COLUMNS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ");
  const text =
    `insert into public.deno_rows (${cols}) values (${params}) on conflict (id) do update set ${set}`;
  for (let i = 0; i < n; i++) {
    const r = record(i, gen);
    await sql.unsafe(text, COLUMNS.map((c) => r[c] as never), { prepare: true });
  }
}

const rate = (f: Figure) => f.rows / f.seconds;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const name = `syncline_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = dbUrl(name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const figures: Record<string, Figure> = {};
  try {
    console.log(
      `setting up ${name}: ${ROWS.toLocaleString("en-US")} rows, ${BATCH} rows/batch, 20 columns + 1 local`,
    );
    await setup(sql);
    await sql`vacuum analyze public.bench_batches`;
    backendPid = (await sql`select pg_backend_pid() as pid`)[0].pid as number;

    console.log(`server side (pre-loaded jsonb batches, plpgsql loop), median of ${REPS} runs`);
    const runs: Record<string, Figure[]> = {};
    const keep = (key: string, f: Figure) => (runs[key] ??= []).push(f);
    for (let rep = 0; rep < REPS; rep++) {
      await sql`truncate public.srv_merge, public.srv_hand`;
      keep(
        "mergeInsert",
        await serverPass(sql, "merge_rows insert", `public.bench_merge('public.srv_merge', 0)`),
      );
      keep("handInsert", await serverPass(sql, "hand-written upsert insert", `public.bench_hand(0)`));
      await sql`vacuum analyze public.srv_merge, public.srv_hand`;
      keep(
        "mergeUpdate",
        await serverPass(sql, "merge_rows update", `public.bench_merge('public.srv_merge', 1)`),
      );
      keep("handUpdate", await serverPass(sql, "hand-written upsert update", `public.bench_hand(1)`));
      await sql`vacuum analyze public.srv_merge, public.srv_hand`;
      keep(
        "mergeUnchanged",
        await serverPass(sql, "merge_rows unchanged", `public.bench_merge('public.srv_merge', 1)`),
      );
      keep(
        "handRewrite",
        await serverPass(sql, "hand-written upsert, same rows again", `public.bench_hand(1)`),
      );
    }

    console.log(`from Deno over postgres.js, median of ${REPS} runs`);
    const gen0 = buildBatches(0, 0, ROWS);
    const gen1 = buildBatches(1, 0, ROWS);
    for (let rep = 0; rep < REPS; rep++) {
      await sql`truncate public.deno_merge`;
      keep("denoInsert", {
        name: "JSON batches insert",
        rows: ROWS,
        seconds: await timed(() => jsonBatches(sql, "deno_merge", gen0)),
      });
      await sql`vacuum analyze public.deno_merge`;
      keep("denoUpdate", {
        name: "JSON batches update",
        rows: ROWS,
        seconds: await timed(() => jsonBatches(sql, "deno_merge", gen1)),
      });
    }
    for (const [key, list] of Object.entries(runs)) figures[key] = median(list);
    figures.rowInsert = {
      name: `row-at-a-time upsert insert (${ROW_SAMPLE})`,
      rows: ROW_SAMPLE,
      seconds: await timed(() => rowAtATime(sql, ROW_SAMPLE, 0)),
    };
    figures.rowUpdate = {
      name: `row-at-a-time upsert update (${ROW_SAMPLE})`,
      rows: ROW_SAMPLE,
      seconds: await timed(() => rowAtATime(sql, ROW_SAMPLE, 1)),
    };
    const second = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await second`select 1`;
      const half = Math.floor(ROWS / 2 / BATCH) * BATCH;
      figures.twoSessions = {
        name: "JSON batches insert, 2 sessions (extra)",
        rows: ROWS,
        seconds: await timed(async () => {
          await Promise.all([
            jsonBatches(sql, "deno_two", gen0.slice(0, half / BATCH)),
            jsonBatches(second, "deno_two", gen0.slice(half / BATCH)),
          ]);
        }),
      };
    } finally {
      await second.end({ timeout: 5 });
    }
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  report(figures);
}

function report(f: Record<string, Figure>): void {
  console.log("");
  console.log(
    `${"measurement".padEnd(44)} ${"rows".padStart(8)} ${"seconds".padStart(8)} ${"rows/s".padStart(10)} ${
      "CPU µs/row".padStart(10)
    }  counts`,
  );
  for (const x of Object.values(f)) {
    console.log(
      `${x.name.padEnd(44)} ${String(x.rows).padStart(8)} ${x.seconds.toFixed(3).padStart(8)} ${
        fmt(rate(x)).padStart(10)
      } ${(x.cpu === undefined ? "" : (x.cpu / x.rows * 1e6).toFixed(1)).padStart(10)}  ${x.counts ?? ""}`,
    );
  }
  const checks: [string, number, number, string][] = [
    ["merge insert rows/s", rate(f.mergeInsert), 100_000, ""],
    ["merge update rows/s", rate(f.mergeUpdate), 100_000, ""],
    ["merge insert vs hand-written", rate(f.mergeInsert) / rate(f.handInsert), 0.7, "x"],
    ["merge update vs hand-written", rate(f.mergeUpdate) / rate(f.handUpdate), 0.7, "x"],
    ["Deno JSON batches insert rows/s", rate(f.denoInsert), 40_000, ""],
    ["Deno JSON batches update rows/s", rate(f.denoUpdate), 40_000, ""],
    ["Deno JSON batches vs row-at-a-time (insert)", rate(f.denoInsert) / rate(f.rowInsert), 15, "x"],
    ["Deno JSON batches vs row-at-a-time (update)", rate(f.denoUpdate) / rate(f.rowUpdate), 15, "x"],
  ];
  const perRow = (x: Figure) => (x.cpu ?? NaN) / x.rows * 1e6;
  console.log("");
  console.log(
    `backend CPU per row, merge / hand-written: insert ${perRow(f.mergeInsert).toFixed(1)} / ${
      perRow(f.handInsert).toFixed(1)
    } µs (${(perRow(f.handInsert) / perRow(f.mergeInsert)).toFixed(2)}x), update ${
      perRow(f.mergeUpdate).toFixed(1)
    } / ${perRow(f.handUpdate).toFixed(1)} µs (${
      (perRow(f.handUpdate) / perRow(f.mergeUpdate)).toFixed(2)
    }x)`,
  );
  console.log("");
  console.log(`${"target".padEnd(44)} ${"measured".padStart(10)} ${"goal".padStart(10)}  result`);
  for (const [label, value, goal, unit] of checks) {
    const shown = unit ? `${value.toFixed(2)}x` : fmt(value);
    const want = unit ? `>= ${goal}x` : `>= ${fmt(goal)}`;
    console.log(
      `${label.padEnd(44)} ${shown.padStart(10)} ${want.padStart(10)}  ${value >= goal ? "met" : "MISSED"}`,
    );
  }
}

await main();
