-- Shards: planned once by the job's lease holder, claimed by several workers (SKIP LOCKED), each
-- page fenced by the shard's lease and added to the job's progress; a finished job cancels the rest.
begin;
select plan(20);

create temp table j as select * from sync.create_job('square', array['orders'], 'default', 'full', '{"shards": 3}');
select is((select id from sync.claim_job('coord', 60)), (select id from j), 'the coordinator holds the job');

select throws_ok(format($$select sync.plan_shards(%s, 'other', 'orders', '[{"start": null, "end": null}]', now())$$,
  (select id from j)), 'SY410', null, 'only the job''s lease holder plans its shards');
select throws_ok(format($$select sync.plan_shards(%s, 'coord', 'orders', '[]', now())$$, (select id from j)),
  'SY422', format('Cannot shard stream "orders" of job %s: give 1 to 64 windows', (select id from j)),
  'an empty plan is refused');
select is(sync.plan_shards((select id from j), 'coord', 'orders',
  '[{"start": null, "end": "2026-01-01T00:00:00Z"}, {"start": "2026-01-01T00:00:00Z", "end": "2026-06-01T00:00:00Z"},
    {"start": "2026-06-01T00:00:00Z", "end": null}]', '2026-11-01T00:00:00Z'), 3, 'three shards planned');
select is(sync.plan_shards((select id from j), 'coord', 'orders', '[{"start": null, "end": null}]', now()), 3,
  'planning again (a resumed coordinator) changes nothing');
select results_eq(format('select shard, window_start, window_end, status from sync.job_shards where job_id = %s order by shard',
  (select id from j)),
  $$values (0, null::timestamptz, '2026-01-01T00:00:00Z'::timestamptz, 'pending'),
    (1, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', 'pending'), (2, '2026-06-01T00:00:00Z', null, 'pending')$$,
  'the windows are kept in order, open at both ends');

select is((select shard from sync.claim_shard('w1', 60)), 0, 'a helper claims the first shard');
select is((select shard from sync.claim_shard('w2', 60)), 1, 'another helper claims the next');
select is((select shard from sync.claim_shard('coord', 60, (select id from j))), 2, 'the coordinator claims its own job''s');
select is((select count(*)::int from sync.claim_shard('w3', 60)), 0, 'no shard is left to claim');

select is(sync.commit_shard_page((select id from j), 'orders', 0, 'w1', '{"inserted": 10, "updated": 0, "unchanged": 0, "stale": 0}',
  10, 'c1', '{"running": true}', 25, 1, 60), '{"inserted": 10, "updated": 0, "unchanged": 0, "stale": 0, "cancel_requested": false}',
  'a page of a shard commits and says no cancel was asked');
select sync.commit_shard_page((select id from j), 'orders', 1, 'w2', '{"inserted": 5, "updated": 2, "unchanged": 0, "stale": 0}',
  7, 'd1', null, 30, 0, 60);
select results_eq(format('select done, total, inserted, updated, failed from sync.progress where job_id = %s', (select id from j)),
  $$values (18::bigint, null::bigint, 15::bigint, 2::bigint, 1::bigint)$$,
  'progress adds up across shards; no total until every shard knows its own');
select sync.commit_shard_page((select id from j), 'orders', 2, 'coord', null, 0, null, null, 5, 0, 60);
select is((select total from sync.progress where job_id = (select id from j)), 60::bigint, 'then the total is their sum');
select results_eq(format('select cursor, state, done from sync.job_shards where job_id = %s and shard = 0', (select id from j)),
  $$values ('c1', '{"running": true}'::jsonb, 11::bigint)$$, 'the shard keeps its own checkpoint and figures');

select throws_ok(format($$select sync.commit_shard_page(%s, 'orders', 0, 'w2', null, 1, 'x')$$, (select id from j)),
  'SY410', null, 'a worker that does not hold the shard cannot commit its pages');
update sync.job_shards set lease_expires_at = now() - interval '1 second' where job_id = (select id from j) and shard = 0;
select is((select shard from sync.claim_shard('w4', 60)), 0, 'a shard whose lease expired is claimed again');
select is((select cursor from sync.job_shards where job_id = (select id from j) and shard = 0), 'c1',
  '... and resumes from its cursor');
select is((sync.release_shard((select id from j), 'orders', 0, 'w4', 'done')).status, 'done', 'a read shard is done');

update sync.jobs set cancel_requested = true where id = (select id from j);
select is(sync.commit_shard_page((select id from j), 'orders', 1, 'w2', null, 0, 'd2') ->> 'cancel_requested', 'true',
  'the next page learns the job was asked to stop');
select sync.finish_job((select id from j), 'coord', 'cancelled', 'cancelled on request');
select results_eq(format('select shard, status from sync.job_shards where job_id = %s order by shard', (select id from j)),
  $$values (0, 'done'), (1, 'cancelled'), (2, 'cancelled')$$, 'a finished job cancels its unfinished shards');

select * from finish();
rollback;
