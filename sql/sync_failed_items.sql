-- Syncline engine, failed items: records that failed permanently while the rest of their page
-- landed (table sync.failed_items in sync_schema.sql). The engine records them and re-attempts
-- them with backoff (retry jobs, sync_retries.sql); they end resolved (the record landed) or
-- dismissed (an operator gave up on it). Two closing calls by caller: the engine closes the items
-- a retry landed in bulk and quietly (resolve_failed_items: already closed ones are skipped); the
-- API closes one item for an operator and says why it cannot (close_failed_item: SY404, SY409).
-- Callers: functions/_shared/engine/failed_items.ts.
-- Error codes: SY404 not found, SY409 already closed, SY422 bad input.

-- Backoff for failed items: 1 min, 2, 4 ... capped at 24 h.
create function sync._retry_delay(p_attempts integer)
returns interval language sql immutable set search_path = '' as $$
  select least(interval '24 hours', interval '1 minute' * power(2, greatest(p_attempts - 1, 0)))
$$;
revoke execute on function sync._retry_delay(integer) from public, anon, authenticated;
grant execute on function sync._retry_delay(integer) to service_role;

-- Records a permanently failed record; a record failing again counts another attempt. A key too
-- long to index (a record refused for exactly that) is kept as its first 400 characters, an
-- ellipsis and its md5: the same record still finds its item; the payload keeps the whole id.
create function sync.record_failed_item(p_job_id bigint, p_stream text, p_item_key text, p_payload jsonb,
  p_error_class text, p_error text)
returns sync.failed_items language plpgsql set search_path = '' as $$
declare
  v_row sync.failed_items;
begin
  if length(p_item_key) > 500 then
    p_item_key := left(p_item_key, 400) || '…' || md5(p_item_key);
  end if;
  insert into sync.failed_items as f (job_id, connector, account, stream, item_key, payload, error_class, error, next_retry_at)
  select j.id, j.connector, j.account, p_stream, p_item_key, p_payload, p_error_class, p_error,
    clock_timestamp() + sync._retry_delay(1)
  from sync.jobs j where j.id = p_job_id
  on conflict (connector, account, stream, item_key) where resolved_at is null do update set
    job_id = excluded.job_id, payload = excluded.payload, error_class = excluded.error_class, error = excluded.error,
    attempts = f.attempts + 1, last_attempt_at = clock_timestamp(),
    next_retry_at = clock_timestamp() + sync._retry_delay(f.attempts + 1)
  returning * into v_row;
  if v_row.id is null then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  return v_row;
end
$$;
revoke execute on function sync.record_failed_item(bigint, text, text, jsonb, text, text) from public, anon, authenticated;
grant execute on function sync.record_failed_item(bigint, text, text, jsonb, text, text) to service_role;

-- Marks failed items resolved (the record landed) or dismissed (an operator gave up on it).
create function sync.resolve_failed_items(p_ids bigint[], p_resolution text default 'resolved')
returns integer language sql set search_path = '' as $$
  with r as (
    update sync.failed_items set resolved_at = clock_timestamp(), resolution = p_resolution
    where id = any (p_ids) and resolved_at is null returning 1)
  select count(*)::integer from r
$$;
revoke execute on function sync.resolve_failed_items(bigint[], text) from public, anon, authenticated;
grant execute on function sync.resolve_failed_items(bigint[], text) to service_role;

-- Open failed items a retry job re-attempts, oldest first: those whose backoff is over (or the
-- ids asked for), not yet attempted since p_attempted_before (the retry job's start), so a job
-- never re-attempts an item it already tried.
create function sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer default 100,
  p_ids bigint[] default null, p_attempted_before timestamptz default null)
returns setof sync.failed_items language sql stable set search_path = '' as $$
  select * from sync.failed_items f
  where f.connector = p_connector and f.account = p_account and f.stream = p_stream and f.resolved_at is null
    and (case when p_ids is null then f.next_retry_at <= clock_timestamp() else f.id = any (p_ids) end)
    and (p_attempted_before is null or f.last_attempt_at < p_attempted_before)
  order by f.next_retry_at, f.id
  limit p_limit
$$;
revoke execute on function sync.due_failed_items(text, text, text, integer, bigint[], timestamptz) from public, anon, authenticated;
grant execute on function sync.due_failed_items(text, text, text, integer, bigint[], timestamptz) to service_role;

-- Resolves (the record landed) or dismisses (an operator gave up on it) one open failed item.
create function sync.close_failed_item(p_id bigint, p_resolution text)
returns sync.failed_items language plpgsql set search_path = '' as $$
declare
  v_row sync.failed_items;
begin
  if p_resolution not in ('resolved', 'dismissed') then
    raise exception 'Cannot close failed item %: "%" is not a resolution (resolved, dismissed)', p_id, p_resolution
      using errcode = 'SY422';
  end if;
  select * into v_row from sync.failed_items where id = p_id for update;
  if not found then
    raise exception 'Failed item % does not exist', p_id using errcode = 'SY404';
  end if;
  if v_row.resolved_at is not null then
    raise exception 'Cannot % failed item %: it was already % at %', case p_resolution when 'resolved' then 'resolve'
      else 'dismiss' end, p_id, v_row.resolution, v_row.resolved_at
      using errcode = 'SY409', detail = json_build_object('id', p_id, 'resolution', v_row.resolution)::text;
  end if;
  update sync.failed_items set resolved_at = clock_timestamp(), resolution = p_resolution where id = p_id
  returning * into v_row;
  return v_row;
end
$$;
revoke execute on function sync.close_failed_item(bigint, text) from public, anon, authenticated;
grant execute on function sync.close_failed_item(bigint, text) to service_role;
