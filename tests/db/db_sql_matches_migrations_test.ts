// sql/ and supabase/migrations must define the same database: apply each to its own empty
// database (after the Supabase baseline) and compare the catalogs of the app schemas.
import assert from "node:assert/strict";
import postgres from "postgres";
import { describeCatalog, diffCatalogs } from "../_support/catalog.ts";
import { dbUrl } from "../_support/db.ts";

const root = new URL("../../", import.meta.url);
const baseUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

async function readDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(new URL(dir, root))) {
    if (e.isFile && e.name.endsWith(".sql")) names.push(e.name);
  }
  return names.sort();
}

/**
 * The sql/ files in the order of their first migrations (sql/<concern>.sql ↔ <timestamp>_<concern>.sql).
 * sql/ is edited in place; a migration without a sql/ file of its name is a change to earlier ones
 * (the repair migration, a later delta), which sql/ already holds.
 */
async function sqlFilesInMigrationOrder(): Promise<{ migrations: string[]; sqlFiles: string[] }> {
  const migrations = await readDir("supabase/migrations/");
  const sqlFiles = await readDir("sql/");
  const ordered = [
    ...new Set(migrations.map((m) => m.replace(/^\d+_/, "")).filter((c) => sqlFiles.includes(c))),
  ];
  for (const f of sqlFiles) assert.ok(ordered.includes(f), `sql/${f} has no migration named *_${f}`);
  return {
    migrations: migrations.map((m) => `supabase/migrations/${m}`),
    sqlFiles: ordered.map((f) => `sql/${f}`),
  };
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
    return await describeCatalog(sql, { positions: false });
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
    // the migrations add columns to existing tables (at the end): names, not positions
    assert.deepEqual(diffCatalogs(fromSql, fromMigrations), [], "sql/ and the migrations disagree");
  } finally {
    for (const name of Object.values(names)) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    }
    await admin.end();
  }
});
