// A database's catalog as comparable values: each query describes one kind of object of the app
// schemas by name and definition (never by oid), sorted. Used to prove two databases define the same
// schema (sql/ against the migrations, an upgraded database against a fresh install).
import type postgres from "postgres";

type Sql = ReturnType<typeof postgres>;

const excluded =
  `('pg_catalog', 'information_schema', 'supabase_migrations', 'extensions', 'cron', 'pg_toast')`;
const appSchema = (col: string) =>
  `${col} not in ${excluded} and ${col} not like 'pg_temp%' and ${col} not like 'pg_toast%'`;

// Each query describes one kind of object by name and definition (never by oid), sorted.
export const catalogQueries: Record<string, string> = {
  schemas:
    `select nspname::text, pg_get_userbyid(nspowner)::text as owner, coalesce(nspacl, acldefault('n'::"char", nspowner))::text as nspacl
    from pg_namespace where ${appSchema("nspname")} order by 1`,
  relations:
    `select n.nspname || '.' || c.relname as name, c.relkind::text, c.relrowsecurity, c.relforcerowsecurity,
      coalesce(c.relacl, acldefault(case when c.relkind = 'S' then 's' else 'r' end::"char", c.relowner))::text as relacl, c.reloptions::text, obj_description(c.oid, 'pg_class') as comment
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
      pg_get_functiondef(p.oid) as definition, coalesce(p.proacl, acldefault('f'::"char", p.proowner))::text as proacl, obj_description(p.oid, 'pg_proc') as comment
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

export async function describeCatalog(
  sql: Sql,
  options: { positions?: boolean } = {},
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [kind, query] of Object.entries(catalogQueries)) {
    const rows = (await sql.unsafe(query)).map((row) => ({ ...row }));
    // an upgrade adds a column at the end of its table: compare columns by name, not position
    out[kind] = options.positions === false && kind === "columns"
      ? rows.map(({ position: _, ...rest }) => rest).sort((a, b) =>
        `${a.rel}.${a.attname}` < `${b.rel}.${b.attname}` ? -1 : 1
      )
      : rows;
  }
  return out;
}

/** The kinds on which two catalogs disagree, each with the first few differing entries of each side. */
export function diffCatalogs(a: Record<string, unknown[]>, b: Record<string, unknown[]>): string[] {
  const problems: string[] = [];
  for (const kind of Object.keys(catalogQueries)) {
    const sa = new Set(a[kind].map((r) => JSON.stringify(r)));
    const sb = new Set(b[kind].map((r) => JSON.stringify(r)));
    const onlyA = [...sa].filter((x) => !sb.has(x));
    const onlyB = [...sb].filter((x) => !sa.has(x));
    if (onlyA.length || onlyB.length) {
      problems.push(
        `${kind}: ${onlyA.length} only in the first, ${onlyB.length} only in the second\n` +
          onlyA.slice(0, 3).map((x) => `  - ${x.slice(0, 400)}`).join("\n") + "\n" +
          onlyB.slice(0, 3).map((x) => `  + ${x.slice(0, 400)}`).join("\n"),
      );
    }
  }
  return problems;
}
