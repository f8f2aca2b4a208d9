-- Syncline completeness: after every full read of a stream the worker compares what the source
-- says it has with what landed and records the result on the job (sync.progress.completeness) and
-- as the stream's latest (sync.stream_completeness); an unexplained gap makes the job partial
-- (sync.finish_job). Reconcile jobs list the source's ids, re-fetch the missing ones and mark rows
-- gone at the source deleted (_deleted_at, or a hard delete where the target asks for it).
-- Error codes: SY404 unknown target, SY422 bad input.

alter table sync.jobs drop constraint jobs_mode_check;
alter table sync.jobs add constraint jobs_mode_check
  check (mode in ('full', 'incremental', 'single', 'retry', 'promote', 'reconcile'));

-- the completeness of this job's read of the stream: {status: complete|gap|unverified, ...}
alter table sync.progress add column if not exists completeness jsonb
  check (completeness is null or completeness ->> 'status' in ('complete', 'gap', 'unverified'));

-- soft: rows gone at the source get _deleted_at; hard: they are deleted
alter table sync.targets add column if not exists delete_mode text not null default 'soft'
  check (delete_mode in ('soft', 'hard'));

-- targets registered before _deleted_at joined the bookkeeping columns get it now
do $$
declare
  v_t text;
begin
  for v_t in select target from sync.targets where to_regclass(target) is not null loop
    execute format('alter table %s add column if not exists _deleted_at timestamptz', v_t::regclass);
  end loop;
end
$$;

-- The latest completeness result per stream (what GET /stats/integrity shows); survives retention.
create table sync.stream_completeness (
  connector text not null,
  account text not null default 'default',
  stream text not null,
  job_id bigint,
  status text not null check (status in ('complete', 'gap', 'unverified')),
  method text,
  source_count bigint,
  landed_count bigint,
  missing_count bigint,
  sample_ids text[] not null default '{}',
  detail jsonb not null default '{}'::jsonb,
  checked_at timestamptz not null default now(),
  primary key (connector, account, stream)
);

-- Records a stream's completeness result on the job (lease-fenced) and as the stream's latest.
create function sync.record_completeness(p_job_id bigint, p_worker text, p_stream text, p_result jsonb)
returns void language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
begin
  if p_result is null or p_result ->> 'status' not in ('complete', 'gap', 'unverified') then
    raise exception 'Cannot record completeness of "%": status must be complete, gap or unverified, got %',
      p_stream, coalesce(p_result ->> 'status', 'none') using errcode = 'SY422';
  end if;
  update sync.progress set completeness = p_result, updated_at = clock_timestamp()
  where job_id = p_job_id and phase = p_stream;
  insert into sync.stream_completeness as s (connector, account, stream, job_id, status, method, source_count,
    landed_count, missing_count, sample_ids, detail, checked_at)
  values (v_job.connector, v_job.account, p_stream, p_job_id, p_result ->> 'status', p_result ->> 'method',
    (p_result ->> 'source')::bigint, (p_result ->> 'landed')::bigint, (p_result ->> 'missing')::bigint,
    coalesce(array(select jsonb_array_elements_text(case when jsonb_typeof(p_result -> 'sampleIds') = 'array'
      then p_result -> 'sampleIds' else '[]'::jsonb end)), '{}'), p_result, clock_timestamp())
  on conflict (connector, account, stream) do update set job_id = excluded.job_id, status = excluded.status,
    method = excluded.method, source_count = excluded.source_count, landed_count = excluded.landed_count,
    missing_count = excluded.missing_count, sample_ids = excluded.sample_ids, detail = excluded.detail,
    checked_at = excluded.checked_at;
end
$$;
revoke execute on function sync.record_completeness(bigint, text, text, jsonb) from public, anon, authenticated;
grant execute on function sync.record_completeness(bigint, text, text, jsonb) to service_role;

-- The last completeness result of every stream.
create function sync.get_completeness()
returns setof sync.stream_completeness language sql stable set search_path = '' as $$
  select * from sync.stream_completeness order by connector, account, stream
$$;
revoke execute on function sync.get_completeness() from public, anon, authenticated;
grant execute on function sync.get_completeness() to service_role;

-- The target's single key column (reconcile and id checks compare one id per record).
create function sync._single_key(p_target text)
returns text language plpgsql stable set search_path = '' as $$
declare
  v_t sync.targets;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot list keys of "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  if cardinality(v_t.key_columns) <> 1 then
    raise exception 'Cannot list keys of "%": its key has % columns, ids need one', p_target, cardinality(v_t.key_columns)
      using errcode = 'SY422';
  end if;
  return v_t.key_columns[1];
end
$$;
revoke execute on function sync._single_key(text) from public, anon, authenticated;
grant execute on function sync._single_key(text) to service_role;

-- Keys (as text) of a target's rows: live ones, or with p_deleted those marked deleted.
create function sync.target_keys(p_target text, p_deleted boolean default false)
returns setof text language plpgsql stable set search_path = '' as $$
begin
  return query execute format('select %I::text from %s where (_deleted_at is not null) = $1',
    sync._single_key(p_target), p_target::regclass) using p_deleted;
end
$$;
revoke execute on function sync.target_keys(text, boolean) from public, anon, authenticated;
grant execute on function sync.target_keys(text, boolean) to service_role;

-- Rows of p_keys gone at the source: marked deleted (soft) or deleted (hard, per target); lease-fenced.
-- Returns how many rows it marked or deleted (rows already marked are left as they are).
create function sync.mark_deleted(p_job_id bigint, p_worker text, p_target text, p_keys text[])
returns integer language plpgsql set search_path = '' as $$
declare
  v_key text := sync._single_key(p_target);
  v_mode text := (select delete_mode from sync.targets where target = p_target);
  v_n integer;
begin
  perform sync._check_lease(p_job_id, p_worker);
  if coalesce(cardinality(p_keys), 0) = 0 then
    return 0;
  end if;
  if v_mode = 'hard' then
    execute format('delete from %s where %I::text = any ($1)', p_target::regclass, v_key) using p_keys;
  else
    execute format('update %s set _deleted_at = clock_timestamp(), _last_job_id = $2
      where %I::text = any ($1) and _deleted_at is null', p_target::regclass, v_key) using p_keys, p_job_id;
  end if;
  get diagnostics v_n = row_count;
  perform sync._assert_lease(p_job_id, p_worker);
  return v_n;
end
$$;
revoke execute on function sync.mark_deleted(bigint, text, text, text[]) from public, anon, authenticated;
grant execute on function sync.mark_deleted(bigint, text, text, text[]) to service_role;

-- Whether rows gone at the source are marked (soft, the default) or deleted (hard).
create function sync.set_delete_mode(p_target text, p_mode text)
returns sync.targets language plpgsql set search_path = '' as $$
declare
  v_row sync.targets;
begin
  if p_mode is null or p_mode not in ('soft', 'hard') then
    raise exception 'Cannot set delete mode of "%": "%" is not soft or hard', p_target, p_mode using errcode = 'SY422';
  end if;
  update sync.targets set delete_mode = p_mode where target = p_target returning * into v_row;
  if not found then
    raise exception 'Cannot set delete mode of "%": not a registered target (see sync.targets)', p_target
      using errcode = 'SY404';
  end if;
  return v_row;
end
$$;
revoke execute on function sync.set_delete_mode(text, text) from public, anon, authenticated;
grant execute on function sync.set_delete_mode(text, text) to service_role;

alter table sync.stream_completeness enable row level security;
revoke all on sync.stream_completeness from public, anon, authenticated;
grant select, insert, update, delete on sync.stream_completeness to service_role;
