-- Syncline reliability, circuit breakers: one per external source (closed / open / half_open),
-- shared by every worker so that many workers behave as one client of each API. The transitions
-- mirror functions/_shared/engine/circuit.ts (pure, tested without I/O); here they run under a
-- row lock so concurrent workers see one state. Callers: functions/_shared/engine/pg_guards.ts.
-- Error codes: SY422 bad input.

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
alter table sync.circuit_breakers enable row level security;
revoke all on sync.circuit_breakers from public, anon, authenticated;
grant select, insert, update, delete on sync.circuit_breakers to service_role;

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
revoke execute on function sync.circuit_allow(text, integer) from public, anon, authenticated;
grant execute on function sync.circuit_allow(text, integer) to service_role;

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
revoke execute on function sync.circuit_record(text, boolean, integer, integer, text) from public, anon, authenticated;
grant execute on function sync.circuit_record(text, boolean, integer, integer, text) to service_role;

-- Operator override: closes a circuit at once (after fixing credentials, say).
create function sync.circuit_reset(p_source text)
returns void language sql set search_path = '' as $$
  update sync.circuit_breakers set state = 'closed', failures = 0, opened_at = null, retry_at = null,
    updated_at = clock_timestamp()
  where source = p_source
$$;
revoke execute on function sync.circuit_reset(text) from public, anon, authenticated;
grant execute on function sync.circuit_reset(text) to service_role;
