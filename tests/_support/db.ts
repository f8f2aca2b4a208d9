// Test databases: each test clones the migrated template (scripts/test.sh prepares it), so
// tests run in parallel against a real PostgreSQL without seeing each other's rows.
import postgres from "postgres";

export type Sql = ReturnType<typeof postgres>;

const baseUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

/**
 * The migrated template scripts/test.sh prepares, named after a hash of the baseline and the
 * migrations (so a changed migration gets a new template); read when first needed, so entry
 * points that are not scripts/test.sh (deno task chaos, a single test file) find it too.
 */
let templateName: string | undefined;
function template(): string {
  if (templateName) return templateName;
  const fromEnv = Deno.env.get("SYNCLINE_TEMPLATE_DB");
  if (fromEnv) return (templateName = fromEnv);
  const out = new Deno.Command("bash", {
    args: ["-c", "cat scripts/supabase-baseline.sql supabase/migrations/*.sql | cksum | cut -d' ' -f1"],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
  }).outputSync();
  return (templateName = `syncline_tpl_${new TextDecoder().decode(out.stdout).trim()}`);
}

export function dbUrl(database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a fresh migrated database; dispose it (`await using`) to drop it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `syncline_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${template()}`);
  } finally {
    await admin.end();
  }
  const url = dbUrl(name);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  return {
    name,
    url,
    sql,
    async [Symbol.asyncDispose]() {
      await sql.end({ timeout: 5 });
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
