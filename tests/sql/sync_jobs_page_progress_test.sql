-- A page that must not move its stream's checkpoint (retry job, reconcile read, dry run):
-- merge_page_progress and commit_page_progress merge and add progress, leave the checkpoint, are
-- fenced by the lease like merge_page, and heartbeat with p_lease_seconds.
begin;
select plan(8);

create table public.orders (id text primary key, total numeric, updated_at timestamptz);
select sync.register_target('public.orders', array['id'], 'updated_at');
create temp table j as select * from sync.create_job('square', array['orders'], 'acme', 'full');
select id from sync.claim_job('w1', 60, 'square');
select sync.commit_page((select id from j), 'w1', 'orders', null, 0, 'cursor-0', '2024-01-01T00:00:00Z');

select is(sync.merge_page_progress((select id from j), 'w1', 'orders', 'public.orders',
    '[{"id": "o1", "total": 5, "updated_at": "2024-02-01T00:00:00Z"}]', 10, 1),
  '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'merge_page_progress returns the merge counts');
select results_eq($$select cursor, high_water_mark from sync.checkpoints where connector = 'square' and account = 'acme' and stream = 'orders'$$,
  $$values ('cursor-0', '2024-01-01T00:00:00Z'::timestamptz)$$, 'merge_page_progress leaves the checkpoint where it was');
select results_eq($$select done, total, inserted, failed from sync.progress where job_id = (select id from j) and phase = 'orders'$$,
  $$values (2::bigint, 10::bigint, 1::bigint, 1::bigint)$$, 'merge_page_progress adds progress, failures included');

select is(sync.commit_page_progress((select id from j), 'w1', 'orders',
    '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}', 1, 10, 0, 120) ->> 'cancel_requested', 'false',
  'commit_page_progress with a lease heartbeats and says whether a cancel was asked');
select ok((select lease_expires_at > clock_timestamp() + interval '100 seconds' from sync.jobs where id = (select id from j)),
  'commit_page_progress extended the lease');
select results_eq($$select cursor from sync.checkpoints where connector = 'square' and account = 'acme' and stream = 'orders'$$,
  $$values ('cursor-0')$$, 'commit_page_progress leaves the checkpoint where it was');

select throws_ok(format('select sync.merge_page_progress(%s, %L, %L, %L, %L)', (select id from j), 'w2', 'orders',
    'public.orders', '[{"id": "o2", "total": 1}]'), 'SY410',
  format('Worker "w2" no longer holds job %s (status running, lease owner w1)', (select id from j)),
  'another worker''s page is refused');
select is((select count(*)::int from public.orders where id = 'o2'), 0, 'the refused page wrote nothing');

select * from finish();
rollback;
