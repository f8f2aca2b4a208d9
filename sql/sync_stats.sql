-- Syncline operations, stats: runs, success rate, durations and records per connector and
-- stream (from a narrow per-job, per-stream table kept by triggers), daily trends, failed-item
-- summary, data freshness and registered integrity (orphan) checks. Fast on 1M+ jobs.
-- Error codes: SY422 bad input.

-- ---------------------------------------------------------------------------------------
-- Stats, freshness, integrity
-- ---------------------------------------------------------------------------------------

-- Stats read finished jobs by time; the slow-run check reads a connector account's recent runs.
create index if not exists jobs_finished_idx on sync.jobs (finished_at) where finished_at is not null;
create index if not exists jobs_recent_success_idx on sync.jobs (connector, account, finished_at desc)
  where status in ('succeeded', 'partial');
-- retention deletes jobs; these foreign keys are checked per deleted job
create index if not exists webhook_inbox_job_idx on sync.webhook_inbox (job_id) where job_id is not null;
create index if not exists checkpoints_job_idx on sync.checkpoints (job_id) where job_id is not null;

-- Latest outcome per stream, kept by a trigger when a job finishes: freshness and staleness
-- alerts read a handful of rows instead of the job history (and survive retention).
create table sync.stream_status (
  connector text not null,
  account text not null default 'default',
  stream text not null,
  last_run_at timestamptz,
  last_status text,
  last_job_id bigint,
  last_success_at timestamptz,
  last_success_job_id bigint,
  primary key (connector, account, stream)
);

-- What the stats read instead of sync.jobs.stats: one row per finished job (stream null: the job
-- as a whole, records = stats.records) and one per stream in its stats->'streams' (status failed
-- when the stream failed, else the job's; records = its "done"; duration = its job's). Kept by a
-- trigger on sync.jobs in the same transaction, deleted with its job (so retention applies).
create table sync.job_stream_runs (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  connector text not null,
  account text not null,
  stream text,
  status text not null,
  duration_seconds numeric not null,
  records bigint not null,
  finished_at timestamptz not null
);
create unique index job_stream_runs_job_idx on sync.job_stream_runs (job_id, stream) nulls not distinct;
-- one range scan per (connector, stream) over the window, index only
create index job_stream_runs_window_idx on sync.job_stream_runs (connector, stream, finished_at)
  include (status, duration_seconds, records);

-- The rows of sync.job_stream_runs for some finished jobs (all of them when p_job_ids is null).
-- Retry jobs (failed items re-attempted, automatically every few minutes) are not sync runs: they
-- are left out of the run statistics and counted by sync.get_recovery_stats instead.
create function sync._job_stream_rows(p_job_ids bigint[] default null)
returns table (job_id bigint, connector text, account text, stream text, status text, duration_seconds numeric,
  records bigint, finished_at timestamptz)
language sql stable set search_path = '' as $$
  select j.id, j.connector, j.account, s.stream, coalesce(s.status, j.status),
    extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at)),
    coalesce(s.records, (j.stats ->> 'records')::bigint, 0), j.finished_at
  from sync.jobs j
  cross join lateral (
    select null::text as stream, null::text as status, null::bigint as records
    union all
    select e.key, case when e.value ->> 'status' = 'failed' then 'failed' end, coalesce((e.value ->> 'done')::bigint, 0)
    from jsonb_each(case when jsonb_typeof(j.stats -> 'streams') = 'object' then j.stats -> 'streams' else '{}'::jsonb end) e
  ) s
  where j.finished_at is not null and j.mode <> 'retry' and (p_job_ids is null or j.id = any (p_job_ids))
$$;
revoke execute on function sync._job_stream_rows(bigint[]) from public, anon, authenticated;
grant execute on function sync._job_stream_rows(bigint[]) to service_role;

-- Fills sync.job_stream_runs from the finished jobs that have no rows yet (the migration, and bulk
-- loads that bypass triggers); returns the rows written.
create function sync.backfill_job_stream_runs() returns bigint
language plpgsql set search_path = '' as $$
declare
  v_n bigint;
begin
  insert into sync.job_stream_runs (job_id, connector, account, stream, status, duration_seconds, records, finished_at)
  select r.* from sync._job_stream_rows() r
  where not exists (select from sync.job_stream_runs x where x.job_id = r.job_id);
  get diagnostics v_n = row_count;
  return v_n;
end
$$;
revoke execute on function sync.backfill_job_stream_runs() from public, anon, authenticated;

-- Rewrites a job's rows whenever it is (or was) finished and a figure the stats read changes.
create function sync._on_job_stream_runs() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    delete from sync.job_stream_runs where job_id = old.id;
  end if;
  if new.finished_at is not null then
    insert into sync.job_stream_runs (job_id, connector, account, stream, status, duration_seconds, records, finished_at)
    select * from sync._job_stream_rows(array[new.id]);
  end if;
  return null;
end
$$;
revoke execute on function sync._on_job_stream_runs() from public, anon, authenticated;
grant execute on function sync._on_job_stream_runs() to service_role;

create trigger jobs_stream_runs_insert after insert on sync.jobs
  for each row when (new.finished_at is not null)
  execute function sync._on_job_stream_runs();
create trigger jobs_stream_runs_update after update of connector, account, status, stats, created_at, started_at,
  finished_at on sync.jobs
  for each row when ((new.finished_at is not null or old.finished_at is not null)
    and (new.connector is distinct from old.connector or new.account is distinct from old.account
      or new.status is distinct from old.status or new.stats is distinct from old.stats
      or new.created_at is distinct from old.created_at or new.started_at is distinct from old.started_at
      or new.finished_at is distinct from old.finished_at))
  execute function sync._on_job_stream_runs();

-- Jobs that finished before this migration keep their history in the stats.
select sync.backfill_job_stream_runs();

-- Runs, success rate, average and p95 duration (seconds) and records per run over the last
-- days_back days, per connector (stream null) and per connector and stream, from
-- sync.job_stream_runs. A stream's figures come from jobs.stats->'streams' (finish_job); its
-- duration is its job's duration. One index range scan per (connector, stream): no sort of the
-- whole window, no JSON read.
create function sync.get_sync_stats(p_days_back integer default 7)
returns table (connector text, stream text, runs bigint, succeeded bigint, partial bigint, failed bigint,
  cancelled bigint, success_rate numeric, avg_duration_seconds numeric, p95_duration_seconds numeric,
  avg_records numeric, total_records bigint, last_finished_at timestamptz)
-- custom plans: a cached generic plan cannot see the cutoff
language plpgsql stable set search_path = '' set plan_cache_mode = force_custom_plan set jit = off as $$
declare
  v_since timestamptz;
  v_connector text;
  v_stream text;
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute sync stats: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  v_since := now() - make_interval(days => p_days_back);
  -- connectors, then each connector's streams, in index order (= order by connector, stream nulls first)
  v_connector := (select min(r.connector) from sync.job_stream_runs r);
  while v_connector is not null loop
    v_stream := null;
    loop
      return query
      select v_connector, v_stream, count(*), count(*) filter (where r.status = 'succeeded'),
        count(*) filter (where r.status = 'partial'), count(*) filter (where r.status = 'failed'),
        count(*) filter (where r.status = 'cancelled'),
        round(count(*) filter (where r.status = 'succeeded')::numeric
          / nullif(count(*) filter (where r.status <> 'cancelled'), 0), 4),
        round(avg(r.duration_seconds), 3),
        round(percentile_cont(0.95) within group (order by r.duration_seconds)::numeric, 3),
        round(avg(r.records), 2), sum(r.records)::bigint, max(r.finished_at)
      from sync.job_stream_runs r
      where r.connector = v_connector and r.finished_at >= v_since
        and (case when v_stream is null then r.stream is null else r.stream = v_stream end)
      having count(*) > 0;
      v_stream := (select min(r.stream) from sync.job_stream_runs r where r.connector = v_connector
        and (v_stream is null or r.stream > v_stream));
      exit when v_stream is null;
    end loop;
    v_connector := (select min(r.connector) from sync.job_stream_runs r where r.connector > v_connector);
  end loop;
end
$$;
revoke execute on function sync.get_sync_stats(integer) from public, anon, authenticated;
grant execute on function sync.get_sync_stats(integer) to service_role;

-- A daily series (UTC days, oldest first, empty days included) of runs, failures, average
-- duration and records, per connector (or for one connector).
create function sync.get_sync_performance_trends(p_days_back integer default 30, p_connector text default null)
returns table (day date, connector text, runs bigint, succeeded bigint, failures bigint, partial bigint,
  avg_duration_seconds numeric, records bigint)
language plpgsql stable set search_path = '' set plan_cache_mode = force_custom_plan set jit = off as $$
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute sync trends: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  return query
  with agg as (
    select (j.finished_at at time zone 'UTC')::date as d, j.connector as c, count(*) as runs,
      count(*) filter (where j.status = 'succeeded') as ok, count(*) filter (where j.status = 'failed') as bad,
      count(*) filter (where j.status = 'partial') as part,
      avg(extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at))) as secs,
      sum(coalesce((j.stats ->> 'records')::bigint, 0)) as recs
    from sync.jobs j
    where j.finished_at >= ((now() at time zone 'UTC')::date - (p_days_back - 1)) at time zone 'UTC'
      and j.mode <> 'retry' and (p_connector is null or j.connector = p_connector)
    group by 1, 2
  ), days as (
    select g::date as d from generate_series((now() at time zone 'UTC')::date - (p_days_back - 1),
      (now() at time zone 'UTC')::date, interval '1 day') g
  ), conns as (
    select distinct agg.c from agg union select p_connector where p_connector is not null
  )
  select days.d, conns.c, coalesce(agg.runs, 0), coalesce(agg.ok, 0), coalesce(agg.bad, 0), coalesce(agg.part, 0),
    round(agg.secs, 3), coalesce(agg.recs, 0)::bigint
  from days cross join conns left join agg on agg.d = days.d and agg.c = conns.c
  order by days.d, conns.c;
end
$$;
revoke execute on function sync.get_sync_performance_trends(integer, text) from public, anon, authenticated;
grant execute on function sync.get_sync_performance_trends(integer, text) to service_role;

-- Failed items open vs resolved vs dismissed, by connector, stream and error class.
create function sync.get_failed_items_summary()
returns table (connector text, stream text, error_class text, open bigint, resolved bigint, dismissed bigint,
  oldest_open_at timestamptz, last_failure_at timestamptz)
language sql stable set search_path = '' as $$
  select f.connector, f.stream, f.error_class, count(*) filter (where f.resolved_at is null),
    count(*) filter (where f.resolution = 'resolved'), count(*) filter (where f.resolution = 'dismissed'),
    min(f.created_at) filter (where f.resolved_at is null), max(f.last_attempt_at)
  from sync.failed_items f
  group by 1, 2, 3
  order by 1, 2, 3
$$;
revoke execute on function sync.get_failed_items_summary() from public, anon, authenticated;
grant execute on function sync.get_failed_items_summary() to service_role;

-- Staleness threshold of one stream: settings.stale_after_by_stream["connector/stream"] or stale_after.
create function sync._stale_after(p_connector text, p_stream text) returns interval
language plpgsql stable set search_path = '' as $$
begin
  return coalesce((select (s.stale_after_by_stream ->> (p_connector || '/' || p_stream))::interval
    from sync.notification_settings s), (select s.stale_after from sync.notification_settings s), interval '26 hours');
end
$$;
revoke execute on function sync._stale_after(text, text) from public, anon, authenticated;
grant execute on function sync._stale_after(text, text) to service_role;

-- Per connector account and stream: last successful sync, its age, the last run and whether it is
-- older than its staleness threshold.
create function sync.get_data_freshness()
returns table (connector text, account text, stream text, last_success_at timestamptz, age_seconds bigint,
  last_run_at timestamptz, last_status text, stale_after_seconds bigint, stale boolean)
language sql stable set search_path = '' as $$
  select s.connector, s.account, s.stream, s.last_success_at,
    extract(epoch from now() - s.last_success_at)::bigint, s.last_run_at, s.last_status,
    extract(epoch from sync._stale_after(s.connector, s.stream))::bigint,
    s.last_success_at is null or now() - s.last_success_at > sync._stale_after(s.connector, s.stream)
  from sync.stream_status s
  order by 1, 2, 3
$$;
revoke execute on function sync.get_data_freshness() from public, anon, authenticated;
grant execute on function sync.get_data_freshness() to service_role;

-- Orphan checks registered by connectors: rows of child_table whose child_column (not null)
-- matches no parent_table.parent_column, e.g. tickets without their order.
create table sync.integrity_checks (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  child_table text not null check (child_table ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  child_column text not null check (child_column ~ '^[a-z_][a-z0-9_]*$'),
  parent_table text not null check (parent_table ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  parent_column text not null check (parent_column ~ '^[a-z_][a-z0-9_]*$'),
  enabled boolean not null default true,
  description text,
  created_at timestamptz not null default now()
);

-- Registers (or replaces) an orphan check; tables may not exist yet (the check reports them missing).
create function sync.register_integrity_check(p_name text, p_child_table text, p_child_column text,
  p_parent_table text, p_parent_column text, p_description text default null)
returns sync.integrity_checks language plpgsql set search_path = '' as $$
declare
  v_row sync.integrity_checks;
begin
  if p_child_table !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' or p_parent_table !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'
    or p_child_column !~ '^[a-z_][a-z0-9_]*$' or p_parent_column !~ '^[a-z_][a-z0-9_]*$' then
    raise exception 'Cannot register integrity check "%": tables must be "schema.table" and columns plain names', p_name
      using errcode = 'SY422';
  end if;
  insert into sync.integrity_checks as c (name, child_table, child_column, parent_table, parent_column, description)
  values (p_name, p_child_table, p_child_column, p_parent_table, p_parent_column, p_description)
  on conflict (name) do update set child_table = excluded.child_table, child_column = excluded.child_column,
    parent_table = excluded.parent_table, parent_column = excluded.parent_column,
    description = coalesce(excluded.description, c.description)
  returning * into v_row;
  return v_row;
end
$$;
revoke execute on function sync.register_integrity_check(text, text, text, text, text, text) from public, anon, authenticated;
grant execute on function sync.register_integrity_check(text, text, text, text, text, text) to service_role;

-- Runs every enabled check: status ok / orphans / missing (a table or column does not exist),
-- the orphan count and up to 10 sample dangling values of child_column.
create function sync.check_integrity()
returns table (check_name text, status text, orphan_count bigint, sample_ids text[], child_table text,
  parent_table text)
language plpgsql stable set search_path = '' as $$
declare
  v_c sync.integrity_checks;
  v_child regclass;
  v_parent regclass;
  v_count bigint;
  v_sample text[];
begin
  for v_c in select * from sync.integrity_checks where enabled order by name loop
    v_child := to_regclass(v_c.child_table);
    v_parent := to_regclass(v_c.parent_table);
    if v_child is null or v_parent is null
      or not exists (select from pg_attribute where attrelid = v_child and attname = v_c.child_column and attnum > 0 and not attisdropped)
      or not exists (select from pg_attribute where attrelid = v_parent and attname = v_c.parent_column and attnum > 0 and not attisdropped) then
      return query select v_c.name, 'missing'::text, null::bigint, null::text[], v_c.child_table, v_c.parent_table;
      continue;
    end if;
    execute format(
      'select count(*), (array_agg(distinct o.v::text) filter (where o.rn <= 10)) from (
         select c.%1$I as v, row_number() over (order by c.%1$I::text) as rn from %2$s c
         where c.%1$I is not null and not exists (select from %3$s p where p.%4$I = c.%1$I)) o',
      v_c.child_column, v_child, v_parent, v_c.parent_column)
      into v_count, v_sample;
    return query select v_c.name, case when v_count = 0 then 'ok' else 'orphans' end, v_count,
      coalesce(v_sample, '{}'::text[]), v_c.child_table, v_c.parent_table;
  end loop;
end
$$;
revoke execute on function sync.check_integrity() from public, anon, authenticated;
grant execute on function sync.check_integrity() to service_role;

-- Access: service_role only, RLS on everything
alter table sync.job_stream_runs enable row level security;
alter table sync.stream_status enable row level security;
alter table sync.integrity_checks enable row level security;
revoke all on sync.job_stream_runs from public, anon, authenticated;
-- written by the finish trigger and removed by retention, both running as the caller
grant select, insert, delete on sync.job_stream_runs to service_role;
revoke all on sync.stream_status, sync.integrity_checks from public, anon, authenticated;
grant select, insert, update, delete on sync.stream_status, sync.integrity_checks to service_role;
grant usage, select on all sequences in schema sync to service_role;
