-- Issue 29: production stays true to the source after edits, refunds, replacements and corrections.
--   * a withdrawn root's rows get the source's current values (a full refund's amount) with the retire values
--     (sync._promotion_existing, sync.promote_roots);
--   * a replaced attendee is cancelled: events.attendees.status, the attendees step retires what a root no
--     longer yields;
--   * a root's fingerprint covers the catalog rows its line items read (events.square_check), and
--     sync.start_repromotion judges listed roots again regardless (promote --ids ... --force).
-- sql/promotion.sql, sql/promotion_runs.sql, sql/promotion_square.sql hold the definitions.

alter table events.attendees add column status text not null default 'active' check (status in ('active', 'cancelled'));

-- The rows of a withdrawn root to refresh in a per-root step: of p_rows ([{"r", "row", "e"}], the
-- step's rows for the roots), those already in the target, each with the step's retire values laid
-- over it, as [{"r", "row"}]. So a withdrawn chain carries the source's current values (a refund's
-- amount) and the retire values, and gains no row it did not have.
create function sync._promotion_existing(p_step sync.promotion_steps, p_rows jsonb)
returns jsonb language plpgsql stable set search_path = '' as $$
declare
  v_keys text[] := (select key_columns from sync.targets where target = p_step.target);
  v_res jsonb;
begin
  if p_step.tie_column is null or coalesce(jsonb_array_length(p_rows), 0) = 0 then
    return '[]'::jsonb;
  end if;
  execute format(
    'select coalesce(jsonb_agg(jsonb_build_object(''r'', x ->> ''r'', ''row'', (x -> ''row'') || $2)), ''[]'')
     from jsonb_array_elements($1) x
     where x ->> ''e'' is null and jsonb_typeof(x -> ''row'') = ''object''
       and exists (select from %s t where (%s) = (%s))',
    p_step.target::regclass,
    (select string_agg(format('t.%I::text', k), ', ') from unnest(v_keys) k),
    (select string_agg(format('x -> ''row'' ->> %L', k), ', ') from unnest(v_keys) k))
    into v_res using p_rows, coalesce(p_step.retire, '{}'::jsonb);
  return v_res;
end
$$;
revoke execute on function sync._promotion_existing(sync.promotion_steps, jsonb) from public, anon, authenticated;
grant execute on function sync._promotion_existing(sync.promotion_steps, jsonb) to service_role;

-- (jit off: the row functions' default estimates would make Postgres JIT-compile small queries.)
-- Judges and promotes the given roots of a plan, set-based, and records each one's outcome and step
-- log in sync.promotion_roots. Only pending roots are handled (never judged, failed before, or
-- whose import chain changed since: check_fn's version), unless p_force. Per root: ineligible ->
-- recorded with its reason (a promoted root that became ineligible for a withdraw reason is
-- withdrawn: the rows it has in per-root targets get the source's current values and the steps'
-- retire values, never deleted); eligible -> every step's rows
-- are computed, a root with a row error fails at that step, the rest are written (a write error
-- isolates its root by splitting the batch). Promotions of one plan are serialised.
-- Returns {"promoted","ineligible","failed","withdrawn","unchanged","missing"}.
create or replace function sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint default null,
  p_force boolean default false)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_steps sync.promotion_steps[];
  v_rows jsonb[] := '{}'::jsonb[];
  v_wrows jsonb[] := '{}'::jsonb[];
  v_judged jsonb;
  v_eligible text[];
  v_withdraw text[];
  v_failed jsonb;
  v_good text[];
  v_counts jsonb;
  v_i integer;
  v_seen integer;
  v_res jsonb;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_ids is null or cardinality(p_ids) = 0 then
    return jsonb_build_object('promoted', 0, 'ineligible', 0, 'failed', 0, 'withdrawn', 0, 'unchanged', 0, 'missing', 0);
  end if;
  perform pg_advisory_xact_lock(hashtextextended('sync.promotion:' || p_plan, 0));
  v_steps := array(select s from sync.promotion_steps s where s.plan = p_plan order by s.ordinal);

  -- judge: pending roots with their verdict, in source order
  execute format(
    'select coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object(''prev'', s.status) order by c.sort_at, c.root_id)
       filter (where $2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version), ''[]''),
       count(*) filter (where not ($2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version)),
       count(*)
     from (select distinct on (root_id) * from %s($1)) c
     left join sync.promotion_roots s on s.plan = $3 and s.root_id = c.root_id',
    sync._promotion_name('check_fn', v_plan.check_fn))
    into v_judged, v_i, v_seen using p_ids, p_force, p_plan;
  v_counts := jsonb_build_object('unchanged', v_i,
    'missing', (select count(distinct x) from unnest(p_ids) x) - v_seen);
  v_eligible := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j where j ->> 'reason_code' is null);
  v_withdraw := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j
    where j ->> 'prev' in ('promoted', 'withdrawn') and j ->> 'reason_code' = any (v_plan.withdraw_reasons));

  -- compute every step's rows for the eligible roots; a row error fails its root at that step
  for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
    execute format('select coalesce(jsonb_agg(jsonb_build_object(''r'', root_id, ''row'', data, ''e'', error)), ''[]'')
      from %s($1)', sync._promotion_name('rows_fn', v_steps[v_i].rows_fn))
      into v_res using v_eligible;
    v_rows[v_i] := v_res;
  end loop;
  select coalesce(jsonb_object_agg(r, jsonb_build_object('step', step, 'error', e)), '{}') into v_failed
  from (
    select distinct on (x ->> 'r') x ->> 'r' as r, v_steps[i].name as step, x ->> 'e' as e
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    where x ->> 'e' is not null
    order by x ->> 'r', i
  ) f;
  v_good := array(select r from unnest(v_eligible) r where not v_failed ? r);

  -- write (bisecting on failure), then withdraw what became ineligible: the rows a withdrawn root
  -- has get the source's current values (a refund's amount) with the retire values (a root whose
  -- current values cannot be written keeps its old ones), then every row of it the retire values
  v_failed := v_failed || sync._promotion_write(v_steps, v_good, v_rows, p_job_id);
  if cardinality(v_withdraw) > 0 then
    for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
      if v_steps[v_i].tie_column is null then
        v_res := '[]'::jsonb;
      else
        execute format('select coalesce(jsonb_agg(jsonb_build_object(''r'', root_id, ''row'', data, ''e'', error)), ''[]'')
          from %s($1)', sync._promotion_name('rows_fn', v_steps[v_i].rows_fn))
          into v_res using v_withdraw;
      end if;
      v_wrows[v_i] := sync._promotion_existing(v_steps[v_i], v_res);
    end loop;
    perform sync._promotion_write(v_steps, v_withdraw, v_wrows, p_job_id);
    for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
      perform sync._promotion_retire(v_steps[v_i], v_withdraw, '[]'::jsonb, p_job_id);
    end loop;
  end if;

  -- record outcomes with their step logs
  with judged as (
    select j ->> 'root_id' as root_id, (j ->> 'sort_at')::timestamptz as sort_at, j ->> 'version' as version,
      j ->> 'reason_code' as reason_code, j ->> 'reason' as reason, j ->> 'prev' as prev
    from jsonb_array_elements(v_judged) j
  ),
  per_step as materialized (
    select x ->> 'r' as root_id, i, count(*) as n
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    group by 1, 2
  ),
  outcome as materialized (
    select j.*,
      case when j.reason_code is not null and j.root_id = any (v_withdraw) then 'withdrawn'
           when j.reason_code is not null then 'ineligible'
           when v_failed ? j.root_id then 'failed' else 'promoted' end as status,
      v_failed -> j.root_id ->> 'step' as failed_step, v_failed -> j.root_id ->> 'error' as error,
      coalesce((select t.ordinal from unnest(v_steps) t where t.name = v_failed -> j.root_id ->> 'step'), 2147483647)
        as failed_ordinal
    from judged j
  ),
  -- the steps a judged-eligible root went through, each with its row count
  steps_done as materialized (
    select o.root_id, jsonb_agg(jsonb_build_object('step', s.name, 'ok', true, 'count', coalesce(ps.n, 0),
        'text', replace(s.label, '%', coalesce(ps.n, 0)::text)) order by s.ordinal) as entries
    from outcome o
    cross join unnest(v_steps) with ordinality s(plan, ordinal, name, source_table, target, rows_fn, tie_column,
      label, retire, i)
    left join per_step ps on ps.root_id = o.root_id and ps.i = s.i
    where o.reason_code is null and s.ordinal < o.failed_ordinal
    group by o.root_id
  ),
  logged as (
    select o.*, case
      when o.reason_code is not null then jsonb_build_array(
          jsonb_build_object('step', 'import', 'ok', true, 'text', v_plan.root_label || ' imported'),
          jsonb_build_object('step', 'eligibility', 'ok', false, 'code', o.reason_code, 'text', o.reason),
          jsonb_build_object('step', 'result', 'ok', o.status = 'withdrawn',
            'text', case when o.status = 'withdrawn' then 'withdrawn from production' else 'not promoted' end))
      else coalesce(d.entries, '[]'::jsonb)
        || case when o.failed_step is null
             then jsonb_build_array(jsonb_build_object('step', 'result', 'ok', true, 'text', 'promoted'))
             else jsonb_build_array(
               jsonb_build_object('step', o.failed_step, 'ok', false, 'text', o.error),
               jsonb_build_object('step', 'result', 'ok', false, 'text', 'not promoted')) end
      end as log
    from outcome o left join steps_done d on d.root_id = o.root_id
  ),
  saved as (
    insert into sync.promotion_roots as s (plan, root_id, sort_at, version, status, reason_code, reason, failed_step,
      error, log, job_id, promoted_at, updated_at)
    select p_plan, l.root_id, l.sort_at, l.version, l.status, l.reason_code, l.reason, l.failed_step, l.error, l.log,
      p_job_id, case when l.status = 'promoted' then now() end, now()
    from logged l
    on conflict (plan, root_id) do update set sort_at = excluded.sort_at, version = excluded.version,
      status = excluded.status, reason_code = excluded.reason_code, reason = excluded.reason,
      failed_step = excluded.failed_step, error = excluded.error, log = excluded.log, job_id = excluded.job_id,
      attempts = s.attempts + 1, promoted_at = coalesce(excluded.promoted_at, s.promoted_at), updated_at = now()
    returning s.status
  )
  select v_counts || jsonb_build_object(
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'))
    into v_res from saved;
  return v_res;
end
$$;
revoke execute on function sync.promote_roots(text, text[], bigint, boolean) from public, anon, authenticated;
grant execute on function sync.promote_roots(text, text[], bigint, boolean) to service_role;

-- One batch of a bulk promote job: the next p_batch roots after the job's checkpoint, in source
-- order (limited by the job's options: since/until on the order column, ids), promoted and the
-- checkpoint moved to the last of them, with progress, in one transaction fenced by the lease. A job
-- with the option force (sync.start_repromotion) judges its roots again even when unchanged.
-- Returns the promote_roots counts plus "done" (roots in the batch), "finished" and "cancel_requested".
create or replace function sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer default 500,
  p_lease_seconds integer default 60)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
  v_plan sync.promotion_plans;
  v_cp sync.promotion_checkpoints;
  v_where text;
  v_ids text[];
  v_last_sort timestamptz;
  v_last_id text;
  v_total bigint;
  v_res jsonb;
  v_phase text := 'promote:' || p_plan;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_batch is null or p_batch < 1 or p_batch > 10000 then
    raise exception 'Cannot promote: batch size must be 1..10000, got %', p_batch using errcode = 'SY422';
  end if;
  select * into v_cp from sync.promotion_checkpoints where plan = p_plan and job_id = p_job_id;
  v_ids := case when v_job.options ? 'ids' then array(select jsonb_array_elements_text(v_job.options -> 'ids')) end;
  v_where := format('($1::timestamptz is null or r.%1$I >= $1) and ($2::timestamptz is null or r.%1$I < $2)
      and ($3::text[] is null or r.%2$I::text = any ($3))', v_plan.root_order, v_plan.root_key);
  if v_cp.plan is null then
    execute format('select count(*) from %s r where %s', v_plan.root_table::regclass, v_where)
      into v_total using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids;
    insert into sync.promotion_checkpoints (plan, job_id) values (p_plan, p_job_id);
    perform sync.report_progress(p_job_id, v_phase, 0, v_total, 'promoting ' || v_total || ' roots in source order');
  end if;
  execute format(
    'select array(select r.%2$I::text from %1$s r where %3$s
        and ($4::text is null or (r.%4$I, r.%2$I::text) > ($5, $4))
      order by r.%4$I, r.%2$I::text limit $6)',
    v_plan.root_table::regclass, v_plan.root_key, v_where, v_plan.root_order)
    into v_ids using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids,
      v_cp.last_root_id, v_cp.last_sort_at, p_batch;
  v_res := sync.promote_roots(p_plan, v_ids, p_job_id, coalesce((v_job.options ->> 'force')::boolean, false));
  if cardinality(v_ids) > 0 then
    execute format('select r.%2$I as sort_at, r.%3$I::text as id from %1$s r where r.%3$I::text = $1',
        v_plan.root_table::regclass, v_plan.root_order, v_plan.root_key)
      into v_last_sort, v_last_id using v_ids[cardinality(v_ids)];
    update sync.promotion_checkpoints set last_sort_at = v_last_sort, last_root_id = v_last_id, updated_at = now()
    where plan = p_plan and job_id = p_job_id;
  end if;
  perform sync.report_progress(p_job_id, v_phase, cardinality(v_ids), null,
    format('promoted %s, ineligible %s, failed %s, withdrawn %s, unchanged %s', v_res ->> 'promoted',
      v_res ->> 'ineligible', v_res ->> 'failed', v_res ->> 'withdrawn', v_res ->> 'unchanged'),
    jsonb_build_object('inserted', (v_res ->> 'promoted')::bigint, 'updated', (v_res ->> 'withdrawn')::bigint,
      'unchanged', (v_res ->> 'unchanged')::bigint + (v_res ->> 'ineligible')::bigint,
      'failed', (v_res ->> 'failed')::bigint));
  update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where id = p_job_id;
  return v_res || jsonb_build_object('done', cardinality(v_ids), 'finished', cardinality(v_ids) < p_batch,
    'cancel_requested', v_job.cancel_requested);
end
$$;
revoke execute on function sync.promote_next(bigint, text, text, integer, integer) from public, anon, authenticated;
grant execute on function sync.promote_next(bigint, text, text, integer, integer) to service_role;

-- Starts a promote job that judges the listed roots again whether or not their import chain
-- changed (promote --ids ... --force): for a correction the fingerprint cannot see.
create function sync.start_repromotion(p_plan text, p_ids text[], p_trigger text default 'api',
  p_requested_by text default null, p_batch_size integer default 500)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_job sync.jobs;
begin
  if p_ids is null or cardinality(p_ids) = 0 then
    raise exception 'Cannot promote again with "%": name the roots to judge again (ids)', p_plan using errcode = 'SY422';
  end if;
  v_job := sync.start_promotion(p_plan, null, null, p_ids, p_trigger, p_requested_by, p_batch_size);
  update sync.jobs set options = options || '{"force": true}'::jsonb where id = v_job.id returning * into v_job;
  return v_job;
end
$$;
revoke execute on function sync.start_repromotion(text, text[], text, text, integer) from public, anon, authenticated;
grant execute on function sync.start_repromotion(text, text[], text, text, integer) to service_role;

-- Eligibility, first matching reason wins: hold, not_completed, refunded, no_registration,
-- registration_cancelled, no_tickets. version fingerprints every import row the chain reads
-- (payment, order, customer, the catalog variations and items of its line items, and the holds): a
-- root whose fingerprint did not change is not judged again, so a catalog correction is noticed.
create or replace function events.square_check(p_ids text[])
returns table (root_id text, sort_at timestamptz, version text, reason_code text, reason text)
language sql stable set search_path = '' as $$
  with lines as (
    -- only what eligibility needs of the line items: are they all known, is any a ticket
    select p.id as root_id, bool_and(l.li ->> 'catalog_object_id' is null or i.id is not null) as known,
      bool_or(coalesce(i.product_type = 'EVENT', false)) as tickets,
      md5(string_agg(concat_ws(',', v.id, v.item_id, v.name, v.raw::text, i.id, i.name, i.product_type, i.raw::text),
        '|' order by l.n)) as catalog
    from square.payments p
    join square.orders o on o.id = p.order_id
    cross join lateral jsonb_array_elements(case when jsonb_typeof(o.raw -> 'line_items') = 'array'
      then o.raw -> 'line_items' else '[]'::jsonb end) with ordinality l(li, n)
    left join square.catalog_variations v on v.id = l.li ->> 'catalog_object_id'
    left join square.catalog_items i on i.id = v.item_id
    where p.id = any (p_ids)
    group by p.id
  )
  select p.id, p.created_at,
    md5(concat_ws('|', p.raw::text, p.should_move_to_production::text, o.raw::text, o.should_move_to_production::text,
      c.raw::text, t.catalog)),
    x.code, x.reason
  from square.payments p
  left join square.orders o on o.id = p.order_id
  left join square.customers c on c.id = coalesce(o.customer_id, p.customer_id)
  left join lines t on t.root_id = p.id
  cross join lateral (select case
    when p.should_move_to_production is false then array['hold',
      format('operator hold: payment %s has should_move_to_production = false', p.id)]
    when o.should_move_to_production is false then array['hold',
      format('operator hold: order %s has should_move_to_production = false', o.id)]
    when p.status is distinct from 'COMPLETED' then array['not_completed',
      format('payment status is %s, not COMPLETED', coalesce(p.status, 'unknown'))]
    when coalesce(p.refunded_amount, 0) > 0 and p.refunded_amount >= coalesce(p.total_amount, p.amount) then array['refunded',
      format('payment fully refunded (%s of %s %s)', p.refunded_amount, coalesce(p.total_amount, p.amount), p.currency)]
    when p.order_id is null then array['no_registration', 'payment has no order (no registration)']
    when o.id is null then array['no_registration', format('order %s (the registration) is not imported', p.order_id)]
    when o.state = 'CANCELED' then array['registration_cancelled', format('order %s is CANCELED', o.id)]
    when coalesce(t.known, true) and not coalesce(t.tickets, false) then array['no_tickets',
      format('order %s has no ticket line items (none of an EVENT catalog item)', o.id)]
  end as v) r0
  cross join lateral (select r0.v[1] as code, r0.v[2] as reason) x
  where p.id = any (p_ids)
$$;
revoke execute on function events.square_check(text[]) from public, anon, authenticated;
grant execute on function events.square_check(text[]) to service_role;

-- Step 4, attendees: one per distinct person of the ticket line items; a ticket line item without
-- any attendee data fails the root.
create or replace function events.square_attendee_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select distinct on (l.root_id, k.key) l.root_id,
    case when k.key is not null then jsonb_build_object('registration_id', l.order_id, 'payment_id', l.root_id,
      'attendee_key', k.key, 'name', l.attendee_name, 'email', l.attendee_email, 'phone', l.attendee_phone,
      'source', l.attendee_source, 'status', 'active') end,
    case when k.key is null then format(
      'line item %s ("%s") has no attendee: no attendee_name or attendee_email metadata and no fulfillment recipient',
      l.uid, coalesce(l.name, '')) end
  from events._square_lines(p_ids) l
  cross join lateral (select coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name)) as key) k
  where l.is_ticket
  order by l.root_id, k.key, l.ord
$$;
revoke execute on function events.square_attendee_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_attendee_rows(text[]) to service_role;

select sync.register_promotion_step('square_event_sales', 4, 'attendees', 'square.orders', 'events.attendees',
  'events.square_attendee_rows', 'payment_id', '% attendees', '{"status": "cancelled"}');

insert into sync.schema_versions (version) values ('20261210100000');
