-- Syncline engine: the webhook inbox RPCs. A delivery is stored once per (provider, event_id);
-- workers claim pending rows with SKIP LOCKED and a visibility timeout, then finish them.
-- Error codes: SY404 no such inbox row, SY422 bad input.

-- a claimed row is hidden until then; past it, a crashed processor's rows are claimable again
alter table sync.webhook_inbox add column if not exists claimed_until timestamptz;

-- How long an event id is remembered after its first delivery, whatever the inbox retention:
-- longer than any vendor retries a delivery (Square: up to 72 hours after the event; HighLevel:
-- six retries 10 minutes apart, on 429 only) and than the replay window of signed timestamps, so
-- a retried or replayed delivery is always recognised, also after its inbox row was cleaned up.
create function sync.webhook_dedup_window() returns interval
language sql immutable set search_path = '' as $$
  select interval '7 days'
$$;
revoke execute on function sync.webhook_dedup_window() from public, anon, authenticated;
grant execute on function sync.webhook_dedup_window() to service_role;

-- The replay guard: one small row per (provider, event id) ever received, kept for
-- greatest(retention, webhook_dedup_window()) by the cleanup (sql/sync_retention.sql).
create table sync.webhook_dedup (
  provider text not null,
  event_id text not null,
  first_seen_at timestamptz not null default now(),
  primary key (provider, event_id)
);
create index webhook_dedup_seen_idx on sync.webhook_dedup (first_seen_at);
comment on table sync.webhook_dedup is
  'Event ids of webhook deliveries, kept at least sync.webhook_dedup_window() (7 days): the replay guard that outlives the inbox retention.';
insert into sync.webhook_dedup (provider, event_id, first_seen_at)
select provider, event_id, received_at from sync.webhook_inbox
on conflict do nothing;

-- Stores a delivery unless its event id was seen; returns the row id and whether it was new.
create function sync.receive_webhook(p_provider text, p_event_id text, p_event_type text,
  p_account text default 'default', p_payload jsonb default '{}'::jsonb, p_status text default 'received')
returns table (id bigint, is_new boolean) language plpgsql set search_path = '' as $$
declare
  v_id bigint;
begin
  if coalesce(p_provider, '') = '' or coalesce(p_event_id, '') = '' then
    raise exception 'Cannot store webhook: provider and event id are required' using errcode = 'SY422';
  end if;
  if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
    raise exception 'Cannot store webhook % of "%": payload is not a JSON object', p_event_id, p_provider
      using errcode = 'SY422';
  end if;
  if p_status not in ('received', 'ignored') then
    raise exception 'Cannot store webhook % of "%": initial status "%" is not received or ignored',
      p_event_id, p_provider, p_status using errcode = 'SY422';
  end if;
  -- the event id is claimed first: a concurrent duplicate waits here, then finds it taken
  insert into sync.webhook_dedup (provider, event_id) values (p_provider, p_event_id) on conflict do nothing;
  if found then
    insert into sync.webhook_inbox (provider, event_id, event_type, account, payload, status, processed_at)
    values (p_provider, p_event_id, coalesce(nullif(p_event_type, ''), 'unknown'), coalesce(nullif(p_account, ''), 'default'),
      p_payload, p_status, case when p_status = 'ignored' then now() end)
    on conflict (provider, event_id) do nothing
    returning webhook_inbox.id into v_id;
    if v_id is not null then
      return query select v_id, true;
      return;
    end if;
  end if;
  -- a duplicate: the inbox row's id, or null when the cleanup has already removed it
  return query select (select w.id from sync.webhook_inbox w where w.provider = p_provider and w.event_id = p_event_id),
    false;
end
$$;
revoke execute on function sync.receive_webhook(text, text, text, text, jsonb, text) from public, anon, authenticated;
grant execute on function sync.receive_webhook(text, text, text, text, jsonb, text) to service_role;

-- Claims up to p_limit pending rows (oldest first), hiding them for p_visibility_seconds.
create function sync.claim_webhooks(p_limit integer default 50, p_visibility_seconds integer default 60,
  p_ids bigint[] default null)
returns setof sync.webhook_inbox language sql set search_path = '' as $$
  with next as (
    select w.id from sync.webhook_inbox w
    where (w.status = 'received' or (w.status = 'processing' and w.claimed_until < clock_timestamp()))
      and (p_ids is null or w.id = any (p_ids))
    order by w.received_at, w.id
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update sync.webhook_inbox w
  set status = 'processing', attempts = w.attempts + 1,
      claimed_until = clock_timestamp() + make_interval(secs => p_visibility_seconds)
  from next where w.id = next.id
  returning w.*
$$;
revoke execute on function sync.claim_webhooks(integer, integer, bigint[]) from public, anon, authenticated;
grant execute on function sync.claim_webhooks(integer, integer, bigint[]) to service_role;

-- Ends processing of a row: processed/failed/ignored are final; received hands it back for a retry.
create function sync.finish_webhook(p_id bigint, p_status text, p_error text default null, p_job_id bigint default null)
returns sync.webhook_inbox language plpgsql set search_path = '' as $$
declare
  v_row sync.webhook_inbox;
begin
  if p_status is null or p_status not in ('processed', 'failed', 'ignored', 'received') then
    raise exception 'Cannot finish webhook %: "%" is not a status (processed, failed, ignored, received)', p_id, p_status
      using errcode = 'SY422';
  end if;
  update sync.webhook_inbox
  set status = p_status, error = p_error, job_id = coalesce(p_job_id, job_id), claimed_until = null,
      processed_at = case when p_status = 'received' then null else now() end
  where id = p_id
  returning * into v_row;
  if not found then
    raise exception 'Webhook % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$$;
revoke execute on function sync.finish_webhook(bigint, text, text, bigint) from public, anon, authenticated;
grant execute on function sync.finish_webhook(bigint, text, text, bigint) to service_role;

alter table sync.webhook_dedup enable row level security;
revoke all on sync.webhook_dedup from public, anon, authenticated;
grant select, insert, update, delete on sync.webhook_dedup to service_role;
