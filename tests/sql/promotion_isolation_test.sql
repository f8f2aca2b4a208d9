-- A generic plan (not Square): one batch of roots promoted set-based; a root whose rows the
-- production table rejects is isolated by bisection and recorded with its step and error, a root
-- with a declared row error fails at that step, every other root lands whole; a re-run changes nothing.
begin;
select plan(12);

create table public.imp_orders (id text primary key, placed_at timestamptz not null, qty integer, note text);
create table public.prod_orders (id text primary key, placed_at timestamptz, local_flag text);
create table public.prod_lines (order_id text not null references public.prod_orders (id), n integer not null,
  qty integer not null check (qty > 0), status text not null default 'live', primary key (order_id, n));
select sync.register_target('public.imp_orders', array['id']);
select sync.register_target('public.prod_orders', array['id']);
select sync.register_target('public.prod_lines', array['order_id', 'n']);

create function public.imp_check(p_ids text[])
returns table (root_id text, sort_at timestamptz, version text, reason_code text, reason text)
language sql stable as $$
  select id, placed_at, md5(concat_ws('|', qty, note)), case when note = 'hold' then 'hold' end,
    case when note = 'hold' then 'held by the operator' end
  from public.imp_orders where id = any (p_ids)
$$;
create function public.imp_affected(p_table text, p_keys text[]) returns table (root_id text)
language sql stable as $$ select unnest(p_keys) $$;
create function public.imp_order_rows(p_ids text[]) returns table (root_id text, data jsonb, error text)
language sql stable as $$
  select id, jsonb_build_object('id', id, 'placed_at', placed_at), null::text from public.imp_orders where id = any (p_ids)
$$;
create function public.imp_line_rows(p_ids text[]) returns table (root_id text, data jsonb, error text)
language sql stable as $$
  select id, case when note = 'bad' then null else jsonb_build_object('order_id', id, 'n', g, 'qty', qty, 'status', 'live') end,
    case when note = 'bad' then 'note says bad' end
  from public.imp_orders, generate_series(1, 2) g where id = any (p_ids)
$$;
select sync.register_promotion_plan('widgets_demo', 'demo', 'public.imp_orders', 'id', 'placed_at', 'order',
  'public.imp_check', 'public.imp_affected', null, array['hold']);
select sync.register_promotion_step('widgets_demo', 1, 'order', 'public.imp_orders', 'public.prod_orders',
  'public.imp_order_rows', 'id', 'order imported');
select sync.register_promotion_step('widgets_demo', 2, 'lines', 'public.imp_orders', 'public.prod_lines',
  'public.imp_line_rows', 'order_id', '% lines', '{"status": "void"}');

insert into public.imp_orders (id, placed_at, qty, note)
select 'o' || i, '2026-01-01'::timestamptz + i * interval '1 hour', case when i = 5 then 0 else i end,
  case when i = 7 then 'bad' when i = 8 then 'hold' end
from generate_series(1, 10) i;

select is(sync.promote_roots('widgets_demo', array(select id from public.imp_orders)) - 'unchanged' - 'missing',
  '{"promoted": 7, "ineligible": 1, "failed": 2, "withdrawn": 0}'::jsonb,
  'one batch of ten: seven promoted, one held, two failed');
select is((select status || ':' || failed_step from sync.promotion_roots where root_id = 'o5'), 'failed:lines',
  'the root the production table rejects failed at its step');
select matches((select error from sync.promotion_roots where root_id = 'o5'), 'prod_lines_qty_check',
  'with the database error');
select is((select count(*)::int from public.prod_orders where id in ('o5', 'o7', 'o8')), 0,
  'nothing of a failed or held root reached production (not even its first step)');
select is((select error from sync.promotion_roots where root_id = 'o7'), 'note says bad', 'a declared row error fails its root');
select is((select count(*)::int from public.prod_lines), 14, 'every other root landed whole (7 x 2 lines)');
select is((select log -> -1 ->> 'text' from sync.promotion_roots where root_id = 'o1'), 'promoted', 'the log ends promoted');
select is((select log -> 1 ->> 'text' from sync.promotion_roots where root_id = 'o1'), '2 lines', 'with each step''s count');

update public.prod_orders set local_flag = 'checked' where id = 'o1';
select is(sync.promote_roots('widgets_demo', array(select id from public.imp_orders)) ->> 'unchanged', '8',
  'a re-run leaves unchanged roots alone (the failed ones are tried again)');
select is((select local_flag from public.prod_orders where id = 'o1'), 'checked', 'local columns survive');

-- the source drops a promoted root's line count to zero -> its rows are withdrawn, never deleted
update public.imp_orders set note = 'hold' where id = 'o2';
select is(sync.promote_roots('widgets_demo', array['o2']) ->> 'withdrawn', '1', 'a promoted root that is now held is withdrawn');
select is((select string_agg(status, ',' order by n) from public.prod_lines where order_id = 'o2'), 'void,void',
  'its rows carry the retire values and stay');

select * from finish();
rollback;
