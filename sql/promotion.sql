-- Syncline engine: staged promotion (import -> production). A plan names a root entity (an import
-- table) and an ordered chain of steps, each mapping import rows of a root to rows of a production
-- table. Roots are promoted set-based in batches; each root is all-or-nothing (a failing root is
-- isolated by bisecting its batch into subtransactions), recorded with its reason or error and a
-- step log, and re-running promotes nothing twice (production writes go through sync.merge_rows).
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

-- Writes the computed rows of p_roots, step by step, in one subtransaction. When anything fails,
-- the roots are split in up to 8 parts and each part is written in its own subtransaction, and so
-- on down to one root, which is then reported: {"<root>": {"step", "error"}} (8 parts, not halves:
-- a failing root in a batch of 500 costs about one batch of rewrites instead of two). p_rows[i] holds step i's rows as
-- [{"r": root, "row": {...}}]. The others land; nothing of a failing root does.
create function sync._promotion_write(p_steps sync.promotion_steps[], p_roots text[], p_rows jsonb[],
  p_job_id bigint)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_i integer;
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

-- (jit off: the row functions' default estimates would make Postgres JIT-compile small queries.)
-- Judges and promotes the given roots of a plan, set-based, and records each one's outcome and step
-- log in sync.promotion_roots. Only pending roots are handled (never judged, failed before, or
-- whose import chain changed since: check_fn's version), unless p_force. Per root: ineligible ->
-- recorded with its reason (a promoted root that became ineligible for a withdraw reason is
-- withdrawn: its rows get the steps' retire values, never deleted); eligible -> every step's rows
-- are computed, a root with a row error fails at that step, the rest are written (a write error
-- isolates its root by bisection). Promotions of one plan are serialised.
-- Returns {"promoted","ineligible","failed","withdrawn","unchanged","missing"}.
create function sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint default null,
  p_force boolean default false)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_steps sync.promotion_steps[];
  v_rows jsonb[] := '{}';
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

  -- write (bisecting on failure), then withdraw what became ineligible
  v_failed := v_failed || sync._promotion_write(v_steps, v_good, v_rows, p_job_id);
  for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
    perform sync._promotion_retire(v_steps[v_i], v_withdraw, '[]'::jsonb, p_job_id);
  end loop;

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

-- Immediate promotion: the roots whose chain includes the given keys of an import table (a merged
-- page, a single record) are promoted now, in source order, in batches of p_batch.
create function sync.promote_affected(p_plan text, p_table text, p_keys text[], p_job_id bigint default null,
  p_batch integer default 500)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_ids text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
  v_from integer := 1;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select array(select distinct root_id from %s($1, $2) where root_id is not null)',
      sync._promotion_name('affected_fn', v_plan.affected_fn))
    into v_ids using p_table, p_keys;
  while v_from <= coalesce(cardinality(v_ids), 0) loop
    v_res := sync.promote_roots(p_plan, v_ids[v_from:v_from + p_batch - 1], p_job_id);
    v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
      from jsonb_object_keys(v_res) k);
    v_from := v_from + p_batch;
  end loop;
  return v_total;
end
$$;

-- Catch-up for a sync job that was interrupted between a page's commit and its immediate
-- promotion: every root whose chain rows this job wrote is judged again (pending ones promoted).
create function sync.promote_job_rows(p_plan text, p_job_id bigint, p_batch integer default 500)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_t record;
  v_keys text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
begin
  for v_t in
    select distinct t.target, t.key_columns[1] as key
    from sync.promotion_plans p
    join sync.targets t on t.target = p.root_table or t.target in (select s.source_table from sync.promotion_steps s
      where s.plan = p.name)
    where p.name = p_plan and cardinality(t.key_columns) = 1
  loop
    execute format('select array(select %I::text from %s where _last_job_id = $1)', v_t.key, v_t.target::regclass)
      into v_keys using p_job_id;
    if cardinality(v_keys) > 0 then
      v_res := sync.promote_affected(p_plan, v_t.target, v_keys, p_job_id, p_batch);
      v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
        from jsonb_object_keys(v_res) k);
    end if;
  end loop;
  return v_total;
end
$$;

-- One batch of a bulk promote job: the next p_batch roots after the job's checkpoint, in source
-- order (limited by the job's options: since/until on the order column, ids), promoted and the
-- checkpoint moved to the last of them, with progress, in one transaction fenced by the lease.
-- Returns the promote_roots counts plus "done" (roots in the batch), "finished" and "cancel_requested".
create function sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer default 500,
  p_lease_seconds integer default 60)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
  v_plan sync.promotion_plans;
  v_cp sync.promotion_checkpoints;
  v_where text;
  v_ids text[];
  v_last record;
  v_total bigint;
  v_res jsonb;
  v_phase text := 'promote:' || p_plan;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_batch is null or p_batch < 1 or p_batch > 10000 then
    raise exception 'Cannot promote: batch size must be 1..10000, got %', p_batch using errcode = 'SY422';
  end if;
  select * into v_cp from sync.promotion_checkpoints where plan = p_plan and job_id = p_job_id;
  v_ids := case when v_job.options ? 'ids' then array(select jsonb_array_elements_text(v_job.options -> 'ids')) end;
  v_where := format('($1::timestamptz is null or r.%1$I >= $1) and ($2::timestamptz is null or r.%1$I < $2)
      and ($3::text[] is null or r.%2$I::text = any ($3))', v_plan.root_order, v_plan.root_key);
  if v_cp.plan is null then
    execute format('select count(*) from %s r where %s', v_plan.root_table::regclass, v_where)
      into v_total using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids;
    insert into sync.promotion_checkpoints (plan, job_id) values (p_plan, p_job_id);
    perform sync.report_progress(p_job_id, v_phase, 0, v_total, 'promoting ' || v_total || ' roots in source order');
  end if;
  execute format(
    'select array(select r.%2$I::text from %1$s r where %3$s
        and ($4::text is null or (r.%4$I, r.%2$I::text) > ($5, $4))
      order by r.%4$I, r.%2$I::text limit $6)',
    v_plan.root_table::regclass, v_plan.root_key, v_where, v_plan.root_order)
    into v_ids using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids,
      v_cp.last_root_id, v_cp.last_sort_at, p_batch;
  v_res := sync.promote_roots(p_plan, v_ids, p_job_id);
  if cardinality(v_ids) > 0 then
    execute format('select r.%2$I as sort_at, r.%3$I::text as id from %1$s r where r.%3$I::text = $1',
        v_plan.root_table::regclass, v_plan.root_order, v_plan.root_key)
      into v_last using v_ids[cardinality(v_ids)];
    update sync.promotion_checkpoints set last_sort_at = v_last.sort_at, last_root_id = v_last.id, updated_at = now()
    where plan = p_plan and job_id = p_job_id;
  end if;
  perform sync.report_progress(p_job_id, v_phase, cardinality(v_ids), null,
    format('promoted %s, ineligible %s, failed %s, withdrawn %s, unchanged %s', v_res ->> 'promoted',
      v_res ->> 'ineligible', v_res ->> 'failed', v_res ->> 'withdrawn', v_res ->> 'unchanged'),
    jsonb_build_object('inserted', (v_res ->> 'promoted')::bigint, 'updated', (v_res ->> 'withdrawn')::bigint,
      'unchanged', (v_res ->> 'unchanged')::bigint + (v_res ->> 'ineligible')::bigint,
      'failed', (v_res ->> 'failed')::bigint));
  update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where id = p_job_id;
  return v_res || jsonb_build_object('done', cardinality(v_ids), 'finished', cardinality(v_ids) < p_batch,
    'cancel_requested', v_job.cancel_requested);
end
$$;

-- Starts a bulk promote job: every pending root, or those created in [since, until), or listed ids.
create function sync.start_promotion(p_plan text, p_since timestamptz default null,
  p_until timestamptz default null, p_ids text[] default null, p_trigger text default 'api',
  p_requested_by text default null, p_batch_size integer default 500)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_plan sync.promotion_plans;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_since is not null and p_until is not null and p_since >= p_until then
    raise exception 'Cannot promote with "%": since (%) is not before until (%)', p_plan, p_since, p_until
      using errcode = 'SY422';
  end if;
  if p_ids is not null and cardinality(p_ids) = 0 then
    raise exception 'Cannot promote with "%": ids is empty (omit it to promote every pending root)', p_plan
      using errcode = 'SY422';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 10000 then
    raise exception 'Cannot promote with "%": batch size must be 1..10000, got %', p_plan, p_batch_size
      using errcode = 'SY422';
  end if;
  return sync.create_job(v_plan.connector, array['promote:' || p_plan], 'default', 'promote',
    jsonb_strip_nulls(jsonb_build_object('plan', p_plan, 'since', p_since, 'until', p_until, 'ids', to_jsonb(p_ids),
      'batchSize', p_batch_size)),
    p_trigger, p_requested_by);
end
$$;

-- One root's record: status, reason or error, and its step log.
create function sync.get_promotion_root(p_plan text, p_root_id text)
returns sync.promotion_roots language sql stable set search_path = '' as $$
  select * from sync.promotion_roots where plan = p_plan and root_id = p_root_id
$$;

-- Monitoring: roots by outcome (they add up to the import's roots), import vs production rows per
-- step, ineligible roots by reason, the latest failures, and orphan checks (production rows of a
-- root that is not promoted, and the plan's own checks).
create function sync.get_promotion_status(p_plan text, p_failures integer default 20)
returns jsonb language plpgsql stable set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_roots jsonb;
  v_steps jsonb := '[]'::jsonb;
  v_orphans jsonb := '[]'::jsonb;
  v_step sync.promotion_steps;
  v_import bigint;
  v_prod bigint;
  v_active bigint;
  v_logged bigint;
  v_n bigint;
  v_sample text[];
  v_r record;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'No promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select count(*) from %s', v_plan.root_table::regclass) into v_import;
  select jsonb_build_object('import', v_import,
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'),
      'pending', v_import - count(*),
      'percent_promoted', case when v_import > 0
        then round(100.0 * count(*) filter (where status = 'promoted') / v_import, 2) end)
    into v_roots from sync.promotion_roots where plan = p_plan;
  for v_step in select * from sync.promotion_steps where plan = p_plan order by ordinal loop
    execute format('select count(*) from %s', v_step.source_table::regclass) into v_import;
    execute format('select count(*) from %s', v_step.target::regclass) into v_prod;
    v_active := null;
    if v_step.retire is not null then
      execute format('select count(*) from %1$s t where (%2$s) is distinct from (select %3$s from jsonb_populate_record(null::%1$s, $1) r)',
          v_step.target::regclass,
          (select string_agg(format('t.%I', c), ', ') from jsonb_object_keys(v_step.retire) c),
          (select string_agg(format('r.%I', c), ', ') from jsonb_object_keys(v_step.retire) c))
        into v_active using v_step.retire;
    end if;
    select sum((e ->> 'count')::bigint) into v_logged
    from sync.promotion_roots s, jsonb_array_elements(s.log) e
    where s.plan = p_plan and s.status = 'promoted' and e ->> 'step' = v_step.name;
    v_steps := v_steps || jsonb_build_object('step', v_step.name, 'source_table', v_step.source_table,
      'import_rows', v_import, 'target', v_step.target, 'production_rows', v_prod, 'active_rows', coalesce(v_active, v_prod),
      'rows_of_promoted_roots', case when v_step.tie_column is not null then coalesce(v_logged, 0) end);
    if v_step.tie_column is not null then
      execute format(
        'select count(*), (array_agg(t.%1$I::text order by t.%1$I::text))[1:10] from %2$s t
         where not exists (select from sync.promotion_roots s where s.plan = $1 and s.root_id = t.%1$I::text
           and s.status in (''promoted'', ''withdrawn''))', v_step.tie_column, v_step.target::regclass)
        into v_n, v_sample using p_plan;
      v_orphans := v_orphans || jsonb_build_object('check', v_step.target || ' rows without a promoted root',
        'layer', 'production', 'count', v_n, 'sample', coalesce(to_jsonb(v_sample), '[]'::jsonb));
    end if;
  end loop;
  if v_plan.orphans_fn is not null then
    for v_r in execute format('select * from %s()', sync._promotion_name('orphans_fn', v_plan.orphans_fn)) loop
      v_orphans := v_orphans || to_jsonb(v_r);
    end loop;
  end if;
  return jsonb_build_object('plan', p_plan, 'root_table', v_plan.root_table, 'roots', v_roots,
    'ineligible_by_reason', (select coalesce(jsonb_agg(jsonb_build_object('reason_code', reason_code, 'count', n,
        'example', example) order by n desc, reason_code), '[]'::jsonb)
      from (select reason_code, count(*) as n, min(reason) as example from sync.promotion_roots
            where plan = p_plan and status in ('ineligible', 'withdrawn') group by reason_code) x),
    'failed', (select coalesce(jsonb_agg(jsonb_build_object('root_id', root_id, 'step', failed_step, 'error', error,
        'updated_at', updated_at) order by updated_at desc, root_id), '[]'::jsonb)
      from (select * from sync.promotion_roots where plan = p_plan and status = 'failed'
            order by updated_at desc, root_id limit greatest(p_failures, 0)) f),
    'steps', v_steps, 'orphans', v_orphans,
    'orphan_total', (select coalesce(sum((o ->> 'count')::bigint) filter (where o ->> 'layer' = 'production'), 0)
      from jsonb_array_elements(v_orphans) o));
end
$$;

alter table sync.promotion_plans enable row level security;
alter table sync.promotion_steps enable row level security;
alter table sync.promotion_roots enable row level security;
alter table sync.promotion_checkpoints enable row level security;
revoke all on sync.promotion_plans, sync.promotion_steps, sync.promotion_roots, sync.promotion_checkpoints
  from public, anon, authenticated;
grant select, insert, update, delete on sync.promotion_plans, sync.promotion_steps, sync.promotion_roots,
  sync.promotion_checkpoints to service_role;

revoke execute on function sync._promotion_name(text, text) from public;
grant execute on function sync._promotion_name(text, text) to service_role;
revoke execute on function sync.register_promotion_plan(text, text, text, text, text, text, text, text, text, text[], text) from public;
revoke execute on function sync.register_promotion_step(text, integer, text, text, text, text, text, text, jsonb) from public;
revoke execute on function sync._promotion_retire(sync.promotion_steps, text[], jsonb, bigint) from public;
grant execute on function sync._promotion_retire(sync.promotion_steps, text[], jsonb, bigint) to service_role;
revoke execute on function sync._promotion_write(sync.promotion_steps[], text[], jsonb[], bigint) from public;
grant execute on function sync._promotion_write(sync.promotion_steps[], text[], jsonb[], bigint) to service_role;
revoke execute on function sync.promote_roots(text, text[], bigint, boolean) from public;
grant execute on function sync.promote_roots(text, text[], bigint, boolean) to service_role;
revoke execute on function sync.promote_affected(text, text, text[], bigint, integer) from public;
grant execute on function sync.promote_affected(text, text, text[], bigint, integer) to service_role;
revoke execute on function sync.promote_job_rows(text, bigint, integer) from public;
grant execute on function sync.promote_job_rows(text, bigint, integer) to service_role;
revoke execute on function sync.promote_next(bigint, text, text, integer, integer) from public;
grant execute on function sync.promote_next(bigint, text, text, integer, integer) to service_role;
revoke execute on function sync.start_promotion(text, timestamptz, timestamptz, text[], text, text, integer) from public;
grant execute on function sync.start_promotion(text, timestamptz, timestamptz, text[], text, text, integer) to service_role;
revoke execute on function sync.get_promotion_root(text, text) from public;
grant execute on function sync.get_promotion_root(text, text) to service_role;
revoke execute on function sync.get_promotion_status(text, integer) from public;
grant execute on function sync.get_promotion_status(text, integer) to service_role;
