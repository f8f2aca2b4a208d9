// The upgrade from every earlier release: for each distinct state of supabase/migrations on main's
// first-parent history (scripts/upgrade/history.json.gz; every landing is one of them), build a
// database as that state left it, put a real sync's data in it (the fake Square API, synced by
// today's engine into a fresh install), upgrade it the way docs/upgrading.md tells users
// (`deno task install`), and compare it with a fresh install: the catalog (tests/_support/catalog.ts),
// the seed rows, the synced rows (counts and checksums), and a sync after the upgrade.
//   SYNCLINE_UPGRADE_STATES=all (default) | <commit prefix>,<commit prefix>...
//   SYNCLINE_UPGRADE_PARALLEL=2 (default): states upgraded at once
import assert from "node:assert/strict";
import postgres from "postgres";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { SCHEMA_VERSION } from "../../functions/_shared/version.ts";
import { planMigrations, REPAIR_MIGRATION } from "../../scripts/install/plan.ts";
import { supabaseBin } from "../../scripts/install/supabase_cli.ts";
import {
  buildState,
  loadHistory,
  type MigrationState,
  statesFromGit,
} from "../../scripts/upgrade/history.ts";
import { STATE_COLUMNS } from "../../scripts/upgrade/repair.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { describeCatalog, diffCatalogs } from "../_support/catalog.ts";
import { createTestDatabase, dbUrl, type Sql } from "../_support/db.ts";
import { apiClient } from "../api/_app.ts";

const root = new URL("../../", import.meta.url);
const adminUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const WORKER = "http://127.0.0.1:9/sync/worker";
/** the vendor tables the sync fills, compared before and after the upgrade */
const DATA_TABLES = ["square.orders", "square.customers", "square.payments", "square.locations"];
/** seed rows: every row of these tables, compared with a fresh install's (volatile columns and the
 * state of a row, such as a schedule's `enabled`, left out: the repair keeps those as they were) */
/**
 * States upgraded with `deno task install` (the first, the first with Square, the two the issue
 * names, the newest); the others with the two `supabase` commands docs/upgrading.md gives, which
 * are the installer's migration steps (the installer's other steps do not depend on the state).
 */
const INSTALLER_STATES = ["98b457958fdb", "240a349fbea6", "c4ac59f46668", "9c2a574521ea", "8cc563334b96"];
const SEED_TABLES = ["sync.targets", "sync.schedules", "sync.promotion_plans", "sync.promotion_steps"];

async function installer(url: string): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/install.ts", "install", "--db-url", url, "--worker-url", WORKER],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout) + d.decode(r.stderr) };
}

/**
 * `supabase db push` as docs/upgrading.md tells its users: record the migrations the repair
 * supersedes as applied, then push (what `deno task install` runs, without its other steps).
 */
async function cliUpgrade(sql: Sql, url: string): Promise<{ code: number; out: string }> {
  const applied = (await sql`select version from supabase_migrations.schema_migrations`).map((r) =>
    r.version
  );
  const files = [...Deno.readDirSync(new URL("supabase/migrations/", root))].map((e) => e.name);
  const plan = planMigrations(files, applied);
  const d = new TextDecoder();
  let out = "";
  const steps = [
    ["migration", "repair", "--status", "applied", ...plan.superseded.map((f) => f.split("_")[0])],
    ["db", "push", "--include-all"],
  ];
  for (const args of plan.superseded.length ? steps : steps.slice(1)) {
    const r = await new Deno.Command(supabaseBin(root.pathname), {
      args: [...args, `--remote=${url}`, "--yes", "--workdir", root.pathname],
      env: { PGSSLMODE: "disable" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    out += `$ supabase ${args.join(" ")}\n${d.decode(r.stdout)}${d.decode(r.stderr)}`;
    if (!r.success) return { code: r.code, out };
  }
  return { code: 0, out };
}

async function withAdmin<T>(f: (sql: Sql) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await f(admin);
  } finally {
    await admin.end();
  }
}

/** count and checksum of a table's rows over the given columns (as JSON, ordered by the row) */
async function checksum(sql: Sql, table: string, columns: string[]) {
  const list = columns.map((c) => `'${c}', t."${c}"`).join(", ");
  const [r] = await sql.unsafe(`select count(*)::int as n,
    md5(coalesce(string_agg(j::text, ',' order by j::text), '')) as sum
    from (select jsonb_build_object(${list}) as j from ${table} t) x`);
  return { n: r.n as number, sum: r.sum as string };
}

async function columnsOf(sql: Sql, table: string): Promise<string[]> {
  const rows = await sql`select attname::text as name from pg_attribute
    where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped order by attnum`;
  return rows.map((r) => r.name);
}

async function seedRows(sql: Sql) {
  const out: Record<string, unknown[]> = {};
  for (const t of SEED_TABLES) {
    const cols = (await sql`select a.attname::text as name from pg_attribute a
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = to_regclass(${t}) and a.attnum > 0 and not a.attisdropped and a.attidentity = ''
        and coalesce(pg_get_expr(d.adbin, d.adrelid), '') !~ '(now|clock_timestamp)\\(\\)'
        and not a.attname = any (${STATE_COLUMNS})`).map((r) => r.name);
    out[t] = (await sql.unsafe(
      `select jsonb_build_object(${
        cols.map((c) => `'${c}', t."${c}"`).join(", ")
      }) as j from ${t} t order by 1`,
    )).map((r) => r.j);
  }
  return out;
}

/** The data of a real full sync of the fake Square API, as JSON per table. */
async function syncedData(): Promise<Record<string, unknown[]>> {
  const fake = startFakeSquare({ seed: 23, orders: 300, customers: 60 });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors,
      connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
    });
    const job = await call("POST", "/sync/jobs", { connector: "square", mode: "full" });
    assert.equal(job.status, 202, JSON.stringify(job.body));
    await work();
    const done = await call("GET", `/sync/jobs/${job.body.job.id}`);
    assert.equal(done.body.job.status, "succeeded", done.body.job.error);
    const data: Record<string, unknown[]> = {};
    for (const t of DATA_TABLES) {
      data[t] =
        (await db.sql.unsafe(`select coalesce(jsonb_agg(to_jsonb(t)), '[]') as rows from ${t} t`))[0].rows;
    }
    assert.equal(data["square.orders"].length, 300);
    return data;
  } finally {
    await fake.close();
  }
}

/** Puts the synced rows into the tables this state has, in the columns it has (the rest default). */
async function seedData(sql: Sql, data: Record<string, unknown[]>) {
  const seeded: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(data)) {
    const cols = await columnsOf(sql, table);
    if (!cols.length) continue;
    const common = cols.filter((c) => c in (rows[0] as Record<string, unknown>));
    const list = common.map((c) => `"${c}"`).join(", ");
    await sql.begin(async (tx) => {
      // as a restore does: no triggers (no broadcasts, no version checks of old definitions)
      await tx.unsafe(`set local session_replication_role = replica`);
      await tx.unsafe(
        `insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, $1::text::jsonb)`,
        [JSON.stringify(rows)],
      );
    });
    seeded[table] = common;
  }
  return seeded;
}

interface Reference {
  catalog: Record<string, unknown[]>;
  seeds: Record<string, unknown[]>;
}

/** A fresh install: the migrated template, the Supabase stand-ins, then `deno task install`. */
async function reference(): Promise<Reference> {
  await using db = await createTestDatabase();
  await db.sql.file(new URL("tests/_support/supabase_standins.sql", root).pathname);
  const r = await installer(db.url);
  assert.equal(r.code, 0, r.out);
  return { catalog: await describeCatalog(db.sql, { positions: false }), seeds: await seedRows(db.sql) };
}

/** seconds spent per phase, summed over the states */
const phases: Record<string, number> = {};

async function upgradeState(
  state: MigrationState,
  base: string,
  data: Record<string, unknown[]>,
  ref: Reference,
): Promise<number> {
  const name = `syncline_t_upg_${state.commit.slice(0, 8)}_${crypto.randomUUID().slice(0, 6)}`;
  let t = performance.now();
  const phase = (label: string) => {
    const now = performance.now();
    phases[label] = (phases[label] ?? 0) + (now - t);
    t = now;
  };
  const started = t;
  const url = await buildState(adminUrl, base, name, state);
  phase("build");
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    await sql.file(new URL("tests/_support/supabase_standins.sql", root).pathname);
    const seeded = await seedData(sql, data);
    // the first states predate the Square connector: their upgrade is checked without data
    if (state.files.some((f) => f.name.endsWith("_square.sql"))) {
      assert.ok(Object.keys(seeded).length > 0, `state ${state.commit}: no Square table took the data`);
    }
    const before: Record<string, { n: number; sum: string }> = {};
    for (const [t, cols] of Object.entries(seeded)) before[t] = await checksum(sql, t, cols);
    phase("data");

    const viaInstaller = INSTALLER_STATES.some((c) => state.commit.startsWith(c));
    const r = viaInstaller ? await installer(url) : await cliUpgrade(sql, url);
    assert.equal(r.code, 0, `upgrade from ${state.commit}:\n${r.out}`);
    if (viaInstaller) {
      assert.match(r.out, new RegExp(`\\+ applied +migration ${REPAIR_MIGRATION}_sync_repair\\.sql`), r.out);
    }
    const [{ n: repaired }] = await sql`select count(*)::int as n from supabase_migrations.schema_migrations
      where version = ${REPAIR_MIGRATION}`;
    assert.equal(repaired, 1, `${state.commit}: the repair migration is recorded`);
    phase("upgrade");
    const [{ v }] = await sql`select sync.schema_version() as v`;
    assert.equal(v, SCHEMA_VERSION, `state ${state.commit}`);

    const problems = diffCatalogs(await describeCatalog(sql, { positions: false }), ref.catalog);
    assert.deepEqual(problems, [], `upgraded from ${state.commit}, the catalog differs from a fresh install`);
    const seeds = await seedRows(sql);
    for (const t of SEED_TABLES) {
      // seed rows a fresh install has are all there (an older release may have had more)
      const have = new Set(seeds[t].map((j) => JSON.stringify(j)));
      const missing = ref.seeds[t].filter((j) => !have.has(JSON.stringify(j)));
      assert.deepEqual(missing, [], `upgraded from ${state.commit}: seed rows of ${t} missing`);
    }
    for (const [t, cols] of Object.entries(seeded)) {
      assert.deepEqual(
        await checksum(sql, t, cols),
        before[t],
        `upgraded from ${state.commit}: ${t} changed`,
      );
    }

    phase("compare");
    // and the engine works on it: a full sync lands every order again, unchanged
    const fake = startFakeSquare({ seed: 23, orders: 300, customers: 60 });
    try {
      const { call, work } = await apiClient({
        sql,
        connectors,
        connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
      });
      const job = await call("POST", "/sync/jobs", {
        connector: "square",
        mode: "full",
        streams: ["orders"],
      });
      assert.equal(job.status, 202, `${state.commit}: ${JSON.stringify(job.body)}`);
      await work();
      const done = await call("GET", `/sync/jobs/${job.body.job.id}`);
      assert.equal(done.body.job.status, "succeeded", `${state.commit}: ${done.body.job.error}`);
      const [{ n }] = await sql`select count(*)::int as n from square.orders`;
      assert.equal(n, 300);
    } finally {
      await fake.close();
    }
    phase("sync");
    return performance.now() - started;
  } finally {
    await sql.end({ timeout: 5 });
    await withAdmin((a) => a.unsafe(`drop database if exists ${name} with (force)`));
  }
}

function selectStates(all: MigrationState[]): MigrationState[] {
  const wanted = Deno.env.get("SYNCLINE_UPGRADE_STATES") ?? "all";
  if (wanted === "all") return all;
  const prefixes = wanted.split(",").map((s) => s.trim()).filter(Boolean);
  const picked = all.filter((s) => prefixes.some((p) => s.commit.startsWith(p)));
  assert.ok(
    picked.length,
    `SYNCLINE_UPGRADE_STATES=${wanted} names no state of scripts/upgrade/history.json.gz`,
  );
  return picked;
}

Deno.test("the history file holds every state of supabase/migrations that main's first-parent history has", async () => {
  const inGit = new Deno.Command("git", {
    args: ["rev-parse", "--is-inside-work-tree"],
    cwd: root,
    stderr: "null",
  })
    .outputSync();
  const history = await loadHistory();
  assert.ok(history.length >= 46, `${history.length} states`);
  // every state is a complete migration folder of its time: the last one is the repair's predecessor
  assert.ok(
    history.every((s) => s.files.every((f) => /^\d{14}_\w+\.sql$/.test(f.name) && f.text.length > 0)),
  );
  if (!inGit.success) return; // a checkout without git: the committed file is all there is
  const shallow = new TextDecoder().decode(
    new Deno.Command("git", { args: ["rev-parse", "--is-shallow-repository"], cwd: root, stdout: "piped" })
      .outputSync().stdout,
  ).trim();
  if (shallow === "true") return;
  const known = new Set(history.map((s) => s.files.map((f) => `${f.name}:${f.text}`).join("\n")));
  const fromGit = statesFromGit();
  // states after the repair landed need no repair: each is an upgrade by ordinary migrations
  const before = fromGit.states.filter((s) =>
    s.files.every(([name]) => name.split("_")[0] < REPAIR_MIGRATION)
  );
  const missing = before.filter((s) =>
    !known.has(s.files.map(([n, b]) => `${n}:${fromGit.texts[b]}`).join("\n"))
  );
  assert.deepEqual(missing.map((s) => s.commit), [], "run: deno run -A scripts/upgrade/history.ts --refresh");
});

Deno.test("upgrade from every earlier state of supabase/migrations: same schema as a fresh install, data kept, sync works", async () => {
  const states = selectStates(await loadHistory());
  const data = await syncedData();
  const ref = await reference();
  const base = `syncline_t_upg_base_${crypto.randomUUID().slice(0, 8)}`;
  await withAdmin((a) => a.unsafe(`create database ${base}`));
  const b = postgres(dbUrl(base), { max: 1, onnotice: () => {} });
  await b.file(new URL("scripts/supabase-baseline.sql", root).pathname);
  await b.end();
  const times: number[] = [];
  const failures: string[] = [];
  try {
    let next = 0;
    const parallel = Number(Deno.env.get("SYNCLINE_UPGRADE_PARALLEL") ?? "2");
    const work = async () => {
      while (next < states.length) {
        const s = states[next++];
        try {
          times.push(await upgradeState(s, base, data, ref));
        } catch (err) {
          failures.push(`${s.commit}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, work));
  } finally {
    await withAdmin((a) => a.unsafe(`drop database if exists ${base} with (force)`));
  }
  const sorted = [...times].sort((x, y) => x - y);
  console.log(
    `upgrade: ${times.length} of ${states.length} states passed; per state median ${
      (sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(1)
    } s, max ${(sorted.at(-1)! / 1000).toFixed(1)} s; summed: ${
      Object.entries(phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")
    }`,
  );
  assert.deepEqual(failures, [], failures.join("\n\n"));
});
