-- Syncline operations, retention: bounded batched deletes of old sync bookkeeping (never synced
-- business data). pg_cron runs the round every 10 minutes (sync_cron.sql).
-- Error codes: SY422 bad input.

-- ---------------------------------------------------------------------------------------
-- Retention
-- ---------------------------------------------------------------------------------------

-- One bounded round: deletes at most p_batch_size rows per table older than p_cutoff (finished
-- jobs with their progress rows, processed/ignored/failed inbox entries, resolved failed items,
-- finished outbox messages, schedule runs) and returns the counts. Inbox entries never processed
-- (received/processing) and webhook event ids go only once older than p_cutoff and
-- sync.webhook_dedup_window() both, so a vendor's retry or a replay is still recognised.
-- Synced business data is never touched.
create function sync._cleanup_round(p_cutoff timestamptz, p_batch_size integer)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_jobs bigint;
  v_progress bigint;
  v_inbox bigint;
  v_failed bigint;
  v_notifications bigint;
  v_runs bigint;
  v_dedup bigint;
  v_keep_keys timestamptz := least(p_cutoff, now() - sync.webhook_dedup_window());
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
      where (status in ('processed', 'ignored', 'failed') and coalesce(processed_at, received_at) < p_cutoff)
        or (status in ('received', 'processing') and received_at < v_keep_keys)
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_inbox from d;
  with d as (
    delete from sync.webhook_dedup where (provider, event_id) in (
      select provider, event_id from sync.webhook_dedup where first_seen_at < v_keep_keys
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_dedup from d;
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
    'webhook_dedup', v_dedup, 'failed_items', v_failed, 'notifications', v_notifications, 'schedule_runs', v_runs);
end
$$;
revoke execute on function sync._cleanup_round(timestamptz, integer) from public, anon, authenticated;
grant execute on function sync._cleanup_round(timestamptz, integer) to service_role;

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
revoke execute on function sync._check_cleanup_args(integer, integer) from public, anon, authenticated;
grant execute on function sync._check_cleanup_args(integer, integer) to service_role;

-- Deletes sync bookkeeping older than days_to_keep days (cutoff now() - days; a row exactly at the
-- cutoff is kept), in rounds of at most batch_size rows per table so no statement holds many
-- locks or runs long. A function, so the API can call it in one transaction; pg_cron uses the
-- procedure below, which commits after every round. Returns the rows deleted per table.
create function sync.cleanup_old_sync_data(p_days_to_keep integer, p_batch_size integer default 5000)
returns table (table_name text, deleted bigint) language plpgsql set search_path = '' as $$
declare
  v_cutoff timestamptz := now() - make_interval(days => p_days_to_keep);
  v_round jsonb;
  v_total jsonb := '{"jobs": 0, "progress": 0, "webhook_inbox": 0, "webhook_dedup": 0, "failed_items": 0,
    "notifications": 0, "schedule_runs": 0}'::jsonb;
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
revoke execute on function sync.cleanup_old_sync_data(integer, integer) from public, anon, authenticated;
grant execute on function sync.cleanup_old_sync_data(integer, integer) to service_role;

-- The scheduled variant: one bounded round (at most batch_size rows per table) with the configured
-- retention (notification_settings.retention_days), in the caller's transaction. pg_cron runs it
-- every 10 minutes, so a backlog drains round by round and no run holds locks or an old snapshot
-- for long. (A procedure that COMMITs between rounds cannot pin its search_path, which the
-- Supabase advisors flag; this function can.) Returns the rows deleted per table.
create function sync.cleanup_old_sync_data_round(p_batch_size integer default 5000)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_days integer := coalesce((select s.retention_days from sync.notification_settings s), 30);
begin
  perform sync._check_cleanup_args(v_days, p_batch_size);
  return sync._cleanup_round(now() - make_interval(days => v_days), p_batch_size);
end
$$;
revoke execute on function sync.cleanup_old_sync_data_round(integer) from public, anon, authenticated;
grant execute on function sync.cleanup_old_sync_data_round(integer) to service_role;
