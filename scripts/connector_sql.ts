// Writes the target tables of a described connector: sql/<name>.sql, and for a connector without a
// migration yet, its first migration supabase/migrations/<timestamp>_<name>.sql (a copy). A
// released migration is never written (supabase/migrations.lock): when the description changes,
// sql/<name>.sql follows and the change goes in a new migration written by hand
// (tests/db/db_sql_matches_migrations_test.ts proves the two equal).
//   deno task connector:sql <name> [--timestamp YYYYMMDDHHMMSS] [--check]
// --check writes nothing and exits 1 when sql/<name>.sql differs from the description.
import { parseArgs } from "node:util";
import { describedConnectors } from "../functions/_shared/connectors/described.ts";
import { parseSpec } from "../functions/_shared/connectors/declarative/spec.ts";
import { generateSql } from "../functions/_shared/connectors/declarative/sql.ts";

const root = new URL("..", import.meta.url).pathname;

/** The SQL a described connector's tables should have, and where it lives. */
export function renderConnectorSql(
  name: string,
): { sqlFile: string; migration: string | null; content: string } {
  const entry = describedConnectors[name];
  if (!entry) {
    throw new Error(
      `No described connector "${name}" (described: ${Object.keys(describedConnectors).join(", ")})`,
    );
  }
  const spec = parseSpec(entry.description);
  const migration = [...Deno.readDirSync(`${root}supabase/migrations`)]
    .map((e) => e.name).find((n) => /^\d{14}_/.test(n) && n.replace(/^\d{14}_/, "") === `${name}.sql`);
  return {
    sqlFile: `sql/${name}.sql`,
    migration: migration ? `supabase/migrations/${migration}` : null,
    content: generateSql(spec, entry.source),
  };
}

function utcStamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { timestamp: { type: "string" }, check: { type: "boolean", default: false } },
  });
  const name = positionals[0];
  if (!name || positionals.length > 1) {
    console.error("usage: deno task connector:sql <name> [--timestamp YYYYMMDDHHMMSS] [--check]");
    Deno.exit(2);
  }
  if (values.timestamp !== undefined && !/^\d{14}$/.test(values.timestamp)) {
    console.error(`--timestamp takes YYYYMMDDHHMMSS, got "${values.timestamp}"`);
    Deno.exit(2);
  }
  let out;
  try {
    out = renderConnectorSql(name);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    Deno.exit(2);
  }
  const migration = out.migration ?? `supabase/migrations/${values.timestamp ?? utcStamp()}_${name}.sql`;
  const read = (p: string) => {
    try {
      return Deno.readTextFileSync(root + p);
    } catch {
      return null;
    }
  };
  const stale = [out.sqlFile, ...(out.migration ? [] : [migration])].filter((p) => read(p) !== out.content);
  if (values.check) {
    for (const p of stale) console.error(`${p} differs from the description of "${name}"`);
    Deno.exit(stale.length ? 1 : 0);
  }
  for (const p of stale) Deno.writeTextFileSync(root + p, out.content);
  console.log(stale.length ? `wrote ${stale.join(", ")}` : `${out.sqlFile} is up to date`);
  if (out.migration && stale.length) {
    console.log(
      `${out.migration} is released and stays as it is: write the change as a new migration ` +
        `(supabase/migrations/<newer version>_${name}_<what>.sql), then deno run -A scripts/check_migrations.ts --add`,
    );
  }
}
