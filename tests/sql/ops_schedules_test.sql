-- Schedules: validation errors, upsert by name, runs that enqueue or skip (no pile-up).
begin;
select plan(15);

select has_table('sync', 'schedules', 'sync.schedules exists');
select is((select count(*)::integer from sync.schedules where not enabled), 6,
  'six default schedules are seeded, disabled (Square 3, HighLevel 1, Ireland Pay 2)');
select is((select cron from sync.schedules where name = 'highlevel-twice-daily'), '0 11,19 * * *',
  'HighLevel runs at 11:00 and 19:00 UTC');

select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 25 * * *')$$, 'SY422',
  'Cannot save schedule "bad": "0 25 * * *" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
  'an hour of 25 is rejected');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], 'every day')$$, 'SY422',
  'Cannot save schedule "bad": "every day" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
  'prose is rejected');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array[]::text[], '0 2 * * *')$$, 'SY422',
  'Cannot save schedule "bad": no streams given', 'a schedule needs streams');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 2 * * *', 'single')$$, 'SY422',
  'Cannot save schedule "bad": mode "single" must be "full", "incremental", "retry" or "reconcile"',
  'mode is full, incremental, retry or reconcile');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 2 * * *', 'incremental',
  '{"lookback_hours": -1}')$$, 'SY422',
  'Cannot save schedule "bad": options.lookback_hours must be a positive number (got -1)', 'look-back must be positive');
select throws_ok($$select sync.set_schedule_enabled(999999, true)$$, 'SY404', 'Schedule 999999 does not exist',
  'enabling a missing schedule is a 404');

select lives_ok($$select sync.upsert_schedule('t-orders', 'square', array['orders'], '*/15 8-18 * * 1-5', 'incremental',
  '{"lookback_hours": 2}')$$, 'a valid schedule saves');
select is((select (sync.upsert_schedule('t-orders', 'square', array['orders'], '0 3 * * *')).cron), '0 3 * * *',
  'saving the same name again changes it');

select is((select (sync.run_schedule(id)).outcome from sync.schedules where name = 't-orders'), 'enqueued',
  'a due schedule enqueues a job');
select ok((select j.trigger = 'schedule' and j.options ->> 'schedule' = 't-orders' from sync.jobs j
  where j.id = (select last_job_id from sync.schedules where name = 't-orders')), 'the job has trigger schedule');
select is((select (sync.run_schedule(id)).reason from sync.schedules where name = 't-orders'),
  format('Cannot start sync for "square": a sync of stream "orders" is already queued (job %s)',
    (select last_job_id from sync.schedules where name = 't-orders')),
  'a run while the previous one is queued is recorded as skipped');
select is((select count(*)::integer from sync.jobs where connector = 'square' and status = 'queued'), 1,
  'runs do not pile up');

select * from finish();
rollback;
