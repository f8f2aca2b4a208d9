-- Syncline engine: staged promotion (import -> production). A plan names a root entity (an import
-- table) and an ordered chain of steps, each mapping import rows of a root to rows of a production
-- table. Roots are promoted set-based in batches; each root is all-or-nothing (a failing root is
-- isolated by splitting its batch into subtransactions), recorded with its reason or error and a
-- step log, and re-running promotes nothing twice (production writes go through sync.merge_rows).
-- When promotion runs: sql/promotion_runs.sql; what it did: sql/promotion_status.sql.
-- Error codes: SY404 unknown plan, SY422 bad input.

-- A plan: its root table (import layer), root key and source-order column, and the functions that
-- judge roots (check_fn), find roots touched by imported rows (affected_fn) and count orphans.
create table sync.promotion_plans (
  name text primary key check (name ~ '^[a-z_][a-z0-9_]*$'),
  connector text not null,
  root_table text not null,
  root_key text not null,
  root_order text not null,
  root_label text not null,
  check_fn text not null,
  affected_fn text not null,
  orphans_fn text,
  withdraw_reasons text[] not null default '{}',
  description text,
  created_at timestamptz not null default now()
);
comment on table sync.promotion_plans is
  'Promotion plans: check_fn(text[]) -> (root_id, sort_at, version, reason_code, reason) judges roots (reason_code null: eligible); affected_fn(table, keys) -> root_id finds roots of imported rows; roots ineligible for a withdraw reason after promotion are withdrawn (retire values applied).';

-- One step of a plan's chain: rows_fn(root ids) -> (root_id, data jsonb, error text) maps import rows
-- to rows of the production target (a registered merge target); tie_column holds the root's id in
-- per-root targets (null for rows shared between roots); retire is applied to a root's rows the
-- source no longer yields and to every row of a withdrawn root.
create table sync.promotion_steps (
  plan text not null references sync.promotion_plans (name) on delete cascade,
  ordinal integer not null check (ordinal >= 1),
  name text not null check (name ~ '^[a-z_][a-z0-9_]*$'),
  source_table text not null,
  target text not null references sync.targets (target),
  rows_fn text not null,
  tie_column text,
  label text not null,
  retire jsonb check (retire is null or jsonb_typeof(retire) = 'object'),
  primary key (plan, ordinal),
  unique (plan, name)
);

-- Where each root stands: promoted, ineligible (with reason), failed (step and error) or withdrawn
-- (was promoted, then became ineligible); version is the check_fn's fingerprint of the root's
-- import chain when it was judged, so an unchanged root is not judged again.
create table sync.promotion_roots (
  plan text not null references sync.promotion_plans (name) on delete cascade,
  root_id text not null,
  sort_at timestamptz,
  version text,
  status text not null check (status in ('promoted', 'ineligible', 'failed', 'withdrawn')),
  reason_code text,
  reason text,
  failed_step text,
  error text,
  log jsonb not null default '[]'::jsonb,
  attempts integer not null default 1,
  job_id bigint,
  promoted_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (plan, root_id)
);
create index promotion_roots_status_idx on sync.promotion_roots (plan, status, reason_code);
create index promotion_roots_job_idx on sync.promotion_roots (job_id);

-- The checkpoint of a bulk promote job: the last root it finished, in source order.
create table sync.promotion_checkpoints (
  plan text not null references sync.promotion_plans (name) on delete cascade,
  job_id bigint not null references sync.jobs (id) on delete cascade,
  last_sort_at timestamptz,
  last_root_id text,
  updated_at timestamptz not null default now(),
  primary key (plan, job_id)
);

alter table sync.jobs drop constraint jobs_mode_check;
alter table sync.jobs add constraint jobs_mode_check
  check (mode in ('full', 'incremental', 'single', 'retry', 'promote'));

-- A function or table name as "schema.name" (the only shape spliced into dynamic SQL here).
create function sync._promotion_name(p_what text, p_name text)
returns text language plpgsql immutable set search_path = '' as $$
begin
  if p_name is null or p_name !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' then
    raise exception 'Invalid promotion plan: % must be "schema.name", got %', p_what, coalesce(p_name, 'null')
      using errcode = 'SY422';
  end if;
  return p_name;
end
$$;
revoke execute on function sync._promotion_name(text, text) from public, anon, authenticated;
grant execute on function sync._promotion_name(text, text) to service_role;

-- Declares (or replaces) a plan; its steps follow with register_promotion_step. For the owner
-- (migrations), like sync.register_target.
create function sync.register_promotion_plan(p_name text, p_connector text, p_root_table text, p_root_key text, p_root_order text,
  p_root_label text, p_check_fn text, p_affected_fn text, p_orphans_fn text default null,
  p_withdraw_reasons text[] default '{}', p_description text default null)
returns sync.promotion_plans language plpgsql set search_path = '' as $$
declare
  v_plan sync.promotion_plans;
begin
  if to_regclass(sync._promotion_name('root_table', p_root_table)) is null then
    raise exception 'Invalid promotion plan "%": root table % does not exist', p_name, p_root_table using errcode = 'SY422';
  end if;
  if to_regprocedure(sync._promotion_name('check_fn', p_check_fn) || '(text[])') is null then
    raise exception 'Invalid promotion plan "%": no function %(text[])', p_name, p_check_fn using errcode = 'SY422';
  end if;
  if to_regprocedure(sync._promotion_name('affected_fn', p_affected_fn) || '(text, text[])') is null then
    raise exception 'Invalid promotion plan "%": no function %(text, text[])', p_name, p_affected_fn using errcode = 'SY422';
  end if;
  if p_orphans_fn is not null and to_regprocedure(sync._promotion_name('orphans_fn', p_orphans_fn) || '()') is null then
    raise exception 'Invalid promotion plan "%": no function %()', p_name, p_orphans_fn using errcode = 'SY422';
  end if;
  insert into sync.promotion_plans as p (name, connector, root_table, root_key, root_order, root_label, check_fn,
    affected_fn, orphans_fn, withdraw_reasons, description)
  values (p_name, p_connector, p_root_table, p_root_key, p_root_order, p_root_label, p_check_fn, p_affected_fn, p_orphans_fn,
    coalesce(p_withdraw_reasons, '{}'), p_description)
  on conflict (name) do update set connector = excluded.connector, root_table = excluded.root_table, root_key = excluded.root_key,
    root_order = excluded.root_order, root_label = excluded.root_label, check_fn = excluded.check_fn,
    affected_fn = excluded.affected_fn, orphans_fn = excluded.orphans_fn,
    withdraw_reasons = excluded.withdraw_reasons, description = excluded.description
  returning * into v_plan;
  return v_plan;
end
$$;
revoke execute on function sync.register_promotion_plan(text, text, text, text, text, text, text, text, text, text[], text) from public, anon, authenticated;

-- Declares (or replaces) step p_ordinal of a plan.
create function sync.register_promotion_step(p_plan text, p_ordinal integer, p_name text, p_source_table text,
  p_target text, p_rows_fn text, p_tie_column text, p_label text, p_retire jsonb default null)
returns sync.promotion_steps language plpgsql set search_path = '' as $$
declare
  v_step sync.promotion_steps;
begin
  if to_regprocedure(sync._promotion_name('rows_fn', p_rows_fn) || '(text[])') is null then
    raise exception 'Invalid promotion step "%": no function %(text[])', p_name, p_rows_fn using errcode = 'SY422';
  end if;
  if not exists (select from sync.targets where target = p_target) then
    raise exception 'Invalid promotion step "%": % is not a registered merge target', p_name, p_target
      using errcode = 'SY422';
  end if;
  if p_tie_column is not null and not exists (select from pg_attribute
      where attrelid = p_target::regclass and attname = p_tie_column and attnum > 0 and not attisdropped) then
    raise exception 'Invalid promotion step "%": % has no column %', p_name, p_target, p_tie_column using errcode = 'SY422';
  end if;
  if p_retire is not null and p_tie_column is null then
    raise exception 'Invalid promotion step "%": retire needs a tie column', p_name using errcode = 'SY422';
  end if;
  insert into sync.promotion_steps as s (plan, ordinal, name, source_table, target, rows_fn, tie_column, label, retire)
  values (p_plan, p_ordinal, p_name, p_source_table, p_target, p_rows_fn, p_tie_column, p_label, p_retire)
  on conflict (plan, ordinal) do update set name = excluded.name, source_table = excluded.source_table,
    target = excluded.target, rows_fn = excluded.rows_fn, tie_column = excluded.tie_column, label = excluded.label,
    retire = excluded.retire
  returning * into v_step;
  return v_step;
end
$$;
revoke execute on function sync.register_promotion_step(text, integer, text, text, text, text, text, text, jsonb) from public, anon, authenticated;

-- Applies a step's retire values to the rows of p_roots that p_rows (the step's new rows for them)
-- no longer contains; with p_rows '[]' to every row of those roots. Returns the rows changed.
-- (NOT IN over the new keys: a hashed set; key columns are never null in a merge target.)
create function sync._promotion_retire(p_step sync.promotion_steps, p_roots text[], p_rows jsonb, p_job_id bigint)
returns integer language plpgsql set search_path = '' as $$
declare
  v_keys text[] := (select key_columns from sync.targets where target = p_step.target);
  v_cols text[] := array(select k from jsonb_object_keys(p_step.retire) k order by k);
  v_n integer;
begin
  if p_step.retire is null or cardinality(p_roots) = 0 then
    return 0;
  end if;
  execute format(
    'update %1$s t set (%2$s) = (select %3$s from jsonb_populate_record(null::%1$s, $3) r),
       _last_synced_at = now(), _last_job_id = $4
     where t.%4$I = any ($1)
       and (%5$s) not in (select %7$s from jsonb_array_elements($2) x)
       and (%6$s) is distinct from (select %3$s from jsonb_populate_record(null::%1$s, $3) r)',
    p_step.target::regclass,
    (select string_agg(format('%I', c), ', ') from unnest(v_cols) c),
    (select string_agg(format('r.%I', c), ', ') from unnest(v_cols) c),
    p_step.tie_column,
    (select string_agg(format('t.%I::text', k), ', ') from unnest(v_keys) k),
    (select string_agg(format('t.%I', c), ', ') from unnest(v_cols) c),
    (select string_agg(format('x ->> %L', k), ', ') from unnest(v_keys) k))
    using p_roots, p_rows, p_step.retire, p_job_id;
  get diagnostics v_n = row_count;
  return v_n;
end
$$;
revoke execute on function sync._promotion_retire(sync.promotion_steps, text[], jsonb, bigint) from public, anon, authenticated;
grant execute on function sync._promotion_retire(sync.promotion_steps, text[], jsonb, bigint) to service_role;

-- Writes the computed rows of p_roots, step by step, in one subtransaction. When anything fails,
-- the roots are split in up to 8 parts and each part is written in its own subtransaction, and so
-- on down to one root, which is then reported: {"<root>": {"step", "error"}} (8 parts, not halves:
-- a failing root in a batch of 500 costs about one batch of rewrites instead of two). p_rows[i]
-- holds step i's rows as [{"r": root, "row": {...}}]. The others land; nothing of a failing root does.
create function sync._promotion_write(p_steps sync.promotion_steps[], p_roots text[], p_rows jsonb[],
  p_job_id bigint)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_step text;
  v_rows jsonb;
  v_part integer;
  v_out jsonb := '{}'::jsonb;
  v_set jsonb;
begin
  if coalesce(cardinality(p_roots), 0) = 0 then
    return '{}'::jsonb;
  end if;
  v_set := (select jsonb_object_agg(r, true) from unnest(p_roots) r); -- the roots as a hashed set
  begin
    for v_i in 1 .. cardinality(p_steps) loop
      v_step := p_steps[v_i].name;
      select coalesce(jsonb_agg(x -> 'row'), '[]'::jsonb) into v_rows
      from jsonb_array_elements(p_rows[v_i]) x where v_set ? (x ->> 'r');
      perform sync.merge_rows(p_steps[v_i].target, v_rows, p_job_id);
      perform sync._promotion_retire(p_steps[v_i], p_roots, v_rows, p_job_id);
    end loop;
    return '{}'::jsonb;
  exception when others then
    if cardinality(p_roots) = 1 then
      return jsonb_build_object(p_roots[1], jsonb_build_object('step', v_step, 'error', sqlerrm));
    end if;
  end;
  v_part := ceil(cardinality(p_roots) / 8.0)::integer;
  for v_i in 0 .. (cardinality(p_roots) - 1) / v_part loop
    v_out := v_out || sync._promotion_write(p_steps, p_roots[v_i * v_part + 1:(v_i + 1) * v_part], p_rows, p_job_id);
  end loop;
  return v_out;
end
$$;
revoke execute on function sync._promotion_write(sync.promotion_steps[], text[], jsonb[], bigint) from public, anon, authenticated;
grant execute on function sync._promotion_write(sync.promotion_steps[], text[], jsonb[], bigint) to service_role;

-- The rows of a withdrawn root to refresh in a per-root step: of p_rows ([{"r", "row", "e"}], the
-- step's rows for the roots), those already in the target, each with the step's retire values laid
-- over it, as [{"r", "row"}]. So a withdrawn chain carries the source's current values (a refund's
-- amount) and the retire values, and gains no row it did not have.
create function sync._promotion_existing(p_step sync.promotion_steps, p_rows jsonb)
returns jsonb language plpgsql stable set search_path = '' as $$
declare
  v_keys text[] := (select key_columns from sync.targets where target = p_step.target);
  v_res jsonb;
begin
  if p_step.tie_column is null or coalesce(jsonb_array_length(p_rows), 0) = 0 then
    return '[]'::jsonb;
  end if;
  execute format(
    'select coalesce(jsonb_agg(jsonb_build_object(''r'', x ->> ''r'', ''row'', (x -> ''row'') || $2)), ''[]'')
     from jsonb_array_elements($1) x
     where x ->> ''e'' is null and jsonb_typeof(x -> ''row'') = ''object''
       and exists (select from %s t where (%s) = (%s))',
    p_step.target::regclass,
    (select string_agg(format('t.%I::text', k), ', ') from unnest(v_keys) k),
    (select string_agg(format('x -> ''row'' ->> %L', k), ', ') from unnest(v_keys) k))
    into v_res using p_rows, coalesce(p_step.retire, '{}'::jsonb);
  return v_res;
end
$$;
revoke execute on function sync._promotion_existing(sync.promotion_steps, jsonb) from public, anon, authenticated;
grant execute on function sync._promotion_existing(sync.promotion_steps, jsonb) to service_role;

-- (jit off: the row functions' default estimates would make Postgres JIT-compile small queries.)
-- Judges and promotes the given roots of a plan, set-based, and records each one's outcome and step
-- log in sync.promotion_roots. Only pending roots are handled (never judged, failed before, or
-- whose import chain changed since: check_fn's version), unless p_force. Per root: ineligible ->
-- recorded with its reason (a promoted root that became ineligible for a withdraw reason is
-- withdrawn: the rows it has in per-root targets get the source's current values and the steps'
-- retire values, never deleted); eligible -> every step's rows
-- are computed, a root with a row error fails at that step, the rest are written (a write error
-- isolates its root by splitting the batch). Promotions of one plan are serialised.
-- Returns {"promoted","ineligible","failed","withdrawn","unchanged","missing"}.
create function sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint default null,
  p_force boolean default false)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_steps sync.promotion_steps[];
  v_rows jsonb[] := '{}'::jsonb[];
  v_wrows jsonb[] := '{}'::jsonb[];
  v_judged jsonb;
  v_eligible text[];
  v_withdraw text[];
  v_failed jsonb;
  v_good text[];
  v_counts jsonb;
  v_i integer;
  v_seen integer;
  v_res jsonb;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_ids is null or cardinality(p_ids) = 0 then
    return jsonb_build_object('promoted', 0, 'ineligible', 0, 'failed', 0, 'withdrawn', 0, 'unchanged', 0, 'missing', 0);
  end if;
  perform pg_advisory_xact_lock(hashtextextended('sync.promotion:' || p_plan, 0));
  v_steps := array(select s from sync.promotion_steps s where s.plan = p_plan order by s.ordinal);

  -- judge: pending roots with their verdict, in source order
  execute format(
    'select coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object(''prev'', s.status) order by c.sort_at, c.root_id)
       filter (where $2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version), ''[]''),
       count(*) filter (where not ($2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version)),
       count(*)
     from (select distinct on (root_id) * from %s($1)) c
     left join sync.promotion_roots s on s.plan = $3 and s.root_id = c.root_id',
    sync._promotion_name('check_fn', v_plan.check_fn))
    into v_judged, v_i, v_seen using p_ids, p_force, p_plan;
  v_counts := jsonb_build_object('unchanged', v_i,
    'missing', (select count(distinct x) from unnest(p_ids) x) - v_seen);
  v_eligible := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j where j ->> 'reason_code' is null);
  v_withdraw := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j
    where j ->> 'prev' in ('promoted', 'withdrawn') and j ->> 'reason_code' = any (v_plan.withdraw_reasons));

  -- compute every step's rows for the eligible roots; a row error fails its root at that step
  for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
    execute format('select coalesce(jsonb_agg(jsonb_build_object(''r'', root_id, ''row'', data, ''e'', error)), ''[]'')
      from %s($1)', sync._promotion_name('rows_fn', v_steps[v_i].rows_fn))
      into v_res using v_eligible;
    v_rows[v_i] := v_res;
  end loop;
  select coalesce(jsonb_object_agg(r, jsonb_build_object('step', step, 'error', e)), '{}') into v_failed
  from (
    select distinct on (x ->> 'r') x ->> 'r' as r, v_steps[i].name as step, x ->> 'e' as e
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    where x ->> 'e' is not null
    order by x ->> 'r', i
  ) f;
  v_good := array(select r from unnest(v_eligible) r where not v_failed ? r);

  -- write (bisecting on failure), then withdraw what became ineligible: the rows a withdrawn root
  -- has get the source's current values (a refund's amount) with the retire values (a root whose
  -- current values cannot be written keeps its old ones), then every row of it the retire values
  v_failed := v_failed || sync._promotion_write(v_steps, v_good, v_rows, p_job_id);
  if cardinality(v_withdraw) > 0 then
    for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
      if v_steps[v_i].tie_column is null then
        v_res := '[]'::jsonb;
      else
        execute format('select coalesce(jsonb_agg(jsonb_build_object(''r'', root_id, ''row'', data, ''e'', error)), ''[]'')
          from %s($1)', sync._promotion_name('rows_fn', v_steps[v_i].rows_fn))
          into v_res using v_withdraw;
      end if;
      v_wrows[v_i] := sync._promotion_existing(v_steps[v_i], v_res);
    end loop;
    perform sync._promotion_write(v_steps, v_withdraw, v_wrows, p_job_id);
    for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
      perform sync._promotion_retire(v_steps[v_i], v_withdraw, '[]'::jsonb, p_job_id);
    end loop;
  end if;

  -- record outcomes with their step logs
  with judged as (
    select j ->> 'root_id' as root_id, (j ->> 'sort_at')::timestamptz as sort_at, j ->> 'version' as version,
      j ->> 'reason_code' as reason_code, j ->> 'reason' as reason, j ->> 'prev' as prev
    from jsonb_array_elements(v_judged) j
  ),
  per_step as materialized (
    select x ->> 'r' as root_id, i, count(*) as n
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    group by 1, 2
  ),
  outcome as materialized (
    select j.*,
      case when j.reason_code is not null and j.root_id = any (v_withdraw) then 'withdrawn'
           when j.reason_code is not null then 'ineligible'
           when v_failed ? j.root_id then 'failed' else 'promoted' end as status,
      v_failed -> j.root_id ->> 'step' as failed_step, v_failed -> j.root_id ->> 'error' as error,
      coalesce((select t.ordinal from unnest(v_steps) t where t.name = v_failed -> j.root_id ->> 'step'), 2147483647)
        as failed_ordinal
    from judged j
  ),
  -- the steps a judged-eligible root went through, each with its row count
  steps_done as materialized (
    select o.root_id, jsonb_agg(jsonb_build_object('step', s.name, 'ok', true, 'count', coalesce(ps.n, 0),
        'text', replace(s.label, '%', coalesce(ps.n, 0)::text)) order by s.ordinal) as entries
    from outcome o
    cross join unnest(v_steps) with ordinality s(plan, ordinal, name, source_table, target, rows_fn, tie_column,
      label, retire, i)
    left join per_step ps on ps.root_id = o.root_id and ps.i = s.i
    where o.reason_code is null and s.ordinal < o.failed_ordinal
    group by o.root_id
  ),
  logged as (
    select o.*, case
      when o.reason_code is not null then jsonb_build_array(
          jsonb_build_object('step', 'import', 'ok', true, 'text', v_plan.root_label || ' imported'),
          jsonb_build_object('step', 'eligibility', 'ok', false, 'code', o.reason_code, 'text', o.reason),
          jsonb_build_object('step', 'result', 'ok', o.status = 'withdrawn',
            'text', case when o.status = 'withdrawn' then 'withdrawn from production' else 'not promoted' end))
      else coalesce(d.entries, '[]'::jsonb)
        || case when o.failed_step is null
             then jsonb_build_array(jsonb_build_object('step', 'result', 'ok', true, 'text', 'promoted'))
             else jsonb_build_array(
               jsonb_build_object('step', o.failed_step, 'ok', false, 'text', o.error),
               jsonb_build_object('step', 'result', 'ok', false, 'text', 'not promoted')) end
      end as log
    from outcome o left join steps_done d on d.root_id = o.root_id
  ),
  saved as (
    insert into sync.promotion_roots as s (plan, root_id, sort_at, version, status, reason_code, reason, failed_step,
      error, log, job_id, promoted_at, updated_at)
    select p_plan, l.root_id, l.sort_at, l.version, l.status, l.reason_code, l.reason, l.failed_step, l.error, l.log,
      p_job_id, case when l.status = 'promoted' then now() end, now()
    from logged l
    on conflict (plan, root_id) do update set sort_at = excluded.sort_at, version = excluded.version,
      status = excluded.status, reason_code = excluded.reason_code, reason = excluded.reason,
      failed_step = excluded.failed_step, error = excluded.error, log = excluded.log, job_id = excluded.job_id,
      attempts = s.attempts + 1, promoted_at = coalesce(excluded.promoted_at, s.promoted_at), updated_at = now()
    returning s.status
  )
  select v_counts || jsonb_build_object(
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'))
    into v_res from saved;
  return v_res;
end
$$;
revoke execute on function sync.promote_roots(text, text[], bigint, boolean) from public, anon, authenticated;
grant execute on function sync.promote_roots(text, text[], bigint, boolean) to service_role;

alter table sync.promotion_plans enable row level security;
alter table sync.promotion_steps enable row level security;
alter table sync.promotion_roots enable row level security;
alter table sync.promotion_checkpoints enable row level security;
revoke all on sync.promotion_plans, sync.promotion_steps, sync.promotion_roots, sync.promotion_checkpoints
  from public, anon, authenticated;
grant select, insert, update, delete on sync.promotion_plans, sync.promotion_steps, sync.promotion_roots,
  sync.promotion_checkpoints to service_role;
