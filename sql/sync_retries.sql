-- Syncline operations, automatic retries of failed items: the ops tick queues a retry job per
-- connector account for the streams whose items' backoff is over (sync._retry_delay: 1 min, 2,
-- 4 ... 24 h); its requests go through the connector's shared rate limiter like any other. An
-- item that has failed notification_settings.failed_item_max_attempts times (default 12: about
-- 34 hours after the first failure) is given up: permanent, no further automatic retry (an
-- operator may still retry it by id), and one retries_exhausted alert per connector account and
-- rate-limit window lists them. Recovery figures: sync.get_recovery_stats.
-- Error codes: SY422 bad input.

alter table sync.failed_items
  add column if not exists retries integer not null default 0,
  add column if not exists last_retry_at timestamptz,
  add column if not exists permanent boolean not null default false,
  add column if not exists gave_up_at timestamptz;
create index if not exists failed_items_gave_up_idx on sync.failed_items (gave_up_at) where permanent;
create index if not exists failed_items_retried_idx on sync.failed_items (last_retry_at) where last_retry_at is not null;

-- Before an item is stored or counts another attempt: at failed_item_max_attempts it becomes
-- permanent; a permanent item never gets a next automatic retry.
create function sync._on_failed_item_attempt() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.resolved_at is null and not new.permanent and new.attempts >= coalesce(
      (select s.failed_item_max_attempts from sync.notification_settings s), 12) then
    new.permanent := true;
    new.gave_up_at := clock_timestamp();
  end if;
  if new.permanent then
    new.next_retry_at := null;
  end if;
  return new;
end
$$;
revoke execute on function sync._on_failed_item_attempt() from public, anon, authenticated;
grant execute on function sync._on_failed_item_attempt() to service_role;

create trigger failed_items_give_up before insert or update of attempts, next_retry_at on sync.failed_items
  for each row execute function sync._on_failed_item_attempt();

-- A retry job records that it is re-attempting these items (recovery statistics).
create function sync.mark_failed_items_retried(p_ids bigint[])
returns integer language sql set search_path = '' as $$
  with r as (
    update sync.failed_items set retries = retries + 1, last_retry_at = clock_timestamp()
    where id = any (p_ids) and resolved_at is null returning 1)
  select count(*)::integer from r
$$;
revoke execute on function sync.mark_failed_items_retried(bigint[]) from public, anon, authenticated;
grant execute on function sync.mark_failed_items_retried(bigint[]) to service_role;

-- What the ops tick runs (p_now injectable for tests): one retry job (trigger 'retry') per
-- connector account for the streams with open, non-permanent items whose backoff is over,
-- leaving out streams with an active job or in their cool-down (they are retried by a later
-- tick). Each job re-attempts at most retry_batch_size items. Returns the jobs queued.
create function sync.enqueue_due_retries(p_now timestamptz default now())
returns setof sync.jobs language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_r record;
  v_streams text[];
  v_job sync.jobs;
begin
  select * into v_set from sync.notification_settings;
  if not coalesce(v_set.auto_retry, true) then
    return;
  end if;
  for v_r in
    select f.connector, f.account, array_agg(distinct f.stream order by f.stream) as streams
    from sync.failed_items f
    where f.resolved_at is null and not f.permanent and f.next_retry_at <= p_now
    group by 1, 2 order by 1, 2
  loop
    v_streams := array(select s from unnest(v_r.streams) s
      where not exists (select from sync.jobs j where j.connector = v_r.connector and j.account = v_r.account
          and j.status in ('queued', 'running') and s = any (j.streams))
        and sync.cooldown_until(v_r.connector, v_r.account, array[s], p_now) is null);
    continue when cardinality(v_streams) = 0;
    begin
      v_job := sync.create_job(v_r.connector, v_streams, v_r.account, 'retry',
        jsonb_build_object('max_items', coalesce(v_set.retry_batch_size, 200)), 'retry', 'ops-tick');
      return next v_job;
    exception when sqlstate 'SY409' then
      -- a job started between the check and here: the next tick retries
      null;
    end;
  end loop;
end
$$;
revoke execute on function sync.enqueue_due_retries(timestamptz) from public, anon, authenticated;
grant execute on function sync.enqueue_due_retries(timestamptz) to service_role;

-- The alert rule for given-up items (called by sync.evaluate_alerts): per connector account, the
-- items given up since its last retries_exhausted message, once the rate-limit window allows one
-- (so a burst is reported in one message with the count and the first five). Returns messages queued.
create function sync._alert_retries_exhausted() returns integer
language plpgsql set search_path = '' as $$
declare
  v_set sync.notification_settings;
  v_r record;
  v_n integer := 0;
begin
  select * into v_set from sync.notification_settings;
  for v_r in
    with last as (
      select n.source, max(n.created_at) as at from sync.notifications n
      where n.kind = 'retries_exhausted' and n.status <> 'suppressed' group by 1
    ), gave_up as (
      select f.*, f.connector || '/' || f.account as source,
        row_number() over (partition by f.connector, f.account order by f.gave_up_at, f.id) as rn
      from sync.failed_items f
      where f.permanent and f.resolved_at is null
        and f.gave_up_at > coalesce((select l.at from last l where l.source = f.connector || '/' || f.account), '-infinity')
    )
    select g.source, min(g.connector) as connector, min(g.account) as account, count(*) as n,
      jsonb_agg(jsonb_build_object('id', g.id, 'stream', g.stream, 'item_key', g.item_key, 'attempts', g.attempts,
        'error', left(g.error, 500)) order by g.rn) filter (where g.rn <= 5) as items
    from gave_up g
    where not exists (select from last l where l.source = g.source
      and l.at > now() - coalesce(v_set.rate_limit_window, interval '1 hour'))
    group by g.source
  loop
    if (sync.enqueue_notification('retries_exhausted', v_r.source, jsonb_build_object('connector', v_r.connector,
        'account', v_r.account, 'count', v_r.n, 'max_attempts', coalesce(v_set.failed_item_max_attempts, 12),
        'items', v_r.items))).status = 'pending' then
      v_n := v_n + 1;
    end if;
  end loop;
  return v_n;
end
$$;
revoke execute on function sync._alert_retries_exhausted() from public, anon, authenticated;
grant execute on function sync._alert_retries_exhausted() to service_role;

-- Recovery of failed items over the last days_back days, per connector (stream null) and stream:
-- retried (items re-attempted by a retry job in the window), recovered (of those ever retried,
-- resolved in the window), still_failing (open, retried, not given up: now), given_up (made
-- permanent in the window), open (all open items now) and retry_attempts (sum of retries of the
-- items retried in the window).
create function sync.get_recovery_stats(p_days_back integer default 7)
returns table (connector text, stream text, retried bigint, recovered bigint, still_failing bigint, given_up bigint,
  open bigint, retry_attempts bigint)
language plpgsql stable set search_path = '' as $$
declare
  v_since timestamptz;
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute recovery stats: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  v_since := now() - make_interval(days => p_days_back);
  return query
  select f.connector, f.stream,
    count(*) filter (where f.last_retry_at >= v_since),
    count(*) filter (where f.resolution = 'resolved' and f.retries > 0 and f.resolved_at >= v_since),
    count(*) filter (where f.resolved_at is null and not f.permanent and f.retries > 0),
    count(*) filter (where f.permanent and f.gave_up_at >= v_since),
    count(*) filter (where f.resolved_at is null),
    coalesce(sum(f.retries) filter (where f.last_retry_at >= v_since), 0)::bigint
  from sync.failed_items f
  where f.resolved_at is null or f.resolved_at >= v_since or f.last_retry_at >= v_since or f.gave_up_at >= v_since
  group by grouping sets ((f.connector), (f.connector, f.stream))
  order by 1, 2 nulls first;
end
$$;
revoke execute on function sync.get_recovery_stats(integer) from public, anon, authenticated;
grant execute on function sync.get_recovery_stats(integer) to service_role;
