-- A worker that lost its lease can never write again: the job is claimed by another worker.
begin;
select plan(10);

create table public.orders (id text primary key, total numeric);
select sync.register_target('public.orders', array['id']);
create temp table j as select * from sync.create_job('square', array['orders']);

select is((select lease_owner from sync.claim_job('w1', 0)), 'w1', 'w1 claims with a lease that expires at once');
select is((select id from sync.claim_job('w2', 60)), (select id from j), 'an expired lease is claimed by another worker');
select is((select attempts from sync.jobs where id = (select id from j)), 2, 'the reclaim counts another attempt');
select throws_ok(format('select sync.merge_page(%s, %L, %L, %L, %L)', (select id from j), 'w1', 'orders', 'public.orders',
    '[{"id": "o1", "total": 1}]'), 'SY410',
  format('Worker "w1" no longer holds job %s (status running, lease owner w2)', (select id from j)),
  'the old worker''s page is refused');
select is((select count(*)::int from public.orders), 0, 'the refused page wrote nothing');
-- a page merged ahead of its bookkeeping (the runner's second page in flight) is fenced the same way
select throws_ok(format($$select sync.merge_rows('public.orders', '[{"id": "o2", "total": 2}]', %1$s),
    sync.commit_page(%1$s, 'w1', 'orders', null, 1, 'c1')$$, (select id from j)), 'SY410',
  format('Worker "w1" no longer holds job %s (status running, lease owner w2)', (select id from j)),
  'the old worker''s merged page is refused at its bookkeeping');
select is((select count(*)::int from public.orders), 0, 'and rolled back with it');
select is(sync.commit_page((select id from j), 'w2', 'orders', '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}',
    1, 'c1', null, 10, 0, null, 60) ->> 'cancel_requested', 'false',
  'the lease holder''s bookkeeping lands and reports whether a cancel was asked');
select is((select count(*)::int from sync.claim_job('w3', 60)), 0, 'a live lease is not claimable');
select throws_ok(format('select sync.finish_job(%s, %L, %L)', (select id from j), 'w1', 'succeeded'), 'SY410',
  format('Worker "w1" no longer holds job %s (status running, lease owner w2)', (select id from j)),
  'the old worker cannot finish the job');

select * from finish();
rollback;
