-- Merging the same page twice is harmless: the second merge changes nothing.
begin;
select plan(4);

create table public.orders (id bigint primary key, total numeric, status text, updated_at timestamptz);
select sync.register_target('public.orders', array['id'], 'updated_at');
create temp table page as
select jsonb_agg(jsonb_build_object('id', i, 'total', i * 1.5, 'status', 'open',
  'updated_at', '2024-01-01T00:00:00Z'::timestamptz + i * interval '1 minute')) as rows
from generate_series(1, 200) i;

select is(sync.merge_rows('public.orders', (select rows from page), 1),
  '{"inserted": 200, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'the first merge inserts the page');
create temp table first_pass as select id, xmin::text as old_xmin, ctid as old_ctid from public.orders;
savepoint again; -- a write in here would carry a new xid
select is(sync.merge_rows('public.orders', (select rows from page), 2),
  '{"inserted": 0, "updated": 0, "unchanged": 200, "stale": 0}'::jsonb, 'the same page again is all unchanged');
select is(
  (select count(*)::int from public.orders o join first_pass f using (id) where o.xmin::text = f.old_xmin and o.ctid = f.old_ctid),
  200, 'the second merge writes no row');
select is((select count(*)::int from public.orders where _last_job_id = 1), 200, 'rows still name the job that wrote them');

select * from finish();
rollback;
