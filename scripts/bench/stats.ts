// Loads 1,000,000 finished job rows (generated server side) into a fresh database with every
// migration applied (plus sync.job_stream_runs, filled by the same backfill as the migration's),
// then times each stats RPC (median of 5 warm runs; target < 200 ms).
//   deno run -A scripts/bench/stats.ts [--rows 1000000] [--keep]
import postgres from "postgres";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, keep: { type: "boolean", default: false } },
});
const rows = Number(values.rows);
const base = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const name = `syncline_bench_stats_${Date.now()}`;
const url = new URL(base);
url.pathname = `/${name}`;

async function psqlFile(file: string) {
  const out = await new Deno.Command("psql", {
    args: [url.toString(), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-f", file],
  })
    .output();
  if (!out.success) throw new Error(`${file}: ${new TextDecoder().decode(out.stderr)}`);
}

const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
try {
  await psqlFile("scripts/supabase-baseline.sql");
  const migrations = [...Deno.readDirSync("supabase/migrations")].map((e) => e.name).filter((n) =>
    n.endsWith(".sql")
  )
    .sort();
  for (const m of migrations) await psqlFile(`supabase/migrations/${m}`);

  let t = performance.now();
  // triggers off: a bulk history load, not live jobs (no pg_notify per row)
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into sync.jobs (connector, account, streams, mode, trigger, status, error, stats, created_at, started_at,
        finished_at, updated_at)
      select c.connector, 'default', c.streams, 'incremental', 'schedule', s.status,
        case when s.status = 'failed' then 'HTTP 500' end,
        jsonb_build_object('records', r.n * cardinality(c.streams), 'streams',
          (select jsonb_object_agg(x, jsonb_build_object('done', r.n, 'status', case when s.status = 'failed' then 'failed' else 'done' end))
           from unnest(c.streams) x)),
        t.at, t.at, t.at + make_interval(secs => 5 + (g % 600)), t.at + make_interval(secs => 5 + (g % 600))
      from generate_series(1, ${rows}) g
      cross join lateral (select now() - make_interval(secs => (g::double precision / ${rows}) * 365 * 86400) as at) t
      cross join lateral (select (g::bigint * 7919) % 1000 as n) r
      cross join lateral (select case g % 20 when 0 then 'failed' when 1 then 'partial' else 'succeeded' end as status) s
      cross join lateral (select * from (values
        (0, 'square', array['orders']), (1, 'square', array['inventory']),
        (2, 'square', array['catalog', 'categories', 'locations']), (3, 'highlevel', array['products', 'contacts', 'orders']),
        (4, 'bubble', array['users'])) v(k, connector, streams) where v.k = g % 5) c`;
    // what the finish trigger would have written per job and stream (the migration's backfill)
    await tx`select sync.backfill_job_stream_runs()`;
  });
  await sql`insert into sync.failed_items (connector, stream, item_key, error_class, error, resolved_at, resolution)
    select 'square', 'orders', 'k' || g, (array['validation', 'http', 'merge'])[1 + g % 3], 'x',
      case when g % 2 = 0 then now() end, case when g % 2 = 0 then 'resolved' end from generate_series(1, 50000) g`;
  // steady state: autovacuum would have vacuumed the inserts (visibility map for index-only scans)
  await sql`vacuum analyze`;
  console.log(`loaded ${rows.toLocaleString("en")} jobs in ${Math.round(performance.now() - t)} ms`);

  const cases: [string, () => Promise<unknown>][] = [
    ["get_sync_stats(1)", () => sql`select * from sync.get_sync_stats(1)`],
    ["get_sync_stats(7)", () => sql`select * from sync.get_sync_stats(7)`],
    ["get_sync_stats(30)", () => sql`select * from sync.get_sync_stats(30)`],
    ["get_sync_performance_trends(30)", () => sql`select * from sync.get_sync_performance_trends(30)`],
    [
      "get_sync_performance_trends(30, 'square')",
      () => sql`select * from sync.get_sync_performance_trends(30, 'square')`,
    ],
    ["get_failed_items_summary()", () => sql`select * from sync.get_failed_items_summary()`],
    ["get_data_freshness()", () => sql`select * from sync.get_data_freshness()`],
    ["check_integrity()", () => sql`select * from sync.check_integrity()`],
    ["evaluate_alerts()", () =>
      sql.begin(async (tx) => {
        await tx`select sync.evaluate_alerts()`;
        throw "rollback";
      }).catch(() => {})],
  ];
  let worst = 0;
  for (const [label, run] of cases) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[2];
    worst = Math.max(worst, median);
    console.log(
      `${label.padEnd(44)} ${median.toFixed(1).padStart(8)} ms${median < 200 ? "" : "  (over 200 ms)"}`,
    );
  }
  console.log(worst < 200 ? "all under 200 ms" : "SLOW: some RPC took 200 ms or more");
} finally {
  await sql.end();
  if (!values.keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
  else console.log(`kept database ${name}`);
  await admin.end();
}
