-- A job whose source asks to wait is deferred: queued with its reason, not claimed before run_after,
-- claimed again after it; a budget release clears waiting_since; only the lease holder defers.
begin;
select plan(12);

create temp table j as select * from sync.create_job('square', array['orders']);
select is((select lease_owner from sync.claim_job('w1', 60)), 'w1', 'w1 claims the job');
select throws_ok(format('select sync.defer_job(%s, %L, now() + interval ''1 minute'', %L, now())',
    (select id from j), 'w2', 'rate limited'), 'SY410',
  format('Worker "w2" no longer holds job %s (status running, lease owner w1)', (select id from j)),
  'a worker without the lease cannot defer the job');
select throws_ok(format('select sync.defer_job(%s, %L, null, %L, now())', (select id from j), 'w1', 'x'), 'SY422',
  format('Cannot defer job %s: run_after and waiting_since are required', (select id from j)),
  'a deferral names its time');
select is((select status from sync.defer_job((select id from j), 'w1', clock_timestamp() + interval '1 minute',
    'waiting for the source until later: 429', '2026-01-01T00:00:00Z')), 'queued', 'the deferred job is queued again');
select is((select error from sync.jobs where id = (select id from j)), 'waiting for the source until later: 429',
  'its error says what it waits for');
select is((select lease_owner from sync.jobs where id = (select id from j)), null, 'without a lease');
select is((select count(*)::int from sync.claim_job('w2', 60)), 0, 'it is not claimed before run_after');
update sync.jobs set run_after = clock_timestamp() - interval '1 second' where id = (select id from j);
select is((select lease_owner from sync.claim_job('w2', 60)), 'w2', 'it is claimed once run_after has passed');
select is((select run_after from sync.jobs where id = (select id from j)), null, 'the claim clears run_after');
select is((select waiting_since from sync.jobs where id = (select id from j)), '2026-01-01T00:00:00Z'::timestamptz,
  'and keeps waiting_since for the give-up time');
select is((select status from sync.release_job((select id from j), 'w2')), 'queued', 'the budget is spent: released');
select is((select waiting_since from sync.jobs where id = (select id from j)), null,
  'a budget release is waiting for nothing');

select * from finish();
rollback;
