// The target tables of every described connector come from its description: the checked-in
// sql/<name>.sql must equal what `deno task connector:sql <name>` generates,
// and the migrated database must have exactly the described columns, types and keys.
import assert from "node:assert/strict";
import { describedConnectors } from "../../functions/_shared/connectors/described.ts";
import { parseSpec, schemaOf } from "../../functions/_shared/connectors/declarative/spec.ts";
import { generateSql } from "../../functions/_shared/connectors/declarative/sql.ts";
import { renderConnectorSql } from "../../scripts/connector_sql.ts";
import { createTestDatabase } from "../_support/db.ts";

const root = new URL("../../", import.meta.url).pathname;

for (const name of Object.keys(describedConnectors)) {
  Deno.test(`${name}: sql/${name}.sql is what the description generates`, () => {
    const out = renderConnectorSql(name);
    assert.ok(out.migration, `no supabase/migrations/*_${name}.sql: run deno task connector:sql ${name}`);
    // the migration is released history (scripts/check_migrations.ts); the migrated tables are checked below
    for (const file of [out.sqlFile]) {
      assert.equal(
        Deno.readTextFileSync(root + file),
        out.content,
        `${file} drifted from the description of "${name}": run deno task connector:sql ${name}`,
      );
    }
  });

  Deno.test(`${name}: the migrated tables have the described columns, types and keys`, async () => {
    const spec = parseSpec(describedConnectors[name].description);
    await using db = await createTestDatabase();
    for (const [stream, s] of Object.entries(spec.streams)) {
      const table = s.table ?? stream;
      const cols = await db.sql<{ column_name: string; data_type: string }[]>`
        select column_name, data_type from information_schema.columns
        where table_schema = ${schemaOf(spec)} and table_name = ${table}
          and column_name not like '\\_%' order by ordinal_position`;
      const pgType = { timestamptz: "timestamp with time zone" } as Record<string, string>;
      assert.deepEqual(
        cols.map((c) => [c.column_name, c.data_type]),
        [...Object.entries(s.fields).map(([c, f]) => [c, pgType[f.type] ?? f.type]), ["raw", "jsonb"]],
      );
      const [reg] = await db.sql`select key_columns from sync.targets where target = ${`${
        schemaOf(spec)
      }.${table}`}`;
      assert.deepEqual(reg.key_columns, s.key);
    }
  });
}

Deno.test("a changed description changes the generated SQL (the drift test would fail)", () => {
  const d = structuredClone(describedConnectors.irelandpay.description);
  const before = generateSql(parseSpec(d), "x");
  (d.streams.merchants.fields as Record<string, unknown>).mcc = { type: "text" };
  const after = generateSql(parseSpec(d), "x");
  assert.notEqual(after, before);
  assert.match(after, /\n {2}mcc text,\n/);
});
