-- Syncline reliability: state every worker shares so that many workers behave as one client
-- of each external API. A circuit breaker per source (closed / open / half_open), a token
-- bucket per source for the vendor's rate limit, HTTP figures per job, and failed-item reads.
-- The transitions mirror functions/_shared/engine/circuit.ts and rate_limit.ts (pure, tested
-- without I/O); here they run under a row lock so concurrent workers see one state.
-- Error codes: SY404 not found, SY409 conflict, SY422 bad input.

-- ---------------------------------------------------------------------------------------
-- Circuit breakers
-- ---------------------------------------------------------------------------------------

create table sync.circuit_breakers (
  source text primary key check (length(source) between 1 and 200),
  state text not null default 'closed' check (state in ('closed', 'open', 'half_open')),
  -- consecutive transient failures (reset by a success)
  failures integer not null default 0 check (failures >= 0),
  opened_at timestamptz,
  -- open: when a probe may go; half_open: when the probe in flight is presumed lost
  retry_at timestamptz,
  last_error text,
  updated_at timestamptz not null default now()
);
comment on table sync.circuit_breakers is 'One circuit breaker per external source (e.g. "square/default"), shared by all workers.';

-- May a request to p_source go now? Opens the half-open probe slot when the cool-down is over.
create function sync.circuit_allow(p_source text, p_probe_ms integer default 60000,
  out allowed boolean, out state text, out failures integer, out retry_in_ms integer)
language plpgsql set search_path = '' as $$
declare
  v_cb sync.circuit_breakers;
  v_now timestamptz := clock_timestamp();
begin
  -- fast path: a closed circuit needs no lock
  select * into v_cb from sync.circuit_breakers c where c.source = p_source;
  if not found or v_cb.state = 'closed' then
    allowed := true; state := 'closed'; failures := coalesce(v_cb.failures, 0); retry_in_ms := 0;
    return;
  end if;
  select * into v_cb from sync.circuit_breakers c where c.source = p_source for update;
  failures := v_cb.failures;
  if v_cb.state = 'closed' then
    allowed := true; state := 'closed'; retry_in_ms := 0;
  elsif v_now >= v_cb.retry_at then
    -- open and cooled down, or a half-open probe presumed lost: this request is the probe
    update sync.circuit_breakers c set state = 'half_open',
      retry_at = v_now + make_interval(secs => p_probe_ms / 1000.0), updated_at = v_now
    where c.source = p_source;
    allowed := true; state := 'half_open'; retry_in_ms := 0;
  else
    allowed := false; state := v_cb.state;
    retry_in_ms := ceil(extract(epoch from v_cb.retry_at - v_now) * 1000)::integer;
  end if;
end
$$;

-- Records the outcome of a request: a success closes the circuit; p_threshold consecutive
-- transient failures (or a failed half-open probe) open it for p_cooldown_ms.
create function sync.circuit_record(p_source text, p_success boolean, p_threshold integer default 5,
  p_cooldown_ms integer default 30000, p_error text default null)
returns sync.circuit_breakers language plpgsql set search_path = '' as $$
declare
  v_cb sync.circuit_breakers;
  v_now timestamptz := clock_timestamp();
begin
  if p_threshold < 1 or p_cooldown_ms < 0 then
    raise exception 'Cannot record circuit outcome for "%": threshold % and cool-down % ms must be positive',
      p_source, p_threshold, p_cooldown_ms using errcode = 'SY422';
  end if;
  insert into sync.circuit_breakers (source) values (p_source) on conflict (source) do nothing;
  select * into v_cb from sync.circuit_breakers c where c.source = p_source for update;
  if p_success then
    update sync.circuit_breakers c set state = 'closed', failures = 0, opened_at = null, retry_at = null,
      updated_at = v_now
    where c.source = p_source returning * into v_cb;
  elsif v_cb.state = 'half_open' or (v_cb.state = 'closed' and v_cb.failures + 1 >= p_threshold) then
    update sync.circuit_breakers c set state = 'open', failures = v_cb.failures + 1, opened_at = v_now,
      retry_at = v_now + make_interval(secs => p_cooldown_ms / 1000.0), last_error = p_error, updated_at = v_now
    where c.source = p_source returning * into v_cb;
  else
    -- closed below the threshold, or open already (a request that started before it opened)
    update sync.circuit_breakers c set failures = v_cb.failures + 1, last_error = coalesce(p_error, v_cb.last_error),
      updated_at = v_now
    where c.source = p_source returning * into v_cb;
  end if;
  return v_cb;
end
$$;

-- Operator override: closes a circuit at once (after fixing credentials, say).
create function sync.circuit_reset(p_source text)
returns void language sql set search_path = '' as $$
  update sync.circuit_breakers set state = 'closed', failures = 0, opened_at = null, retry_at = null,
    updated_at = clock_timestamp()
  where source = p_source
$$;

-- ---------------------------------------------------------------------------------------
-- Rate limits: a token bucket per source
-- ---------------------------------------------------------------------------------------

create table sync.rate_limits (
  source text primary key check (length(source) between 1 and 200),
  tokens double precision not null,
  capacity double precision not null check (capacity >= 1),
  refill_per_second double precision not null check (refill_per_second > 0),
  refilled_at timestamptz not null default clock_timestamp(),
  taken bigint not null default 0
);
comment on table sync.rate_limits is 'Token bucket per external source, shared by all workers; see sync.rate_take.';

-- Takes one token for p_source; returns 0 when taken, else the ms to wait before asking again.
-- Capacity and refill come from the caller each time, so a configuration change applies at once.
-- p_now is the clock (tests pass one to run the shared cases exactly; callers leave it out).
create function sync.rate_take(p_source text, p_capacity double precision, p_refill_per_second double precision,
  p_now timestamptz default null)
returns integer language plpgsql set search_path = '' as $$
declare
  v_rl sync.rate_limits;
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_tokens double precision;
begin
  if p_capacity < 1 or p_refill_per_second <= 0 then
    raise exception 'Cannot rate-limit "%": capacity % must be >= 1 and refill % > 0', p_source, p_capacity,
      p_refill_per_second using errcode = 'SY422';
  end if;
  insert into sync.rate_limits (source, tokens, capacity, refill_per_second, refilled_at)
  values (p_source, p_capacity, p_capacity, p_refill_per_second, v_now) on conflict (source) do nothing;
  select * into v_rl from sync.rate_limits r where r.source = p_source for update;
  v_tokens := least(p_capacity,
    v_rl.tokens + greatest(0, extract(epoch from v_now - v_rl.refilled_at)) * p_refill_per_second);
  if v_tokens >= 1 then
    update sync.rate_limits r set tokens = v_tokens - 1, capacity = p_capacity,
      refill_per_second = p_refill_per_second, refilled_at = v_now, taken = r.taken + 1
    where r.source = p_source;
    return 0;
  end if;
  update sync.rate_limits r set tokens = v_tokens, capacity = p_capacity, refill_per_second = p_refill_per_second,
    refilled_at = v_now
  where r.source = p_source;
  return greatest(1, ceil((1 - v_tokens) / p_refill_per_second * 1000))::integer;
end
$$;

-- ---------------------------------------------------------------------------------------
-- HTTP figures per job
-- ---------------------------------------------------------------------------------------

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

-- ---------------------------------------------------------------------------------------
-- Failed items
-- ---------------------------------------------------------------------------------------

-- Open failed items a retry job re-attempts, oldest first: those whose backoff is over (or the
-- ids asked for), not yet attempted since p_attempted_before (the retry job's start), so a job
-- never re-attempts an item it already tried.
create function sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer default 100,
  p_ids bigint[] default null, p_attempted_before timestamptz default null)
returns setof sync.failed_items language sql stable set search_path = '' as $$
  select * from sync.failed_items f
  where f.connector = p_connector and f.account = p_account and f.stream = p_stream and f.resolved_at is null
    and (case when p_ids is null then f.next_retry_at <= clock_timestamp() else f.id = any (p_ids) end)
    and (p_attempted_before is null or f.last_attempt_at < p_attempted_before)
  order by f.next_retry_at, f.id
  limit p_limit
$$;

-- Resolves (the record landed) or dismisses (an operator gave up on it) one open failed item.
create function sync.close_failed_item(p_id bigint, p_resolution text)
returns sync.failed_items language plpgsql set search_path = '' as $$
declare
  v_row sync.failed_items;
begin
  if p_resolution not in ('resolved', 'dismissed') then
    raise exception 'Cannot close failed item %: "%" is not a resolution (resolved, dismissed)', p_id, p_resolution
      using errcode = 'SY422';
  end if;
  select * into v_row from sync.failed_items where id = p_id for update;
  if not found then
    raise exception 'Failed item % does not exist', p_id using errcode = 'SY404';
  end if;
  if v_row.resolved_at is not null then
    raise exception 'Cannot % failed item %: it was already % at %', case p_resolution when 'resolved' then 'resolve'
      else 'dismiss' end, p_id, v_row.resolution, v_row.resolved_at
      using errcode = 'SY409', detail = json_build_object('id', p_id, 'resolution', v_row.resolution)::text;
  end if;
  update sync.failed_items set resolved_at = clock_timestamp(), resolution = p_resolution where id = p_id
  returning * into v_row;
  return v_row;
end
$$;

alter table sync.circuit_breakers enable row level security;
alter table sync.rate_limits enable row level security;
alter table sync.job_http_stats enable row level security;
revoke all on sync.circuit_breakers, sync.rate_limits, sync.job_http_stats from public, anon, authenticated;
grant select, insert, update, delete on sync.circuit_breakers, sync.rate_limits, sync.job_http_stats to service_role;

revoke execute on function
  sync.circuit_allow(text, integer),
  sync.circuit_record(text, boolean, integer, integer, text),
  sync.circuit_reset(text),
  sync.rate_take(text, double precision, double precision, timestamptz),
  sync.add_http_stats(bigint, text, jsonb),
  sync.due_failed_items(text, text, text, integer, bigint[], timestamptz),
  sync.close_failed_item(bigint, text)
from public;
grant execute on function
  sync.circuit_allow(text, integer),
  sync.circuit_record(text, boolean, integer, integer, text),
  sync.circuit_reset(text),
  sync.rate_take(text, double precision, double precision, timestamptz),
  sync.add_http_stats(bigint, text, jsonb),
  sync.due_failed_items(text, text, text, integer, bigint[], timestamptz),
  sync.close_failed_item(bigint, text)
to service_role;
