-- Syncline engine: a page that Postgres rejects is split until its bad rows are isolated.
-- merge_rows rejects a whole call for one bad row (a value out of range, a broken check, a key
-- too long for its index); merge_rows_isolating merges what it can and names the rows it could not.

-- Which column of a target a rejected row breaks, when one column alone does: each of the row's
-- keys is cast to the target's row type on its own (data errors: overflow, bad syntax, too long).
create function sync._rejected_column(p_rel regclass, p_row jsonb, out col text, out col_type text)
language plpgsql set search_path = '' as $$
declare
  v_key text;
begin
  if jsonb_typeof(p_row) <> 'object' then
    return;
  end if;
  for v_key in select k from jsonb_object_keys(p_row) k order by k loop
    begin
      execute format('select jsonb_populate_record(null::%s, $1)', p_rel) using jsonb_build_object(v_key, p_row -> v_key);
    exception when data_exception then
      col := v_key;
      select format_type(atttypid, atttypmod) into col_type from pg_attribute
      where attrelid = p_rel and attname = v_key and attnum > 0 and not attisdropped;
      return;
    end;
  end loop;
end
$$;
revoke execute on function sync._rejected_column(regclass, jsonb) from public, anon, authenticated;
grant execute on function sync._rejected_column(regclass, jsonb) to service_role;

-- The columns of a constraint or an index of a target, named in an error ("a, b"), or null.
create function sync._rejected_columns_of(p_rel regclass, p_constraint text, p_message text)
returns text language sql stable set search_path = '' as $$
  select coalesce(
    (select string_agg(a.attname::text, ', ' order by a.attnum) from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
     where c.conrelid = p_rel and c.conname = p_constraint),
    (select string_agg(a.attname::text, ', ' order by a.attnum) from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
     where i.indrelid = p_rel and ic.relname = coalesce(p_constraint, substring(p_message from 'index "([^"]+)"'))))
$$;
revoke execute on function sync._rejected_columns_of(regclass, text, text) from public, anon, authenticated;
grant execute on function sync._rejected_columns_of(regclass, text, text) to service_role;

-- Merges p_rows like merge_rows, but a data error (SQLSTATE class 22 or 23, 54000 "index row too
-- big", or merge_rows' own SY422) does not reject the call: the rows are split in halves, each
-- merged on its own (a savepoint each), until every bad row stands alone. Returns merge_rows'
-- counts over the rows that landed plus "rejected": [{row (1-based), sqlstate, message, detail,
-- column, type, constraint}] in row order (absent when nothing was rejected). Any other error
-- (unknown target, a lost lease, a lost connection) still rejects the whole call.
create function sync.merge_rows_isolating(p_target text, p_rows jsonb, p_job_id bigint default null,
  p_observed_at timestamptz default now())
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_rel regclass;
  v_stack int[] := array[]::int[]; -- pairs (from, to), 0-based, inclusive, popped from the end
  v_from int;
  v_to int;
  v_mid int;
  v_res jsonb;
  v_ins bigint := 0;
  v_upd bigint := 0;
  v_unch bigint := 0;
  v_stale bigint := 0;
  v_rejected jsonb := '[]'::jsonb;
  v_state text;
  v_msg text;
  v_detail text;
  v_constraint text;
  v_column text;
  v_bad record;
begin
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0 then
    return sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at); -- its own errors, or nothing to do
  end if;
  v_rel := to_regclass(p_target);
  v_stack := array[0, jsonb_array_length(p_rows) - 1];
  while cardinality(v_stack) > 0 loop
    v_from := v_stack[cardinality(v_stack) - 1];
    v_to := v_stack[cardinality(v_stack)];
    v_stack := v_stack[1:cardinality(v_stack) - 2];
    begin
      v_res := sync.merge_rows(p_target,
        case when v_from = 0 and v_to = jsonb_array_length(p_rows) - 1 then p_rows
          else jsonb_path_query_array(p_rows, format('$[%s to %s]', v_from, v_to)::jsonpath) end,
        p_job_id, p_observed_at);
      v_ins := v_ins + (v_res ->> 'inserted')::bigint;
      v_upd := v_upd + (v_res ->> 'updated')::bigint;
      v_unch := v_unch + (v_res ->> 'unchanged')::bigint;
      v_stale := v_stale + (v_res ->> 'stale')::bigint;
    exception when data_exception or integrity_constraint_violation or program_limit_exceeded
        or sqlstate 'SY422' then
      get stacked diagnostics v_state = returned_sqlstate, v_msg = message_text, v_detail = pg_exception_detail,
        v_constraint = constraint_name, v_column = column_name;
      if v_from < v_to then
        -- the first half is merged first, so rows land in page order
        v_mid := (v_from + v_to) / 2;
        v_stack := v_stack || array[v_mid + 1, v_to, v_from, v_mid];
      else
        v_bad := null;
        if v_column is null or v_column = '' then
          select * into v_bad from sync._rejected_column(v_rel, p_rows -> v_from);
        end if;
        v_rejected := v_rejected || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
          -- "row N" of a one-row call means nothing to a reader; "Failing row contains (...)" repeats
          -- the whole row (raw included) and says nothing the column and constraint do not
          'row', v_from + 1, 'sqlstate', v_state, 'message', regexp_replace(v_msg, ': row \d+ ', ': the row '),
          'detail', case when v_detail !~ '^(Failing row contains|Index row references)' then nullif(v_detail, '') end,
          'column', coalesce(nullif(v_column, ''), v_bad.col,
            sync._rejected_columns_of(v_rel, nullif(v_constraint, ''), v_msg)),
          'type', v_bad.col_type, 'constraint', nullif(v_constraint, ''))));
      end if;
    end;
  end loop;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_unch, 'stale', v_stale)
    || case when jsonb_array_length(v_rejected) > 0 then jsonb_build_object('rejected', v_rejected) else '{}' end;
end
$$;
revoke execute on function sync.merge_rows_isolating(text, jsonb, bigint, timestamptz) from public, anon, authenticated;
grant execute on function sync.merge_rows_isolating(text, jsonb, bigint, timestamptz) to service_role;
