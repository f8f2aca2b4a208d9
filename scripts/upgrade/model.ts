// What a database holds of Syncline's, read from the catalog into plain values: the input of the
// repair generator (scripts/upgrade/repair.ts). Names are schema-qualified and quoted as SQL wants them.
import type { Sql } from "./history.ts";

/** The schemas that are Syncline's (everything else is the system's, Supabase's or the user's). */
export const APP_SCHEMAS = ["sync", "square", "highlevel", "bubble", "irelandpay", "events"];
const inApp = (col: string) => `${col} in (${APP_SCHEMAS.map((s) => `'${s}'`).join(", ")})`;

export interface Column {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** the default calls a function of an app schema (so it is set after the functions exist) */
  defaultUsesApp: boolean;
  identity: string;
  acl: string[];
  comment: string | null;
}

export interface Model {
  schemas: Map<string, { acl: string[]; comment: string | null }>;
  extensions: Map<string, { schema: string }>;
  types: Map<string, { definition: string; comment: string | null }>;
  sequences: Map<string, { definition: string; ownedBy: string | null; acl: string[]; identity: boolean }>;
  tables: Map<
    string,
    { rls: boolean; forceRls: boolean; acl: string[]; comment: string | null; oid: number }
  >;
  columns: Map<string, Column>;
  constraints: Map<string, { table: string; name: string; type: string; definition: string }>;
  indexes: Map<string, { table: string; name: string; definition: string }>;
  functions: Map<
    string,
    { definition: string; result: string; args: string; kind: string; acl: string[]; comment: string | null }
  >;
  views: Map<
    string,
    {
      kind: "v" | "m";
      definition: string;
      options: string[];
      columns: string;
      acl: string[];
      comment: string | null;
      order: number;
    }
  >;
  triggers: Map<string, { table: string; name: string; definition: string; enabled: string }>;
  policies: Map<string, { table: string; name: string; create: string }>;
  /** rows of the tables a fresh install seeds (tables with a primary key only) */
  seeds: Map<string, { columns: string[]; rows: string[]; json: string[] }>;
}

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
const unquote = (s: string) => s.replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** acl items as text, NULL read as the object kind's default ("char" kind as acldefault takes). */
const acl = (aclCol: string, kind: string, owner: string) =>
  `coalesce(${aclCol}, acldefault('${kind}', ${owner}))::text[]`;

export async function readModel(sql: Sql): Promise<Model> {
  const m: Model = {
    schemas: new Map(),
    extensions: new Map(),
    types: new Map(),
    sequences: new Map(),
    tables: new Map(),
    columns: new Map(),
    constraints: new Map(),
    indexes: new Map(),
    functions: new Map(),
    views: new Map(),
    triggers: new Map(),
    policies: new Map(),
    seeds: new Map(),
  };
  for (
    const r of await sql.unsafe(`select nspname::text as name, ${acl("nspacl", "n", "nspowner")} as acl,
      obj_description(oid, 'pg_namespace') as comment from pg_namespace where ${inApp("nspname")}`)
  ) m.schemas.set(q(r.name), { acl: r.acl, comment: r.comment });
  for (
    const r of await sql.unsafe(
      `select extname::text as name, extnamespace::regnamespace::text as schema from pg_extension`,
    )
  ) m.extensions.set(r.name, { schema: r.schema });
  // composite types that are not a table's row type
  for (
    const r of await sql.unsafe(`select format('%I.%I', n.nspname, t.typname) as name,
      (select string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' order by a.attnum)
        from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) as attrs,
      obj_description(t.oid, 'pg_type') as comment
    from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_class c on c.oid = t.typrelid
    where ${inApp("n.nspname")} and c.relkind = 'c'`)
  ) m.types.set(r.name, { definition: `(${r.attrs})`, comment: r.comment });
  for (
    const r of await sql.unsafe(`select format('%I.%I', s.schemaname, s.sequencename) as name,
      format('as %s increment by %s minvalue %s maxvalue %s start with %s cache %s%s', s.data_type, s.increment_by,
        s.min_value, s.max_value, s.start_value, s.cache_size, case when s.cycle then ' cycle' else '' end) as def,
      (select format('%I.%I.%I', dn.nspname, dc.relname, da.attname) from pg_depend d
        join pg_class dc on dc.oid = d.refobjid join pg_namespace dn on dn.oid = dc.relnamespace
        join pg_attribute da on da.attrelid = d.refobjid and da.attnum = d.refobjsubid
        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')) as owned_by,
      (select d.deptype from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
        and d.deptype = 'i') as identity,
      ${acl("c.relacl", "s", "c.relowner")} as acl
    from pg_sequences s join pg_namespace n on n.nspname = s.schemaname
      join pg_class c on c.relnamespace = n.oid and c.relname = s.sequencename
    where ${inApp("s.schemaname")}`)
  ) {
    // an identity column's sequence comes with its column: only its privileges are the repair's
    m.sequences.set(r.name, { definition: r.def, ownedBy: r.owned_by, acl: r.acl, identity: !!r.identity });
  }
  for (
    const r of await sql.unsafe(
      `select format('%I.%I', n.nspname, c.relname) as name, c.relrowsecurity as rls,
      c.relforcerowsecurity as force, ${acl("c.relacl", "r", "c.relowner")} as acl,
      obj_description(c.oid, 'pg_class') as comment, c.oid::int as oid
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${inApp("n.nspname")} and c.relkind in ('r', 'p')`,
    )
  ) m.tables.set(r.name, { rls: r.rls, forceRls: r.force, acl: r.acl, comment: r.comment, oid: r.oid });
  for (
    const r of await sql.unsafe(
      `select format('%I.%I', n.nspname, c.relname) as table, a.attname::text as name,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as def,
      exists (select 1 from pg_depend dp join pg_proc p on p.oid = dp.refobjid
        where dp.classid = 'pg_attrdef'::regclass and dp.objid = d.oid and dp.refclassid = 'pg_proc'::regclass
          and ${inApp("p.pronamespace::regnamespace::text")}) as def_app,
      a.attidentity::text as identity, coalesce(a.attacl::text[], '{}') as acl,
      col_description(c.oid, a.attnum) as comment
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where ${inApp("n.nspname")} and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
    order by c.oid, a.attnum`,
    )
  ) {
    m.columns.set(`${r.table}.${q(r.name)}`, {
      table: r.table,
      name: q(r.name),
      type: r.type,
      notNull: r.not_null,
      default: r.def,
      defaultUsesApp: r.def_app,
      identity: r.identity,
      acl: r.acl,
      comment: r.comment,
    });
  }
  for (
    const r of await sql.unsafe(
      `select format('%I.%I', n.nspname, c.relname) as table, co.conname::text as name,
      co.contype::text as type, pg_get_constraintdef(co.oid) as def
    from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace
    where ${inApp("n.nspname")} and c.relkind in ('r', 'p')`,
    )
  ) {
    m.constraints.set(`${r.table}.${q(r.name)}`, {
      table: r.table,
      name: q(r.name),
      type: r.type,
      definition: r.def,
    });
  }
  for (
    const r of await sql.unsafe(`select format('%I.%I', schemaname, tablename) as table,
      format('%I.%I', schemaname, indexname) as name, indexdef as def
    from pg_indexes i where ${inApp("schemaname")} and not exists (select 1 from pg_constraint co
      where co.conindid = format('%I.%I', schemaname, indexname)::regclass and co.contype in ('p', 'u', 'x'))`)
  ) m.indexes.set(r.name, { table: r.table, name: r.name, definition: r.def });
  for (
    const r of await sql.unsafe(`select format('%I.%I(%s)', n.nspname, p.proname,
        pg_get_function_identity_arguments(p.oid)) as sig,
      pg_get_functiondef(p.oid) as def, coalesce(pg_get_function_result(p.oid), '') as result,
      pg_get_function_arguments(p.oid) as args, p.prokind::text as kind,
      ${acl("p.proacl", "f", "p.proowner")} as acl, obj_description(p.oid, 'pg_proc') as comment
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${inApp("n.nspname")} and p.prokind in ('f', 'p')`)
  ) {
    m.functions.set(r.sig, {
      definition: r.def,
      result: r.result,
      args: r.args,
      kind: r.kind,
      acl: r.acl,
      comment: r.comment,
    });
  }
  // views in an order that creates each after those it reads (pg_depend through its rewrite rule)
  const views = await sql.unsafe(`select c.oid::int as oid, format('%I.%I', n.nspname, c.relname) as name,
      c.relkind::text as kind, pg_get_viewdef(c.oid) as def, coalesce(c.reloptions, '{}') as options,
      (select string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' order by a.attnum)
        from pg_attribute a where a.attrelid = c.oid and a.attnum > 0) as columns,
      ${acl("c.relacl", "r", "c.relowner")} as acl, obj_description(c.oid, 'pg_class') as comment,
      array(select distinct d.refobjid::int from pg_rewrite rw join pg_depend d on d.objid = rw.oid
        where rw.ev_class = c.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
          and d.refobjid <> c.oid) as reads
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${inApp("n.nspname")} and c.relkind in ('v', 'm')`);
  const byOid = new Map(views.map((v) => [v.oid as number, v]));
  const done = new Set<number>();
  let order = 0;
  const visit = (v: (typeof views)[number]) => {
    if (done.has(v.oid)) return;
    done.add(v.oid);
    for (const r of v.reads as number[]) if (byOid.has(r)) visit(byOid.get(r)!);
    m.views.set(v.name, {
      kind: v.kind,
      definition: v.def,
      options: v.options,
      columns: v.columns,
      acl: v.acl,
      comment: v.comment,
      order: order++,
    });
  };
  for (const v of [...views].sort((a, b) => a.oid - b.oid)) visit(v);
  for (
    const r of await sql.unsafe(
      `select format('%I.%I', n.nspname, c.relname) as table, t.tgname::text as name,
      pg_get_triggerdef(t.oid) as def, t.tgenabled::text as enabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where ${inApp("n.nspname")} and not t.tgisinternal`,
    )
  ) {
    m.triggers.set(`${r.table}.${q(r.name)}`, {
      table: r.table,
      name: q(r.name),
      definition: r.def,
      enabled: r.enabled,
    });
  }
  for (
    const r of await sql.unsafe(
      `select format('%I.%I', schemaname, tablename) as table, policyname::text as name,
      permissive, roles::text[] as roles, cmd, qual, with_check
    from pg_policies where ${inApp("schemaname")} or policyname ilike 'syncline%'`,
    )
  ) {
    const table = r.table as string;
    const create =
      `create policy ${q(r.name)} on ${table} as ${r.permissive.toLowerCase()} for ${r.cmd.toLowerCase()}` +
      ` to ${(r.roles as string[]).map((x) => x === "public" ? "public" : q(x)).join(", ")}` +
      (r.qual !== null ? ` using (${r.qual})` : "") +
      (r.with_check !== null ? ` with check (${r.with_check})` : "");
    m.policies.set(`${table}.${q(r.name)}`, { table, name: q(r.name), create });
  }
  return m;
}

const VOLATILE_DEFAULT =
  /^nextval\(|\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|gen_random_uuid|random)\(\)/;

/** The rows a fresh install seeds: every row of a table with a primary key, without identity
 * columns and columns with a default that is not a constant (timestamps of the install). */
export async function readSeeds(sql: Sql, model: Model, skip: string[]): Promise<Model["seeds"]> {
  const seeds: Model["seeds"] = new Map();
  for (const table of model.tables.keys()) {
    if (skip.includes(table)) continue;
    const [{ n }] = await sql.unsafe(`select count(*)::int as n from ${table}`);
    if (!n) continue;
    const hasPk = [...model.constraints.values()].some((c) => c.table === table && c.type === "p");
    if (!hasPk) {
      throw new Error(`${table} has seed rows but no primary key: the repair cannot insert them once`);
    }
    const cols = [...model.columns.values()].filter((c) =>
      c.table === table && !c.identity && !(c.default && VOLATILE_DEFAULT.test(c.default))
    );
    // each row as a SQL tuple (to insert it) and as JSON of the same columns (to recognise it)
    const rows = await sql.unsafe(
      `select format('(%s)', concat_ws(', ', ${
        cols.map((c) => `coalesce(quote_literal(${c.name}::text) || '::${c.type}', 'null')`).join(", ")
      })) as row, jsonb_build_object(${
        cols.map((c) => `${sqlText(unquote(c.name))}, ${c.name}`).join(", ")
      })::text as json from ${table} order by 1`,
    );
    seeds.set(table, {
      columns: cols.map((c) => c.name),
      rows: rows.map((r) => r.row),
      json: rows.map((r) => r.json),
    });
  }
  return seeds;
}
