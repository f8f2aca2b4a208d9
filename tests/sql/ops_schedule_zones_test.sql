-- Schedules in a time zone: 02:00 Europe/Dublin runs at 02:00 local time across both daylight-saving
-- changes of 2027 (pg_cron and the server run in UTC), driven minute by minute through the ops
-- tick's schedule step with an injected clock.
begin;
select plan(24);
set local timezone = 'UTC';

select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '0 2 * * *', 'incremental', '{}', true,
  'default', null, 'Europe/Atlantis')$$, 'SY422',
  'Cannot save schedule "bad": "Europe/Atlantis" is not a time zone (an IANA name such as Europe/Dublin, or UTC)',
  'an unknown time zone is refused');
select throws_ok($$insert into sync.schedules (name, connector, streams, cron, timezone) values ('x', 'square', '{orders}', '0 2 * * *', 'Mars/Base')$$,
  '23514', null, 'the column itself only takes names from pg_timezone_names');
select is((select timezone from sync.schedules where name = 'square-orders-daily'), 'UTC', 'schedules default to UTC');
select results_eq($$select sync._valid_timezone(z) from unnest(array['Europe/Dublin', 'America/Argentina/Buenos_Aires',
    'Etc/GMT+3', 'UTC', 'PST', 'EST5EDT', 'Europe/Dublin; drop table x', '', null]) z$$,
  $$values (true), (true), (true), (true), (false), (false), (false), (false), (false)$$,
  'IANA Area/Location names and UTC; no abbreviations, POSIX strings or anything else');
select is((select count(*)::integer from pg_timezone_names z
    where z.name ~ '^[A-Za-z][^/]*/[^/]+(/[^/]+)?$' and not sync._valid_timezone(z.name)), 0,
  'every Area/Location name in pg_timezone_names is accepted');

-- when 02:00 Dublin falls, read from the zone's wall clock
select is(sync.cron_next_run('0 2 * * *', 'Europe/Dublin', '2027-03-27 00:00Z'), '2027-03-27 02:00Z'::timestamptz,
  'winter: 02:00 Dublin is 02:00 UTC');
select is(sync.cron_next_run('0 2 * * *', 'Europe/Dublin', '2027-03-27 02:00Z'), '2027-03-28 01:00Z'::timestamptz,
  'the day clocks go forward (28 March 2027): 02:00 Dublin is 01:00 UTC');
select is(sync.cron_next_run('0 2 * * *', 'Europe/Dublin', '2027-10-30 00:00Z'), '2027-10-30 01:00Z'::timestamptz,
  'summer: 02:00 Dublin is 01:00 UTC');
select is(sync.cron_next_run('0 2 * * *', 'Europe/Dublin', '2027-10-30 01:00Z'), '2027-10-31 02:00Z'::timestamptz,
  'the day clocks go back (31 October 2027): 02:00 Dublin is 02:00 UTC');
select is(sync.cron_next_run('30 1 * * *', 'Europe/Dublin', '2027-03-28 00:00Z'), '2027-03-28 01:30Z'::timestamptz,
  '01:30 does not exist on 28 March: it runs once, at 02:30 local (the winter UTC instant)');
select is(sync.cron_next_run('30 1 * * *', 'Europe/Dublin', '2027-10-31 00:00Z'), '2027-10-31 01:30Z'::timestamptz,
  '01:30 happens twice on 31 October: it runs once, at the second (01:30 GMT)');
select is(sync.cron_next_run('30 1 * * *', 'Europe/Dublin', '2027-10-31 01:30Z'), '2027-11-01 01:30Z'::timestamptz,
  'and not again at the other 01:30');
select is(sync.cron_next_run('0 11 * * *', 'Europe/Dublin', '2027-07-01 00:00Z'), '2027-07-01 10:00Z'::timestamptz,
  '11:00 Dublin in summer is 10:00 UTC');
select is(sync.cron_next_run('0 19 * * *', 'Europe/Dublin', '2027-01-15 12:00Z'), '2027-01-15 19:00Z'::timestamptz,
  '19:00 Dublin in winter is 19:00 UTC');
select is(sync.cron_next_run('0 9 * * 1-5', 'America/New_York', '2027-03-13 00:00Z'), '2027-03-15 13:00Z'::timestamptz,
  'weekdays only, and New York''s own DST date (14 March 2027)');
select is(sync.cron_next_run('0 0 1 jan *', 'Europe/Dublin', now()), null, 'names are not understood: null');
select throws_ok($$select sync.upsert_schedule('never', 'square', array['orders'], '0 0 31 2 *', 'incremental', '{}', true,
  'default', null, 'Europe/Dublin')$$, 'SY422',
  'Cannot save schedule "never": "0 0 31 2 *" in time zone Europe/Dublin needs numeric cron fields (numbers, *, ranges, steps, lists) that match a date',
  'a zoned schedule must be one the tick can compute (31 February never comes)');

-- the Ireland Pay seed shape: 11:00 and 19:00 Dublin
select is((select (sync.upsert_schedule('irl-pay-11', 'square', array['orders'], '0 11 * * *', 'incremental', '{}', true,
  'default', null, 'Europe/Dublin')).timezone), 'Europe/Dublin', 'a schedule row can carry Europe/Dublin');
select is((select fired_by from sync.list_schedules() where name = 'irl-pay-11'), 'ops_tick',
  'a zoned schedule is fired by the ops tick (UTC ones by pg_cron)');

select null from sync.set_schedule_enabled((select id from sync.schedules where name = 'irl-pay-11'), false);

-- minute-by-minute ticks over four days around each change; each queued job is cancelled so the next can run
create temporary table fired (at timestamptz) on commit drop;
create function pg_temp.simulate(p_name text, p_from timestamptz, p_to timestamptz) returns void language plpgsql as $$
declare
  v_now timestamptz := p_from;
  v_run sync.schedule_runs;
begin
  update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, p_from) where name = p_name;
  while v_now < p_to loop
    for v_run in select * from sync.run_due_schedules(v_now) loop
      insert into fired values (v_now);
      perform sync.cancel_job(v_run.job_id);
    end loop;
    v_now := v_now + interval '1 minute';
  end loop;
end
$$;
select null from sync.upsert_schedule('dublin-2am', 'square', array['inventory_counts'], '0 2 * * *', 'incremental', '{}', true,
  'default', null, 'Europe/Dublin');
select pg_temp.simulate('dublin-2am', '2027-03-26 00:00Z', '2027-03-30 00:00Z');
select results_eq($$select at from fired order by at$$,
  $$values ('2027-03-26 02:00Z'::timestamptz), ('2027-03-27 02:00Z'), ('2027-03-28 01:00Z'), ('2027-03-29 01:00Z')$$,
  'spring forward: the tick fires at 02:00 Dublin every day, once');
delete from fired;
select pg_temp.simulate('dublin-2am', '2027-10-29 00:00Z', '2027-11-02 00:00Z');
select results_eq($$select at from fired order by at$$,
  $$values ('2027-10-29 01:00Z'::timestamptz), ('2027-10-30 01:00Z'), ('2027-10-31 02:00Z'), ('2027-11-01 02:00Z')$$,
  'fall back: the tick fires at 02:00 Dublin every day, once');
select is((select count(*)::integer from sync.schedule_runs r join sync.schedules s on s.id = r.schedule_id
  where s.name = 'dublin-2am' and r.outcome = 'enqueued'), 8, 'every firing queued a job');

-- a tick after a long pause fires a missed schedule once, then moves on
delete from fired;
update sync.schedules set next_run_at = '2027-03-26 02:00Z' where name = 'dublin-2am';
select null from sync.run_due_schedules('2027-04-05 12:00Z');
select is((select next_run_at from sync.schedules where name = 'dublin-2am'), '2027-04-06 01:00Z'::timestamptz,
  'after a pause of ten days it ran once and its next run is the next 02:00 Dublin');
select is((select (sync.ops_tick('2027-04-06 01:00:30Z')) ->> 'schedules_fired'), '1', 'ops_tick runs the due zoned schedules');

select * from finish();
rollback;
