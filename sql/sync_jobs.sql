-- Syncline engine: job lifecycle RPCs. Workers claim jobs with a lease; every write a worker
-- makes checks it still holds the lease, so a worker presumed dead can never write again.
-- Error codes: SY404 no such job, SY409 conflicting active job or an account not active, SY410 lease lost, SY422 bad input.
-- The RPCs run as their caller, so service_role is granted their helpers too.

-- Starts a job unless one of its streams already has a queued or running job.
create function sync.create_job(p_connector text, p_streams text[], p_account text default 'default',
  p_mode text default 'incremental', p_options jsonb default '{}'::jsonb, p_trigger text default 'api',
  p_requested_by text default null)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_busy record;
  v_job sync.jobs;
  v_state text;
begin
  if p_streams is null or cardinality(p_streams) = 0 then
    raise exception 'Cannot start sync for "%": no streams given', p_connector using errcode = 'SY422';
  end if;
  -- serialises concurrent starts for one connector account
  perform pg_advisory_xact_lock(hashtextextended('sync.jobs:' || p_connector || '/' || p_account, 0));
  -- a registered account that is paused or needs re-authorisation starts nothing (sync_accounts.sql)
  select a.state into v_state from sync.accounts a where a.connector = p_connector and a.account = p_account;
  if v_state is distinct from 'active' and v_state is not null then
    raise exception 'Cannot start sync for "%": account "%" is %', p_connector, p_account,
      case v_state when 'paused' then 'paused (resume it first)'
        else 'waiting for re-authorisation (its credentials were refused)' end
      using errcode = 'SY409', detail = json_build_object('account', p_account, 'state', v_state)::text;
  end if;
  select j.id, j.status, s.stream into v_busy
  from sync.jobs j, unnest(j.streams) s(stream)
  where j.connector = p_connector and j.account = p_account and j.status in ('queued', 'running')
    and s.stream = any (p_streams)
  order by j.id limit 1;
  if found then
    raise exception 'Cannot start sync for "%": a sync of stream "%" is already % (job %)',
      p_connector, v_busy.stream, v_busy.status, v_busy.id
      using errcode = 'SY409', detail = json_build_object('job_id', v_busy.id, 'stream', v_busy.stream)::text;
  end if;
  insert into sync.jobs (connector, account, streams, mode, options, trigger, requested_by)
  values (p_connector, p_account, p_streams, p_mode, coalesce(p_options, '{}'::jsonb), p_trigger, p_requested_by)
  returning * into v_job;
  insert into sync.progress (job_id, phase) select v_job.id, s from unnest(p_streams) s;
  return v_job;
end
$$;
revoke execute on function sync.create_job(text, text[], text, text, jsonb, text, text) from public, anon, authenticated;
grant execute on function sync.create_job(text, text[], text, text, jsonb, text, text) to service_role;

-- Claims the oldest claimable job (queued, or running with an expired lease) for a worker.
create function sync.claim_job(p_worker text, p_lease_seconds integer default 60, p_connector text default null)
returns setof sync.jobs language sql set search_path = '' as $$
  with next as (
    select id from sync.jobs
    where (status = 'queued' or (status = 'running' and lease_expires_at < clock_timestamp()))
      and (p_connector is null or connector = p_connector)
    order by created_at, id
    limit 1
    for update skip locked
  )
  update sync.jobs j
  set status = 'running', lease_owner = p_worker,
      lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), attempts = j.attempts + 1,
      started_at = coalesce(j.started_at, clock_timestamp()), updated_at = clock_timestamp()
  from next where j.id = next.id
  returning j.*
$$;
revoke execute on function sync.claim_job(text, integer, text) from public, anon, authenticated;
grant execute on function sync.claim_job(text, integer, text) to service_role;

-- Returns the job as read, or raises SY404 (none: p_job is all null) or SY410 (not running under
-- p_worker's lease).
create function sync._refuse_unless_held(p_job sync.jobs, p_job_id bigint, p_worker text)
returns sync.jobs language plpgsql immutable set search_path = '' as $$
begin
  if p_job.id is null then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  if p_job.status <> 'running' or p_job.lease_owner is distinct from p_worker then
    raise exception 'Worker "%" no longer holds job % (status %, lease owner %)', p_worker, p_job_id, p_job.status,
      coalesce(p_job.lease_owner, 'none') using errcode = 'SY410';
  end if;
  return p_job;
end
$$;
revoke execute on function sync._refuse_unless_held(sync.jobs, bigint, text) from public, anon, authenticated;
grant execute on function sync._refuse_unless_held(sync.jobs, bigint, text) to service_role;

-- Raises SY410 unless p_worker holds a live lease on the job; returns the locked job.
create function sync._assert_lease(p_job_id bigint, p_worker text)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id for update;
  return sync._refuse_unless_held(v_job, p_job_id, p_worker);
end
$$;
revoke execute on function sync._assert_lease(bigint, text) from public, anon, authenticated;
grant execute on function sync._assert_lease(bigint, text) to service_role;

-- The same check without locking the job row: a stale worker is refused before it touches any
-- target row (merge_page). The fence itself is _assert_lease in commit_page, taken after the rows
-- (see merge_page for the order).
create function sync._check_lease(p_job_id bigint, p_worker text)
returns void language plpgsql stable set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id;
  perform sync._refuse_unless_held(v_job, p_job_id, p_worker);
end
$$;
revoke execute on function sync._check_lease(bigint, text) from public, anon, authenticated;
grant execute on function sync._check_lease(bigint, text) to service_role;

-- Extends the lease; returns true when cancellation was requested.
create function sync.heartbeat(p_job_id bigint, p_worker text, p_lease_seconds integer default 60)
returns boolean language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
begin
  update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where id = p_job_id;
  return v_job.cancel_requested;
end
$$;
revoke execute on function sync.heartbeat(bigint, text, integer) from public, anon, authenticated;
grant execute on function sync.heartbeat(bigint, text, integer) to service_role;

-- Progress arithmetic: percent, rate (records/s since the phase started) and ETA.
create function sync._progress_figures(p_done bigint, p_total bigint, p_started_at timestamptz, p_now timestamptz,
  out percent numeric, out rate numeric, out eta_seconds integer)
language sql immutable set search_path = '' as $$
  select
    case when p_total > 0 then round(least(100, 100.0 * p_done / p_total), 2) when p_total = 0 then 100 end,
    case when extract(epoch from p_now - p_started_at) > 0
      then round(p_done / extract(epoch from p_now - p_started_at), 2) end,
    case when p_total is not null and p_done > 0 and extract(epoch from p_now - p_started_at) > 0
      then ceil(greatest(p_total - p_done, 0) / (p_done / extract(epoch from p_now - p_started_at)))::integer end
$$;
revoke execute on function sync._progress_figures(bigint, bigint, timestamptz, timestamptz) from public, anon, authenticated;
grant execute on function sync._progress_figures(bigint, bigint, timestamptz, timestamptz) to service_role;

-- Records progress of one phase; p_counts adds to inserted/updated/unchanged/stale/failed/sanitised.
create function sync.report_progress(p_job_id bigint, p_phase text, p_done_delta bigint default 0,
  p_total bigint default null, p_message text default null, p_counts jsonb default '{}'::jsonb,
  p_status text default 'running')
returns sync.progress language plpgsql set search_path = '' as $$
declare
  v_row sync.progress;
  v_now timestamptz := clock_timestamp();
begin
  -- one write per report (one row version, one announcement), figures computed from the new totals
  insert into sync.progress as p (job_id, phase, status, done, total, message, started_at,
    inserted, updated, unchanged, stale, failed, sanitised, percent, rate, eta_seconds)
  select p_job_id, p_phase, p_status, p_done_delta, p_total, p_message, v_now,
    coalesce((p_counts ->> 'inserted')::bigint, 0), coalesce((p_counts ->> 'updated')::bigint, 0),
    coalesce((p_counts ->> 'unchanged')::bigint, 0), coalesce((p_counts ->> 'stale')::bigint, 0),
    coalesce((p_counts ->> 'failed')::bigint, 0), coalesce((p_counts ->> 'sanitised')::bigint, 0),
    f.percent, f.rate, f.eta_seconds
  from sync._progress_figures(p_done_delta, p_total, v_now, v_now) f
  on conflict (job_id, phase) do update set
    status = p_status, done = p.done + p_done_delta, total = coalesce(p_total, p.total),
    message = coalesce(p_message, p.message), started_at = coalesce(p.started_at, v_now),
    inserted = p.inserted + coalesce((p_counts ->> 'inserted')::bigint, 0),
    updated = p.updated + coalesce((p_counts ->> 'updated')::bigint, 0),
    unchanged = p.unchanged + coalesce((p_counts ->> 'unchanged')::bigint, 0),
    stale = p.stale + coalesce((p_counts ->> 'stale')::bigint, 0),
    failed = p.failed + coalesce((p_counts ->> 'failed')::bigint, 0),
    sanitised = p.sanitised + coalesce((p_counts ->> 'sanitised')::bigint, 0),
    (percent, rate, eta_seconds) = (select f.percent, f.rate, f.eta_seconds
      from sync._progress_figures(p.done + p_done_delta, coalesce(p_total, p.total), coalesce(p.started_at, v_now), v_now) f),
    updated_at = v_now
  returning * into v_row;
  return v_row;
end
$$;
revoke execute on function sync.report_progress(bigint, text, bigint, bigint, text, jsonb, text) from public, anon, authenticated;
grant execute on function sync.report_progress(bigint, text, bigint, bigint, text, jsonb, text) to service_role;

-- Saves where a stream stopped (cursor and high-water mark) for the job's connector account.
create function sync.save_checkpoint(p_job_id bigint, p_stream text, p_cursor text, p_high_water_mark timestamptz default null,
  p_state jsonb default null)
returns void language sql set search_path = '' as $$
  insert into sync.checkpoints as c (connector, account, stream, cursor, high_water_mark, state, job_id, updated_at)
  select j.connector, j.account, p_stream, p_cursor, p_high_water_mark, coalesce(p_state, '{}'::jsonb), j.id, clock_timestamp()
  from sync.jobs j where j.id = p_job_id
  on conflict (connector, account, stream) do update set
    cursor = excluded.cursor,
    high_water_mark = greatest(c.high_water_mark, excluded.high_water_mark),
    state = coalesce(p_state, c.state), job_id = excluded.job_id, updated_at = excluded.updated_at
$$;
revoke execute on function sync.save_checkpoint(bigint, text, text, timestamptz, jsonb) from public, anon, authenticated;
grant execute on function sync.save_checkpoint(bigint, text, text, timestamptz, jsonb) to service_role;

-- The bookkeeping of one merged page that does not move its stream's checkpoint (a page of a
-- retry job, a reconcile read, a dry run, a page ahead of the one the checkpoint may move to), in
-- the page's transaction: checks the lease (locking the job row), adds the progress (p_done
-- records, p_counts as merge_rows returned them, p_failed), and with p_lease_seconds extends the
-- lease and says whether a cancel was asked.
create function sync.commit_page_progress(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb,
  p_done integer, p_total bigint default null, p_failed integer default 0, p_lease_seconds integer default null)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
  v_counts jsonb := coalesce(p_counts, jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0));
begin
  perform sync.report_progress(p_job_id, p_stream, p_done + p_failed, p_total, null,
    v_counts || jsonb_build_object('failed', p_failed));
  if p_lease_seconds is not null then
    update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
    where id = p_job_id;
    v_counts := v_counts || jsonb_build_object('cancel_requested', v_job.cancel_requested);
  end if;
  return v_counts;
end
$$;
revoke execute on function sync.commit_page_progress(bigint, text, text, jsonb, integer, bigint, integer, integer) from public, anon, authenticated;
grant execute on function sync.commit_page_progress(bigint, text, text, jsonb, integer, bigint, integer, integer) to service_role;

-- The same bookkeeping that also moves the stream's checkpoint (cursor, high-water mark and the
-- connector's state; sync.save_checkpoint) to where the page ended. The lease is checked (and the
-- job row locked) before the checkpoint row.
create function sync.commit_page(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer,
  p_cursor text default null, p_high_water_mark timestamptz default null, p_total bigint default null,
  p_failed integer default 0, p_state jsonb default null, p_lease_seconds integer default null)
returns jsonb language plpgsql set search_path = '' as $$
begin
  perform sync._assert_lease(p_job_id, p_worker);
  perform sync.save_checkpoint(p_job_id, p_stream, p_cursor, p_high_water_mark, p_state);
  return sync.commit_page_progress(p_job_id, p_worker, p_stream, p_counts, p_done, p_total, p_failed,
    p_lease_seconds);
end
$$;
revoke execute on function sync.commit_page(bigint, text, text, jsonb, integer, text, timestamptz, bigint, integer, jsonb, integer) from public, anon, authenticated;
grant execute on function sync.commit_page(bigint, text, text, jsonb, integer, text, timestamptz, bigint, integer, jsonb, integer) to service_role;

-- One page, one transaction: merge the rows, move the checkpoint, add the progress.
-- Fenced by the lease, so a page is never written by a worker that lost its job. With
-- p_lease_seconds it is also the heartbeat: the lease is extended and the result carries
-- "cancel_requested", saving the worker a round trip per page.
-- Lock order, the same on every page path (this one and merge_rows + commit_page): the target's
-- rows first, the job row last (commit_page). Locking the job row first here, while a stale worker
-- held rows and waited for the job row, was a deadlock; now the stale worker gets the job row,
-- is refused (SY410) and rolls back, and the new owner goes on.
create function sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb,
  p_cursor text default null, p_high_water_mark timestamptz default null, p_total bigint default null,
  p_failed integer default 0, p_state jsonb default null, p_lease_seconds integer default null)
returns jsonb language plpgsql set search_path = '' as $$
begin
  perform sync._check_lease(p_job_id, p_worker);
  return sync.commit_page(p_job_id, p_worker, p_stream,
    case when p_target is not null then sync.merge_rows(p_target, p_rows, p_job_id) end,
    coalesce(jsonb_array_length(p_rows), 0), p_cursor, p_high_water_mark, p_total, p_failed, p_state,
    p_lease_seconds);
end
$$;
revoke execute on function sync.merge_page(bigint, text, text, text, jsonb, text, timestamptz, bigint, integer, jsonb, integer) from public, anon, authenticated;
grant execute on function sync.merge_page(bigint, text, text, text, jsonb, text, timestamptz, bigint, integer, jsonb, integer) to service_role;

-- merge_page for a page that does not move the checkpoint (see commit_page_progress).
create function sync.merge_page_progress(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb,
  p_total bigint default null, p_failed integer default 0, p_lease_seconds integer default null)
returns jsonb language plpgsql set search_path = '' as $$
begin
  perform sync._check_lease(p_job_id, p_worker);
  return sync.commit_page_progress(p_job_id, p_worker, p_stream,
    case when p_target is not null then sync.merge_rows(p_target, p_rows, p_job_id) end,
    coalesce(jsonb_array_length(p_rows), 0), p_total, p_failed, p_lease_seconds);
end
$$;
revoke execute on function sync.merge_page_progress(bigint, text, text, text, jsonb, bigint, integer, integer) from public, anon, authenticated;
grant execute on function sync.merge_page_progress(bigint, text, text, text, jsonb, bigint, integer, integer) to service_role;

-- Budget spent: the job goes back to the queue and continues from its checkpoints.
create function sync.release_job(p_job_id bigint, p_worker text)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  perform sync._assert_lease(p_job_id, p_worker);
  update sync.jobs set status = 'queued', lease_owner = null, lease_expires_at = null, updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$$;
revoke execute on function sync.release_job(bigint, text) from public, anon, authenticated;
grant execute on function sync.release_job(bigint, text) to service_role;

-- Ends a job. Stats sum its progress rows; a run with failed items or a completeness gap can never be
-- 'succeeded'.
create function sync.finish_job(p_job_id bigint, p_worker text, p_status text, p_error text default null)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
  v_stats jsonb;
  v_status text := p_status;
begin
  if p_status not in ('succeeded', 'partial', 'failed', 'cancelled') then
    raise exception 'Cannot finish job %: "%" is not a final status (succeeded, partial, failed, cancelled)', p_job_id, p_status
      using errcode = 'SY422';
  end if;
  perform sync._assert_lease(p_job_id, p_worker);
  select jsonb_build_object(
      'records', coalesce(sum(done), 0), 'inserted', coalesce(sum(inserted), 0), 'updated', coalesce(sum(updated), 0),
      'unchanged', coalesce(sum(unchanged), 0), 'stale', coalesce(sum(stale), 0), 'failed', coalesce(sum(failed), 0),
      'sanitised', coalesce(sum(sanitised), 0),
      'streams', coalesce(jsonb_object_agg(phase, jsonb_build_object('done', done, 'inserted', inserted,
        'updated', updated, 'unchanged', unchanged, 'stale', stale, 'failed', failed, 'sanitised', sanitised,
        'status', case when v_status = 'failed' and status = 'pending' then 'not_run' else status end)
        || jsonb_strip_nulls(jsonb_build_object('completeness', completeness))), '{}'::jsonb))
  into v_stats from sync.progress where job_id = p_job_id;
  -- failed items, or a gap between what the source has and what landed (sync_completeness.sql)
  if v_status = 'succeeded' and ((v_stats ->> 'failed')::bigint > 0
      or exists (select from sync.failed_items where job_id = p_job_id and resolved_at is null)
      or exists (select from sync.progress where job_id = p_job_id and completeness ->> 'status' = 'gap')) then
    v_status := 'partial';
  end if;
  -- a phase the failed job never reached is not run, not failed (it has nothing to show)
  update sync.progress set status = case
      when v_status = 'cancelled' then 'cancelled'
      when v_status = 'failed' and status = 'pending' then 'not_run'
      when v_status = 'failed' then 'failed' else 'done' end,
      updated_at = clock_timestamp()
  where job_id = p_job_id and status in ('pending', 'running');
  update sync.jobs set status = v_status, error = p_error, stats = v_stats, finished_at = clock_timestamp(),
    lease_owner = null, lease_expires_at = null, updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$$;
revoke execute on function sync.finish_job(bigint, text, text, text) from public, anon, authenticated;
grant execute on function sync.finish_job(bigint, text, text, text) to service_role;

-- Cancels a queued job at once; a running one stops at its next page boundary.
create function sync.cancel_job(p_job_id bigint)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id for update;
  if not found then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  if v_job.status in ('succeeded', 'partial', 'failed', 'cancelled') then
    raise exception 'Cannot cancel job %: it already finished (%)', p_job_id, v_job.status using errcode = 'SY409';
  end if;
  if v_job.status = 'queued' then
    update sync.progress set status = 'cancelled', updated_at = clock_timestamp()
    where job_id = p_job_id and status in ('pending', 'running');
    update sync.jobs set status = 'cancelled', cancel_requested = true, error = 'cancelled before it ran',
      finished_at = clock_timestamp(), updated_at = clock_timestamp(), lease_owner = null, lease_expires_at = null
    where id = p_job_id returning * into v_job;
  else
    update sync.jobs set cancel_requested = true, updated_at = clock_timestamp() where id = p_job_id returning * into v_job;
  end if;
  return v_job;
end
$$;
revoke execute on function sync.cancel_job(bigint) from public, anon, authenticated;
grant execute on function sync.cancel_job(bigint) to service_role;
