-- Syncline reliability, HTTP figures per job: requests, retries, failures, time spent waiting for
-- the rate limit and circuit rejections each job sent to each source, summed over its invocations.

create table sync.job_http_stats (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  source text not null,
  requests bigint not null default 0,
  retries bigint not null default 0,
  failures bigint not null default 0,
  rate_limited_ms bigint not null default 0,
  circuit_rejections bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (job_id, source)
);
comment on table sync.job_http_stats is 'Requests, retries and failures a job sent to each source, summed over its invocations.';
alter table sync.job_http_stats enable row level security;
revoke all on sync.job_http_stats from public, anon, authenticated;
grant select, insert, update, delete on sync.job_http_stats to service_role;

-- Adds one invocation's HTTP figures to a job; also copies the totals into jobs.stats.http
-- (call it after finish_job, which rewrites stats).
create function sync.add_http_stats(p_job_id bigint, p_source text, p_delta jsonb)
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_totals jsonb;
begin
  insert into sync.job_http_stats as h (job_id, source, requests, retries, failures, rate_limited_ms, circuit_rejections)
  values (p_job_id, p_source, coalesce((p_delta ->> 'requests')::bigint, 0), coalesce((p_delta ->> 'retries')::bigint, 0),
    coalesce((p_delta ->> 'failures')::bigint, 0), coalesce((p_delta ->> 'rateLimitedMs')::bigint, 0),
    coalesce((p_delta ->> 'circuitRejections')::bigint, 0))
  on conflict (job_id, source) do update set
    requests = h.requests + excluded.requests, retries = h.retries + excluded.retries,
    failures = h.failures + excluded.failures, rate_limited_ms = h.rate_limited_ms + excluded.rate_limited_ms,
    circuit_rejections = h.circuit_rejections + excluded.circuit_rejections, updated_at = clock_timestamp();
  select jsonb_build_object('requests', sum(requests), 'retries', sum(retries), 'failures', sum(failures),
      'rate_limited_ms', sum(rate_limited_ms), 'circuit_rejections', sum(circuit_rejections))
  into v_totals from sync.job_http_stats where job_id = p_job_id;
  update sync.jobs set stats = stats || jsonb_build_object('http', v_totals) where id = p_job_id;
  return v_totals;
end
$$;
revoke execute on function sync.add_http_stats(bigint, text, jsonb) from public, anon, authenticated;
grant execute on function sync.add_http_stats(bigint, text, jsonb) to service_role;
