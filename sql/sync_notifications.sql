-- Syncline operations, notifications: settings, a durable outbox written in the same
-- transaction as its cause, at most one message per (source, kind) per window (the rest are
-- recorded suppressed), delivery claims and retries, and the alert rules (job failed, job
-- partial, error rate, slow run, stale stream, retries exhausted, run report, daily summary).
-- Delivery functions take p_now (default the clock) so tests can drive them with a simulated clock.
-- Error codes: SY404 not found, SY422 bad input.

-- ---------------------------------------------------------------------------------------
-- Notifications: settings, durable outbox, rate limit, alert rules
-- ---------------------------------------------------------------------------------------

-- True for a URL notifications may be posted to: https, or http to this machine (local testing).
-- Anything else (file:, javascript:, http to another host) is refused where settings are saved.
create function sync._is_delivery_url(p_url text) returns boolean
language sql immutable set search_path = '' as $$
  select p_url ~* '^https://[^/?#[:space:]@]+([/?#][^[:space:]]*)?$'
    or p_url ~* '^http://(localhost|127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\])(:[0-9]{1,5})?([/?#][^[:space:]]*)?$'
$$;
revoke execute on function sync._is_delivery_url(text) from public, anon, authenticated;
grant execute on function sync._is_delivery_url(text) to service_role;

-- Raises SY422 naming the setting unless p_value is an interval above zero (or zero, p_allow_zero).
create function sync._check_setting_interval(p_setting text, p_value text, p_allow_zero boolean default false)
returns void language plpgsql immutable set search_path = '' as $$
declare
  v_interval interval;
begin
  begin
    v_interval := p_value::interval;
    if v_interval is null then
      raise exception using errcode = '22007';
    end if;
  exception when others then
    raise exception 'Cannot update notification settings: % must be an interval such as ''1 hour'', got %',
      p_setting, coalesce('"' || left(p_value, 60) || '"', 'null') using errcode = 'SY422';
  end;
  if v_interval < interval '0' or (v_interval = interval '0' and not p_allow_zero) then
    raise exception 'Cannot update notification settings: % must be % zero, got "%"', p_setting,
      case when p_allow_zero then 'at least' else 'more than' end, coalesce(left(p_value, 60), 'null')
      using errcode = 'SY422';
  end if;
end
$$;
revoke execute on function sync._check_setting_interval(text, text, boolean) from public, anon, authenticated;
grant execute on function sync._check_setting_interval(text, text, boolean) to service_role;

-- One row of settings. Channel secrets that are API keys stay out of the database: the email
-- API key is the Edge Function secret SYNCLINE_EMAIL_API_KEY. Hours are UTC.
create table sync.notification_settings (
  id boolean primary key default true check (id),
  enabled boolean not null default true,
  slack_webhook_url text check (sync._is_delivery_url(slack_webhook_url)),
  email_provider text check (email_provider in ('resend', 'postmark')),
  email_api_url text check (sync._is_delivery_url(email_api_url)),
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
  -- on by default for new installs: one summary a day once a channel is configured
  daily_summary boolean not null default true,
  daily_summary_hour integer not null default 8 check (daily_summary_hour between 0 and 23),
  retention_days integer not null default 30 check (retention_days >= 1),
  max_attempts integer not null default 8 check (max_attempts between 1 and 50),
  -- a report for every successful full or incremental run (not rate-limited)
  run_reports boolean not null default false,
  -- the ops tick retries failed items whose backoff is over, at most retry_batch_size per job
  auto_retry boolean not null default true,
  retry_batch_size integer not null default 200 check (retry_batch_size between 1 and 10000),
  -- attempts after which a failed item is given up (permanent) and an alert goes out
  failed_item_max_attempts integer not null default 12 check (failed_item_max_attempts between 1 and 100),
  updated_at timestamptz not null default now()
);
insert into sync.notification_settings (id) values (true) on conflict do nothing;

-- The outbox. A message is written in the same transaction as its cause and delivered later by
-- the worker (functions/_shared/notify); status pending -> sent | failed (attempts exhausted),
-- or suppressed at once (rate limit, notifications disabled).
create table sync.notifications (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('job_failed', 'job_partial', 'error_rate', 'slow_run', 'stale_stream', 'retries_exhausted',
    'run_report', 'daily_summary')),
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
-- was let through within settings.rate_limit_window (run reports, asked for per run, are not limited).
create function sync.enqueue_notification(p_kind text, p_source text, p_payload jsonb default '{}'::jsonb)
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_row sync.notifications;
  v_reason text;
begin
  if p_kind is null or p_kind not in ('job_failed', 'job_partial', 'error_rate', 'slow_run', 'stale_stream', 'retries_exhausted',
    'run_report', 'daily_summary') then
    raise exception 'Cannot queue notification: kind "%" is not one of job_failed, job_partial, error_rate, slow_run, stale_stream, retries_exhausted, run_report, daily_summary',
      coalesce(p_kind, '') using errcode = 'SY422';
  end if;
  select * into v_set from sync.notification_settings;
  -- serialises the rate-limit check for one (source, kind)
  perform pg_advisory_xact_lock(hashtextextended('sync.notifications:' || p_source || '/' || p_kind, 0));
  if not coalesce(v_set.enabled, true) then
    v_reason := 'notifications are disabled';
  elsif p_kind <> 'run_report' and exists (select from sync.notifications n where n.source = p_source and n.kind = p_kind and n.status <> 'suppressed'
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
revoke execute on function sync.enqueue_notification(text, text, jsonb) from public, anon, authenticated;
grant execute on function sync.enqueue_notification(text, text, jsonb) to service_role;

-- Claims up to p_limit due messages for delivery, hiding them for p_lease_seconds (a crashed
-- deliverer's messages come back); each claim counts an attempt.
create function sync.claim_notifications(p_limit integer default 20, p_lease_seconds integer default 120,
  p_now timestamptz default null)
returns setof sync.notifications language sql set search_path = '' as $$
  with due as (
    select id from sync.notifications
    where status = 'pending' and next_attempt_at <= coalesce(p_now, clock_timestamp())
    order by next_attempt_at, id
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update sync.notifications n
  set attempts = n.attempts + 1,
    next_attempt_at = coalesce(p_now, clock_timestamp()) + make_interval(secs => p_lease_seconds),
    updated_at = clock_timestamp()
  from due where n.id = due.id
  returning n.*
$$;
revoke execute on function sync.claim_notifications(integer, integer, timestamptz) from public, anon, authenticated;
grant execute on function sync.claim_notifications(integer, integer, timestamptz) to service_role;

-- Marks a message delivered on the given channels.
create function sync.mark_notification_sent(p_id bigint, p_channels text[] default '{}', p_now timestamptz default null)
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_row sync.notifications;
begin
  update sync.notifications set status = 'sent', sent_at = coalesce(p_now, clock_timestamp()), updated_at = clock_timestamp(),
    last_error = null,
    delivered_channels = array(select distinct c from unnest(delivered_channels || coalesce(p_channels, '{}')) c order by c)
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Notification % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$$;
revoke execute on function sync.mark_notification_sent(bigint, text[], timestamptz) from public, anon, authenticated;
grant execute on function sync.mark_notification_sent(bigint, text[], timestamptz) to service_role;

-- Delay before the next delivery attempt: 30 s, 1 min, 2, 4 ... capped at 30 min.
create function sync._notification_retry_delay(p_attempts integer) returns interval
language sql immutable set search_path = '' as $$
  select least(interval '30 minutes', interval '30 seconds' * power(2, greatest(p_attempts - 1, 0)))
$$;
revoke execute on function sync._notification_retry_delay(integer) from public, anon, authenticated;
grant execute on function sync._notification_retry_delay(integer) to service_role;

-- Records a failed delivery: channels that did succeed are remembered (not sent twice); the
-- message is retried with backoff until max_attempts, then marked failed.
create function sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[] default '{}',
  p_now timestamptz default null)
returns sync.notifications language plpgsql set search_path = '' as $$
declare
  v_row sync.notifications;
begin
  update sync.notifications set
    status = case when attempts >= max_attempts then 'failed' else 'pending' end,
    next_attempt_at = coalesce(p_now, clock_timestamp()) + sync._notification_retry_delay(attempts),
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
revoke execute on function sync.mark_notification_failed(bigint, text, text[], timestamptz) from public, anon, authenticated;
grant execute on function sync.mark_notification_failed(bigint, text, text[], timestamptz) to service_role;

-- The notification settings row.
create function sync.get_notification_settings()
returns sync.notification_settings language sql stable set search_path = '' as $$
  select * from sync.notification_settings
$$;
revoke execute on function sync.get_notification_settings() from public, anon, authenticated;
grant execute on function sync.get_notification_settings() to service_role;

-- Changes some settings: p_changes holds only the keys to change (column names).
create function sync.update_notification_settings(p_changes jsonb)
returns sync.notification_settings language plpgsql set search_path = '' as $$
declare
  v_cur sync.notification_settings;
  v_new sync.notification_settings;
  v_key text;
  v_entry record;
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
  -- checked here, naming the setting, rather than by the table's constraints (a bare 23514)
  foreach v_key in array array['error_rate_window', 'stale_after', 'rate_limit_window'] loop
    if p_changes ? v_key then
      perform sync._check_setting_interval(v_key, p_changes ->> v_key, v_key = 'rate_limit_window');
    end if;
  end loop;
  if p_changes ? 'stale_after_by_stream' then
    if jsonb_typeof(p_changes -> 'stale_after_by_stream') <> 'object' then
      raise exception 'Cannot update notification settings: stale_after_by_stream must be an object such as {"square/orders": "26 hours"}'
        using errcode = 'SY422';
    end if;
    for v_entry in select * from jsonb_each(p_changes -> 'stale_after_by_stream') loop
      perform sync._check_setting_interval(format('stale_after_by_stream[%s]', v_entry.key),
        case when jsonb_typeof(v_entry.value) = 'string' then v_entry.value #>> '{}' end);
    end loop;
  end if;
  foreach v_key in array array['slack_webhook_url', 'email_api_url'] loop
    if jsonb_typeof(p_changes -> v_key) = 'string' and not sync._is_delivery_url(p_changes ->> v_key) then
      raise exception 'Cannot update notification settings: % must be an https: URL (http: only to localhost), got "%"',
        v_key, left(p_changes ->> v_key, 80) using errcode = 'SY422';
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
    retention_days = v_new.retention_days, max_attempts = v_new.max_attempts, run_reports = v_new.run_reports,
    auto_retry = v_new.auto_retry, retry_batch_size = v_new.retry_batch_size,
    failed_item_max_attempts = v_new.failed_item_max_attempts, updated_at = now()
  returning * into v_new;
  return v_new;
end
$$;
revoke execute on function sync.update_notification_settings(jsonb) from public, anon, authenticated;
grant execute on function sync.update_notification_settings(jsonb) to service_role;

-- When a job finishes: updates sync.stream_status (not for retry jobs, which re-attempt single
-- records), queues job_failed for a failed job, job_partial for a partial one (count and first
-- errors; not for retry jobs: their items are tracked by recovery stats and retries_exhausted),
-- run_report for a successful full/incremental run when run_reports is on, and slow_run for a run
-- slow_run_factor times longer than the p95 of its recent successful runs.
create function sync._on_job_finished() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_stream text;
  v_stream_status text;
  v_ok boolean;
  v_secs double precision := extract(epoch from new.finished_at - coalesce(new.started_at, new.created_at));
  v_set sync.notification_settings;
  v_prev record;
  v_errors jsonb;
  v_records numeric := coalesce((new.stats ->> 'records')::numeric, 0);
begin
  select * into v_set from sync.notification_settings;
  foreach v_stream in array case when new.mode = 'retry' then '{}'::text[] else new.streams end loop
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
    if new.status = 'partial' and new.mode <> 'retry' then
      select coalesce(jsonb_agg(jsonb_build_object('stream', f.stream, 'item_key', f.item_key,
          'error_class', f.error_class, 'error', left(f.error, 500)) order by f.id), '[]'::jsonb) into v_errors
      from (select * from sync.failed_items x where x.job_id = new.id order by x.id limit 5) f;
      perform sync.enqueue_notification('job_partial', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'trigger', new.trigger, 'mode', new.mode, 'records', v_records,
        'failed', greatest(coalesce((new.stats ->> 'failed')::bigint, 0),
          (select count(*) from sync.failed_items x where x.job_id = new.id and x.resolved_at is null)),
        'first_errors', v_errors, 'duration_seconds', round(v_secs::numeric, 1), 'finished_at', new.finished_at));
    elsif new.status = 'succeeded' and v_set.run_reports and new.mode in ('full', 'incremental') then
      perform sync.enqueue_notification('run_report', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'trigger', new.trigger, 'mode', new.mode, 'records', v_records,
        'duration_seconds', round(v_secs::numeric, 1),
        'rate_per_second', case when v_secs > 0 then round(v_records / v_secs::numeric, 1) end,
        'per_stream', coalesce(new.stats -> 'streams', '{}'::jsonb), 'finished_at', new.finished_at));
    end if;
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
revoke execute on function sync._on_job_finished() from public, anon, authenticated;

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
-- threshold, failed items given up (sync._alert_retries_exhausted), and the daily summary once a
-- UTC day after daily_summary_hour. Returns what it queued.
create function sync.evaluate_alerts()
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_r record;
  v_n sync.notifications;
  v_counts jsonb := '{"error_rate": 0, "stale_stream": 0, "retries_exhausted": 0, "daily_summary": 0}'::jsonb;
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
  v_counts := jsonb_set(v_counts, '{retries_exhausted}', to_jsonb(sync._alert_retries_exhausted()));
  if v_set.daily_summary and extract(hour from now() at time zone 'UTC') >= v_set.daily_summary_hour
    and not exists (select from sync.notifications n where n.kind = 'daily_summary'
      and n.created_at >= (now() at time zone 'UTC')::date at time zone 'UTC') then
    v_n := sync.enqueue_notification('daily_summary', 'syncline', jsonb_build_object(
      'day', (now() at time zone 'UTC')::date,
      'connectors', coalesce((select jsonb_agg(to_jsonb(s) - 'stream') from sync.get_sync_stats(1) s where s.stream is null), '[]'),
      'stale_streams', (select count(*) from sync.get_data_freshness() f where f.stale),
      'open_failed_items', (select count(*) from sync.failed_items f where f.resolved_at is null),
      'recovery', coalesce((select jsonb_agg(to_jsonb(r) - 'stream') from sync.get_recovery_stats(1) r where r.stream is null), '[]')));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{daily_summary}', '1');
    end if;
  end if;
  return v_counts;
end
$$;
revoke execute on function sync.evaluate_alerts() from public, anon, authenticated;
grant execute on function sync.evaluate_alerts() to service_role;

-- Access: service_role only, RLS on everything
alter table sync.notification_settings enable row level security;
alter table sync.notifications enable row level security;
revoke all on sync.notification_settings, sync.notifications from public, anon, authenticated;
grant select, insert, update, delete on sync.notification_settings, sync.notifications to service_role;
grant usage, select on all sequences in schema sync to service_role;
