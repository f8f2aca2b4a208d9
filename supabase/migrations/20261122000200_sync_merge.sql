-- Syncline engine: the target registry and the merge-upsert RPC every sync ends in.
-- merge_rows runs as its caller, so service_role is granted its helpers too; register_target is
-- for migrations only (no grant).

-- Bookkeeping columns every registered target carries (added by register_target when absent);
-- _deleted_at is set when the source no longer has the row (sync_completeness.sql), cleared by a merge.
create function sync._bookkeeping_columns() returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select array['_first_synced_at', '_last_synced_at', '_source_updated_at', '_last_job_id', '_deleted_at']
$$;
revoke execute on function sync._bookkeeping_columns() from public, anon, authenticated;
grant execute on function sync._bookkeeping_columns() to service_role;

-- Allow-lists a table for merge_rows: checks key and version columns, adds bookkeeping columns.
create function sync.register_target(p_target text, p_key_columns text[], p_version_column text default null)
returns void language plpgsql set search_path = '' as $$
declare
  v_rel regclass := to_regclass(p_target);
  v_col text;
  v_type text;
begin
  if v_rel is null or p_target !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' then
    raise exception 'Cannot register target "%": no such table (use "schema.table")', p_target using errcode = '42P01';
  end if;
  foreach v_col in array p_key_columns || array_remove(array[p_version_column], null) loop
    if not exists (select from pg_attribute where attrelid = v_rel and attname = v_col and attnum > 0 and not attisdropped) then
      raise exception 'Cannot register target "%": column "%" does not exist', p_target, v_col using errcode = '42703';
    end if;
  end loop;
  if not exists (
    select from pg_index i
    where i.indrelid = v_rel and i.indisunique and i.indpred is null and i.indexprs is null
      and (select array_agg(a.attname::text order by a.attname) from pg_attribute a
           where a.attrelid = v_rel and a.attnum = any (i.indkey)) = (select array_agg(k order by k) from unnest(p_key_columns) k)
  ) then
    raise exception 'Cannot register target "%": key (%) has no unique index', p_target, array_to_string(p_key_columns, ', ')
      using errcode = '42P10';
  end if;
  if p_version_column is not null then
    select format_type(atttypid, atttypmod) into v_type from pg_attribute where attrelid = v_rel and attname = p_version_column;
    if v_type <> 'timestamp with time zone' then
      raise exception 'Cannot register target "%": version column "%" is %, not timestamptz', p_target, p_version_column, v_type
        using errcode = '42804';
    end if;
  end if;
  execute format(
    'alter table %s add column if not exists _first_synced_at timestamptz not null default now(),
       add column if not exists _last_synced_at timestamptz not null default now(),
       add column if not exists _source_updated_at timestamptz,
       add column if not exists _last_job_id bigint,
       add column if not exists _deleted_at timestamptz', v_rel);
  insert into sync.targets (target, key_columns, version_column)
  values (p_target, p_key_columns, p_version_column)
  on conflict (target) do update set key_columns = excluded.key_columns, version_column = excluded.version_column;
end
$$;
revoke execute on function sync.register_target(text, text[], text) from public, anon, authenticated;

-- Raised inside the one-pass merge statement when a row does not carry exactly the first row's
-- columns (merge_rows catches it and takes the grouping path; never seen by callers).
create function sync._merge_not_uniform() returns boolean
language plpgsql volatile set search_path = '' as $$
begin
  raise exception 'merge batch is not uniform' using errcode = 'SY100';
end
$$;
revoke execute on function sync._merge_not_uniform() from public, anon, authenticated;
grant execute on function sync._merge_not_uniform() to service_role;

-- What one merge statement did: rows inserted and updated; the rest were stale or unchanged, and
-- maybe_stale false proves none was stale (a conflict the update skipped for an older or tie-losing
-- version raises the flag), so the caller only counts stale rows when it is true.
create type sync.merge_group_counts as (inserted integer, updated integer, maybe_stale boolean);

-- The merge statement for rows that all carry exactly the columns p_cols, read from p_src (a select
-- of p_cols plus _v, the row's version): the one place the merge rules live, shared by the JSON
-- path (_merge_group) and the COPY path (sync_merge_copy.sql). The statement takes $2 (observed
-- at) and $3 (job id), and whatever p_src reads ($1, $4); it returns (inserted, updated).
create function sync._merge_statement(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_dedupe boolean)
returns text language plpgsql stable set search_path = '' as $$
declare
  v_data text[] := array(select c from unnest(p_cols) c where c <> all (p_keys) and c <> all (sync._bookkeeping_columns()));
  v_cols text := (select string_agg(format('%I', c), ', ') from unnest(p_cols) c);
  v_keys text := (select string_agg(format('%I', c), ', ') from unnest(p_keys) c);
  v_src text := p_src;
  v_set text;
  v_changed text;
begin
  if p_dedupe then
    -- within one batch the newest version of a key wins, a tie goes to the greater content (as between batches)
    v_src := format('select distinct on (%s) * from (%s) d order by %s, _v desc%s', v_keys, v_src, v_keys,
      case when cardinality(v_data) > 0 then format(', row(%s)::text desc',
        (select string_agg(format('d.%I', c), ', ') from unnest(v_data) c)) end);
  end if;
  v_set := concat_ws(', ',
    (select string_agg(format('%I = excluded.%I', c, c), ', ') from unnest(v_data) c),
    '_last_synced_at = excluded._last_synced_at', '_source_updated_at = excluded._source_updated_at',
    '_last_job_id = excluded._last_job_id', '_deleted_at = null');
  v_changed := case when cardinality(v_data) = 0 then 'false' else format('(%s) is distinct from (%s)',
    (select string_agg(format('t.%I', c), ', ') from unnest(v_data) c),
    (select string_agg(format('excluded.%I', c), ', ') from unnest(v_data) c)) end;
  -- newer wins; on an equal version the greater content wins, so arrival order never matters.
  -- A changed row that loses, or an unchanged row older than the stored one, is stale: it sets the
  -- transaction-local flag sync.merge_stale (set_config returns text, so "is null" is false).
  -- A row marked deleted at the source that arrives again, not older, is written: that undeletes it.
  return format(
    'with w as (insert into %1$s as t (%2$s, _first_synced_at, _last_synced_at, _source_updated_at, _last_job_id)
       select %2$s, now(), now(), s._v, $3 from (%3$s) s
       on conflict (%4$s) do update set %5$s
       where case when %6$s then (t._source_updated_at is null or excluded._source_updated_at > t._source_updated_at
           or (excluded._source_updated_at = t._source_updated_at and row(%7$s)::text > row(%8$s)::text))
           or (t._deleted_at is not null and excluded._source_updated_at = t._source_updated_at)
           or set_config(''sync.merge_stale'', ''t'', true) is null
         else (t._deleted_at is not null and (t._source_updated_at is null
             or excluded._source_updated_at >= t._source_updated_at))
           or (t._source_updated_at > excluded._source_updated_at and set_config(''sync.merge_stale'', ''t'', true) is null) end
       returning (t.xmax = 0) as inserted)
     select count(*) filter (where inserted), count(*) filter (where not inserted) from w',
    p_rel, v_cols, v_src, v_keys, v_set, v_changed,
    (select string_agg(format('excluded.%I', c), ', ') from unnest(v_data) c),
    (select string_agg(format('t.%I', c), ', ') from unnest(v_data) c));
end
$$;
revoke execute on function sync._merge_statement(regclass, text[], text[], text, boolean) from public, anon, authenticated;
grant execute on function sync._merge_statement(regclass, text[], text[], text, boolean) to service_role;

-- The version expression of a merge source: the row's version column when it carries one, else $2
-- (the observed-at time).
create function sync._merge_version(p_version text, p_cols text[]) returns text
language sql immutable set search_path = '' as $$
  select case when p_version is not null and p_version = any (p_cols) then format('coalesce(s.%I, $2)', p_version)
    else '$2' end
$$;
revoke execute on function sync._merge_version(text, text[]) from public, anon, authenticated;
grant execute on function sync._merge_version(text, text[]) to service_role;

-- Builds and runs the merge statement for rows that all carry exactly the columns p_cols.
-- With p_check the statement also checks, row by row while it reads them, that every row carries
-- all of p_cols and no other key, and raises SY100 if not.
create function sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb,
  p_job_id bigint, p_observed_at timestamptz, p_dedupe boolean, p_check boolean default false)
returns sync.merge_group_counts language plpgsql set search_path = '' as $$
declare
  v_cols text := (select string_agg(format('%I', c), ', ') from unnest(p_cols) c);
  v_ver text := sync._merge_version(p_version, p_cols);
  v_src text;
  v_ins int;
  v_upd int;
begin
  if not p_check then
    v_src := format('select %s, %s as _v from jsonb_populate_recordset(null::%s, $1) s', v_cols, v_ver, p_rel);
  else
    -- each typed row zipped with its JSON object (ROWS FROM walks both in lockstep): removing p_cols
    -- must leave nothing (no other column, no key that is no column: that would be silently dropped);
    -- a missing key reads as null, so only a row with a null in one of p_cols needs the ?& look-up
    v_src := format('select %s, %s as _v
        from rows from (jsonb_populate_recordset(null::%s, $1), jsonb_array_elements($1)) s(%s, _sync_row)
      where (s._sync_row - $4 = ''{}''::jsonb and (row(%s) is not null or s._sync_row ?& $4))
        or sync._merge_not_uniform()',
      (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c), v_ver, p_rel,
      (select string_agg(format('%I', attname), ', ' order by attnum) from pg_attribute
        where attrelid = p_rel and attnum > 0 and not attisdropped),
      (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c));
  end if;
  perform set_config('sync.merge_stale', 'f', true);
  execute sync._merge_statement(p_rel, p_keys, p_cols, v_src, p_dedupe)
    into v_ins, v_upd using p_rows, p_observed_at, p_job_id, p_cols;
  -- rows a dedupe dropped never reach the conflict check: they may be stale
  return row(v_ins, v_upd,
    coalesce(p_dedupe or current_setting('sync.merge_stale') = 't', false))::sync.merge_group_counts;
end
$$;
revoke execute on function sync._merge_group(regclass, text[], text, text[], jsonb, bigint, timestamptz, boolean, boolean) from public, anon, authenticated;
grant execute on function sync._merge_group(regclass, text[], text, text[], jsonb, bigint, timestamptz, boolean, boolean) to service_role;

-- Counts the rows of a merge source (p_src: a select of p_cols plus _v, as _merge_statement reads)
-- that lost to a newer (or tie-winning) stored row; $1 and $2 are p_rows and p_observed_at.
create function sync._count_stale_in(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_rows jsonb,
  p_observed_at timestamptz)
returns int language plpgsql set search_path = '' as $$
declare
  v_data text[] := array(select c from unnest(p_cols) c where c <> all (p_keys) and c <> all (sync._bookkeeping_columns()));
  v_n int;
begin
  execute format(
    'select count(*) from (%s) s join %s t using (%s)
     where t._source_updated_at > s._v or (t._source_updated_at = s._v and (%s) is distinct from (%s))',
    p_src, p_rel,
    (select string_agg(format('%I', c), ', ') from unnest(p_keys) c),
    coalesce((select string_agg(format('t.%I', c), ', ') from unnest(v_data) c), 'null'),
    coalesce((select string_agg(format('s.%I', c), ', ') from unnest(v_data) c), 'null'))
  into v_n using p_rows, p_observed_at;
  return v_n;
end
$$;
revoke execute on function sync._count_stale_in(regclass, text[], text[], text, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function sync._count_stale_in(regclass, text[], text[], text, jsonb, timestamptz) to service_role;

-- Counts the rows of a merged group that lost to a newer (or tie-winning) stored row.
create function sync._count_stale(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb,
  p_observed_at timestamptz)
returns int language sql set search_path = '' as $$
  select sync._count_stale_in(p_rel, p_keys, p_cols,
    format('select %s, %s as _v from jsonb_populate_recordset(null::%s, $1) s',
      (select string_agg(format('%I', c), ', ') from unnest(p_cols) c), sync._merge_version(p_version, p_cols), p_rel),
    p_rows, p_observed_at)
$$;
revoke execute on function sync._count_stale(regclass, text[], text, text[], jsonb, timestamptz) from public, anon, authenticated;
grant execute on function sync._count_stale(regclass, text[], text, text[], jsonb, timestamptz) to service_role;

-- Checks one group's column set against the target; raises the documented SY422 errors.
create function sync._check_columns(p_target text, p_all text[], p_keys text[], p_cols text[], p_row bigint)
returns void language plpgsql set search_path = '' as $$
declare
  v_bad text[];
begin
  v_bad := array(select c from unnest(p_keys) c where c <> all (p_cols));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % has no key column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
  v_bad := array(select c from unnest(p_cols) c where c = any (sync._bookkeeping_columns()));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % sets reserved bookkeeping column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
  v_bad := array(select c from unnest(p_cols) c where c <> all (p_all));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % has unknown column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
end
$$;
revoke execute on function sync._check_columns(text, text[], text[], text[], bigint) from public, anon, authenticated;
grant execute on function sync._check_columns(text, text[], text[], text[], bigint) to service_role;

-- Merges a JSON array of rows into a registered target and says what happened:
-- {"inserted","updated","unchanged","stale"}. Only the columns a row carries are written,
-- a row older than the stored one is skipped, an identical row is not written at all.
-- Errors (SQLSTATE SY404 / SY422, exact texts in README): unknown target; rows not an array;
-- a row not an object; a missing or null key; an unknown or reserved column. Any error
-- rejects the whole call: nothing of it is written.
create function sync.merge_rows(p_target text, p_rows jsonb, p_job_id bigint default null,
  p_observed_at timestamptz default now())
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_t sync.targets;
  v_rel regclass;
  v_all text[];
  v_k0 text[];
  v_mode int;
  v_odd bigint;
  v_group record;
  v_res sync.merge_group_counts;
  v_ins int := 0;
  v_upd int := 0;
  v_stale int := 0;
  v_n int;
  v_bad record;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot merge into "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception 'Cannot merge into "%": rows must be a JSON array, got %', p_target, coalesce(jsonb_typeof(p_rows), 'null')
      using errcode = 'SY422';
  end if;
  v_n := jsonb_array_length(p_rows);
  if v_n = 0 then
    return jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0);
  end if;
  -- rows read from a table arrive as a TOAST pointer; concatenating an empty array returns the
  -- detoasted value itself, so the rows are fetched and decompressed once, not at every use
  p_rows := p_rows || '[]'::jsonb;
  v_rel := p_target::regclass;
  v_all := array(select attname::text from pg_attribute where attrelid = v_rel and attnum > 0 and not attisdropped
    order by attnum);
  if jsonb_typeof(p_rows -> 0) = 'object' then
    v_k0 := array(select k from jsonb_object_keys(p_rows -> 0) k order by k);
  end if;
  -- fast path, one statement: every row is an object with exactly the first row's keys, all of them
  -- columns of the target, checked row by row inside the merge statement. Any row that fails the check (SY100), and any error the
  -- statement raises, sends the whole batch down the grouping path below, which reproduces the
  -- documented errors in their documented order; nothing of the fast attempt is kept.
  if v_k0 is not null and v_t.key_columns <@ v_k0 and v_k0 <@ v_all
     and not v_k0 && sync._bookkeeping_columns() then
    v_mode := 0;
    begin
      v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows,
        p_job_id, p_observed_at, false, true);
    exception
      when cardinality_violation then v_mode := 1; -- the same key twice in one batch
      when sqlstate 'SY100' or data_exception or integrity_constraint_violation then v_mode := 2;
    end;
    if v_mode = 1 then
      begin
        v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows,
          p_job_id, p_observed_at, true, true);
      exception
        when sqlstate 'SY100' or data_exception or integrity_constraint_violation then v_mode := 2;
      end;
    end if;
    if v_mode < 2 then
      if v_res.inserted + v_res.updated < v_n and v_res.maybe_stale then
        v_stale := sync._count_stale(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows, p_observed_at);
      end if;
      return jsonb_build_object('inserted', v_res.inserted, 'updated', v_res.updated,
        'unchanged', v_n - v_res.inserted - v_res.updated - v_stale, 'stale', v_stale);
    end if;
  end if;
  -- grouping path: find the first row that breaks uniformity, if any
  select min(ord) into v_odd from jsonb_array_elements(p_rows) with ordinality e(j, ord)
  where not coalesce(jsonb_typeof(j) = 'object' and j ?& v_k0 and j - v_k0 = '{}'::jsonb, false);
  if v_odd is not null then
    select e.ord, jsonb_typeof(e.j) as kind into v_bad
    from jsonb_array_elements(p_rows) with ordinality e(j, ord) where jsonb_typeof(e.j) <> 'object' limit 1;
    if found then
      raise exception 'Cannot merge into "%": row % must be a JSON object, got %', p_target, v_bad.ord, v_bad.kind
        using errcode = 'SY422';
    end if;
  end if;

  for v_group in
    select v_k0 as cols, p_rows as rows, 1::bigint as first_row where v_odd is null
    union all
    select x.cols, jsonb_agg(x.j order by x.ord), min(x.ord)
    from (select e.j, e.ord, array(select k from jsonb_object_keys(e.j) k order by k) as cols
          from jsonb_array_elements(p_rows) with ordinality e(j, ord)) x
    where v_odd is not null
    group by x.cols
    order by 3 -- groups merge in the order of their first row, so a batch's outcome is reproducible
  loop
    perform sync._check_columns(p_target, v_all, v_t.key_columns, v_group.cols, v_group.first_row);
    begin
      v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows,
        p_job_id, p_observed_at, false);
    exception
      when cardinality_violation then -- the same key twice in one batch: keep the newest of each
        v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows,
          p_job_id, p_observed_at, true);
      when not_null_violation then
        select e.ord into v_bad from jsonb_array_elements(v_group.rows) with ordinality e(j, ord)
        where exists (select from unnest(v_t.key_columns) k where e.j -> k = 'null'::jsonb) limit 1;
        if found then
          raise exception 'Cannot merge into "%": row % has a null key column', p_target, v_bad.ord using errcode = 'SY422';
        end if;
        raise;
    end;
    v_ins := v_ins + v_res.inserted;
    v_upd := v_upd + v_res.updated;
    if v_res.inserted + v_res.updated < jsonb_array_length(v_group.rows) and v_res.maybe_stale then
      v_stale := v_stale + sync._count_stale(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows, p_observed_at);
    end if;
  end loop;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_n - v_ins - v_upd - v_stale, 'stale', v_stale);
end
$$;
revoke execute on function sync.merge_rows(text, jsonb, bigint, timestamptz) from public, anon, authenticated;
grant execute on function sync.merge_rows(text, jsonb, bigint, timestamptz) to service_role;
