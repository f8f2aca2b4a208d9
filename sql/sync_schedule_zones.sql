-- Syncline operations, schedules in a time zone: cron expressions read in an IANA zone.
-- pg_cron evaluates expressions in UTC (on Supabase cron.timezone cannot be changed), so a
-- schedule in another zone has no cron job of its own: sync.cron_next_run computes its next
-- instant in its zone, stored in sync.schedules.next_run_at, and the every-minute ops tick
-- (sync.run_due_schedules, below) fires it when that instant has come. Across daylight-saving changes:
-- a local time that occurs twice (clocks go back) runs once, at its later occurrence; a local
-- time that does not exist (clocks go forward) runs once, at the same UTC instant as in winter
-- (an hour later on the wall clock). Vixie cron / pg_cron field rules: dow 0 and 7 are Sunday;
-- when both day-of-month and day-of-week are restricted, either may match.

-- The sorted values one cron field allows (numbers, *, a-b, /step, lists); null when the field
-- says anything else (names, L, W, #), so such a schedule must stay in UTC.
create function sync._cron_values(p_field text, p_lo integer, p_hi integer) returns integer[]
language plpgsql immutable set search_path = '' as $$
declare
  v_out integer[] := '{}'::integer[];
  v_part text;
  v_m text[];
  v_a integer;
  v_b integer;
begin
  foreach v_part in array string_to_array(p_field, ',') loop
    v_m := regexp_match(v_part, '^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:/(\d{1,2}))?$');
    if v_m is null then
      return null;
    end if;
    if v_m[1] = '*' then
      v_a := p_lo;
      v_b := p_hi;
    else
      v_a := v_m[2]::integer;
      -- "a/n" means a to the maximum in steps of n
      v_b := coalesce(v_m[3]::integer, case when v_m[4] is not null then p_hi else v_a end);
    end if;
    if v_a < p_lo or v_b > p_hi or v_a > v_b or coalesce(v_m[4]::integer, 1) < 1 then
      return null;
    end if;
    v_out := v_out || array(select generate_series(v_a, v_b, coalesce(v_m[4]::integer, 1)));
  end loop;
  return array(select distinct x from unnest(v_out) x order by x);
end
$$;
revoke execute on function sync._cron_values(text, integer, integer) from public, anon, authenticated;
grant execute on function sync._cron_values(text, integer, integer) to service_role;

-- The first instant after p_after at which the 5-field cron expression matches the wall clock of
-- p_timezone; null when the expression is not understood or matches no date within 5 years.
create function sync.cron_next_run(p_cron text, p_timezone text, p_after timestamptz) returns timestamptz
language plpgsql stable set search_path = '' as $$
declare
  v_f text[] := regexp_split_to_array(btrim(coalesce(p_cron, '')), '\s+');
  v_min integer[];
  v_hour integer[];
  v_dom integer[];
  v_mon integer[];
  v_dow integer[];
  v_either boolean;
  v_day date;
  v_best timestamptz;
  v_at timestamptz;
  v_h integer;
  v_m integer;
  v_day_ok boolean;
begin
  if cardinality(v_f) <> 5 or p_timezone is null or p_after is null then
    return null;
  end if;
  v_min := sync._cron_values(v_f[1], 0, 59);
  v_hour := sync._cron_values(v_f[2], 0, 23);
  v_dom := sync._cron_values(v_f[3], 1, 31);
  v_mon := sync._cron_values(v_f[4], 1, 12);
  v_dow := array(select distinct x % 7 from unnest(sync._cron_values(v_f[5], 0, 7)) x);
  if v_min is null or v_hour is null or v_dom is null or v_mon is null or sync._cron_values(v_f[5], 0, 7) is null then
    return null;
  end if;
  -- cron's rule: with both day fields restricted (neither starts with *), either one matching is enough
  v_either := left(v_f[3], 1) <> '*' and left(v_f[5], 1) <> '*';
  v_day := (p_after at time zone p_timezone)::date;
  for i in 0..(366 * 5) loop
    v_day_ok := extract(month from v_day)::integer = any (v_mon) and case when v_either
      then extract(day from v_day)::integer = any (v_dom) or extract(dow from v_day)::integer = any (v_dow)
      else extract(day from v_day)::integer = any (v_dom) and extract(dow from v_day)::integer = any (v_dow) end;
    if v_day_ok then
      v_best := null;
      foreach v_h in array v_hour loop
        foreach v_m in array v_min loop
          -- local wall-clock time -> instant; PostgreSQL resolves gaps and repeats as described above
          v_at := (v_day + make_time(v_h, v_m, 0)) at time zone p_timezone;
          if v_at > p_after and (v_best is null or v_at < v_best) then
            v_best := v_at;
          end if;
        end loop;
      end loop;
      if v_best is not null then
        return v_best;
      end if;
    end if;
    v_day := v_day + 1;
  end loop;
  return null;
end
$$;
revoke execute on function sync.cron_next_run(text, text, timestamptz) from public, anon, authenticated;
grant execute on function sync.cron_next_run(text, text, timestamptz) to service_role;

-- What the ops tick runs every minute (p_now injectable for tests): fires every enabled schedule
-- in a zone other than UTC whose next_run_at has come, then moves next_run_at past p_now, so a
-- late or missed tick fires a due schedule once, never twice. A schedule whose run raises is
-- logged and moved on, so it cannot hold the others back. Returns the runs it made.
create function sync.run_due_schedules(p_now timestamptz default now())
returns setof sync.schedule_runs language plpgsql security definer set search_path = '' as $$
declare
  v_s sync.schedules;
  v_run sync.schedule_runs;
begin
  for v_s in
    select * from sync.schedules s
    where s.enabled and s.timezone <> 'UTC' and s.next_run_at <= p_now
    order by s.next_run_at, s.id
    for update skip locked
  loop
    begin
      v_run := sync.run_schedule(v_s.id);
      return next v_run;
    exception when others then
      raise warning 'syncline: schedule % (%) could not run: %', v_s.id, v_s.name, sqlerrm;
    end;
    update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, p_now) where id = v_s.id;
  end loop;
end
$$;
revoke execute on function sync.run_due_schedules(timestamptz) from public, anon, authenticated;
grant execute on function sync.run_due_schedules(timestamptz) to service_role;

-- Schedules saved before this migration get their next run.
update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, now()) where enabled;
