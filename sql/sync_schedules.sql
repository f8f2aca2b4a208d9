-- Syncline operations, schedules: sync.schedules kept in step with pg_cron jobs (UTC), runs that
-- never pile up, and the wake-up of the worker endpoint through pg_net + Vault on Supabase.
-- The same text applies on plain PostgreSQL (no pg_cron: schedules are stored, nothing fires),
-- on the local stack's "postgres" database (real pg_cron) and on hosted Supabase. Every cron.*,
-- net.* and vault.* call is dynamic SQL behind to_regprocedure/to_regclass, so a missing
-- extension is never an error. pg_cron 1.4 evaluates cron expressions in UTC: a schedule in
-- another IANA time zone has no cron job of its own; the every-minute ops tick fires it when its
-- next_run_at (computed in its zone by sync.cron_next_run, sql/sync_schedule_zones.sql) is due.
-- Error codes: SY404 not found, SY422 bad input.

-- pg_cron can only be created in the database named by cron.database_name, and only when
-- it is preloaded; anywhere else (test clones, plain servers) this is a no-op.
do $$
begin
  if current_database() = current_setting('cron.database_name', true)
    and exists (select from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Schedules
-- ---------------------------------------------------------------------------------------

-- pg_cron's schedule parser, ported faithfully from its C source (src/entry.c, parse_cron_entry;
-- src/job_metadata.c, ParseSchedule/TryParseInterval, pg_cron 1.6), so a schedule is accepted
-- here exactly when pg_cron would accept it, also where pg_cron is not installed. Its quirks are
-- kept: names (jan-dec, sun-sat) in any case, ranges a-b with steps, "*/n", lists, "$" (last
-- day of month), @hourly/@daily/@midnight/@weekly/@monthly/@yearly/@annually/@reboot/@restart,
-- "[1-59] seconds", blank and # comment lines before the entry; text after the fifth field and
-- junk glued to the end of a field ("*x", "5;") are ignored, as pg_cron ignores them.
-- tests/sql/cron/cron_parser_matches_pg_cron_test.sql checks a table of cases against the real pg_cron.

-- One character as pg_cron's get_char() reads it: '' is the terminating NUL, null is EOF.
create function sync._cron_char(p_text text, p_pos integer) returns text
language sql immutable set search_path = '' as $$
  select case when p_pos <= length(p_text) then substr(p_text, p_pos, 1)
    when p_pos = length(p_text) + 1 then '' end
$$;
revoke execute on function sync._cron_char(text, integer) from public, anon, authenticated;
grant execute on function sync._cron_char(text, integer) to service_role;

-- get_number(): a name (case-insensitive, its index + p_low) or digits (C atoi(), overflow and
-- all), read from p_pos; null when there is none. Returns the value and the position after it.
create function sync._cron_number(p_text text, p_pos integer, p_names text[], p_low integer,
  out value bigint, out next_pos integer)
language plpgsql immutable set search_path = '' as $$
declare
  v_token text := substring(substr(p_text, p_pos) from '^[A-Za-z0-9]*');
  v_n numeric;
begin
  next_pos := p_pos + length(v_token);
  if v_token = '' or length(v_token) >= 1000 then
    return;
  end if;
  if p_names is not null and array_position(p_names, lower(v_token)) is not null then
    value := array_position(p_names, lower(v_token)) - 1 + p_low;
  elsif v_token ~ '^[0-9]+$' then
    -- atoi() is (int) strtol(): clamps to LONG_MAX, then keeps the low 32 bits, signed
    v_n := least(v_token::numeric, 9223372036854775807) % 4294967296;
    value := case when v_n >= 2147483648 then v_n - 4294967296 else v_n end;
  end if;
end
$$;
revoke execute on function sync._cron_number(text, integer, text[], integer) from public, anon, authenticated;
grant execute on function sync._cron_number(text, integer, text[], integer) to service_role;

-- parse_cron_entry(): true when the five-field (or @special) entry parses.
create function sync._cron_entry_valid(p_text text) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  v_lo integer[] := array[0, 0, 1, 1, 0];
  v_hi integer[] := array[59, 23, 31, 12, 7];
  v_months text[] := array['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  v_days text[] := array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  v_pos integer := 1;
  v_ch text;
  v_names text[];
  v_lo_f integer;
  v_hi_f integer;
  v_num1 bigint;
  v_num2 bigint;
  v_num3 bigint;
  v_word text;
begin
  if p_text is null or octet_length(p_text) >= 1000 then
    return false;
  end if;
  -- skip_comments(): blank lines and # comment lines before the entry
  loop
    v_ch := sync._cron_char(p_text, v_pos);
    v_pos := v_pos + 1;
    exit when v_ch is null;
    while v_ch in (' ', E'\t') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    exit when v_ch is null or v_ch not in (E'\n', '#');
    while v_ch is not null and v_ch <> E'\n' loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
  end loop;
  if v_ch is null then
    return false;
  end if;
  if v_ch = '@' then
    -- get_string() up to a blank, newline or the end
    v_word := substring(substr(p_text, v_pos) from E'^[^ \t\n]*');
    return v_word in ('reboot', 'restart', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'midnight', 'hourly');
  end if;
  for v_f in 1..5 loop
    v_names := case v_f when 4 then v_months when 5 then v_days end;
    v_lo_f := v_lo[v_f];
    v_hi_f := v_hi[v_f];
    if v_f = 3 and v_ch = '$' then
      -- last day of the month: "$" and a blank
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
      if v_ch is null or v_ch not in (' ', E'\t') then
        return false;
      end if;
      while v_ch in (' ', E'\t') loop
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
      end loop;
      continue;
    end if;
    -- get_list(): ranges separated by commas
    loop
      -- get_range(): "*" or number ["-" number] ["/" step]; v_ch is the range's first character
      if v_ch = '*' then
        v_num1 := v_lo_f;
        v_num2 := v_hi_f;
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
        if v_ch is null then
          return false;
        end if;
      else
        select n.value, n.next_pos into v_num1, v_pos from sync._cron_number(p_text, v_pos - 1, v_names, v_lo_f) n;
        if v_num1 is null then
          return false;
        end if;
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
        if v_ch is distinct from '-' then
          -- a single number: no step allowed ("1/20" is refused), must be in range
          if v_ch = '/' or v_num1 < v_lo_f or v_num1 > v_hi_f then
            return false;
          end if;
          v_num2 := null;
        else
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
          if v_ch is null then
            return false;
          end if;
          select n.value, n.next_pos into v_num2, v_pos from sync._cron_number(p_text, v_pos - 1, v_names, v_lo_f) n;
          if v_num2 is null then
            return false;
          end if;
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
        end if;
      end if;
      if v_num2 is not null then
        v_num3 := 1;
        if v_ch = '/' then
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
          if v_ch is null then
            return false;
          end if;
          select n.value, n.next_pos into v_num3, v_pos from sync._cron_number(p_text, v_pos - 1, null, 0) n;
          if v_num3 is null or v_num3 <= 0 then
            return false;
          end if;
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
        end if;
        -- a start after the stop is accepted (and never fires), as in pg_cron
        if v_num1 < v_lo_f or v_num1 > v_hi_f or v_num2 < v_lo_f or v_num2 > v_hi_f or v_num3 > v_hi_f then
          return false;
        end if;
      end if;
      exit when v_ch is distinct from ',';
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    -- Skip_Nonblanks (ignores what is glued to the list), then Skip_Blanks
    while v_ch is not null and v_ch not in (' ', E'\t', E'\n', '') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    while v_ch in (' ', E'\t') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
  end loop;
  return true;
end
$$;
revoke execute on function sync._cron_entry_valid(text) from public, anon, authenticated;
grant execute on function sync._cron_entry_valid(text) to service_role;

-- TryParseInterval(): sscanf(lower(text), " %u secon%c%c %c") giving "<n> second" or "<n> seconds",
-- n (as C's strtoul reads it, kept to 32 bits) between 1 and 59.
create function sync._cron_seconds_valid(p_text text) returns boolean
language plpgsql immutable set search_path = '' as $$
declare
  v_m text[] := regexp_match(lower(p_text), E'^[ \t\n\r\f\v]*([+-]?)([0-9]+)[ \t\n\r\f\v]*second(s[ \t\n\r\f\v]*)?$');
  v_n numeric;
begin
  if v_m is null then
    return false;
  end if;
  v_n := least(v_m[2]::numeric, 18446744073709551615);
  if v_m[1] = '-' and v_n > 0 then
    v_n := 18446744073709551616 - v_n;
  end if;
  v_n := v_n % 4294967296;
  return v_n between 1 and 59;
end
$$;
revoke execute on function sync._cron_seconds_valid(text) from public, anon, authenticated;
grant execute on function sync._cron_seconds_valid(text) to service_role;

-- True when pg_cron (1.6) accepts the schedule: a cron entry, else an interval in seconds.
create function sync._valid_cron(p_expr text) returns boolean
language sql immutable set search_path = '' as $$
  select p_expr is not null and (sync._cron_entry_valid(p_expr) or sync._cron_seconds_valid(p_expr))
$$;
revoke execute on function sync._valid_cron(text) from public, anon, authenticated;
grant execute on function sync._valid_cron(text) to service_role;

-- True for UTC and for an IANA Area/Location name of PostgreSQL's time zone database (those
-- pg_timezone_names lists, e.g. Europe/Dublin); not abbreviations or POSIX strings (PST, EST5EDT),
-- which have no daylight-saving rules. Resolving the name is ~0.01 ms; scanning
-- pg_timezone_names ~80 ms, too slow for a check constraint.
create function sync._valid_timezone(p_timezone text) returns boolean
language plpgsql stable set search_path = '' as $$
begin
  if p_timezone = 'UTC' then
    return true;
  end if;
  if p_timezone is null or p_timezone !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){1,2}$' then
    return false;
  end if;
  perform pg_catalog.now() at time zone p_timezone;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;
revoke execute on function sync._valid_timezone(text) from public, anon, authenticated;
grant execute on function sync._valid_timezone(text) to service_role;

create table sync.schedules (
  id bigint generated always as identity primary key,
  name text not null unique check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  connector text not null check (connector ~ '^[a-z][a-z0-9_-]{0,62}$'),
  account text not null default 'default' check (length(account) between 1 and 200),
  streams text[] not null check (cardinality(streams) >= 1),
  cron text not null check (sync._valid_cron(cron)),
  mode text not null default 'incremental' check (mode in ('full', 'incremental', 'retry', 'reconcile')),
  options jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
  enabled boolean not null default false,
  -- the IANA zone the cron expression is read in; UTC runs on pg_cron, others on the ops tick
  timezone text not null default 'UTC' check (sync._valid_timezone(timezone)),
  -- the next time it fires (in UTC), from its expression read in its zone; null when disabled
  next_run_at timestamptz,
  description text,
  last_run_at timestamptz,
  last_outcome text check (last_outcome in ('enqueued', 'skipped')),
  last_job_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table sync.schedules is
  'Recurring syncs. An enabled UTC schedule has a pg_cron job "syncline:<id>" running sync.run_schedule(<id>); a schedule in another time zone is fired by sync.ops_tick when next_run_at is due. options.lookback_hours makes an incremental run re-read that many hours (job option "since"); mode retry re-attempts the due failed items of its streams; mode reconcile lists the source''s ids, re-fetches the missing and marks rows gone at the source deleted.';

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
create index schedules_due_idx on sync.schedules (next_run_at) where enabled and timezone <> 'UTC';

-- True when pg_cron's scheduling functions exist in this database.
create function sync._cron_available() returns boolean
language sql stable set search_path = '' as $$
  select to_regprocedure('cron.schedule(text,text,text)') is not null
    and to_regprocedure('cron.unschedule(bigint)') is not null
    and to_regclass('cron.job') is not null
$$;
revoke execute on function sync._cron_available() from public, anon, authenticated;

-- Why pg_cron would refuse a schedule, or null: the port above, then, where pg_cron is installed,
-- its own parser (cron.schedule in a subtransaction that is always rolled back), so a schedule
-- the installed version refuses (e.g. "30 seconds" before pg_cron 1.5) is refused when saved.
create function sync._cron_schedule_error(p_cron text) returns text
language plpgsql set search_path = '' as $$
begin
  if not sync._valid_cron(p_cron) then
    return 'not a schedule pg_cron accepts';
  end if;
  if sync._cron_available() then
    begin
      execute 'select cron.schedule($1, $2, $3)' using 'syncline:cron-check', p_cron, 'select 1';
      raise exception 'rolled back' using errcode = 'SY000';
    exception
      when sqlstate 'SY000' then
        return null;
      when invalid_parameter_value then
        return sqlerrm;
    end;
  end if;
  return null;
end
$$;
revoke execute on function sync._cron_schedule_error(text) from public, anon, authenticated;

-- Creates or replaces the pg_cron job of that name (pg_cron >= 1.3 updates by name).
create function sync._cron_put(p_job_name text, p_cron text, p_command text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if sync._cron_available() then
    execute 'select cron.schedule($1, $2, $3)' using p_job_name, p_cron, p_command;
  end if;
end
$$;
revoke execute on function sync._cron_put(text, text, text) from public, anon, authenticated;

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
revoke execute on function sync._cron_drop(text) from public, anon, authenticated;

-- Makes pg_cron match one schedule row: enabled in UTC -> job present with its expression, else
-- absent (a schedule in another zone is fired by the ops tick, see sync.run_due_schedules).
create function sync._sync_schedule_cron(p_schedule sync.schedules) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_schedule.enabled and p_schedule.timezone = 'UTC' then
    perform sync._cron_put('syncline:' || p_schedule.id, p_schedule.cron,
      format('select sync.run_schedule(%s)', p_schedule.id));
  else
    perform sync._cron_drop('syncline:' || p_schedule.id);
  end if;
end
$$;
revoke execute on function sync._sync_schedule_cron(sync.schedules) from public, anon, authenticated;

-- Creates or changes a schedule (by name) and its pg_cron job.
create function sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text,
  p_mode text default 'incremental', p_options jsonb default '{}'::jsonb, p_enabled boolean default true,
  p_account text default 'default', p_description text default null, p_timezone text default 'UTC')
returns sync.schedules language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.schedules;
  v_lookback jsonb := p_options -> 'lookback_hours';
  v_tz text := coalesce(p_timezone, 'UTC');
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
  if sync._cron_schedule_error(btrim(p_cron)) is not null then
    raise exception 'Cannot save schedule "%": "%" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
      p_name, coalesce(p_cron, '') using errcode = 'SY422';
  end if;
  if p_mode is null or p_mode not in ('full', 'incremental', 'retry', 'reconcile') then
    raise exception 'Cannot save schedule "%": mode "%" must be "full", "incremental", "retry" or "reconcile"', p_name,
      coalesce(p_mode, '') using errcode = 'SY422';
  end if;
  if not sync._valid_timezone(v_tz) then
    raise exception 'Cannot save schedule "%": "%" is not a time zone (an IANA name such as Europe/Dublin, or UTC)',
      p_name, v_tz using errcode = 'SY422';
  end if;
  if v_tz <> 'UTC' and sync.cron_next_run(p_cron, v_tz, now()) is null then
    raise exception 'Cannot save schedule "%": "%" in time zone % needs numeric cron fields (numbers, *, ranges, steps, lists) that match a date',
      p_name, btrim(p_cron), v_tz using errcode = 'SY422';
  end if;
  if p_options is null or jsonb_typeof(p_options) <> 'object' then
    raise exception 'Cannot save schedule "%": options must be a JSON object', p_name using errcode = 'SY422';
  end if;
  if v_lookback is not null and (jsonb_typeof(v_lookback) <> 'number' or (v_lookback)::numeric <= 0) then
    raise exception 'Cannot save schedule "%": options.lookback_hours must be a positive number (got %)', p_name, v_lookback
      using errcode = 'SY422';
  end if;
  -- a reconcile reads whole id listings (as POST /jobs refuses since/until/dryRun for it)
  if p_mode = 'reconcile' and p_options ?| array['lookback_hours', 'since', 'until', 'dryRun', 'records'] then
    raise exception 'Cannot save schedule "%": a reconcile reads whole id listings, so options.% does not apply to it',
      p_name, (select k from jsonb_object_keys(p_options) k
        where k in ('lookback_hours', 'since', 'until', 'dryRun', 'records') order by k limit 1)
      using errcode = 'SY422';
  end if;
  insert into sync.schedules as s (name, connector, account, streams, cron, mode, options, enabled, description,
    timezone, next_run_at)
  values (p_name, p_connector, coalesce(p_account, 'default'), p_streams, btrim(p_cron), p_mode, p_options,
    coalesce(p_enabled, true), p_description, v_tz,
    case when coalesce(p_enabled, true) then sync.cron_next_run(btrim(p_cron), v_tz, now()) end)
  on conflict (name) do update set connector = excluded.connector, account = excluded.account,
    streams = excluded.streams, cron = excluded.cron, mode = excluded.mode, options = excluded.options,
    enabled = excluded.enabled, description = coalesce(excluded.description, s.description),
    timezone = excluded.timezone, next_run_at = excluded.next_run_at, updated_at = now()
  returning * into v_row;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$$;
revoke execute on function sync.upsert_schedule(text, text, text[], text, text, jsonb, boolean, text, text, text) from public, anon, authenticated;
grant execute on function sync.upsert_schedule(text, text, text[], text, text, jsonb, boolean, text, text, text) to service_role;

-- Turns a schedule on or off; off removes its pg_cron job, on recreates it.
create function sync.set_schedule_enabled(p_id bigint, p_enabled boolean)
returns sync.schedules language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.schedules;
begin
  update sync.schedules set enabled = coalesce(p_enabled, false), updated_at = now(),
    next_run_at = case when coalesce(p_enabled, false) then sync.cron_next_run(cron, timezone, now()) end
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$$;
revoke execute on function sync.set_schedule_enabled(bigint, boolean) from public, anon, authenticated;
grant execute on function sync.set_schedule_enabled(bigint, boolean) to service_role;

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
revoke execute on function sync.remove_schedule(bigint) from public, anon, authenticated;
grant execute on function sync.remove_schedule(bigint) to service_role;

-- Schedules with their pg_cron state (cron_job_id null: no cron job, e.g. disabled, in a time
-- zone other than UTC, or no pg_cron), their zone, next run and what fires them.
create function sync.list_schedules()
returns table (id bigint, name text, connector text, account text, streams text[], cron text, mode text,
  options jsonb, enabled boolean, description text, last_run_at timestamptz, last_outcome text, last_job_id bigint,
  cron_job_id bigint, cron_active boolean, timezone text, next_run_at timestamptz, fired_by text)
language plpgsql stable security definer set search_path = '' as $$
begin
  if sync._cron_available() then
    return query execute
      'select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
         s.last_run_at, s.last_outcome, s.last_job_id, j.jobid, j.active, s.timezone, s.next_run_at,
         case when not s.enabled then null when s.timezone = ''UTC'' then ''pg_cron'' else ''ops_tick'' end
       from sync.schedules s left join cron.job j on j.jobname = ''syncline:'' || s.id order by s.id';
  else
    return query
      select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
        s.last_run_at, s.last_outcome, s.last_job_id, null::bigint, null::boolean, s.timezone, s.next_run_at,
        case when not s.enabled then null when s.timezone = 'UTC' then 'pg_cron' else 'ops_tick' end
      from sync.schedules s order by s.id;
  end if;
end
$$;
revoke execute on function sync.list_schedules() from public, anon, authenticated;
grant execute on function sync.list_schedules() to service_role;

-- Why the worker could or could not be woken the last time it was asked: one row, shown by
-- GET /sync/health, so a missing pg_net or Vault secret is visible instead of silent.
create table sync.wake_status (
  id boolean primary key default true check (id),
  ok boolean not null,
  reason text not null,
  changed_at timestamptz not null default now()
);

-- Records a wake-up's outcome; only a change is written and logged (once, as a warning).
create function sync._note_wake(p_ok boolean, p_reason text) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if exists (select from sync.wake_status w where w.id and w.ok = p_ok and w.reason = p_reason) then
    return p_ok;
  end if;
  if not p_ok then
    raise warning 'syncline: cannot wake the worker: %', p_reason;
  end if;
  insert into sync.wake_status (id, ok, reason) values (true, p_ok, p_reason)
  on conflict (id) do update set ok = excluded.ok, reason = excluded.reason, changed_at = now();
  return p_ok;
end
$$;
revoke execute on function sync._note_wake(boolean, text) from public, anon, authenticated;

-- Asks the Edge Function worker to run now, on Supabase: pg_net posts (after commit) to the URL
-- in Vault secret "syncline_worker_url" with "Authorization: Bearer <syncline_worker_secret>".
-- Without pg_net or the secrets nothing is sent (the reason is kept in sync.wake_status) and a
-- polling worker (deno task worker) finds the work.
create function sync._wake_worker(p_reason text, p_job_id bigint default null) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_url text;
  v_secret text;
begin
  if to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null then
    return sync._note_wake(false, 'pg_net is not installed (create extension pg_net with schema extensions); '
      || 'only a polling worker (deno task worker) runs queued jobs');
  end if;
  if to_regclass('vault.decrypted_secrets') is null then
    return sync._note_wake(false, 'Vault (supabase_vault) is not installed, so the worker URL and secret are unknown');
  end if;
  execute 'select max(decrypted_secret) filter (where name = ''syncline_worker_url''),
      max(decrypted_secret) filter (where name = ''syncline_worker_secret'')
    from vault.decrypted_secrets where name in (''syncline_worker_url'', ''syncline_worker_secret'')'
    into v_url, v_secret;
  if v_url is null or v_secret is null then
    return sync._note_wake(false, 'Vault has no ' || concat_ws(' and ',
      case when v_url is null then 'syncline_worker_url' end,
      case when v_secret is null then 'syncline_worker_secret' end) || ' secret: run deno task install');
  end if;
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := 5000)'
    using v_url, jsonb_build_object('reason', p_reason, 'job_id', p_job_id),
      jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_secret);
  return sync._note_wake(true, 'the worker endpoint is called through pg_net');
exception when others then
  -- waking is best effort: the queued job and pending notifications stay in the tables
  return sync._note_wake(false, 'pg_net could not be called: ' || sqlerrm);
end
$$;
revoke execute on function sync._wake_worker(text, bigint) from public, anon, authenticated;

-- What a pg_cron job (UTC) or the ops tick (other zones) runs: queues the schedule's job (trigger
-- 'schedule'), or records a skipped run when one of its streams still has a queued/running job, so
-- runs never pile up. Mode retry queues a retry job for the streams with due failed items; mode reconcile
-- queues a reconcile job (the API checked at save time that its streams can list their ids).
create function sync.run_schedule(p_id bigint)
returns sync.schedule_runs language plpgsql security definer set search_path = '' as $$
declare
  v_s sync.schedules;
  v_run sync.schedule_runs;
  v_job sync.jobs;
  v_options jsonb;
  v_streams text[];
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
  update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, now()) where id = p_id;
  -- options.lookback_hours travels with the job: the runner re-reads from the earlier of the
  -- stream's high-water mark and now - look-back, so a run after a pause misses nothing
  v_options := v_s.options || jsonb_build_object('schedule_id', v_s.id, 'schedule', v_s.name);
  v_streams := v_s.streams;
  if v_s.mode = 'retry' then
    v_streams := array(select distinct f.stream from sync.failed_items f
      where f.connector = v_s.connector and f.account = v_s.account and f.stream = any (v_s.streams)
        and f.resolved_at is null and not f.permanent and f.next_retry_at <= now() order by 1);
    if cardinality(v_streams) = 0 then
      insert into sync.schedule_runs (schedule_id, outcome, reason)
      values (p_id, 'skipped', 'no failed items are due for a retry') returning * into v_run;
      update sync.schedules set last_run_at = now(), last_outcome = 'skipped' where id = p_id;
      return v_run;
    end if;
  end if;
  begin
    v_job := sync.create_job(v_s.connector, v_streams, v_s.account, v_s.mode, v_options, 'schedule',
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
revoke execute on function sync.run_schedule(bigint) from public, anon, authenticated;
grant execute on function sync.run_schedule(bigint) to service_role;

-- Access: service_role only, RLS on everything
alter table sync.schedules enable row level security;
alter table sync.schedule_runs enable row level security;
alter table sync.wake_status enable row level security;
revoke all on sync.schedules, sync.schedule_runs, sync.wake_status from public, anon, authenticated;
grant select, insert, update, delete on sync.schedules, sync.schedule_runs to service_role;
grant select on sync.wake_status to service_role;
grant usage, select on all sequences in schema sync to service_role;
