-- Cancelling: a queued job ends at once, a running job is told at its next heartbeat.
begin;
select plan(8);

create temp table q as select * from sync.create_job('square', array['orders']);
create temp table r as select * from sync.create_job('square', array['customers']);
select is((select id from sync.claim_job('w1', 60)), (select id from q), 'the older job is claimed first');
-- q is now running; r is queued
select results_eq(format('select status, finished_at is not null, error from sync.cancel_job(%s)', (select id from r)),
  $$values ('cancelled', true, 'cancelled before it ran')$$, 'a queued job is cancelled at once');
select is((select status from sync.progress where job_id = (select id from r)), 'cancelled', 'its progress says cancelled');
select results_eq(format('select status, cancel_requested from sync.cancel_job(%s)', (select id from q)),
  $$values ('running', true)$$, 'a running job is only asked to stop');
select is(sync.heartbeat((select id from q), 'w1'), true, 'the worker learns of the cancel at its heartbeat');
select is((sync.finish_job((select id from q), 'w1', 'cancelled')).status, 'cancelled', 'the worker ends the job cancelled');
select throws_ok(format('select sync.cancel_job(%s)', (select id from q)), 'SY409',
  format('Cannot cancel job %s: it already finished (cancelled)', (select id from q)), 'a finished job cannot be cancelled');
select throws_ok('select sync.cancel_job(-5)', 'SY404', 'Job -5 does not exist', 'an unknown job cannot be cancelled');

select * from finish();
rollback;
