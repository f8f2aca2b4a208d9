-- Syncline reliability, rate limits: the vendor's published limit ("at most N requests in any W")
-- per external source, shared by every worker. A request reserves the earliest time that keeps every
-- window's count (never before the last reservation) and goes then without asking again. The
-- arithmetic mirrors functions/_shared/engine/rate_limit.ts (pure, tested without I/O; the shared
-- cases in reliability_cases.ts run against both); here it runs under a row lock.
-- Error codes: SY422 bad input.

create table sync.rate_limits (
  source text primary key check (length(source) between 1 and 200),
  -- the reserved times of the last requests, oldest first (as many as the largest window allows)
  sent timestamptz[] not null default '{}',
  taken bigint not null default 0,
  updated_at timestamptz not null default clock_timestamp()
);
comment on table sync.rate_limits is 'Reserved request times per external source, shared by all workers; see sync.rate_take.';
alter table sync.rate_limits enable row level security;
revoke all on sync.rate_limits from public, anon, authenticated;
grant select, insert, update, delete on sync.rate_limits to service_role;

-- Reserves a request for p_source under p_windows ([{"requests": n, "windowMs": ms}, ...]: at most n
-- reserved times in any ms); returns 0 when it may go now, else the ms until its time (the caller
-- sends then without asking again). The windows come from the caller each time, so a configuration
-- change applies at once. p_now is the clock (tests pass one to run the shared cases exactly).
create function sync.rate_take(p_source text, p_windows jsonb, p_now timestamptz default null)
returns integer language plpgsql set search_path = '' as $$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_sent timestamptz[];
  v_n integer;
  v_at timestamptz;
  v_keep integer := 0;
  v_requests integer;
  v_ms double precision;
  v_window jsonb;
begin
  if jsonb_typeof(p_windows) is distinct from 'array' or jsonb_array_length(p_windows) = 0 then
    raise exception 'Cannot rate-limit "%": give one or more windows [{"requests", "windowMs"}]', p_source
      using errcode = 'SY422';
  end if;
  insert into sync.rate_limits (source) values (p_source) on conflict (source) do nothing;
  select r.sent into v_sent from sync.rate_limits r where r.source = p_source for update;
  v_n := cardinality(v_sent);
  v_at := greatest(v_now, v_sent[v_n]);
  for v_window in select value from jsonb_array_elements(p_windows) loop
    v_requests := (v_window ->> 'requests')::integer;
    v_ms := (v_window ->> 'windowMs')::double precision;
    if v_requests is null or v_requests < 1 or v_ms is null or v_ms <= 0 then
      raise exception 'Cannot rate-limit "%": window % must have requests >= 1 and windowMs > 0', p_source, v_window
        using errcode = 'SY422';
    end if;
    v_keep := greatest(v_keep, v_requests);
    -- the v_requests-th most recent reservation must have left the window first
    if v_n >= v_requests then
      v_at := greatest(v_at, v_sent[v_n - v_requests + 1] + make_interval(secs => v_ms / 1000));
    end if;
  end loop;
  update sync.rate_limits r set sent = v_sent[greatest(1, v_n + 2 - v_keep):v_n] || v_at,
    taken = r.taken + 1, updated_at = clock_timestamp()
  where r.source = p_source;
  return greatest(0, ceil(extract(epoch from v_at - v_now) * 1000))::integer;
end
$$;
revoke execute on function sync.rate_take(text, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function sync.rate_take(text, jsonb, timestamptz) to service_role;
