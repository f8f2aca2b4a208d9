-- Syncline engine: the forced merge. sync.merge_rows skips a row older than (or on a tie losing
-- to) the stored one; a forced re-sync ("rewrite from the source, whatever the dates say") must
-- write it anyway. merge_rows_force does exactly what merge_rows does, except that no row of the
-- batch is stale: a row whose content differs from the stored one is written even when its
-- version is equal or older. Identical rows are still not written (counted unchanged), columns a
-- row omits still keep their value (local-only columns survive), and the stored version becomes
-- the forced row's. Same arguments, result and errors as merge_rows.
create function sync.merge_rows_force(p_target text, p_rows jsonb, p_job_id bigint default null,
  p_observed_at timestamptz default now())
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_t sync.targets;
  v_keys text;
  v_saved jsonb;
  v_counts jsonb;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found or p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    return sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at); -- raises the documented error
  end if;
  v_keys := (select string_agg(format('%I', k), ', ') from unnest(v_t.key_columns) k);
  -- forget the stored versions of the batch's keys (merge_rows then treats every differing row as
  -- newer), remembering them so rows that turn out unchanged get theirs back
  execute format(
    'with k as (select distinct %1$s from jsonb_populate_recordset(null::%2$s, $1) s),
       old as (select %5$s, t._source_updated_at as _v from %2$s t join k on (%3$s) = (%4$s)
               where t._source_updated_at is not null),
       u as (update %2$s t set _source_updated_at = null from old k where (%3$s) = (%4$s))
     select coalesce(jsonb_agg(to_jsonb(old)), ''[]''::jsonb) from old',
    v_keys, p_target::regclass,
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('k.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k))
  into v_saved using p_rows;
  v_counts := sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at);
  execute format(
    'update %1$s t set _source_updated_at = (e.j ->> ''_v'')::timestamptz
     from jsonb_array_elements($1) e(j), jsonb_populate_record(null::%1$s, e.j) k
     where (%2$s) = (%3$s) and t._source_updated_at is null',
    p_target::regclass,
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('k.%I', k), ', ') from unnest(v_t.key_columns) k))
  using v_saved;
  return v_counts;
end
$$;
revoke execute on function sync.merge_rows_force(text, jsonb, bigint, timestamptz) from public, anon, authenticated;
grant execute on function sync.merge_rows_force(text, jsonb, bigint, timestamptz) to service_role;
