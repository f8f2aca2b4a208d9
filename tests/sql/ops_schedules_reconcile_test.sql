-- A schedule can run a reconcile: a weekly Sunday 03:00 (Europe/Dublin) reconcile is saved, refuses
-- the options a reconcile has no use for, and the ops tick fires it as a reconcile job like any schedule.
begin;
select plan(11);
set local timezone = 'UTC';

select lives_ok($$select sync.upsert_schedule('weekly-reconcile', 'square', array['orders', 'customers'],
  '0 3 * * 0', 'reconcile', '{}', true, 'default', 'weekly: mark rows gone at Square deleted', 'Europe/Dublin')$$,
  'a reconcile schedule saves');
select is((select mode from sync.schedules where name = 'weekly-reconcile'), 'reconcile', 'its mode is reconcile');
select ok((select extract(dow from next_run_at at time zone 'Europe/Dublin') = 0
    and (next_run_at at time zone 'Europe/Dublin')::time = '03:00'
  from sync.schedules where name = 'weekly-reconcile'), 'its next run is a Sunday at 03:00 Dublin time');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 3 * * 0', 'reconcile',
  '{"lookback_hours": 24}')$$, 'SY422',
  'Cannot save schedule "bad": a reconcile reads whole id listings, so options.lookback_hours does not apply to it',
  'a look-back is refused for a reconcile, as POST /jobs refuses "since"');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 3 * * 0', 'reconcile',
  '{"dryRun": true}')$$, 'SY422',
  'Cannot save schedule "bad": a reconcile reads whole id listings, so options.dryRun does not apply to it',
  'a dry run is refused for a reconcile');
select lives_ok($$select sync.upsert_schedule('nightly-full', 'square', array['orders'], '0 2 * * *', 'full',
  '{"lookback_hours": 24}')$$, 'other modes keep their options');

-- the ops tick, one minute early and on time
select is((select (sync.ops_tick(next_run_at - interval '1 minute')) ->> 'schedules_fired'
  from sync.schedules where name = 'weekly-reconcile'), '0', 'a minute early the tick fires nothing');
create temp table due as select next_run_at from sync.schedules where name = 'weekly-reconcile';
select is((select (sync.ops_tick(next_run_at)) ->> 'schedules_fired' from due), '1', 'on time the tick fires it');
select results_eq($$select j.mode, j.trigger, j.streams, j.options ? 'since', j.options ->> 'schedule'
    from sync.jobs j join sync.schedules s on s.last_job_id = j.id where s.name = 'weekly-reconcile'$$,
  $$values ('reconcile'::text, 'schedule'::text, array['orders', 'customers'], false, 'weekly-reconcile'::text)$$,
  'the job it queued is a reconcile of its streams, with no window');
select is((select s.next_run_at - d.next_run_at from sync.schedules s, due d where s.name = 'weekly-reconcile'),
  interval '7 days', 'the next run is a week later');
select is((select (sync.run_schedule(id)).outcome from sync.schedules where name = 'weekly-reconcile'), 'skipped',
  'a run while the reconcile is still queued is skipped, not piled up');

select * from finish();
rollback;
