// Promotion benchmark (not a test): the Square event-sales plan promoting N payments with about
// three tickets each, three ways side by side on the same import data:
//   1. set-based: a bulk promote job run by the worker (batches of --batch roots, one transaction
//      per batch, a failing root isolated by bisecting its batch into subtransactions);
//   2. the same engine one root per call (one transaction per root);
//   3. one document at a time, the way a seed script does it: per payment read the chain, then
//      write each production row with its own INSERT ... ON CONFLICT (one transaction per root).
// 3 runs on the first --sample roots, 2 on the first --engine-sample (they are slow); every pass
// starts from empty production.
//   deno run -A scripts/bench/promotion.ts [--roots 20000] [--batch 500] [--sample 2000]
//     [--engine-sample 300] [--bad 0.002] [--keep 1] [--verbose 1]
// --bad: share of roots whose attendee name the production table rejects at write time (a CHECK
// added for the benchmark), so the set-based pass pays for bisection as it would in real life.
import postgres from "postgres";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { promotionDb } from "../../functions/_shared/promotion/db.ts";
import { dbUrl, type Sql } from "../../tests/_support/db.ts";
import { cpuSeconds } from "./_cpu.ts";

const args = Object.fromEntries(
  Deno.args.flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), Number(all[i + 1])]] : [])),
) as Record<string, number>;
const ROOTS = args.roots ?? 20_000;
const BATCH = args.batch ?? 500;
const SAMPLE = Math.min(args.sample ?? 2_000, ROOTS);
const ENGINE_SAMPLE = Math.min(args["engine-sample"] ?? 300, SAMPLE);
const BAD = args.bad ?? 0.002;
const PLAN = "square_event_sales";
const baseUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const root = new URL("../../", import.meta.url);

async function migrations(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(new URL("supabase/migrations/", root))) {
    if (e.isFile && e.name.endsWith(".sql")) names.push(e.name);
  }
  return names.sort().map((n) => `supabase/migrations/${n}`);
}

/** The import layer: catalog, customers, N orders (1-2 ticket lines, ~3 tickets) and N payments. */
async function seed(sql: Sql): Promise<void> {
  const badEvery = BAD > 0 ? Math.max(2, Math.round(1 / BAD)) : 0;
  await sql.unsafe(`
    insert into square.catalog_items (id, name, product_type, raw)
    select 'IE' || g, 'Event ' || g, 'EVENT', '{}'::jsonb from generate_series(0, 9) g
    union all select 'IM', 'Mug', 'REGULAR', '{}';
    insert into square.catalog_variations (id, item_id, name, raw)
    select 'VE' || g, 'IE' || g, 'General Admission', '{}'::jsonb from generate_series(0, 9) g
    union all select 'VM', 'IM', 'Mug', '{}';
    insert into square.customers (id, given_name, family_name, email_address, created_at, updated_at, raw)
    select 'C' || g, 'Given' || g, 'Family' || g, 'customer' || g || '@example.com', now(), now(), '{}'
    from generate_series(0, 4999) g;
    insert into square.orders (id, location_id, customer_id, state, total_amount, currency, created_at, updated_at, raw)
    select 'O' || i, 'L1', case when i % 4 <> 0 then 'C' || (i % 5000) end,
      case when i % 97 = 5 then 'CANCELED' else 'COMPLETED' end, 3000, 'USD',
      timestamptz '2026-01-01' + i * interval '1 minute', timestamptz '2026-01-01' + i * interval '1 minute',
      jsonb_build_object('line_items', jsonb_build_array(
          jsonb_build_object('uid', 'a', 'quantity', '2', 'catalog_object_id', 'VE' || (i % 10), 'name', 'Event',
            'base_price_money', jsonb_build_object('amount', 1000, 'currency', 'USD'),
            'metadata', jsonb_build_object('attendee_name',
              case when ${badEvery} > 0 and i % ${
    badEvery || 1
  } = 3 then repeat('x', 300) else 'Attendee ' || i end,
              'attendee_email', 'att' || i || '@example.com')),
          jsonb_build_object('uid', 'b', 'quantity', '1', 'catalog_object_id', 'VE' || ((i + 3) % 10), 'name', 'Event',
            'base_price_money', jsonb_build_object('amount', 1000, 'currency', 'USD'),
            'metadata', case when i % 100 = 2 then '{}'::jsonb else jsonb_build_object('attendee_name',
              'Guest ' || (i * 7 % 30000), 'attendee_email', 'guest' || (i * 7 % 30000) || '@example.com') end))
        || case when i % 5 = 0 then jsonb_build_array(jsonb_build_object('uid', 'm', 'quantity', '1',
             'catalog_object_id', 'VM', 'name', 'Mug')) else '[]'::jsonb end)
    from generate_series(1, ${ROOTS}) i;
    insert into square.payments (id, order_id, customer_id, status, amount, total_amount, refunded_amount, currency,
      created_at, updated_at, raw)
    select 'P' || i, 'O' || i, case when i % 4 <> 0 then 'C' || (i % 5000) end,
      case when i % 50 = 0 then 'APPROVED' else 'COMPLETED' end, 3000, 3000,
      case when i % 40 = 1 then 3000 when i % 40 = 2 then 1000 end, 'USD',
      timestamptz '2026-01-01' + i * interval '1 minute' + interval '30 seconds', now(),
      case when i % 4 = 0 then jsonb_build_object('buyer_email_address', 'buyer' || i || '@example.com',
        'billing_address', jsonb_build_object('first_name', 'Buyer', 'last_name', i::text)) else '{}'::jsonb end
    from generate_series(1, ${ROOTS}) i;
    analyze;`);
  // a rule production enforces that the plan does not check: some roots fail at write time
  await sql.unsafe(
    `alter table events.attendees add constraint bench_name_length check (length(name) <= 200)`,
  );
}

async function reset(sql: Sql): Promise<void> {
  await sql.unsafe(`truncate events.tickets, events.attendees, events.registrations, events.payments,
    events.contacts, events.customers; delete from sync.promotion_roots; delete from sync.promotion_checkpoints;`);
}

interface Figure {
  pass: string;
  roots: number;
  seconds: number;
  /** CPU seconds of the Postgres backends serving the pass (steadier than wall time here). */
  backendCpu: number;
  promoted: number;
  failed: number;
}

/** CPU seconds used so far by the backends of this benchmark's connections. */
async function backendCpu(sql: Sql): Promise<number> {
  const pids =
    await sql`select pid from pg_stat_activity where application_name = 'syncline-bench-promotion'`;
  return pids.reduce((sum, r) => sum + cpuSeconds(Number(r.pid)), 0);
}

/** Runs a pass from empty production, measuring wall time and backend CPU. */
async function measured(
  sql: Sql,
  pass: string,
  roots: number,
  fn: () => Promise<{ promoted: number; failed: number } | void>,
): Promise<Figure> {
  await reset(sql);
  const cpu0 = await backendCpu(sql);
  const t0 = performance.now();
  const counted = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (await backendCpu(sql)) - cpu0;
  return { pass, roots, seconds, backendCpu: cpu, ...(counted ?? await outcome(sql)) };
}

function setBased(sql: Sql): Promise<Figure> {
  return measured(sql, `set-based job, batches of ${BATCH}`, ROOTS, async () => {
    const job = await promotionDb.start(sql, { plan: PLAN, batchSize: BATCH });
    const out = await runUntilIdle({
      sql,
      connectors: { square: squareConnector },
      connectorConfig: () => ({}),
      workerId: "bench",
    }, { budgetMs: 3_600_000 });
    if (!out.length || !["succeeded", "partial"].includes(out[0].status)) {
      throw new Error(`promote job ${job.id}: ${JSON.stringify(out)}`);
    }
  });
}

function enginePerRoot(sql: Sql, ids: string[]): Promise<Figure> {
  return measured(sql, "same engine, one root per call", ids.length, async () => {
    for (const id of ids) await sql`select sync.promote_roots(${PLAN}, array[${id}]::text[])`;
  });
}

const STEPS: [string, string, string[]][] = [
  ["events.square_payment_rows", "events.payments", ["id"]],
  ["events.square_registration_rows", "events.registrations", ["id"]],
  ["events.square_customer_rows", "events.customers", ["customer_key"]],
  ["events.square_attendee_rows", "events.attendees", ["registration_id", "attendee_key"]],
  ["events.square_contact_rows", "events.contacts", ["email"]],
  ["events.square_ticket_rows", "events.tickets", ["registration_id", "line_item_uid", "unit"]],
];

/** Per payment: judge it, read each step's rows, write row by row; one transaction per payment. */
function documentAtATime(sql: Sql, ids: string[]): Promise<Figure> {
  return measured(sql, "one document at a time (seed style)", ids.length, () => seedStyle(sql, ids));
}

async function seedStyle(sql: Sql, ids: string[]): Promise<{ promoted: number; failed: number }> {
  const upserts = new Map<string, string>();
  // the plain upsert a seed script writes, for the columns the step maps (local columns untouched)
  const upsert = (table: string, keys: string[], data: Record<string, unknown>) => {
    if (!upserts.has(table)) {
      const cols = Object.keys(data);
      const set = cols.filter((c) => !keys.includes(c)).map((c) => `${c} = excluded.${c}`).join(", ");
      upserts.set(
        table,
        `insert into ${table} (${cols.join(", ")}) select ${cols.join(", ")}
         from jsonb_populate_record(null::${table}, $1::jsonb) on conflict (${
          keys.join(", ")
        }) do update set ${set}`,
      );
    }
    return upserts.get(table)!;
  };
  let promoted = 0, failed = 0;
  for (const id of ids) {
    const [check] = await sql`select reason_code from events.square_check(array[${id}]::text[])`;
    if (check.reason_code) continue;
    try {
      await sql.begin(async (tx) => {
        for (const [fn, table, keys] of STEPS) {
          const rows = await tx.unsafe(`select data, error from ${fn}(array[$1]::text[])`, [id]);
          for (const r of rows) {
            if (r.error) throw new Error(r.error);
            await tx.unsafe(upsert(table, keys, r.data), [r.data]);
          }
        }
      });
      promoted++;
    } catch (err) {
      if (failed++ === 0 && args.verbose) console.log(`first failure: ${(err as Error).message}`);
    }
  }
  return { promoted, failed };
}

async function outcome(sql: Sql): Promise<{ promoted: number; failed: number }> {
  const [r] = await sql`select count(*) filter (where status = 'promoted')::int as promoted,
    count(*) filter (where status = 'failed')::int as failed from sync.promotion_roots`;
  return { promoted: r.promoted, failed: r.failed };
}

async function main(): Promise<void> {
  const name = `syncline_bench_promotion_${Date.now()}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const sql = postgres(dbUrl(name), {
    max: 3,
    onnotice: () => {},
    prepare: false,
    connection: { application_name: "syncline-bench-promotion" },
  });
  try {
    for (const file of ["scripts/supabase-baseline.sql", ...await migrations()]) {
      await sql.unsafe(await Deno.readTextFile(new URL(file, root)));
    }
    const s0 = performance.now();
    await seed(sql);
    console.log(`seeded ${ROOTS} payments and orders in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
    const ids = (await sql`select id from square.payments order by created_at, id limit ${SAMPLE}`).map((r) =>
      String(r.id)
    );
    const figures: Figure[] = [];
    figures.push(await documentAtATime(sql, ids));
    figures.push(await enginePerRoot(sql, ids.slice(0, ENGINE_SAMPLE)));
    figures.push(await setBased(sql));
    const [t] = await sql`select count(*)::int as tickets from events.tickets`;
    const base = figures[0].roots / figures[0].seconds;
    const baseCpu = figures[0].backendCpu / figures[0].roots;
    const head = ["pass".padEnd(38), "roots".padStart(6), "seconds".padStart(8), "roots/s".padStart(8)];
    console.log(`\n${head.join(" ")}   vs seed  backend ms/root  vs seed  promoted  failed`);
    for (const f of figures) {
      const rate = f.roots / f.seconds, cpu = f.backendCpu / f.roots;
      console.log([
        f.pass.padEnd(38),
        String(f.roots).padStart(6),
        f.seconds.toFixed(2).padStart(8),
        rate.toFixed(0).padStart(8),
        `${(rate / base).toFixed(1)}x`.padStart(9),
        (cpu * 1000).toFixed(2).padStart(16),
        `${(baseCpu / cpu).toFixed(1)}x`.padStart(8),
        String(f.promoted).padStart(9),
        String(f.failed).padStart(7),
      ].join(" "));
    }
    const total = figures.at(-1)!;
    const t1 = performance.now();
    const [{ status }] = await sql`select sync.get_promotion_status(${PLAN}) as status`;
    const ms = performance.now() - t1;
    console.log(
      `monitoring RPC (get_promotion_status) after the set-based pass: ${ms.toFixed(0)} ms; ` +
        `roots ${JSON.stringify(status.roots)}, production orphans ${status.orphan_total}`,
    );
    console.log(`set-based: ${(total.roots / total.backendCpu).toFixed(0)} roots per backend CPU second`);
    console.log(
      `\nset-based pass: ${t.tickets} tickets in production; failing roots (bad attendee names, missing ` +
        `attendee data) isolated per root.`,
    );
  } finally {
    await sql.end({ timeout: 5 });
    if (args.keep) console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
