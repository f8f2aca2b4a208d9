-- Syncline engine: shards. A large full or historical read of one stream is split into time windows
-- (shards) that several workers or Edge Function invocations claim in parallel (SKIP LOCKED), each
-- with its own lease and checkpoint; the job's coordinator (the worker holding the job's lease) plans
-- them, works shards itself, waits for the others and finishes the stream when all are done. Every
-- page of a shard is fenced by the shard's lease, and its progress is added to the job's progress row
-- of the stream, so progress adds up across shards. The shared token bucket (sync.rate_take) keeps the
-- total request rate within the vendor's limit. See README "Shards".
-- Error codes: SY404 no such shard, SY410 shard lease lost, SY422 bad input.

create table sync.job_shards (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  stream text not null,
  shard integer not null check (shard >= 0),
  -- the window of the source's updated time it reads: [window_start, window_end); null is open
  window_start timestamptz,
  window_end timestamptz,
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'cancelled')),
  -- where the shard's read stopped (its own checkpoint) and the reader's state (listing_plan.ts)
  cursor text,
  state jsonb not null default '{}'::jsonb check (jsonb_typeof(state) = 'object'),
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  attempts integer not null default 0,
  -- the shard's own figures (the job's progress row of the stream holds their sum)
  done bigint not null default 0,
  total bigint,
  inserted bigint not null default 0,
  updated bigint not null default 0,
  unchanged bigint not null default 0,
  stale bigint not null default 0,
  failed bigint not null default 0,
  error text,
  -- when the coordinator planned the windows (the stream's high-water mark never passes it)
  planned_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (job_id, stream, shard),
  check (window_start is null or window_end is null or window_start < window_end),
  check ((status in ('done', 'failed', 'cancelled')) = (finished_at is not null))
);
comment on table sync.job_shards is 'Time windows of one stream of a job, read in parallel by several workers; see sync.claim_shard.';
create index job_shards_claim_idx on sync.job_shards (job_id, shard) where status in ('pending', 'running');
alter table sync.job_shards enable row level security;
revoke all on sync.job_shards from public, anon, authenticated;
grant select, insert, update, delete on sync.job_shards to service_role;

-- Wakes one more worker per shard beyond the first (pg_net on Supabase; a polling worker finds
-- them anyway). Security definer because sync._wake_worker reads Vault.
create function sync._wake_for_shards(p_job_id bigint, p_shards integer) returns void
language plpgsql security definer set search_path = '' as $$
begin
  for i in 2 .. p_shards loop
    perform sync._wake_worker('shard', p_job_id);
  end loop;
end
$$;
revoke execute on function sync._wake_for_shards(bigint, integer) from public, anon, authenticated;
grant execute on function sync._wake_for_shards(bigint, integer) to service_role;

-- Plans the shards of a stream of a job held by p_worker: one row per window of p_windows
-- ([{"start": iso|null, "end": iso|null, "cursor": where its read starts|absent}, ...], in order)
-- planned at p_planned_at, unless the stream
-- already has shards (a resumed coordinator): then nothing changes. Returns the number of shards.
create function sync.plan_shards(p_job_id bigint, p_worker text, p_stream text, p_windows jsonb,
  p_planned_at timestamptz)
returns integer language plpgsql set search_path = '' as $$
declare
  v_n integer;
begin
  perform sync._assert_lease(p_job_id, p_worker);
  select count(*) into v_n from sync.job_shards where job_id = p_job_id and stream = p_stream;
  if v_n > 0 then
    return v_n;
  end if;
  if jsonb_typeof(p_windows) is distinct from 'array' or jsonb_array_length(p_windows) not between 1 and 64 then
    raise exception 'Cannot shard stream "%" of job %: give 1 to 64 windows', p_stream, p_job_id using errcode = 'SY422';
  end if;
  insert into sync.job_shards (job_id, stream, shard, window_start, window_end, cursor, planned_at)
  select p_job_id, p_stream, (w.n - 1)::integer, (w.value ->> 'start')::timestamptz, (w.value ->> 'end')::timestamptz,
    w.value ->> 'cursor', p_planned_at
  from jsonb_array_elements(p_windows) with ordinality w(value, n);
  get diagnostics v_n = row_count;
  perform sync._wake_for_shards(p_job_id, v_n);
  return v_n;
end
$$;
revoke execute on function sync.plan_shards(bigint, text, text, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function sync.plan_shards(bigint, text, text, jsonb, timestamptz) to service_role;

-- Claims the first claimable shard (pending, or running with an expired lease) of an active job that
-- was not asked to stop; p_job_id limits it to one job (the coordinator's own), p_connector to one
-- connector. SKIP LOCKED: workers claiming at once get different shards.
create function sync.claim_shard(p_worker text, p_lease_seconds integer default 60, p_job_id bigint default null,
  p_connector text default null)
returns setof sync.job_shards language sql set search_path = '' as $$
  with next as (
    select s.job_id, s.stream, s.shard from sync.job_shards s
    join sync.jobs j on j.id = s.job_id
    where (s.status = 'pending' or (s.status = 'running' and s.lease_expires_at < clock_timestamp()))
      and j.status in ('queued', 'running') and not j.cancel_requested
      and (p_job_id is null or s.job_id = p_job_id)
      and (p_connector is null or j.connector = p_connector)
    order by s.job_id, s.shard
    limit 1
    for update of s skip locked
  )
  update sync.job_shards s
  set status = 'running', lease_owner = p_worker,
      lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), attempts = s.attempts + 1,
      started_at = coalesce(s.started_at, clock_timestamp()), updated_at = clock_timestamp()
  from next where (s.job_id, s.stream, s.shard) = (next.job_id, next.stream, next.shard)
  returning s.*
$$;
revoke execute on function sync.claim_shard(text, integer, bigint, text) from public, anon, authenticated;
grant execute on function sync.claim_shard(text, integer, bigint, text) to service_role;

-- Raises SY404/SY410 unless p_worker holds a live lease on the shard of an active job; returns the
-- shard row, locked.
create function sync._assert_shard_lease(p_job_id bigint, p_stream text, p_shard integer, p_worker text)
returns sync.job_shards language plpgsql set search_path = '' as $$
declare
  v_shard sync.job_shards;
  v_job_status text;
begin
  select * into v_shard from sync.job_shards
  where job_id = p_job_id and stream = p_stream and shard = p_shard for update;
  if not found then
    raise exception 'Shard % of stream "%" of job % does not exist', p_shard, p_stream, p_job_id using errcode = 'SY404';
  end if;
  select status into v_job_status from sync.jobs where id = p_job_id;
  if v_shard.status <> 'running' or v_shard.lease_owner is distinct from p_worker
      or v_job_status not in ('queued', 'running') then
    raise exception 'Worker "%" no longer holds shard % of stream "%" of job % (shard %, job %, lease owner %)',
      p_worker, p_shard, p_stream, p_job_id, v_shard.status, v_job_status, coalesce(v_shard.lease_owner, 'none')
      using errcode = 'SY410';
  end if;
  return v_shard;
end
$$;
revoke execute on function sync._assert_shard_lease(bigint, text, integer, text) from public, anon, authenticated;
grant execute on function sync._assert_shard_lease(bigint, text, integer, text) to service_role;

-- The bookkeeping of one merged page of a shard, in the page's transaction (after its rows, like
-- sync.commit_page): checks the shard's lease, moves the shard's checkpoint (cursor, state), adds
-- the figures to the shard and to the job's progress row of the stream (its total: the sum of the
-- shards' totals once every shard knows its own), extends the shard's lease and says whether the job
-- was asked to stop. The job row is only read, never locked: pages of several shards commit at once
-- (the progress row, updated last, is the one row they share), and the coordinator extends the job's
-- lease with its own heartbeats.
create function sync.commit_shard_page(p_job_id bigint, p_stream text, p_shard integer, p_worker text,
  p_counts jsonb, p_done integer, p_cursor text, p_state jsonb default null, p_total bigint default null,
  p_failed integer default 0, p_lease_seconds integer default 60)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_counts jsonb := coalesce(p_counts, jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0));
  v_total bigint;
  v_job sync.jobs;
begin
  perform sync._assert_shard_lease(p_job_id, p_stream, p_shard, p_worker);
  update sync.job_shards s set cursor = p_cursor, state = coalesce(p_state, s.state),
    done = s.done + p_done + p_failed, total = coalesce(p_total, s.total),
    inserted = s.inserted + coalesce((v_counts ->> 'inserted')::bigint, 0),
    updated = s.updated + coalesce((v_counts ->> 'updated')::bigint, 0),
    unchanged = s.unchanged + coalesce((v_counts ->> 'unchanged')::bigint, 0),
    stale = s.stale + coalesce((v_counts ->> 'stale')::bigint, 0),
    failed = s.failed + p_failed,
    lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where job_id = p_job_id and stream = p_stream and shard = p_shard;
  select case when count(*) = count(total) then sum(total) end into v_total
  from sync.job_shards where job_id = p_job_id and stream = p_stream;
  perform sync.report_progress(p_job_id, p_stream, p_done + p_failed, v_total, null,
    v_counts || jsonb_build_object('failed', p_failed));
  select * into v_job from sync.jobs where id = p_job_id;
  return v_counts || jsonb_build_object('cancel_requested', v_job.cancel_requested);
end
$$;
revoke execute on function sync.commit_shard_page(bigint, text, integer, text, jsonb, integer, text, jsonb, bigint, integer, integer) from public, anon, authenticated;
grant execute on function sync.commit_shard_page(bigint, text, integer, text, jsonb, integer, text, jsonb, bigint, integer, integer) to service_role;

-- Ends the worker's hold on a shard: 'done' (its window was read to the end), 'failed' (p_error
-- says why; the coordinator fails the job with it) or 'pending' (budget spent or asked to stop: it
-- goes back to be claimed again and resumes from its cursor).
create function sync.release_shard(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_status text,
  p_error text default null)
returns sync.job_shards language plpgsql set search_path = '' as $$
declare
  v_shard sync.job_shards;
begin
  if p_status not in ('done', 'failed', 'pending') then
    raise exception 'Cannot release shard % of job %: "%" is not done, failed or pending', p_shard, p_job_id, p_status
      using errcode = 'SY422';
  end if;
  perform sync._assert_shard_lease(p_job_id, p_stream, p_shard, p_worker);
  update sync.job_shards set status = p_status, error = p_error, lease_owner = null, lease_expires_at = null,
    finished_at = case when p_status = 'pending' then null else clock_timestamp() end, updated_at = clock_timestamp()
  where job_id = p_job_id and stream = p_stream and shard = p_shard
  returning * into v_shard;
  return v_shard;
end
$$;
revoke execute on function sync.release_shard(bigint, text, integer, text, text, text) from public, anon, authenticated;
grant execute on function sync.release_shard(bigint, text, integer, text, text, text) to service_role;

-- A job that ends takes its unfinished shards with it: they are cancelled (never claimed again).
create function sync._close_job_shards() returns trigger
language plpgsql set search_path = '' as $$
begin
  update sync.job_shards set status = 'cancelled', lease_owner = null, lease_expires_at = null,
    finished_at = clock_timestamp(), updated_at = clock_timestamp()
  where job_id = new.id and status in ('pending', 'running');
  return null;
end
$$;
revoke execute on function sync._close_job_shards() from public, anon, authenticated;
grant execute on function sync._close_job_shards() to service_role;

create trigger jobs_close_shards after update of status on sync.jobs
for each row when (new.finished_at is not null and old.finished_at is null)
execute function sync._close_job_shards();
