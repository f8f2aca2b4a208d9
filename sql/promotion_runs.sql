-- Syncline engine: when promotion runs (sql/promotion.sql has the plans and sync.promote_roots):
-- right after a page lands (immediate), as a catch-up after an interrupted sync job, and as a bulk
-- promote job in source order with a checkpoint per batch.

-- Immediate promotion: the roots whose chain includes the given keys of an import table (a merged
-- page, a single record) are promoted now, in source order, in batches of p_batch.
create function sync.promote_affected(p_plan text, p_table text, p_keys text[], p_job_id bigint default null,
  p_batch integer default 500)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_ids text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
  v_from integer := 1;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select array(select distinct root_id from %s($1, $2) where root_id is not null)',
      sync._promotion_name('affected_fn', v_plan.affected_fn))
    into v_ids using p_table, p_keys;
  while v_from <= coalesce(cardinality(v_ids), 0) loop
    v_res := sync.promote_roots(p_plan, v_ids[v_from:v_from + p_batch - 1], p_job_id);
    v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
      from jsonb_object_keys(v_res) k);
    v_from := v_from + p_batch;
  end loop;
  return v_total;
end
$$;
revoke execute on function sync.promote_affected(text, text, text[], bigint, integer) from public, anon, authenticated;
grant execute on function sync.promote_affected(text, text, text[], bigint, integer) to service_role;

-- Catch-up for a sync job that was interrupted between a page's commit and its immediate
-- promotion: every root whose chain rows this job wrote is judged again (pending ones promoted).
create function sync.promote_job_rows(p_plan text, p_job_id bigint, p_batch integer default 500)
returns jsonb language plpgsql set search_path = '' set jit = off as $$
declare
  v_t record;
  v_keys text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
begin
  for v_t in
    select distinct t.target, t.key_columns[1] as key
    from sync.promotion_plans p
    join sync.targets t on t.target = p.root_table or t.target in (select s.source_table from sync.promotion_steps s
      where s.plan = p.name)
    where p.name = p_plan and cardinality(t.key_columns) = 1
  loop
    execute format('select array(select %I::text from %s where _last_job_id = $1)', v_t.key, v_t.target::regclass)
      into v_keys using p_job_id;
    if cardinality(v_keys) > 0 then
      v_res := sync.promote_affected(p_plan, v_t.target, v_keys, p_job_id, p_batch);
      v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
        from jsonb_object_keys(v_res) k);
    end if;
  end loop;
  return v_total;
end
$$;
revoke execute on function sync.promote_job_rows(text, bigint, integer) from public, anon, authenticated;
grant execute on function sync.promote_job_rows(text, bigint, integer) to service_role;

-- One batch of a bulk promote job: the next p_batch roots after the job's checkpoint, in source
-- order (limited by the job's options: since/until on the order column, ids), promoted and the
-- checkpoint moved to the last of them, with progress, in one transaction fenced by the lease. A job
-- with the option force (sync.start_repromotion) judges its roots again even when unchanged.
-- Returns the promote_roots counts plus "done" (roots in the batch), "finished" and "cancel_requested".
create function sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer default 500,
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

-- Starts a bulk promote job: every pending root, or those created in [since, until), or listed ids.
create function sync.start_promotion(p_plan text, p_since timestamptz default null,
  p_until timestamptz default null, p_ids text[] default null, p_trigger text default 'api',
  p_requested_by text default null, p_batch_size integer default 500)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_plan sync.promotion_plans;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_since is not null and p_until is not null and p_since >= p_until then
    raise exception 'Cannot promote with "%": since (%) is not before until (%)', p_plan, p_since, p_until
      using errcode = 'SY422';
  end if;
  if p_ids is not null and cardinality(p_ids) = 0 then
    raise exception 'Cannot promote with "%": ids is empty (omit it to promote every pending root)', p_plan
      using errcode = 'SY422';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 10000 then
    raise exception 'Cannot promote with "%": batch size must be 1..10000, got %', p_plan, p_batch_size
      using errcode = 'SY422';
  end if;
  return sync.create_job(v_plan.connector, array['promote:' || p_plan], 'default', 'promote',
    jsonb_strip_nulls(jsonb_build_object('plan', p_plan, 'since', p_since, 'until', p_until, 'ids', to_jsonb(p_ids),
      'batchSize', p_batch_size)),
    p_trigger, p_requested_by);
end
$$;
revoke execute on function sync.start_promotion(text, timestamptz, timestamptz, text[], text, text, integer) from public, anon, authenticated;
grant execute on function sync.start_promotion(text, timestamptz, timestamptz, text[], text, text, integer) to service_role;

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
