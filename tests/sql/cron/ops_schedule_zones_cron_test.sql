-- Schedules in a time zone <-> real pg_cron: a UTC schedule has its cron job, a zoned one has none
-- (the every-minute ops tick fires it), and changing the zone moves it between the two.
begin;
select plan(5);

create temporary table t_s on commit drop as
  select (sync.upsert_schedule('zone-test', 'square', array['orders'], '0 2 * * *', 'incremental', '{}', true,
    'default', null, 'Europe/Dublin')).id;
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 0,
  'a schedule in Europe/Dublin has no pg_cron job');
select ok(exists (select from cron.job where jobname = 'syncline:ops-tick' and schedule = '* * * * *'
  and command = 'select sync.ops_tick()'), 'the every-minute ops tick that fires it exists');
select is((select next_run_at from sync.schedules where id = (select id from t_s)),
  sync.cron_next_run('0 2 * * *', 'Europe/Dublin', now()), 'its next run is 02:00 Dublin');
select null from sync.upsert_schedule('zone-test', 'square', array['orders'], '0 2 * * *', 'incremental', '{}', true,
  'default', null, 'UTC');
select is((select schedule from cron.job where jobname = 'syncline:' || (select id from t_s)), '0 2 * * *',
  'back in UTC it gets its pg_cron job');
select null from sync.upsert_schedule('zone-test', 'square', array['orders'], '0 2 * * *', 'incremental', '{}', true,
  'default', null, 'Europe/Dublin');
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 0,
  'and loses it when moved to a zone');

select * from finish();
rollback;
