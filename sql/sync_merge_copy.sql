-- Syncline engine: the COPY merge path. A uniform page (every row the same columns) is COPYed in
-- text format into a staging table typed like the target's columns, then merged by the same
-- statement as merge_rows (sync._merge_statement): no JSON array is parsed in Postgres. Three steps
-- in the page's transaction: select sync.copy_stage(target, columns); copy pg_temp._sync_copy (...)
-- from stdin; select sync.merge_copied(target, columns, job). The staging table is a temp table
-- dropped at commit, so nothing outlives the transaction (safe behind a transaction pooler).

-- The registered target p_target; raises merge_rows' SY404 error when it is none.
create function sync._merge_target(p_target text) returns sync.targets
language plpgsql stable set search_path = '' as $$
declare
  v_t sync.targets;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot merge into "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  return v_t;
end
$$;
revoke execute on function sync._merge_target(text) from public, anon, authenticated;
grant execute on function sync._merge_target(text) to service_role;

-- The target's columns a COPY page may carry, with their types (the client writes each value in its
-- column's text form: json/jsonb columns as JSON, the rest as the value's text).
create function sync.copy_columns(p_target text)
returns table (name text, type text) language plpgsql stable set search_path = '' as $$
begin
  perform sync._merge_target(p_target);
  return query
    select a.attname::text, format_type(a.atttypid, a.atttypmod) from pg_attribute a
    where a.attrelid = p_target::regclass and a.attnum > 0 and not a.attisdropped
      and a.attname::text <> all (sync._bookkeeping_columns())
    order by a.attnum;
end
$$;
revoke execute on function sync.copy_columns(text) from public, anon, authenticated;
grant execute on function sync.copy_columns(text) to service_role;

-- Creates this transaction's staging table pg_temp._sync_copy: p_cols typed as in the target, no
-- constraints (a value its type refuses fails the COPY; the caller then takes the JSON path, which
-- sets the bad rows aside). Raises merge_rows' errors for an unknown target (SY404) and a bad
-- column set (SY422, reported as row 1).
create function sync.copy_stage(p_target text, p_cols text[])
returns void language plpgsql set search_path = '' as $$
declare
  v_t sync.targets;
  v_rel regclass;
begin
  v_t := sync._merge_target(p_target);
  v_rel := p_target::regclass;
  perform sync._check_columns(p_target,
    array(select attname::text from pg_attribute where attrelid = v_rel and attnum > 0 and not attisdropped),
    v_t.key_columns, p_cols, 1);
  if to_regclass('pg_temp._sync_copy') is not null then -- a second page in one transaction
    drop table pg_temp._sync_copy;
  end if;
  execute format('create temp table _sync_copy on commit drop as select %s from %s with no data',
    (select string_agg(format('%I', c), ', ') from unnest(p_cols) c), v_rel);
end
$$;
revoke execute on function sync.copy_stage(text, text[]) from public, anon, authenticated;
grant execute on function sync.copy_stage(text, text[]) to service_role;

-- Merges the rows COPYed into pg_temp._sync_copy into a registered target with merge_rows' rules
-- and counts ({"inserted","updated","unchanged","stale"}). Errors
-- of the rows (class 22/23) are raised as they come: the caller merges the page again through
-- merge_rows_isolating, which sets the bad rows aside.
create function sync.merge_copied(p_target text, p_cols text[], p_job_id bigint default null,
  p_observed_at timestamptz default now())
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_t sync.targets;
  v_rel regclass;
  v_src text;
  v_n int;
  v_ins int;
  v_upd int;
  v_stale int := 0;
  v_dedupe boolean := false;
  v_stage constant text := 'pg_temp._sync_copy'; -- made by copy_stage in this transaction
begin
  v_t := sync._merge_target(p_target);
  v_rel := p_target::regclass;
  execute format('select count(*) from %s', v_stage) into v_n;
  if v_n = 0 then
    return jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0);
  end if;
  v_src := format('select %s, %s as _v from %s s',
    (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c),
    sync._merge_version(v_t.version_column, p_cols), v_stage);
  perform set_config('sync.merge_stale', 'f', true);
  begin
    execute sync._merge_statement(v_rel, v_t.key_columns, p_cols, v_src, false)
      into v_ins, v_upd using null::jsonb, p_observed_at, p_job_id;
  exception when cardinality_violation then -- the same key twice in one page: keep the newest of each
    v_dedupe := true;
  end;
  if v_dedupe then
    execute sync._merge_statement(v_rel, v_t.key_columns, p_cols, v_src, true)
      into v_ins, v_upd using null::jsonb, p_observed_at, p_job_id;
  end if;
  -- rows a dedupe dropped never reach the conflict check: they may be stale
  if v_ins + v_upd < v_n and (v_dedupe or current_setting('sync.merge_stale') = 't') then
    v_stale := sync._count_stale_in(v_rel, v_t.key_columns, p_cols, v_src, null, p_observed_at);
  end if;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_n - v_ins - v_upd - v_stale,
    'stale', v_stale);
end
$$;
revoke execute on function sync.merge_copied(text, text[], bigint, timestamptz) from public, anon, authenticated;
grant execute on function sync.merge_copied(text, text[], bigint, timestamptz) to service_role;
