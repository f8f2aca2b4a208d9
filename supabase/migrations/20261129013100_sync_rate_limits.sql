-- Syncline reliability, rate limits: a token bucket per external source for the vendor's rate
-- limit, shared by every worker. The arithmetic mirrors functions/_shared/engine/rate_limit.ts
-- (pure, tested without I/O); here it runs under a row lock.
-- Error codes: SY422 bad input.

create table sync.rate_limits (
  source text primary key check (length(source) between 1 and 200),
  tokens double precision not null,
  capacity double precision not null check (capacity >= 1),
  refill_per_second double precision not null check (refill_per_second > 0),
  refilled_at timestamptz not null default clock_timestamp(),
  taken bigint not null default 0
);
comment on table sync.rate_limits is 'Token bucket per external source, shared by all workers; see sync.rate_take.';
alter table sync.rate_limits enable row level security;
revoke all on sync.rate_limits from public, anon, authenticated;
grant select, insert, update, delete on sync.rate_limits to service_role;

-- Takes (reserves) one token for p_source; returns 0 when the request may go now, else the ms until
-- its token is due: the caller sends then without asking again. An empty bucket goes into debt by
-- the tokens reserved ahead, so waiting workers are served in turn at exactly the refill rate.
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
    v_rl.tokens + greatest(0, extract(epoch from v_now - v_rl.refilled_at)) * p_refill_per_second) - 1;
  update sync.rate_limits r set tokens = v_tokens, capacity = p_capacity,
    refill_per_second = p_refill_per_second, refilled_at = v_now, taken = r.taken + 1
  where r.source = p_source;
  if v_tokens >= 0 then
    return 0;
  end if;
  return greatest(1, ceil(-v_tokens / p_refill_per_second * 1000))::integer;
end
$$;
revoke execute on function sync.rate_take(text, double precision, double precision, timestamptz) from public, anon, authenticated;
grant execute on function sync.rate_take(text, double precision, double precision, timestamptz) to service_role;
