// Stored source versions of a merge target's records, by key: lets a listing skip re-reading
// records whose listed version equals what is stored (FetchContext.storedVersions). Rows marked
// deleted are not "stored": a listing that shows them again re-reads them, which undeletes them.
import type { Sql } from "../types.ts";

const targets = new Map<string, { key: string; version: string } | null>();

export async function storedVersions(sql: Sql, target: string, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  let t = targets.get(target);
  if (t === undefined) {
    const [r] = await sql`select key_columns, version_column from sync.targets where target = ${target}`;
    t = r && r.key_columns.length === 1 && r.version_column
      ? { key: r.key_columns[0] as string, version: r.version_column as string }
      : null;
    targets.set(target, t);
  }
  if (!t) return out;
  const [schema, table] = target.split(".");
  const rows = await sql`select ${sql(t.key)}::text as k, ${sql(t.version)} as v
    from ${sql(schema)}.${sql(table)} where ${sql(t.key)}::text = any(${keys}::text[])
      and _deleted_at is null`;
  for (const r of rows) {
    if (r.v !== null) out.set(r.k as string, new Date(r.v as string).toISOString());
  }
  return out;
}
