-- Schedules <-> real pg_cron (stack "postgres" database): create, change, disable, enable, remove.
begin;
select plan(10);

select ok(exists (select from cron.job where jobname = 'syncline:ops-tick' and schedule = '* * * * *'),
  'the alert/wake tick runs every minute');
select ok(exists (select from cron.job where jobname = 'syncline:cleanup' and schedule = '*/10 * * * *'
    and command = 'select sync.cleanup_old_sync_data_round()'),
  'retention runs one bounded round every 10 minutes');

create temporary table t_s on commit drop as
  select (sync.upsert_schedule('cron-test', 'square', array['orders'], '5 2 * * *', 'incremental', '{"lookback_hours": 168}')).id;

select results_eq(
  $$select schedule, command from cron.job where jobname = 'syncline:' || (select id from t_s)$$,
  $$select '5 2 * * *'::text, format('select sync.run_schedule(%s)', (select id from t_s))$$,
  'creating an enabled schedule creates its cron job');
select is((select cron_job_id is not null from sync.list_schedules() where name = 'cron-test'), true,
  'list_schedules shows the cron job');

select sync.upsert_schedule('cron-test', 'square', array['orders'], '0 11,19 * * *');
select results_eq($$select schedule from cron.job where jobname = 'syncline:' || (select id from t_s)$$,
  $$values ('0 11,19 * * *'::text)$$, 'changing the expression changes the cron job');
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 1,
  'still exactly one cron job');

select sync.set_schedule_enabled((select id from t_s), false);
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 0,
  'disabling removes the cron job');
select sync.set_schedule_enabled((select id from t_s), true);
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 1,
  'enabling brings it back');

select sync.remove_schedule((select id from t_s));
select is((select count(*)::integer from cron.job where jobname = 'syncline:' || (select id from t_s)), 0,
  'removing the schedule removes the cron job');
select is((select count(*)::integer from cron.job j where j.jobname like 'syncline:%' and j.jobname !~ '^syncline:(ops-tick|cleanup)$'
    and not exists (select from sync.schedules s where j.jobname = 'syncline:' || s.id and s.enabled)), 0,
  'no cron job without an enabled schedule');

select * from finish();
rollback;
