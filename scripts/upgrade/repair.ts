// Writes the repair migration: SQL that takes a database migrated at ANY earlier state of
// supabase/migrations (scripts/upgrade/history.json.gz) to exactly the schema a fresh install has
// today, keeping the data. It was run once to write supabase/migrations/20261209000000_sync_repair.sql;
// that file is released history now and is never regenerated (a landed migration is frozen).
//   deno run -A scripts/upgrade/repair.ts --db-url <admin url> --out <file> [--version <v>]
// It builds each state in a database of its own (created from a template holding the Supabase
// baseline), reads every catalog (scripts/upgrade/model.ts) and writes, in order:
//   1. drops: what some earlier state has and a fresh install has not, or has in a shape CREATE OR
//      REPLACE cannot change (views, triggers and policies are always dropped and re-created);
//   2. creates: every object of a fresh install, each guarded (if not exists / or replace);
//   3. converges: column types, defaults and NOT NULL where an earlier state differs;
//   4. grants: every object's privileges as a fresh install has them.
import postgres from "postgres";
import { buildState, loadHistory, type MigrationState, type Sql } from "./history.ts";
import { APP_SCHEMAS, type Model, readModel, readSeeds } from "./model.ts";
import { describeCatalog, diffCatalogs } from "../../tests/_support/catalog.ts";

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const when = (cond: string, stmt: string) =>
  `do $r$ begin if ${cond} then execute ${lit(stmt)}; end if; end $r$;`;
const tableExists = (t: string) => `to_regclass(${lit(t)}) is not null`;
const unq = (name: string) => name.replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
/** `"sync"."jobs"` → ['sync', 'jobs'] (names as the catalog has them) */
const parts = (qualified: string) => qualified.match(/"(?:[^"]|"")*"|[^.]+/g)!.map(unq);

const PRIVS: Record<string, string> = {
  r: "select",
  a: "insert",
  w: "update",
  d: "delete",
  D: "truncate",
  x: "references",
  t: "trigger",
  X: "execute",
  U: "usage",
  C: "create",
  c: "connect",
  T: "temporary",
};

/** grant statements for acl items ("grantee=privs/grantor"), the owner's own item skipped */
function grants(kind: string, object: string, acl: string[], owner = "postgres"): string[] {
  const out: string[] = [];
  for (const item of acl) {
    const m = item.match(/^("?)(.*)\1=([a-zA-Z*]*)\/.*$/);
    if (!m) throw new Error(`cannot read acl item ${item}`);
    const grantee = m[2] === "" ? "public" : `"${m[2]}"`;
    if (m[2] === owner) continue;
    const plain: string[] = [];
    const withOption: string[] = [];
    for (let i = 0; i < m[3].length; i++) {
      const p = PRIVS[m[3][i]];
      if (!p) throw new Error(`unknown privilege ${m[3][i]} in ${item}`);
      (m[3][i + 1] === "*" ? withOption : plain).push(p);
      if (m[3][i + 1] === "*") i++;
    }
    if (plain.length) out.push(`grant ${plain.join(", ")} on ${kind} ${object} to ${grantee};`);
    if (withOption.length) {
      out.push(`grant ${withOption.join(", ")} on ${kind} ${object} to ${grantee} with grant option;`);
    }
  }
  return out;
}

const ROLES = "public, anon, authenticated, service_role";

/** Columns of seed rows that hold their state rather than their definition: never reset by the repair. */
export const STATE_COLUMNS = ["enabled", "next_run_at", "last_run_at", "last_outcome", "last_job_id"];

/** The values of a SQL tuple "(a, 'b, c'::text, null)" (as readSeeds writes them: quoted literals or null). */
function splitTuple(tuple: string): string[] {
  const values: string[] = [];
  let cur = "";
  let quoted = false;
  const body = tuple.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "'") {
      if (quoted && body[i + 1] === "'") {
        cur += "''";
        i++;
        continue;
      }
      quoted = !quoted;
    }
    if (ch === "," && !quoted && body[i + 1] === " ") {
      values.push(cur);
      cur = "";
      i++;
      continue;
    }
    cur += ch;
  }
  values.push(cur);
  return values;
}

/**
 * The loop of a DO block that drops each of `names` (a text[] variable, with `n` and `left_over`
 * declared): what cannot go yet because another listed object depends on it is tried again next round;
 * what is left after `rounds` is depended on by objects that are not Syncline's, and the migration stops.
 */
function dropInDependencyOrder(rounds: number, before: string, drop: string, refusal: string): string {
  return `  for round in 1..${rounds} loop
    left_over := '{}';
    foreach n in array names loop
      if to_regclass(n) is not null then
${before}        begin
${drop}
        exception when dependent_objects_still_exist then
          left_over := left_over || n;
        end;
      end if;
    end loop;
    exit when cardinality(left_over) = 0;
    names := left_over;
  end loop;
  if cardinality(left_over) > 0 then
    raise exception 'Syncline repair: ${refusal}', left_over;
  end if;
`;
}

export function repairSql(fresh: Model, olds: Model[], version: string, states: string[]): string {
  const out: string[] = [];
  const section = (title: string) => out.push("", `-- ${title}`);
  const inSome = <T>(pick: (m: Model) => Map<string, T>) => {
    const keys = new Set<string>();
    for (const m of olds) for (const k of pick(m).keys()) keys.add(k);
    return keys;
  };
  const differs = <T>(pick: (m: Model) => Map<string, T>, key: string, same: (a: T, b: T) => boolean) =>
    olds.some((m) => pick(m).has(key) && !same(pick(m).get(key)!, pick(fresh).get(key)!));
  const missingSomewhere = <T>(pick: (m: Model) => Map<string, T>, key: string) =>
    olds.some((m) => !pick(m).has(key));

  out.push(
    `-- Repair: takes a database migrated at any earlier release of Syncline (${states.length} states of`,
    `-- supabase/migrations, ${states[0]} to ${states.at(-1)}) to the schema of a fresh install, keeping`,
    `-- the data. Written by scripts/upgrade/repair.ts; released history now: never edit or regenerate it.`,
    `-- Safe to run on a fresh install (it changes nothing there) and to run twice.`,
    `set check_function_bodies = off;`,
  );

  // ---- 1. drops
  section(
    "1. drops: views a fresh install has not or defines otherwise, in an order their dependencies allow",
  );
  const views = [...new Set([...inSome((m) => m.views), ...fresh.views.keys()])].sort();
  const freshView = (n: string) => {
    const v = fresh.views.get(n);
    return v ? `${lit(v.definition)}, ${lit(`{${v.options.join(",")}}`)}` : "null, null";
  };
  out.push(`do $r$
declare
  wanted record;
  names text[] := '{}';
  n text;
  f text;
  left_over text[];
begin
  for wanted in select * from (values
    ${views.map((n) => `(${lit(n)}, ${freshView(n)})`).join(",\n    ")}
  ) v (name, definition, options) loop
    if to_regclass(wanted.name) is not null and (wanted.definition is null
      or pg_get_viewdef(to_regclass(wanted.name)) <> wanted.definition
      or coalesce((select reloptions from pg_class where oid = to_regclass(wanted.name)), '{}') <> wanted.options::text[])
    then
      names := names || wanted.name;
    end if;
  end loop;
${
    dropInDependencyOrder(
      views.length + 1,
      `        -- Syncline's functions of the view's row type go with it (all are created again below)
        for f in select p.oid::regprocedure::text from pg_proc p, pg_class c
          where c.oid = to_regclass(n) and (p.prorettype = c.reltype or c.reltype = any (p.proargtypes))
            and p.pronamespace::regnamespace::text = any (${lit(`{${APP_SCHEMAS.join(",")}}`)}::text[]) loop
          execute format('drop function %s', f);
        end loop;
`,
      `          execute format('drop %s %s', case (select relkind from pg_class where oid = to_regclass(n))
            when 'm' then 'materialized view' else 'view' end, n);`,
      "views % are read by objects that are not Syncline''s; drop those, upgrade, and create them again",
    )
  }end $r$;`);

  section("triggers and policies of every earlier state (re-created below)");
  for (const key of [...new Set([...inSome((m) => m.triggers), ...fresh.triggers.keys()])].sort()) {
    const t = [fresh, ...olds].find((m) => m.triggers.has(key))!.triggers.get(key)!;
    out.push(when(tableExists(t.table), `drop trigger if exists ${t.name} on ${t.table}`));
  }
  for (const key of [...new Set([...inSome((m) => m.policies), ...fresh.policies.keys()])].sort()) {
    const p = [fresh, ...olds].find((m) => m.policies.has(key))!.policies.get(key)!;
    out.push(when(tableExists(p.table), `drop policy if exists ${p.name} on ${p.table}`));
  }

  section("constraints a fresh install has not, or has with another definition (foreign keys first)");
  const cons = [...inSome((m) => m.constraints)].map((k) => {
    const c = [...olds].find((m) => m.constraints.has(k))!.constraints.get(k)!;
    return { key: k, ...c };
  }).filter((c) =>
    !fresh.constraints.has(c.key) ||
    differs((m) => m.constraints, c.key, (a, b) => a.definition === b.definition && a.type === b.type)
  ).sort((a, b) => (a.type === "f" ? 0 : 1) - (b.type === "f" ? 0 : 1) || (a.key < b.key ? -1 : 1));
  for (const c of cons) {
    const f = fresh.constraints.get(c.key);
    const cond = `exists (select 1 from pg_constraint where conrelid = to_regclass(${
      lit(c.table)
    }) and conname = ${lit(unq(c.name))}${
      f ? ` and pg_get_constraintdef(oid) <> ${lit(f.definition)}` : ""
    })`;
    out.push(when(cond, `alter table ${c.table} drop constraint ${c.name}`));
  }

  section("indexes a fresh install has not, or has with another definition");
  for (const k of [...inSome((m) => m.indexes)].sort()) {
    const f = fresh.indexes.get(k);
    if (f && !differs((m) => m.indexes, k, (a, b) => a.definition === b.definition)) continue;
    const [s, n] = parts(k);
    const cond = `exists (select 1 from pg_indexes where schemaname = ${lit(s)} and indexname = ${lit(n)}${
      f ? ` and indexdef <> ${lit(f.definition)}` : ""
    }) and not exists (select 1 from pg_constraint where conindid = to_regclass(${lit(k)}))`;
    out.push(when(cond, `drop index ${k}`));
  }

  section("column defaults that differ (set again below, after the functions they may call)");
  for (const k of [...inSome((m) => m.columns)].sort()) {
    const f = fresh.columns.get(k);
    if (!f || !differs((m) => m.columns, k, (a, b) => a.default === b.default)) continue;
    out.push(when(
      `exists (select 1 from pg_attribute where attrelid = to_regclass(${lit(f.table)}) and attname = ${
        lit(unq(f.name))
      } and not attisdropped and atthasdef)`,
      `alter table ${f.table} alter column ${f.name} drop default`,
    ));
  }

  section("functions a fresh install has not, or has with another result, arguments or kind");
  for (const k of [...inSome((m) => m.functions)].sort()) {
    const f = fresh.functions.get(k);
    if (
      f && !differs(
        (m) => m.functions,
        k,
        (a, b) => a.result === b.result && a.args === b.args && a.kind === b.kind,
      )
    ) {
      continue;
    }
    const o = olds.find((m) => m.functions.has(k))!.functions.get(k)!;
    if (!f) {
      out.push(`drop ${o.kind === "p" ? "procedure" : "function"} if exists ${k};`);
      continue;
    }
    const [s] = parts(k.slice(0, k.indexOf("(")));
    const name = k.slice(k.indexOf(".") + 1, k.indexOf("("));
    const cond = `exists (select 1 from pg_proc p where p.pronamespace = to_regnamespace(${
      lit(s)
    }) and p.proname = ${lit(unq(name))} and pg_get_function_identity_arguments(p.oid) = ${
      lit(k.slice(k.indexOf("(") + 1, -1))
    } and (coalesce(pg_get_function_result(p.oid), '') <> ${
      lit(f.result)
    } or pg_get_function_arguments(p.oid) <> ${lit(f.args)} or p.prokind <> ${lit(f.kind)}))`;
    out.push(when(cond, `drop ${o.kind === "p" ? "procedure" : "function"} ${k}`));
  }

  section("columns and tables of earlier states that a fresh install has not");
  for (const k of [...inSome((m) => m.columns)].sort()) {
    if (fresh.columns.has(k)) continue;
    const c = olds.find((m) => m.columns.has(k))!.columns.get(k)!;
    if (!fresh.tables.has(c.table)) continue;
    out.push(`alter table if exists ${c.table} drop column if exists ${c.name};`);
  }
  const goneTables = [...inSome((m) => m.tables)].filter((t) => !fresh.tables.has(t)).sort();
  if (goneTables.length) {
    out.push(`do $r$
declare
  names text[] := array[${goneTables.map(lit).join(", ")}];
  n text;
  left_over text[];
begin
${
      dropInDependencyOrder(
        goneTables.length + 1,
        "",
        "          execute format('drop table %s', n);",
        "tables % of an earlier release are referenced by objects that are not Syncline''s",
      )
    }end $r$;`);
  }
  for (const k of [...inSome((m) => m.types)].filter((t) => !fresh.types.has(t)).sort()) {
    out.push(`drop type if exists ${k};`);
  }
  for (const k of [...inSome((m) => m.sequences)].filter((t) => !fresh.sequences.has(t)).sort()) {
    // an identity column's sequence goes with its column
    if (olds.some((m) => m.sequences.get(k)?.identity)) continue;
    out.push(`drop sequence if exists ${k};`);
  }

  // ---- 2. creates
  section("2. creates: schemas, extensions, types, sequences");
  for (const s of [...fresh.schemas.keys()].sort()) out.push(`create schema if not exists ${s};`);
  for (const [name, e] of [...fresh.extensions].sort()) {
    if (name === "plpgsql") continue;
    out.push(`create extension if not exists "${name}" with schema ${e.schema};`);
  }
  for (const [name, t] of [...fresh.types].sort()) {
    out.push(when(`to_regtype(${lit(name)}) is null`, `create type ${name} as ${t.definition}`));
  }
  for (const [name, s] of [...fresh.sequences].sort()) {
    if (!s.identity) out.push(`create sequence if not exists ${name} ${s.definition};`);
  }

  section("tables, then every column (a column an earlier state lacks is added)");
  const columnSql = (c: Model["columns"] extends Map<string, infer C> ? C : never, adding: boolean) => {
    let s = `${c.name} ${c.type}`;
    if (c.identity) return `${s} generated ${c.identity === "a" ? "always" : "by default"} as identity`;
    if (c.default !== null && !c.defaultUsesApp) s += ` default ${c.default}`;
    if (c.notNull && (!adding || (c.default !== null && !c.defaultUsesApp))) s += " not null";
    return s;
  };
  const tables = [...fresh.tables].sort((a, b) => a[1].oid - b[1].oid);
  for (const [name] of tables) {
    const cols = [...fresh.columns.values()].filter((c) => c.table === name);
    out.push(
      `create table if not exists ${name} (\n  ${cols.map((c) => columnSql(c, false)).join(",\n  ")}\n);`,
    );
  }
  for (const [k, c] of fresh.columns) {
    if (!missingSomewhere((m) => m.columns, k)) continue;
    out.push(`alter table ${c.table} add column if not exists ${columnSql(c, true)};`);
  }

  section("functions (all of them, as a fresh install defines them)");
  // a function of a view's row type is created after the views
  const viewNames = [...fresh.views.keys()].map((v) => parts(v).join("."));
  const viewTyped = (f: { result: string; args: string }) =>
    viewNames.some((v) => `${f.result} ${f.args}`.includes(v));
  for (const [, f] of [...fresh.functions].sort()) if (!viewTyped(f)) out.push(`${f.definition.trimEnd()};`);

  section("defaults that call Syncline's functions, sequence owners");
  for (const c of fresh.columns.values()) {
    if (c.default !== null && c.defaultUsesApp) {
      out.push(`alter table ${c.table} alter column ${c.name} set default ${c.default};`);
    }
  }
  for (const [name, s] of [...fresh.sequences].sort()) {
    if (s.ownedBy && !s.identity) out.push(`alter sequence ${name} owned by ${s.ownedBy};`);
  }

  section("3. converge: column types, defaults and NOT NULL where an earlier state differs");
  for (const [k, c] of fresh.columns) {
    if (differs((m) => m.columns, k, (a, b) => a.type === b.type)) {
      out.push(when(
        `(select format_type(atttypid, atttypmod) from pg_attribute where attrelid = to_regclass(${
          lit(c.table)
        }) and attname = ${lit(unq(c.name))}) <> ${lit(c.type)}`,
        `alter table ${c.table} alter column ${c.name} type ${c.type} using ${c.name}::${c.type}`,
      ));
    }
    if (!c.identity && differs((m) => m.columns, k, (a, b) => a.default === b.default)) {
      out.push(
        c.default === null
          ? `alter table ${c.table} alter column ${c.name} drop default;`
          : `alter table ${c.table} alter column ${c.name} set default ${c.default};`,
      );
    }
    if (
      c.notNull && !c.identity &&
      (missingSomewhere((m) => m.columns, k) ||
        differs((m) => m.columns, k, (a, b) => a.notNull === b.notNull))
    ) out.push(`alter table ${c.table} alter column ${c.name} set not null;`);
    if (!c.notNull && differs((m) => m.columns, k, (a, b) => a.notNull === b.notNull)) {
      out.push(`alter table ${c.table} alter column ${c.name} drop not null;`);
    }
  }

  section("constraints (foreign keys last), indexes");
  const freshCons = [...fresh.constraints.entries()].sort((a, b) =>
    (a[1].type === "f" ? 1 : 0) - (b[1].type === "f" ? 1 : 0) || (a[0] < b[0] ? -1 : 1)
  );
  for (const [, c] of freshCons) {
    out.push(when(
      `not exists (select 1 from pg_constraint where conrelid = to_regclass(${lit(c.table)}) and conname = ${
        lit(unq(c.name))
      })`,
      `alter table ${c.table} add constraint ${c.name} ${c.definition}`,
    ));
  }
  const onView = (i: { table: string }) => fresh.views.has(i.table);
  const createIndex = (def: string) =>
    def.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS ") + ";";
  for (const [, i] of [...fresh.indexes].sort()) if (!onView(i)) out.push(createIndex(i.definition));

  section("views (each after those it reads), their indexes, triggers, policies, row level security");
  for (const [name, v] of [...fresh.views].sort((a, b) => a[1].order - b[1].order)) {
    const def = v.definition.trim().replace(/;$/, "");
    out.push(when(
      `to_regclass(${lit(name)}) is null`,
      v.kind === "m"
        ? `create materialized view ${name} as\n${def}`
        : `create view ${name}${v.options.length ? ` with (${v.options.join(", ")})` : ""} as\n${def}`,
    ));
  }
  for (const [, i] of [...fresh.indexes].sort()) if (onView(i)) out.push(createIndex(i.definition));
  for (const [, f] of [...fresh.functions].sort()) if (viewTyped(f)) out.push(`${f.definition.trimEnd()};`);
  for (const [, t] of [...fresh.triggers].sort()) {
    out.push(`${t.definition};`);
    const enable: Record<string, string> = { D: "disable", R: "enable replica", A: "enable always" };
    if (enable[t.enabled]) out.push(`alter table ${t.table} ${enable[t.enabled]} trigger ${t.name};`);
  }
  for (const [, p] of [...fresh.policies].sort()) out.push(`${p.create};`);
  for (const [name, t] of tables) {
    out.push(`alter table ${name} ${t.rls ? "enable" : "disable"} row level security;`);
    out.push(`alter table ${name} ${t.forceRls ? "force" : "no force"} row level security;`);
  }

  section("comments");
  const comment = (what: string, c: string | null) =>
    `comment on ${what} is ${c === null ? "null" : lit(c)};`;
  for (const [name, s] of [...fresh.schemas].sort()) out.push(comment(`schema ${name}`, s.comment));
  for (const [name, t] of tables) out.push(comment(`table ${name}`, t.comment));
  for (const c of fresh.columns.values()) {
    if (c.comment !== null || olds.some((m) => m.columns.get(`${c.table}.${c.name}`)?.comment)) {
      out.push(comment(`column ${c.table}.${c.name}`, c.comment));
    }
  }
  for (const [name, v] of [...fresh.views].sort()) {
    if (v.comment !== null) {
      out.push(comment(`${v.kind === "m" ? "materialized view" : "view"} ${name}`, v.comment));
    }
  }
  for (const [sig, f] of [...fresh.functions].sort()) {
    if (f.comment !== null || olds.some((m) => m.functions.get(sig)?.comment)) {
      out.push(comment(`${f.kind === "p" ? "procedure" : "function"} ${sig}`, f.comment));
    }
  }
  for (const [name, t] of [...fresh.types].sort()) {
    if (t.comment !== null) out.push(comment(`type ${name}`, t.comment));
  }

  section("seed rows a fresh install has (never overwriting a row the team changed)");
  // a seed row an earlier release wrote otherwise and nobody has changed since gets today's values:
  // recognised by its key (a unique constraint on seeded columns) and every column as that release left it
  for (const [table, s] of [...fresh.seeds].sort()) {
    const key = [...fresh.constraints.values()].filter((c) =>
      c.table === table && /^(PRIMARY KEY|UNIQUE) \(/.test(c.definition)
    )
      .map((c) =>
        c.definition.replace(/^(PRIMARY KEY|UNIQUE) \((.*)\)$/, "$2").split(", ").map((k) => `"${unq(k)}"`)
      )
      .find((cols) => cols.every((k) => s.columns.includes(k)));
    if (!key) continue;
    const keyOf = (json: Record<string, unknown>) => JSON.stringify(key.map((k) => json[unq(k)]));
    const freshRows = new Map(s.json.map((j, i) => [keyOf(JSON.parse(j)), { json: j, row: s.rows[i] }]));
    const seen = new Set<string>();
    for (const m of olds) {
      for (const j of m.seeds.get(table)?.json ?? []) {
        const old = JSON.parse(j) as Record<string, unknown>;
        const target = freshRows.get(keyOf(old));
        if (!target || target.json === j) continue;
        // the columns the old row and today's table share (a dropped column cannot be compared)
        const cols = Object.keys(old).filter((c) =>
          s.columns.includes(`"${c}"`) && !STATE_COLUMNS.includes(c)
        );
        const was = JSON.stringify(Object.fromEntries(cols.map((c) => [c, old[c]])));
        if (seen.has(was)) continue;
        seen.add(was);
        // what a row is, not what it is doing: a schedule an older release seeded enabled stays enabled
        const set = s.columns.map((c, i) => [c, splitTuple(target.row)[i]]).filter(([c]) =>
          !STATE_COLUMNS.includes(unq(c))
        );
        out.push(
          `update ${table} t set (${set.map(([c]) => c).join(", ")}) = row (${
            set.map(([, v]) => v).join(", ")
          })\n  where jsonb_build_object(${cols.map((c) => `${lit(c)}, t."${c}"`).join(", ")}) = ${
            lit(was)
          }::jsonb;`,
        );
      }
    }
  }
  // tables in the order a fresh install created them (a referenced table first)
  for (
    const [table, s] of [...fresh.seeds].sort((a, b) =>
      fresh.tables.get(a[0])!.oid - fresh.tables.get(b[0])!.oid
    )
  ) {
    const identity = [...fresh.columns.values()].some((c) => c.table === table && c.identity === "a");
    out.push(
      `insert into ${table} (${s.columns.join(", ")})${
        identity ? " overriding system value" : ""
      } values\n  ${s.rows.join(",\n  ")}\non conflict do nothing;`,
    );
  }

  // ---- 4. grants
  section("4. grants: every object's privileges as a fresh install has them");
  for (const [name, s] of [...fresh.schemas].sort()) {
    out.push(`revoke all on schema ${name} from ${ROLES};`, ...grants("schema", name, s.acl));
  }
  for (const [name, t] of tables) {
    out.push(`revoke all on table ${name} from ${ROLES};`, ...grants("table", name, t.acl));
  }
  for (const [name, v] of [...fresh.views].sort()) {
    out.push(`revoke all on table ${name} from ${ROLES};`, ...grants("table", name, v.acl));
  }
  for (const [name, s] of [...fresh.sequences].sort()) {
    out.push(`revoke all on sequence ${name} from ${ROLES};`, ...grants("sequence", name, s.acl));
  }
  for (const [sig, f] of [...fresh.functions].sort()) {
    const kind = f.kind === "p" ? "procedure" : "function";
    out.push(`revoke all on ${kind} ${sig} from ${ROLES};`, ...grants(kind, sig, f.acl));
  }
  const columnAcl = [...fresh.columns.values()].filter((c) =>
    c.acl.length || olds.some((m) => m.columns.get(`${c.table}.${c.name}`)?.acl.length)
  );
  for (const c of columnAcl) {
    out.push(`revoke all (${c.name}) on table ${c.table} from ${ROLES};`);
    out.push(
      ...grants("table", c.table, c.acl).map((g) => g.replace(/^grant (.*?) on/, `grant $1 (${c.name}) on`)),
    );
  }

  out.push(
    "",
    "reset check_function_bodies;",
    `insert into sync.schema_versions (version) values (${lit(version)});`,
    "",
  );
  return out.join("\n");
}

/**
 * Builds a database for each state (from a template holding the Supabase baseline), `parallel` at
 * a time, calls `use` with its connection, then drops it.
 */
async function eachState(
  adminUrl: string,
  states: MigrationState[],
  use: (sql: Sql, i: number) => Promise<void>,
  parallel = 2,
): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const base = `syncline_repair_base_${Date.now() % 1e8}`;
  try {
    await admin.unsafe(`create database ${base}`);
    const u = new URL(adminUrl);
    u.pathname = `/${base}`;
    const b = postgres(u.toString(), { max: 1, onnotice: () => {} });
    await b.unsafe(await Deno.readTextFile(new URL("../supabase-baseline.sql", import.meta.url)));
    await b.end();
    let next = 0;
    const work = async () => {
      while (next < states.length) {
        const i = next++;
        const name = `${base}_${i}`;
        const sql = postgres(await buildState(adminUrl, base, name, states[i]), {
          max: 1,
          onnotice: () => {},
        });
        try {
          await use(sql, i);
        } finally {
          await sql.end();
          await admin.unsafe(`drop database if exists ${name} with (force)`);
        }
        console.error(`state ${i + 1}/${states.length} (${states[i].commit})`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, work));
  } finally {
    await admin.unsafe(`drop database if exists ${base} with (force)`);
    await admin.end();
  }
}

/** Applies `repair` to a database of each state and compares its catalog with the last state's
 * (repaired too, as a fresh install runs it); returns the problems per state. */
export async function checkRepair(adminUrl: string, states: MigrationState[], repair: string) {
  const catalogs: Record<string, unknown[]>[] = new Array(states.length);
  const errors: string[] = new Array(states.length).fill("");
  await eachState(adminUrl, states, async (sql, i) => {
    try {
      await sql.begin((tx) => tx.unsafe(repair));
      // twice: a repaired database is left as it is (the version is recorded once)
      await sql.begin(async (tx) => {
        await tx.unsafe(
          `delete from sync.schema_versions where version = (select max(version) from sync.schema_versions)`,
        );
        await tx.unsafe(repair);
      });
      catalogs[i] = await describeCatalog(sql, { positions: false });
    } catch (err) {
      errors[i] = (err as Error).message;
    }
  });
  const fresh = catalogs.at(-1);
  return states.map((s, i) => ({
    commit: s.commit,
    problems: errors[i] ? [errors[i]] : fresh ? diffCatalogs(catalogs[i], fresh) : ["the last state failed"],
  }));
}

/** Reads the catalog of each state (oldest first) and the seed rows of the newest. */
export async function readStates(
  adminUrl: string,
  states: MigrationState[],
): Promise<{ models: Model[]; seeds: Model["seeds"] }> {
  const models: Model[] = new Array(states.length);
  let seeds: Model["seeds"] = new Map();
  await eachState(adminUrl, states, async (sql, i) => {
    models[i] = await readModel(sql);
    models[i].seeds = await readSeeds(sql, models[i], ['"sync"."schema_versions"']);
    if (i === states.length - 1) seeds = models[i].seeds;
  });
  return { models, seeds };
}

if (import.meta.main) {
  const arg = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Deno.args[i + 1] : undefined;
  };
  const adminUrl = arg("--db-url") ?? Deno.env.get("SYNCLINE_DB_URL");
  const outFile = arg("--out");
  const version = arg("--version") ?? "20261209000000";
  if (!adminUrl || (!outFile && !arg("--check"))) {
    console.error(
      "usage: deno run -A scripts/upgrade/repair.ts --db-url <admin url> --out <file> [--version <v>]",
    );
    Deno.exit(2);
  }
  const states = await loadHistory();
  const check = arg("--check");
  if (check) {
    const results = await checkRepair(adminUrl, states, await Deno.readTextFile(check));
    for (const r of results) {
      console.log(`${r.commit}: ${r.problems.length ? r.problems.join("\n") : "same as fresh"}`);
    }
    Deno.exit(results.some((r) => r.problems.length) ? 1 : 0);
  }
  const { models, seeds } = await readStates(adminUrl, states);
  const fresh = { ...models.at(-1)!, seeds };
  await Deno.writeTextFile(
    outFile!,
    repairSql(fresh, models.slice(0, -1), version, states.map((s) => s.commit)),
  );
  console.error(`wrote ${outFile}`);
}
