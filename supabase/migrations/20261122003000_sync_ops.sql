-- Syncline operations: schedules kept in step with pg_cron, stats and freshness RPCs,
-- integrity checks, retention, and a durable notification outbox with rate limiting.
-- The same text applies on plain PostgreSQL (no pg_cron: schedules are stored, nothing fires),
-- on the local stack's "postgres" database (real pg_cron) and on hosted Supabase (pg_cron,
-- and pg_net + Vault to wake the worker endpoint). Every cron.*, net.* and vault.* call is
-- dynamic SQL behind to_regprocedure/to_regclass, so a missing extension is never an error.
-- pg_cron evaluates cron expressions in UTC (1.4; later versions read cron.timezone): every
-- schedule time here is UTC.
-- Error codes: SY404 not found, SY422 bad input.

-- pg_cron can only be created in the database named by cron.database_name, and only when
-- it is preloaded; anywhere else (test clones, plain servers) this is a no-op.
do $$
begin
  if current_database() = current_setting('cron.database_name', true)
    and exists (select from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Schedules
-- ---------------------------------------------------------------------------------------

-- True for a 5-field cron expression (minute hour day-of-month month day-of-week) with
-- numbers, *, ranges a-b, steps /n and lists; the subset pg_cron 1.4 and later all accept.
create function sync._valid_cron(p_expr text) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  v_fields text[];
  v_lo integer[] := array[0, 0, 1, 1, 0];
  v_hi integer[] := array[59, 23, 31, 12, 7];
  v_part text;
  v_m text[];
begin
  if p_expr is null then
    return false;
  end if;
  v_fields := regexp_split_to_array(btrim(p_expr), '\s+');
  if cardinality(v_fields) <> 5 then
    return false;
  end if;
  for i in 1..5 loop
    foreach v_part in array string_to_array(v_fields[i], ',') loop
      v_m := regexp_match(v_part, '^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:/(\d{1,2}))?$');
      if v_m is null
        or (v_m[2] is not null and (v_m[2]::integer < v_lo[i] or v_m[2]::integer > v_hi[i]))
        or (v_m[3] is not null and (v_m[3]::integer < v_m[2]::integer or v_m[3]::integer > v_hi[i]))
        or (v_m[4] is not null and v_m[4]::integer < 1) then
        return false;
      end if;
    end loop;
  end loop;
  return true;
end
$$;

create table sync.schedules (
  id bigint generated always as identity primary key,
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  connector text not null check (connector ~ '^[a-z][a-z0-9_-]{0,62}$'),
  account text not null default 'default' check (length(account) between 1 and 200),
  streams text[] not null check (cardinality(streams) >= 1),
  cron text not null check (sync._valid_cron(cron)),
  mode text not null default 'incremental' check (mode in ('full', 'incremental')),
  options jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
  enabled boolean not null default false,
  description text,
  last_run_at timestamptz,
  last_outcome text check (last_outcome in ('enqueued', 'skipped')),
  last_job_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table sync.schedules is
  'Recurring syncs. An enabled schedule has a pg_cron job "syncline:<id>" running sync.run_schedule(<id>); cron times are UTC. options.lookback_hours makes an incremental run re-read that many hours (job option "since").';

-- One row per time a schedule fired: the job it queued, or why it was skipped.
create table sync.schedule_runs (
  id bigint generated always as identity primary key,
  schedule_id bigint not null references sync.schedules (id) on delete cascade,
  outcome text not null check (outcome in ('enqueued', 'skipped')),
  job_id bigint,
  reason text,
  ran_at timestamptz not null default now()
);
create index schedule_runs_schedule_idx on sync.schedule_runs (schedule_id, ran_at desc);
create index schedule_runs_ran_idx on sync.schedule_runs (ran_at);

-- True when pg_cron's scheduling functions exist in this database.
create function sync._cron_available() returns boolean
language sql stable set search_path = '' as $$
  select to_regprocedure('cron.schedule(text,text,text)') is not null
    and to_regprocedure('cron.unschedule(bigint)') is not null
    and to_regclass('cron.job') is not null
$$;

-- Creates or replaces the pg_cron job of that name (pg_cron >= 1.3 updates by name).
create function sync._cron_put(p_job_name text, p_cron text, p_command text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if sync._cron_available() then
    execute 'select cron.schedule($1, $2, $3)' using p_job_name, p_cron, p_command;
  end if;
end
$$;

-- Removes the pg_cron job of that name if there is one.
create function sync._cron_drop(p_job_name text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if sync._cron_available() then
    -- by id: cron.unschedule(bigint) is the same in every pg_cron version
    execute 'select cron.unschedule(jobid) from cron.job where jobname = $1' using p_job_name;
  end if;
end
$$;

-- Makes pg_cron match one schedule row: enabled -> job present with its expression, else absent.
create function sync._sync_schedule_cron(p_schedule sync.schedules) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_schedule.enabled then
    perform sync._cron_put('syncline:' || p_schedule.id, p_schedule.cron,
      format('select sync.run_schedule(%s)', p_schedule.id));
  else
    perform sync._cron_drop('syncline:' || p_schedule.id);
  end if;
end
$$;

-- Creates or changes a schedule (by name) and its pg_cron job.
create function sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text,
  p_mode text default 'incremental', p_options jsonb default '{}'::jsonb, p_enabled boolean default true,
  p_account text default 'default', p_description text default null)
returns sync.schedules language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.schedules;
  v_lookback jsonb := p_options -> 'lookback_hours';
begin
  if p_name is null or p_name !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' then
    raise exception 'Cannot save schedule "%": the name must be 1-63 lowercase letters, digits, ".", "_" or "-"',
      coalesce(p_name, '') using errcode = 'SY422';
  end if;
  if p_connector is null or p_connector !~ '^[a-z][a-z0-9_-]{0,62}$' then
    raise exception 'Cannot save schedule "%": "%" is not a connector name', p_name, coalesce(p_connector, '')
      using errcode = 'SY422';
  end if;
  if p_streams is null or cardinality(p_streams) = 0 then
    raise exception 'Cannot save schedule "%": no streams given', p_name using errcode = 'SY422';
  end if;
  if not sync._valid_cron(p_cron) then
    raise exception 'Cannot save schedule "%": "%" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
      p_name, coalesce(p_cron, '') using errcode = 'SY422';
  end if;
  if p_mode is null or p_mode not in ('full', 'incremental') then
    raise exception 'Cannot save schedule "%": mode "%" must be "full" or "incremental"', p_name, coalesce(p_mode, '')
      using errcode = 'SY422';
  end if;
  if p_options is null or jsonb_typeof(p_options) <> 'object' then
    raise exception 'Cannot save schedule "%": options must be a JSON object', p_name using errcode = 'SY422';
  end if;
  if v_lookback is not null and (jsonb_typeof(v_lookback) <> 'number' or (v_lookback)::numeric <= 0) then
    raise exception 'Cannot save schedule "%": options.lookback_hours must be a positive number (got %)', p_name, v_lookback
      using errcode = 'SY422';
  end if;
  insert into sync.schedules as s (name, connector, account, streams, cron, mode, options, enabled, description)
  values (p_name, p_connector, coalesce(p_account, 'default'), p_streams, btrim(p_cron), p_mode, p_options,
    coalesce(p_enabled, true), p_description)
  on conflict (name) do update set connector = excluded.connector, account = excluded.account,
    streams = excluded.streams, cron = excluded.cron, mode = excluded.mode, options = excluded.options,
    enabled = excluded.enabled, description = coalesce(excluded.description, s.description), updated_at = now()
  returning * into v_row;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$$;

-- Turns a schedule on or off; off removes its pg_cron job, on recreates it.
create function sync.set_schedule_enabled(p_id bigint, p_enabled boolean)
returns sync.schedules language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.schedules;
begin
  update sync.schedules set enabled = coalesce(p_enabled, false), updated_at = now() where id = p_id returning * into v_row;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$$;

-- Deletes a schedule and its pg_cron job; returns the deleted row.
create function sync.remove_schedule(p_id bigint)
returns sync.schedules language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.schedules;
begin
  delete from sync.schedules where id = p_id returning * into v_row;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  perform sync._cron_drop('syncline:' || p_id);
  return v_row;
end
$$;

-- Schedules with their pg_cron state (cron_job_id null: no cron job, e.g. disabled or no pg_cron).
create function sync.list_schedules()
returns table (id bigint, name text, connector text, account text, streams text[], cron text, mode text,
  options jsonb, enabled boolean, description text, last_run_at timestamptz, last_outcome text, last_job_id bigint,
  cron_job_id bigint, cron_active boolean)
language plpgsql stable security definer set search_path = '' as $$
begin
  if sync._cron_available() then
    return query execute
      'select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
         s.last_run_at, s.last_outcome, s.last_job_id, j.jobid, j.active
       from sync.schedules s left join cron.job j on j.jobname = ''syncline:'' || s.id order by s.id';
  else
    return query
      select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
        s.last_run_at, s.last_outcome, s.last_job_id, null::bigint, null::boolean
      from sync.schedules s order by s.id;
  end if;
end
$$;

-- Asks the Edge Function worker to run now, on Supabase: pg_net posts (after commit) to the URL
-- in Vault secret "syncline_worker_url" with "Authorization: Bearer <syncline_worker_secret>".
-- Without pg_net or the secrets nothing happens and the local worker loop finds the work.
create function sync._wake_worker(p_reason text, p_job_id bigint default null) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_url text;
  v_secret text;
begin
  if to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null
    or to_regclass('vault.decrypted_secrets') is null then
    return false;
  end if;
  execute 'select max(decrypted_secret) filter (where name = ''syncline_worker_url''),
      max(decrypted_secret) filter (where name = ''syncline_worker_secret'')
    from vault.decrypted_secrets where name in (''syncline_worker_url'', ''syncline_worker_secret'')'
    into v_url, v_secret;
  if v_url is null or v_secret is null then
    return false;
  end if;
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := 5000)'
    using v_url, jsonb_build_object('reason', p_reason, 'job_id', p_job_id),
      jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_secret);
  return true;
exception when others then
  -- waking is best effort: the queued job and pending notifications stay in the tables
  raise warning 'syncline: could not wake the worker: %', sqlerrm;
  return false;
end
$$;

-- What a pg_cron job runs: queues the schedule's job (trigger 'schedule'), or records a skipped
-- run when one of its streams still has a queued/running job, so runs never pile up.
create function sync.run_schedule(p_id bigint)
returns sync.schedule_runs language plpgsql security definer set search_path = '' as $$
declare
  v_s sync.schedules;
  v_run sync.schedule_runs;
  v_job sync.jobs;
  v_options jsonb;
begin
  select * into v_s from sync.schedules where id = p_id for update;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  if not v_s.enabled then
    insert into sync.schedule_runs (schedule_id, outcome, reason) values (p_id, 'skipped', 'schedule is disabled')
    returning * into v_run;
    return v_run;
  end if;
  -- options.lookback_hours travels with the job: the runner re-reads from the earlier of the
  -- stream's high-water mark and now - look-back, so a run after a pause misses nothing
  v_options := v_s.options || jsonb_build_object('schedule_id', v_s.id, 'schedule', v_s.name);
  begin
    v_job := sync.create_job(v_s.connector, v_s.streams, v_s.account, v_s.mode, v_options, 'schedule',
      'schedule:' || v_s.name);
  exception when sqlstate 'SY409' then
    insert into sync.schedule_runs (schedule_id, outcome, reason) values (p_id, 'skipped', sqlerrm)
    returning * into v_run;
    update sync.schedules set last_run_at = now(), last_outcome = 'skipped' where id = p_id;
    return v_run;
  end;
  insert into sync.schedule_runs (schedule_id, outcome, job_id) values (p_id, 'enqueued', v_job.id)
  returning * into v_run;
  update sync.schedules set last_run_at = now(), last_outcome = 'enqueued', last_job_id = v_job.id where id = p_id;
  perform sync._wake_worker('schedule', v_job.id);
  return v_run;
end
$$;

-- Defaults our users asked for, seeded disabled: a fresh install has no API credentials yet.
-- Enable with sync.set_schedule_enabled(id, true). Times are UTC.
insert into sync.schedules (name, connector, streams, cron, mode, options, description) values
  ('square-orders-daily', 'square', array['orders'], '0 2 * * *', 'incremental', '{"lookback_hours": 168}',
    'Square orders daily at 02:00 UTC, re-reading the last 7 days'),
  ('square-inventory-daily', 'square', array['inventory_counts'], '0 2 * * *', 'incremental', '{"lookback_hours": 24}',
    'Square inventory daily at 02:00 UTC, re-reading the last 24 hours'),
  ('square-catalog-daily', 'square', array['catalog_items', 'catalog_categories', 'catalog_variations', 'locations'],
    '0 2 * * *', 'full', '{}',
    'Square catalog, categories and locations daily at 02:00 UTC, full'),
  ('highlevel-twice-daily', 'highlevel', array['products', 'contacts', 'orders'], '0 11,19 * * *', 'incremental',
    '{"lookback_hours": 24}', 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours')
on conflict (name) do nothing;

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
  where j.finished_at is not null and (p_job_ids is null or j.id = any (p_job_ids))
$$;

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

create trigger jobs_stream_runs_insert after insert on sync.jobs
  for each row when (new.finished_at is not null)
  execute function sync._on_job_stream_runs();
create trigger jobs_stream_runs_update after update of connector, account, status, stats, created_at, started_at,
  finished_at on sync.jobs
  for each row when ((new.finished_at is not null or old.finished_at is not null)
    and (new.connector, new.account, new.status, new.stats, new.created_at, new.started_at, new.finished_at)
      is distinct from (old.connector, old.account, old.status, old.stats, old.created_at, old.started_at, old.finished_at))
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
      and (p_connector is null or j.connector = p_connector)
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

-- Staleness threshold of one stream: settings.stale_after_by_stream["connector/stream"] or stale_after.
create function sync._stale_after(p_connector text, p_stream text) returns interval
language plpgsql stable set search_path = '' as $$
begin
  return coalesce((select (s.stale_after_by_stream ->> (p_connector || '/' || p_stream))::interval
    from sync.notification_settings s), (select s.stale_after from sync.notification_settings s), interval '26 hours');
end
$$;

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

insert into sync.integrity_checks (name, child_table, child_column, parent_table, parent_column, description) values
  ('highlevel-tickets-without-order', 'highlevel.tickets', 'order_id', 'highlevel.orders', 'id',
    'Tickets whose HighLevel order is missing')
on conflict (name) do nothing;

-- ---------------------------------------------------------------------------------------
-- Notifications: settings, durable outbox, rate limit, alert rules
-- ---------------------------------------------------------------------------------------

-- One row of settings. Channel secrets that are API keys stay out of the database: the email
-- API key is the Edge Function secret SYNCLINE_EMAIL_API_KEY. Hours are UTC.
create table sync.notification_settings (
  id boolean primary key default true check (id),
  enabled boolean not null default true,
  slack_webhook_url text check (slack_webhook_url ~ '^https?://'),
  email_provider text check (email_provider in ('resend', 'postmark')),
  email_api_url text check (email_api_url ~ '^https?://'),
  email_from text,
  email_to text[] not null default '{}',
  error_rate_threshold numeric not null default 0.5 check (error_rate_threshold > 0 and error_rate_threshold <= 1),
  error_rate_window interval not null default interval '1 hour' check (error_rate_window > interval '0'),
  error_rate_min_runs integer not null default 3 check (error_rate_min_runs >= 1),
  slow_run_factor numeric not null default 3 check (slow_run_factor > 1),
  slow_run_min_runs integer not null default 5 check (slow_run_min_runs >= 1),
  slow_run_min_seconds integer not null default 60 check (slow_run_min_seconds >= 0),
  stale_after interval not null default interval '26 hours' check (stale_after > interval '0'),
  stale_after_by_stream jsonb not null default '{}'::jsonb check (jsonb_typeof(stale_after_by_stream) = 'object'),
  rate_limit_window interval not null default interval '1 hour' check (rate_limit_window >= interval '0'),
  daily_summary boolean not null default false,
  daily_summary_hour integer not null default 8 check (daily_summary_hour between 0 and 23),
  retention_days integer not null default 30 check (retention_days >= 1),
  max_attempts integer not null default 8 check (max_attempts between 1 and 50),
  updated_at timestamptz not null default now()
);
insert into sync.notification_settings (id) values (true) on conflict do nothing;

-- The outbox. A message is written in the same transaction as its cause and delivered later by
-- the worker (functions/_shared/notify); status pending -> sent | failed (attempts exhausted),
-- or suppressed at once (rate limit, notifications disabled).
create table sync.notifications (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('job_failed', 'error_rate', 'slow_run', 'stale_stream', 'daily_summary')),
  source text not null,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'suppressed')),
  attempts integer not null default 0,
  max_attempts integer not null default 8,
  next_attempt_at timestamptz not null default now(),
  delivered_channels text[] not null default '{}',
  last_error text,
  suppressed_reason text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  updated_at timestamptz not null default now()
);
create index notifications_due_idx on sync.notifications (next_attempt_at, id) where status = 'pending';
create index notifications_rate_idx on sync.notifications (source, kind, created_at desc) where status <> 'suppressed';
create index notifications_created_idx on sync.notifications (created_at);

-- Writes a message to the outbox, or records it suppressed when one of the same (source, kind)
-- was let through within settings.rate_limit_window.
create function sync.enqueue_notification(p_kind text, p_source text, p_payload jsonb default '{}'::jsonb)
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_row sync.notifications;
  v_reason text;
begin
  if p_kind is null or p_kind not in ('job_failed', 'error_rate', 'slow_run', 'stale_stream', 'daily_summary') then
    raise exception 'Cannot queue notification: kind "%" is not one of job_failed, error_rate, slow_run, stale_stream, daily_summary',
      coalesce(p_kind, '') using errcode = 'SY422';
  end if;
  select * into v_set from sync.notification_settings;
  -- serialises the rate-limit check for one (source, kind)
  perform pg_advisory_xact_lock(hashtextextended('sync.notifications:' || p_source || '/' || p_kind, 0));
  if not coalesce(v_set.enabled, true) then
    v_reason := 'notifications are disabled';
  elsif exists (select from sync.notifications n where n.source = p_source and n.kind = p_kind and n.status <> 'suppressed'
      and n.created_at > now() - coalesce(v_set.rate_limit_window, interval '1 hour')) then
    v_reason := 'rate limited: one ' || p_kind || ' message per ' || coalesce(v_set.rate_limit_window, interval '1 hour')
      || ' for ' || p_source;
  end if;
  insert into sync.notifications (kind, source, payload, status, suppressed_reason, max_attempts)
  values (p_kind, p_source, coalesce(p_payload, '{}'::jsonb), case when v_reason is null then 'pending' else 'suppressed' end,
    v_reason, coalesce(v_set.max_attempts, 8))
  returning * into v_row;
  return v_row;
end
$$;

-- Claims up to p_limit due messages for delivery, hiding them for p_lease_seconds (a crashed
-- deliverer's messages come back); each claim counts an attempt.
create function sync.claim_notifications(p_limit integer default 20, p_lease_seconds integer default 120)
returns setof sync.notifications language sql set search_path = '' as $$
  with due as (
    select id from sync.notifications
    where status = 'pending' and next_attempt_at <= clock_timestamp()
    order by next_attempt_at, id
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update sync.notifications n
  set attempts = n.attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    updated_at = clock_timestamp()
  from due where n.id = due.id
  returning n.*
$$;

-- Marks a message delivered on the given channels.
create function sync.mark_notification_sent(p_id bigint, p_channels text[] default '{}')
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_row sync.notifications;
begin
  update sync.notifications set status = 'sent', sent_at = clock_timestamp(), updated_at = clock_timestamp(),
    last_error = null,
    delivered_channels = array(select distinct c from unnest(delivered_channels || coalesce(p_channels, '{}')) c order by c)
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Notification % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$$;

-- Delay before the next delivery attempt: 30 s, 1 min, 2, 4 ... capped at 30 min.
create function sync._notification_retry_delay(p_attempts integer) returns interval
language sql immutable set search_path = '' as $$
  select least(interval '30 minutes', interval '30 seconds' * power(2, greatest(p_attempts - 1, 0)))
$$;

-- Records a failed delivery: channels that did succeed are remembered (not sent twice); the
-- message is retried with backoff until max_attempts, then marked failed.
create function sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[] default '{}')
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_row sync.notifications;
begin
  update sync.notifications set
    status = case when attempts >= max_attempts then 'failed' else 'pending' end,
    next_attempt_at = clock_timestamp() + sync._notification_retry_delay(attempts),
    last_error = left(p_error, 2000), updated_at = clock_timestamp(),
    delivered_channels = array(select distinct c from unnest(delivered_channels || coalesce(p_delivered_channels, '{}')) c
      order by c)
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Notification % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$$;

-- The notification settings row.
create function sync.get_notification_settings()
returns sync.notification_settings language sql stable set search_path = '' as $$
  select * from sync.notification_settings
$$;

-- Changes some settings: p_changes holds only the keys to change (column names).
create function sync.update_notification_settings(p_changes jsonb)
returns sync.notification_settings language plpgsql set search_path = '' as $$
declare
  v_cur sync.notification_settings;
  v_new sync.notification_settings;
  v_key text;
begin
  if p_changes is null or jsonb_typeof(p_changes) <> 'object' then
    raise exception 'Cannot update notification settings: changes must be a JSON object' using errcode = 'SY422';
  end if;
  for v_key in select jsonb_object_keys(p_changes) loop
    if v_key in ('id', 'updated_at') or not exists (select from pg_attribute
        where attrelid = 'sync.notification_settings'::regclass and attname = v_key and attnum > 0 and not attisdropped) then
      raise exception 'Cannot update notification settings: unknown setting "%"', v_key using errcode = 'SY422';
    end if;
  end loop;
  select * into v_cur from sync.notification_settings for update;
  v_new := jsonb_populate_record(v_cur, p_changes);
  update sync.notification_settings set enabled = v_new.enabled, slack_webhook_url = v_new.slack_webhook_url,
    email_provider = v_new.email_provider, email_api_url = v_new.email_api_url, email_from = v_new.email_from,
    email_to = v_new.email_to, error_rate_threshold = v_new.error_rate_threshold,
    error_rate_window = v_new.error_rate_window, error_rate_min_runs = v_new.error_rate_min_runs,
    slow_run_factor = v_new.slow_run_factor, slow_run_min_runs = v_new.slow_run_min_runs,
    slow_run_min_seconds = v_new.slow_run_min_seconds, stale_after = v_new.stale_after,
    stale_after_by_stream = v_new.stale_after_by_stream, rate_limit_window = v_new.rate_limit_window,
    daily_summary = v_new.daily_summary, daily_summary_hour = v_new.daily_summary_hour,
    retention_days = v_new.retention_days, max_attempts = v_new.max_attempts, updated_at = now()
  returning * into v_new;
  return v_new;
end
$$;

-- When a job finishes: updates sync.stream_status, queues job_failed for a failed job and
-- slow_run for a run slow_run_factor times longer than the p95 of its recent successful runs.
create function sync._on_job_finished() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_stream text;
  v_stream_status text;
  v_ok boolean;
  v_secs double precision := extract(epoch from new.finished_at - coalesce(new.started_at, new.created_at));
  v_set sync.notification_settings;
  v_prev record;
begin
  foreach v_stream in array new.streams loop
    v_stream_status := new.stats -> 'streams' -> v_stream ->> 'status';
    v_ok := new.status in ('succeeded', 'partial') and coalesce(v_stream_status, 'done') not in ('failed', 'cancelled', 'skipped');
    insert into sync.stream_status as s (connector, account, stream, last_run_at, last_status, last_job_id,
      last_success_at, last_success_job_id)
    values (new.connector, new.account, v_stream, new.finished_at, new.status, new.id,
      case when v_ok then new.finished_at end, case when v_ok then new.id end)
    on conflict (connector, account, stream) do update set last_run_at = excluded.last_run_at,
      last_status = excluded.last_status, last_job_id = excluded.last_job_id,
      last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
      last_success_job_id = coalesce(excluded.last_success_job_id, s.last_success_job_id);
  end loop;
  if new.status = 'failed' then
    perform sync.enqueue_notification('job_failed', new.connector || '/' || new.account, jsonb_build_object(
      'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
      'trigger', new.trigger, 'error', new.error, 'attempts', new.attempts, 'duration_seconds', round(v_secs::numeric, 1),
      'finished_at', new.finished_at));
  elsif new.status in ('succeeded', 'partial') then
    select * into v_set from sync.notification_settings;
    select count(*) as runs, percentile_cont(0.95) within group (order by x.secs) as p95, avg(x.secs) as avg into v_prev
    from (select extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at)) as secs
      from sync.jobs j
      where j.connector = new.connector and j.account = new.account and j.status in ('succeeded', 'partial')
        and j.finished_at is not null and j.id <> new.id and j.streams = new.streams
      order by j.finished_at desc limit 20) x;
    if v_prev.runs >= coalesce(v_set.slow_run_min_runs, 5) and v_secs >= coalesce(v_set.slow_run_min_seconds, 60)
      and v_secs > coalesce(v_set.slow_run_factor, 3) * v_prev.p95 then
      perform sync.enqueue_notification('slow_run', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'duration_seconds', round(v_secs::numeric, 1), 'p95_seconds', round(v_prev.p95::numeric, 1),
        'avg_seconds', round(v_prev.avg::numeric, 1), 'previous_runs', v_prev.runs,
        'factor', coalesce(v_set.slow_run_factor, 3)));
    end if;
  end if;
  return null;
end
$$;

create trigger jobs_ops_finished after update of status on sync.jobs
  for each row when (new.finished_at is not null and old.finished_at is null)
  execute function sync._on_job_finished();

-- What already finished before this migration counts for freshness.
insert into sync.stream_status (connector, account, stream, last_run_at, last_status, last_job_id, last_success_at,
  last_success_job_id)
select j.connector, j.account, s.stream, max(j.finished_at), (array_agg(j.status order by j.finished_at desc))[1],
  (array_agg(j.id order by j.finished_at desc))[1],
  max(j.finished_at) filter (where j.status in ('succeeded', 'partial')),
  (array_agg(j.id order by j.finished_at desc) filter (where j.status in ('succeeded', 'partial')))[1]
from sync.jobs j cross join unnest(j.streams) s(stream)
where j.finished_at is not null
group by 1, 2, 3
on conflict do nothing;

-- Periodic alert rules (pg_cron runs it every minute through sync.ops_tick): error rate per
-- connector over error_rate_window, streams of enabled schedules older than their staleness
-- threshold, and the daily summary once a UTC day after daily_summary_hour. Returns what it queued.
create function sync.evaluate_alerts()
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_r record;
  v_n sync.notifications;
  v_counts jsonb := '{"error_rate": 0, "stale_stream": 0, "daily_summary": 0}'::jsonb;
begin
  select * into v_set from sync.notification_settings;
  for v_r in
    select j.connector, count(*) as runs, count(*) filter (where j.status = 'failed') as failed
    from sync.jobs j
    where j.finished_at >= now() - v_set.error_rate_window and j.status <> 'cancelled'
    group by j.connector
    having count(*) >= v_set.error_rate_min_runs
      and count(*) filter (where j.status = 'failed') >= v_set.error_rate_threshold * count(*)
  loop
    v_n := sync.enqueue_notification('error_rate', v_r.connector, jsonb_build_object('connector', v_r.connector,
      'runs', v_r.runs, 'failed', v_r.failed, 'rate', round(v_r.failed::numeric / v_r.runs, 4),
      'threshold', v_set.error_rate_threshold, 'window_minutes', extract(epoch from v_set.error_rate_window) / 60));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{error_rate}', to_jsonb((v_counts ->> 'error_rate')::integer + 1));
    end if;
  end loop;
  for v_r in
    select w.connector, w.account, w.stream, st.last_success_at, sync._stale_after(w.connector, w.stream) as threshold
    from (select distinct s.connector, s.account, x.stream, min(s.updated_at) over (partition by s.connector, s.account, x.stream) as since
          from sync.schedules s cross join unnest(s.streams) x(stream) where s.enabled) w
    left join sync.stream_status st on st.connector = w.connector and st.account = w.account and st.stream = w.stream
    where now() - coalesce(st.last_success_at, w.since) > sync._stale_after(w.connector, w.stream)
  loop
    v_n := sync.enqueue_notification('stale_stream', v_r.connector || '/' || v_r.account || '/' || v_r.stream,
      jsonb_build_object('connector', v_r.connector, 'account', v_r.account, 'stream', v_r.stream,
        'last_success_at', v_r.last_success_at,
        'age_seconds', extract(epoch from now() - v_r.last_success_at)::bigint,
        'stale_after_seconds', extract(epoch from v_r.threshold)::bigint));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{stale_stream}', to_jsonb((v_counts ->> 'stale_stream')::integer + 1));
    end if;
  end loop;
  if v_set.daily_summary and extract(hour from now() at time zone 'UTC') >= v_set.daily_summary_hour
    and not exists (select from sync.notifications n where n.kind = 'daily_summary'
      and n.created_at >= (now() at time zone 'UTC')::date at time zone 'UTC') then
    v_n := sync.enqueue_notification('daily_summary', 'syncline', jsonb_build_object(
      'day', (now() at time zone 'UTC')::date,
      'connectors', coalesce((select jsonb_agg(to_jsonb(s) - 'stream') from sync.get_sync_stats(1) s where s.stream is null), '[]'),
      'stale_streams', (select count(*) from sync.get_data_freshness() f where f.stale),
      'open_failed_items', (select count(*) from sync.failed_items f where f.resolved_at is null)));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{daily_summary}', '1');
    end if;
  end if;
  return v_counts;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Retention
-- ---------------------------------------------------------------------------------------

-- One bounded round: deletes at most p_batch_size rows per table older than p_cutoff (finished
-- jobs with their progress rows, processed/ignored inbox entries, resolved failed items, finished
-- outbox messages, schedule runs) and returns the counts. Synced business data is never touched.
create function sync._cleanup_round(p_cutoff timestamptz, p_batch_size integer)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_jobs bigint;
  v_progress bigint;
  v_inbox bigint;
  v_failed bigint;
  v_notifications bigint;
  v_runs bigint;
begin
  with j as (
    select id from sync.jobs where finished_at < p_cutoff order by finished_at limit p_batch_size for update skip locked
  ), p as (
    delete from sync.progress where job_id in (select id from j) returning 1
  ), d as (
    delete from sync.jobs where id in (select id from j) returning 1
  )
  select (select count(*) from d), (select count(*) from p) into v_jobs, v_progress;
  with d as (
    delete from sync.webhook_inbox where id in (
      select id from sync.webhook_inbox
      where status in ('processed', 'ignored') and coalesce(processed_at, received_at) < p_cutoff
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_inbox from d;
  with d as (
    delete from sync.failed_items where id in (
      select id from sync.failed_items where resolved_at < p_cutoff limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_failed from d;
  with d as (
    delete from sync.notifications where id in (
      select id from sync.notifications where status in ('sent', 'failed', 'suppressed') and created_at < p_cutoff
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_notifications from d;
  with d as (
    delete from sync.schedule_runs where id in (
      select id from sync.schedule_runs where ran_at < p_cutoff limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_runs from d;
  return jsonb_build_object('jobs', v_jobs, 'progress', v_progress, 'webhook_inbox', v_inbox,
    'failed_items', v_failed, 'notifications', v_notifications, 'schedule_runs', v_runs);
end
$$;

-- Raises SY422 unless days_to_keep >= 1 and batch_size is 1..100000.
create function sync._check_cleanup_args(p_days_to_keep integer, p_batch_size integer) returns void
language plpgsql immutable set search_path = '' as $$
begin
  if p_days_to_keep is null or p_days_to_keep < 1 then
    raise exception 'Cannot clean up sync data: days_to_keep must be at least 1 (got %)', coalesce(p_days_to_keep::text, 'null')
      using errcode = 'SY422';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 100000 then
    raise exception 'Cannot clean up sync data: batch_size must be between 1 and 100000 (got %)',
      coalesce(p_batch_size::text, 'null') using errcode = 'SY422';
  end if;
end
$$;

-- Deletes sync bookkeeping older than days_to_keep days (cutoff now() - days; a row exactly at the
-- cutoff is kept), in rounds of at most batch_size rows per table so no statement holds many
-- locks or runs long. A function, so the API can call it in one transaction; pg_cron uses the
-- procedure below, which commits after every round. Returns the rows deleted per table.
create function sync.cleanup_old_sync_data(p_days_to_keep integer, p_batch_size integer default 5000)
returns table (table_name text, deleted bigint) language plpgsql set search_path = '' as $$
declare
  v_cutoff timestamptz := now() - make_interval(days => p_days_to_keep);
  v_round jsonb;
  v_total jsonb := '{"jobs": 0, "progress": 0, "webhook_inbox": 0, "failed_items": 0, "notifications": 0, "schedule_runs": 0}';
  v_key text;
begin
  perform sync._check_cleanup_args(p_days_to_keep, p_batch_size);
  loop
    v_round := sync._cleanup_round(v_cutoff, p_batch_size);
    for v_key in select jsonb_object_keys(v_total) loop
      v_total := jsonb_set(v_total, array[v_key], to_jsonb((v_total ->> v_key)::bigint + (v_round ->> v_key)::bigint));
    end loop;
    exit when not exists (select from jsonb_each_text(v_round) r where r.value::bigint >= p_batch_size);
  end loop;
  return query select t.key, t.value::bigint from jsonb_each_text(v_total) t order by t.key;
end
$$;

-- The scheduled variant: commits after every round (so it cannot pin old snapshots or hold
-- locks for the whole run). Procedures that commit cannot carry SET search_path; every name is
-- qualified. days_to_keep defaults to notification_settings.retention_days. CALL it outside a
-- transaction block (pg_cron does).
create procedure sync.cleanup_old_sync_data_batched(p_days_to_keep integer default null, p_batch_size integer default 5000)
language plpgsql as $$
declare
  v_days integer := coalesce(p_days_to_keep, (select s.retention_days from sync.notification_settings s), 30);
  v_cutoff timestamptz := pg_catalog.now() - pg_catalog.make_interval(days => v_days);
  v_round jsonb;
begin
  perform sync._check_cleanup_args(v_days, p_batch_size);
  loop
    v_round := sync._cleanup_round(v_cutoff, p_batch_size);
    commit;
    exit when not exists (select from pg_catalog.jsonb_each_text(v_round) r where r.value::bigint >= p_batch_size);
  end loop;
end
$$;

-- ---------------------------------------------------------------------------------------
-- pg_cron housekeeping jobs
-- ---------------------------------------------------------------------------------------

-- Every minute: evaluate alert rules, then (on Supabase) wake the worker when a job is queued or
-- a notification is due, so a failure reaches its channel within a couple of minutes.
create function sync.ops_tick()
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_alerts jsonb := sync.evaluate_alerts();
  v_woken boolean := false;
begin
  if exists (select from sync.notifications where status = 'pending' and next_attempt_at <= now())
    or exists (select from sync.jobs where status = 'queued') then
    v_woken := sync._wake_worker('tick');
  end if;
  return v_alerts || jsonb_build_object('woke_worker', v_woken);
end
$$;

-- Creates the housekeeping cron jobs and re-syncs every schedule's cron job (no-op without pg_cron).
create function sync.install_ops_cron() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_s sync.schedules;
  v_n integer := 0;
begin
  if not sync._cron_available() then
    return 0;
  end if;
  perform sync._cron_put('syncline:ops-tick', '* * * * *', 'select sync.ops_tick()');
  perform sync._cron_put('syncline:cleanup', '30 3 * * *', 'call sync.cleanup_old_sync_data_batched()');
  for v_s in select * from sync.schedules loop
    perform sync._sync_schedule_cron(v_s);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;

select sync.install_ops_cron();

-- ---------------------------------------------------------------------------------------
-- Access: service_role only, RLS on everything
-- ---------------------------------------------------------------------------------------

alter table sync.schedules enable row level security;
alter table sync.job_stream_runs enable row level security;
alter table sync.schedule_runs enable row level security;
alter table sync.stream_status enable row level security;
alter table sync.integrity_checks enable row level security;
alter table sync.notification_settings enable row level security;
alter table sync.notifications enable row level security;

revoke all on sync.job_stream_runs from public, anon, authenticated;
-- written by the finish trigger and removed by retention, both running as the caller
grant select, insert, delete on sync.job_stream_runs to service_role;
revoke all on sync.schedules, sync.schedule_runs, sync.stream_status, sync.integrity_checks,
  sync.notification_settings, sync.notifications from public, anon, authenticated;
grant select, insert, update, delete on sync.schedules, sync.schedule_runs, sync.stream_status, sync.integrity_checks,
  sync.notification_settings, sync.notifications to service_role;
grant usage, select on all sequences in schema sync to service_role;

revoke execute on all functions in schema sync from public, anon, authenticated;
revoke execute on procedure sync.cleanup_old_sync_data_batched(integer, integer) from public, anon, authenticated;
grant execute on function
  sync.upsert_schedule(text, text, text[], text, text, jsonb, boolean, text, text),
  sync.set_schedule_enabled(bigint, boolean),
  sync.remove_schedule(bigint),
  sync.list_schedules(),
  sync.run_schedule(bigint),
  sync.get_sync_stats(integer),
  sync.get_sync_performance_trends(integer, text),
  sync.get_failed_items_summary(),
  sync.get_data_freshness(),
  sync.register_integrity_check(text, text, text, text, text, text),
  sync.check_integrity(),
  sync.enqueue_notification(text, text, jsonb),
  sync.claim_notifications(integer, integer),
  sync.mark_notification_sent(bigint, text[]),
  sync.mark_notification_failed(bigint, text, text[]),
  sync.get_notification_settings(),
  sync.update_notification_settings(jsonb),
  sync.evaluate_alerts(),
  sync.cleanup_old_sync_data(integer, integer),
  sync.ops_tick()
to service_role;
grant execute on procedure sync.cleanup_old_sync_data_batched(integer, integer) to service_role;
-- helpers the functions above call as the invoker
grant execute on function sync._valid_cron(text), sync._stale_after(text, text), sync._notification_retry_delay(integer),
  sync._cleanup_round(timestamptz, integer), sync._check_cleanup_args(integer, integer),
  sync._job_stream_rows(bigint[]), sync._on_job_stream_runs() to service_role;
