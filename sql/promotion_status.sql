-- Syncline engine: what promotion did (sql/promotion.sql): one root's record and the monitoring
-- figures of a plan.

-- One root's record: status, reason or error, and its step log.
create function sync.get_promotion_root(p_plan text, p_root_id text)
returns sync.promotion_roots language sql stable set search_path = '' as $$
  select * from sync.promotion_roots where plan = p_plan and root_id = p_root_id
$$;
revoke execute on function sync.get_promotion_root(text, text) from public, anon, authenticated;
grant execute on function sync.get_promotion_root(text, text) to service_role;

-- Monitoring: roots by outcome (they add up to the import's roots), import vs production rows per
-- step, ineligible roots by reason, the latest failures, and orphan checks (production rows of a
-- root that is not promoted, and the plan's own checks).
create function sync.get_promotion_status(p_plan text, p_failures integer default 20)
returns jsonb language plpgsql stable set search_path = '' set jit = off as $$
declare
  v_plan sync.promotion_plans;
  v_roots jsonb;
  v_steps jsonb := '[]'::jsonb;
  v_orphans jsonb := '[]'::jsonb;
  v_step sync.promotion_steps;
  v_import bigint;
  v_prod bigint;
  v_active bigint;
  v_logged bigint;
  v_counts jsonb;
  v_n bigint;
  v_sample text[];
  v_r record;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'No promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select count(*) from %s', v_plan.root_table::regclass) into v_import;
  select jsonb_build_object('import', v_import,
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'),
      'pending', v_import - count(*),
      'percent_promoted', case when v_import > 0
        then round(100.0 * count(*) filter (where status = 'promoted') / v_import, 2) end)
    into v_roots from sync.promotion_roots where plan = p_plan;
  -- rows per step of the promoted roots, from their logs, in one pass
  select coalesce(jsonb_object_agg(step, n), '{}'::jsonb) into v_counts
  from (select e ->> 'step' as step, sum((e ->> 'count')::bigint) as n
        from sync.promotion_roots s, jsonb_array_elements(s.log) e
        where s.plan = p_plan and s.status = 'promoted' and e ? 'count' group by 1) c;
  for v_step in select * from sync.promotion_steps where plan = p_plan order by ordinal loop
    execute format('select count(*) from %s', v_step.source_table::regclass) into v_import;
    execute format('select count(*) from %s', v_step.target::regclass) into v_prod;
    v_active := null;
    if v_step.retire is not null then
      execute format('select count(*) from %1$s t where (%2$s) is distinct from (select %3$s from jsonb_populate_record(null::%1$s, $1) r)',
          v_step.target::regclass,
          (select string_agg(format('t.%I', c), ', ') from jsonb_object_keys(v_step.retire) c),
          (select string_agg(format('r.%I', c), ', ') from jsonb_object_keys(v_step.retire) c))
        into v_active using v_step.retire;
    end if;
    v_logged := (v_counts ->> v_step.name)::bigint;
    v_steps := v_steps || jsonb_build_object('step', v_step.name, 'source_table', v_step.source_table,
      'import_rows', v_import, 'target', v_step.target, 'production_rows', v_prod, 'active_rows', coalesce(v_active, v_prod),
      'rows_of_promoted_roots', case when v_step.tie_column is not null then coalesce(v_logged, 0) end);
    if v_step.tie_column is not null then
      execute format(
        'select count(*), (array_agg(t.%1$I::text order by t.%1$I::text))[1:10] from %2$s t
         where not exists (select from sync.promotion_roots s where s.plan = $1 and s.root_id = t.%1$I::text
           and s.status in (''promoted'', ''withdrawn''))', v_step.tie_column, v_step.target::regclass)
        into v_n, v_sample using p_plan;
      v_orphans := v_orphans || jsonb_build_object('check', v_step.target || ' rows without a promoted root',
        'layer', 'production', 'count', v_n, 'sample', coalesce(to_jsonb(v_sample), '[]'::jsonb));
    end if;
  end loop;
  if v_plan.orphans_fn is not null then
    for v_r in execute format('select * from %s()', sync._promotion_name('orphans_fn', v_plan.orphans_fn)) loop
      v_orphans := v_orphans || to_jsonb(v_r);
    end loop;
  end if;
  return jsonb_build_object('plan', p_plan, 'root_table', v_plan.root_table, 'roots', v_roots,
    'ineligible_by_reason', (select coalesce(jsonb_agg(jsonb_build_object('reason_code', reason_code, 'count', n,
        'example', example) order by n desc, reason_code), '[]'::jsonb)
      from (select reason_code, count(*) as n, min(reason) as example from sync.promotion_roots
            where plan = p_plan and status in ('ineligible', 'withdrawn') group by reason_code) x),
    'failed', (select coalesce(jsonb_agg(jsonb_build_object('root_id', root_id, 'step', failed_step, 'error', error,
        'updated_at', updated_at) order by updated_at desc, root_id), '[]'::jsonb)
      from (select * from sync.promotion_roots where plan = p_plan and status = 'failed'
            order by updated_at desc, root_id limit greatest(p_failures, 0)) f),
    'steps', v_steps, 'orphans', v_orphans,
    'orphan_total', (select coalesce(sum((o ->> 'count')::bigint) filter (where o ->> 'layer' = 'production'), 0)
      from jsonb_array_elements(v_orphans) o));
end
$$;
revoke execute on function sync.get_promotion_status(text, integer) from public, anon, authenticated;
grant execute on function sync.get_promotion_status(text, integer) to service_role;
