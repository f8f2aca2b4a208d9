-- Syncline operations, pg_cron housekeeping: the jobs that fire zoned schedules, queue retry jobs
-- and run the alert rules every minute (sync.ops_tick) and the retention round every 10 minutes,
-- and their installation (no-op without pg_cron). sync.install (sync_install.sql) re-runs it.

-- Every minute (p_now injectable for tests): fire the schedules in a time zone other than UTC
-- that are due (sync.run_due_schedules), queue retry jobs for failed items whose backoff is over
-- (sync.enqueue_due_retries), evaluate the alert rules, then (on Supabase) wake the worker when a
-- job is queued or a notification is due, so a failure reaches its channel within a couple of minutes.
create function sync.ops_tick(p_now timestamptz default now())
returns jsonb language plpgsql security definer set search_path = '' as $$
declare
  v_schedules integer;
  v_retries integer;
  v_alerts jsonb;
  v_due integer;
  v_woken boolean := false;
begin
  select count(*) into v_schedules from sync.run_due_schedules(p_now);
  select count(*) into v_retries from sync.enqueue_due_retries(p_now);
  v_alerts := sync.evaluate_alerts();
  select count(*) into v_due from sync.notifications where status = 'pending' and next_attempt_at <= p_now;
  if v_due > 0 or exists (select from sync.jobs where status = 'queued') then
    v_woken := sync._wake_worker('tick');
  end if;
  return v_alerts || jsonb_build_object('schedules_fired', v_schedules, 'retry_jobs', v_retries,
    'due_notifications', v_due, 'woke_worker', v_woken);
end
$$;
revoke execute on function sync.ops_tick(timestamptz) from public, anon, authenticated;
grant execute on function sync.ops_tick(timestamptz) to service_role;

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
  perform sync._cron_put('syncline:cleanup', '*/10 * * * *', 'select sync.cleanup_old_sync_data_round()');
  for v_s in select * from sync.schedules loop
    perform sync._sync_schedule_cron(v_s);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;
-- not granted: sync.install (sync_install.sql) and this migration call it as the owner
revoke execute on function sync.install_ops_cron() from public, anon, authenticated;

-- Installs the jobs where pg_cron is present (idempotent).
select sync.install_ops_cron();
