-- Syncline operations, schedules: sync.schedules kept in step with pg_cron jobs (UTC), runs that
-- never pile up, and the wake-up of the worker endpoint through pg_net + Vault on Supabase.
-- The same text applies on plain PostgreSQL (no pg_cron: schedules are stored, nothing fires),
-- on the local stack's "postgres" database (real pg_cron) and on hosted Supabase. Every cron.*,
-- net.* and vault.* call is dynamic SQL behind to_regprocedure/to_regclass, so a missing
-- extension is never an error. pg_cron 1.4 evaluates cron expressions in UTC.
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
  ('highlevel-twice-daily', 'highlevel', array['products', 'prices', 'contacts', 'orders'], '0 11,19 * * *', 'incremental',
    '{"lookback_hours": 24}', 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours')
on conflict (name) do nothing;

-- Access: service_role only, RLS on everything
alter table sync.schedules enable row level security;
alter table sync.schedule_runs enable row level security;
revoke all on sync.schedules, sync.schedule_runs from public, anon, authenticated;
grant select, insert, update, delete on sync.schedules, sync.schedule_runs to service_role;
grant usage, select on all sequences in schema sync to service_role;
revoke execute on all functions in schema sync from public, anon, authenticated;
grant execute on function
  sync.upsert_schedule(text, text, text[], text, text, jsonb, boolean, text, text),
  sync.set_schedule_enabled(bigint, boolean),
  sync.remove_schedule(bigint),
  sync.list_schedules(),
  sync.run_schedule(bigint)
to service_role;
-- helpers the functions above call as the invoker
grant execute on function sync._valid_cron(text) to service_role;
