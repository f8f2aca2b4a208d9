-- Syncline operations, cool-down per stream: a minimum gap between the end of one run of a
-- stream and the start of the next automatic run (webhook or retry), so a burst of webhooks
-- becomes one run per gap instead of one per event. Webhook events that arrive in the gap stay
-- in the inbox and are coalesced into the one job that starts when the gap is over
-- (functions/_shared/webhooks/process.ts); retry jobs of the ops tick wait the same way.
-- Scheduled and manual runs start regardless (they are deliberate), and they count as runs.
-- Error codes: SY422 bad input.

create table sync.stream_cooldowns (
  connector text not null check (connector ~ '^[a-z][a-z0-9_-]{0,62}$'),
  stream text not null check (length(stream) between 1 and 200),
  cooldown_seconds integer not null check (cooldown_seconds between 0 and 86400),
  updated_at timestamptz not null default now(),
  primary key (connector, stream)
);
comment on table sync.stream_cooldowns is
  'Minimum seconds between the end of a run of a stream and the next automatic (webhook, retry) run of it.';

-- Sets a stream's cool-down (0 turns it off); returns the row.
create function sync.set_stream_cooldown(p_connector text, p_stream text, p_seconds integer)
returns sync.stream_cooldowns language plpgsql set search_path = '' as $$
declare
  v_row sync.stream_cooldowns;
begin
  if p_connector is null or p_connector !~ '^[a-z][a-z0-9_-]{0,62}$' then
    raise exception 'Cannot set cool-down: "%" is not a connector name', coalesce(p_connector, '') using errcode = 'SY422';
  end if;
  if p_stream is null or length(p_stream) not between 1 and 200 then
    raise exception 'Cannot set cool-down of "%": a stream name is required', p_connector using errcode = 'SY422';
  end if;
  if p_seconds is null or p_seconds not between 0 and 86400 then
    raise exception 'Cannot set cool-down of "%/%": seconds must be between 0 and 86400 (got %)', p_connector, p_stream,
      coalesce(p_seconds::text, 'null') using errcode = 'SY422';
  end if;
  insert into sync.stream_cooldowns as c (connector, stream, cooldown_seconds) values (p_connector, p_stream, p_seconds)
  on conflict (connector, stream) do update set cooldown_seconds = excluded.cooldown_seconds, updated_at = now()
  returning * into v_row;
  return v_row;
end
$$;
revoke execute on function sync.set_stream_cooldown(text, text, integer) from public, anon, authenticated;
grant execute on function sync.set_stream_cooldown(text, text, integer) to service_role;

-- When the next automatic run of any of these streams of a connector account may start: the
-- latest end of a run of one of them plus its cool-down; null when none is cooling down at p_now.
create function sync.cooldown_until(p_connector text, p_account text, p_streams text[], p_now timestamptz default now())
returns timestamptz language sql stable set search_path = '' as $$
  select max(st.last_run_at + make_interval(secs => c.cooldown_seconds))
  from sync.stream_cooldowns c
  join sync.stream_status st on st.connector = c.connector and st.account = p_account and st.stream = c.stream
  where c.connector = p_connector and c.stream = any (p_streams) and c.cooldown_seconds > 0
  having max(st.last_run_at + make_interval(secs => c.cooldown_seconds)) > p_now
$$;
revoke execute on function sync.cooldown_until(text, text, text[], timestamptz) from public, anon, authenticated;
grant execute on function sync.cooldown_until(text, text, text[], timestamptz) to service_role;

-- Cool-downs with, per connector account, when the current gap ends (null: not cooling down).
create function sync.list_stream_cooldowns(p_now timestamptz default now())
returns table (connector text, stream text, cooldown_seconds integer, account text, last_run_at timestamptz,
  cooling_until timestamptz, updated_at timestamptz)
language sql stable set search_path = '' as $$
  select c.connector, c.stream, c.cooldown_seconds, st.account, st.last_run_at,
    case when st.last_run_at + make_interval(secs => c.cooldown_seconds) > p_now
      then st.last_run_at + make_interval(secs => c.cooldown_seconds) end,
    c.updated_at
  from sync.stream_cooldowns c
  left join sync.stream_status st on st.connector = c.connector and st.stream = c.stream
  order by 1, 2, 4
$$;
revoke execute on function sync.list_stream_cooldowns(timestamptz) from public, anon, authenticated;
grant execute on function sync.list_stream_cooldowns(timestamptz) to service_role;

-- Puts claimed webhook inbox rows of a cooling stream aside until p_until: they stay pending but
-- are not claimed again before then (no re-claiming every pass, and a big burst cannot crowd out
-- other streams' events); after it the next pass coalesces them into one job.
create function sync.defer_webhooks(p_ids bigint[], p_until timestamptz, p_reason text)
returns integer language sql set search_path = '' as $$
  with d as (
    update sync.webhook_inbox set status = 'processing', claimed_until = p_until, error = p_reason
    where id = any (p_ids) and status = 'processing' returning 1)
  select count(*)::integer from d
$$;
revoke execute on function sync.defer_webhooks(bigint[], timestamptz, text) from public, anon, authenticated;
grant execute on function sync.defer_webhooks(bigint[], timestamptz, text) to service_role;

alter table sync.stream_cooldowns enable row level security;
revoke all on sync.stream_cooldowns from public, anon, authenticated;
grant select, insert, update, delete on sync.stream_cooldowns to service_role;
