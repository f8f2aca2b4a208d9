-- Syncline engine: a job waits for its source instead of failing. A source that rate-limits (429)
-- longer than a run may wait, or is down (its circuit open, its retries spent), defers the job
-- (sync.defer_job): it goes back to the queue with its checkpoints, claimable again from run_after,
-- the time the source named. waiting_since is when the source last answered well; the worker fails
-- the job once that is longer ago than the connector's give-up time (giveUpAfterMs, 30 min).

alter table sync.jobs add column run_after timestamptz;
alter table sync.jobs add column waiting_since timestamptz;
comment on column sync.jobs.run_after is 'A deferred job is not claimed before this time (the time its source named).';
comment on column sync.jobs.waiting_since is 'When the source of a deferred job last answered well (429s and outages since).';

-- Claims the oldest claimable job (queued and due, or running with an expired lease) for a worker.
create or replace function sync.claim_job(p_worker text, p_lease_seconds integer default 60, p_connector text default null)
returns setof sync.jobs language sql set search_path = '' as $$
  with next as (
    select id from sync.jobs
    where ((status = 'queued' and (run_after is null or run_after <= clock_timestamp()))
        or (status = 'running' and lease_expires_at < clock_timestamp()))
      and (p_connector is null or connector = p_connector)
    order by created_at, id
    limit 1
    for update skip locked
  )
  update sync.jobs j
  set status = 'running', lease_owner = p_worker,
      lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), attempts = j.attempts + 1, run_after = null,
      started_at = coalesce(j.started_at, clock_timestamp()), updated_at = clock_timestamp()
  from next where j.id = next.id
  returning j.*
$$;

-- Budget spent: the job goes back to the queue and continues from its checkpoints (its source
-- answered well, so it is waiting for nothing).
create or replace function sync.release_job(p_job_id bigint, p_worker text)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  perform sync._assert_lease(p_job_id, p_worker);
  update sync.jobs set status = 'queued', lease_owner = null, lease_expires_at = null, waiting_since = null,
    updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$$;

-- The source asked to wait (429) or is down: the job goes back to the queue until p_run_after,
-- keeping its checkpoints; p_reason is shown as its error meanwhile.
create function sync.defer_job(p_job_id bigint, p_worker text, p_run_after timestamptz, p_reason text,
  p_waiting_since timestamptz)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  if p_run_after is null or p_waiting_since is null then
    raise exception 'Cannot defer job %: run_after and waiting_since are required', p_job_id using errcode = 'SY422';
  end if;
  perform sync._assert_lease(p_job_id, p_worker);
  update sync.jobs set status = 'queued', lease_owner = null, lease_expires_at = null, run_after = p_run_after,
    waiting_since = p_waiting_since, error = p_reason, updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$$;
revoke execute on function sync.defer_job(bigint, text, timestamptz, text, timestamptz) from public, anon, authenticated;
grant execute on function sync.defer_job(bigint, text, timestamptz, text, timestamptz) to service_role;
