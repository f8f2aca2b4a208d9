-- Schedules accept what pg_cron accepts (weekday and month names, @daily, seconds) and refuse
-- what it refuses, also on a database without pg_cron (the port in sql/sync_schedules.sql).
begin;
select plan(6);

select lives_ok($$select sync.upsert_schedule('t-weekdays', 'square', array['orders'], '0 2 * * MON-FRI')$$,
  'weekday names, as pg_cron takes them');
select is((select cron from sync.schedules where name = 't-weekdays'), '0 2 * * MON-FRI', 'stored as given');
select lives_ok($$select sync.upsert_schedule('t-daily', 'square', array['orders'], '@daily')$$, '@daily');
select lives_ok($$select sync.upsert_schedule('t-q1', 'square', array['orders'], '30 4 1 jan-mar *')$$,
  'month names');
select throws_ok($$select sync.upsert_schedule('bad', 'square', array['orders'], '1/20 * * * *')$$, 'SY422',
  'Cannot save schedule "bad": "1/20 * * * *" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
  'a step without a range is refused, as by pg_cron');
select throws_ok($$insert into sync.schedules (name, connector, streams, cron) values ('raw', 'square', '{orders}', '0 2 * * FRIDAY')$$,
  '23514', null, 'the table refuses what pg_cron would refuse, however the row arrives');

select * from finish();
rollback;
