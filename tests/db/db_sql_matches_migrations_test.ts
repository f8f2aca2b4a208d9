// sql/ and supabase/migrations must define the same database: apply each to its own empty
// database (after the Supabase baseline) and compare the catalogs of the app schemas.
import assert from "node:assert/strict";
import postgres from "postgres";
import { dbUrl, type Sql } from "../_support/db.ts";

const root = new URL("../../", import.meta.url);
const baseUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

async function readDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(new URL(dir, root))) {
    if (e.isFile && e.name.endsWith(".sql")) names.push(e.name);
  }
  return names.sort();
}

/** The sql/ files in the order of their migrations (sql/<concern>.sql ↔ <timestamp>_<concern>.sql). */
async function sqlFilesInMigrationOrder(): Promise<{ migrations: string[]; sqlFiles: string[] }> {
  const migrations = await readDir("supabase/migrations/");
  const sqlFiles = await readDir("sql/");
  const ordered = migrations.map((m) => {
    const concern = m.replace(/^\d+_/, "");
    assert.ok(sqlFiles.includes(concern), `migration ${m} has no sql/${concern}`);
    return concern;
  });
  for (const f of sqlFiles) assert.ok(ordered.includes(f), `sql/${f} has no migration named *_${f}`);
  return {
    migrations: migrations.map((m) => `supabase/migrations/${m}`),
    sqlFiles: ordered.map((f) => `sql/${f}`),
  };
}

const excluded =
  `('pg_catalog', 'information_schema', 'supabase_migrations', 'extensions', 'cron', 'pg_toast')`;
const appSchema = (col: string) =>
  `${col} not in ${excluded} and ${col} not like 'pg_temp%' and ${col} not like 'pg_toast%'`;

// Each query describes one kind of object by name and definition (never by oid), sorted.
const catalogQueries: Record<string, string> = {
  schemas: `select nspname::text, pg_get_userbyid(nspowner)::text as owner, nspacl::text
    from pg_namespace where ${appSchema("nspname")} order by 1`,
  relations:
    `select n.nspname || '.' || c.relname as name, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
      c.relacl::text, c.reloptions::text, obj_description(c.oid, 'pg_class') as comment
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${appSchema("n.nspname")} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') order by 1`,
  columns: `select n.nspname || '.' || c.relname as rel,
      row_number() over (partition by c.oid order by a.attnum) as position, a.attname::text,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) as default,
      a.attidentity::text, a.attgenerated::text, a.attacl::text, col_description(c.oid, a.attnum) as comment
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where ${
    appSchema("n.nspname")
  } and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped
    order by 1, 2`,
  constraints:
    `select n.nspname || '.' || coalesce(c.relname, t.typname) as owner, co.conname::text, co.contype::text,
      pg_get_constraintdef(co.oid) as definition
    from pg_constraint co join pg_namespace n on n.oid = co.connamespace
      left join pg_class c on c.oid = co.conrelid left join pg_type t on t.oid = co.contypid
    where ${appSchema("n.nspname")} order by 1, 2`,
  indexes: `select schemaname || '.' || tablename as rel, indexname::text, indexdef
    from pg_indexes where ${appSchema("schemaname")} order by 1, 2`,
  functions:
    `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
      pg_get_functiondef(p.oid) as definition, p.proacl::text, obj_description(p.oid, 'pg_proc') as comment
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${appSchema("n.nspname")} and p.prokind in ('f', 'p', 'w') order by 1`,
  aggregates:
    `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${
      appSchema("n.nspname")
    } and p.prokind = 'a'
    order by 1`,
  triggers: `select c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid) as definition, t.tgenabled::text
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where ${appSchema("n.nspname")} and not t.tgisinternal order by 1, 2`,
  policies:
    `select schemaname || '.' || tablename as rel, policyname::text, permissive, roles::text, cmd, qual, with_check
    from pg_policies where ${appSchema("schemaname")} order by 1, 2`,
  views: `select schemaname || '.' || viewname as name, definition from pg_views where ${
    appSchema("schemaname")
  } order by 1`,
  sequences:
    `select schemaname || '.' || sequencename as name, data_type::text, start_value, increment_by, max_value, cycle
    from pg_sequences where ${appSchema("schemaname")} order by 1`,
  types:
    `select n.nspname || '.' || t.typname as name, t.typtype::text, format_type(t.typbasetype, t.typtypmod) as base,
      (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${appSchema("n.nspname")} and t.typtype in ('e', 'd', 'r', 'm')
      or (${
      appSchema("n.nspname")
    } and t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c')
    order by 1`,
  defaultPrivileges: `select pg_get_userbyid(d.defaclrole)::text as role, coalesce(n.nspname, '') as schema,
      d.defaclobjtype::text, d.defaclacl::text
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
    where n.nspname is null or ${appSchema("n.nspname")} order by 1, 2, 3`,
  extensions: `select extname::text, extnamespace::regnamespace::text from pg_extension order by 1`,
};

async function describeCatalog(sql: Sql): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [kind, query] of Object.entries(catalogQueries)) {
    out[kind] = (await sql.unsafe(query)).map((row) => ({ ...row }));
  }
  return out;
}

async function buildDatabase(name: string, files: string[]): Promise<Record<string, unknown[]>> {
  const sql = postgres(dbUrl(name), { max: 1, onnotice: () => {} });
  try {
    for (const file of ["scripts/supabase-baseline.sql", ...files]) {
      const text = await Deno.readTextFile(new URL(file, root));
      await sql.unsafe(text).catch((err) => {
        throw new Error(`applying ${file} to ${name} failed: ${err.message}`, { cause: err });
      });
    }
    return await describeCatalog(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

Deno.test("sql/ and supabase/migrations define the same database", async () => {
  const { migrations, sqlFiles } = await sqlFilesInMigrationOrder();
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const names = { migrations: `syncline_t_mig_${suffix}`, sql: `syncline_t_sql_${suffix}` };
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const name of Object.values(names)) await admin.unsafe(`create database ${name}`);
    const [fromMigrations, fromSql] = await Promise.all([
      buildDatabase(names.migrations, migrations),
      buildDatabase(names.sql, sqlFiles),
    ]);
    const signatures = fromSql.functions.map((f) => (f as { signature: string }).signature);
    assert.ok(
      signatures.includes(
        "sync.merge_rows(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone)",
      ),
      "the catalog description sees the sync functions",
    );
    assert.ok(fromSql.relations.length > 0 && fromSql.columns.length > 0 && fromSql.indexes.length > 0);
    for (const kind of Object.keys(catalogQueries)) {
      assert.deepEqual(fromSql[kind], fromMigrations[kind], `sql/ and migrations disagree on ${kind}`);
    }
  } finally {
    for (const name of Object.values(names)) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    }
    await admin.end();
  }
});
