-- sync.install / sync.uninstall with the real pg_cron (stack "postgres" database): cron jobs are
-- reported unchanged, re-created when missing, and all removed by uninstall (rolled back after).
begin;
select plan(5);

select ok(not exists (
    select from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40))
    where step like 'cron job %' and outcome <> 'unchanged'),
  'with every cron job in place install changes none');

select cron.unschedule('syncline:cleanup');
select results_eq(
  $$select outcome from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40))
    where step = 'cron job syncline:cleanup'$$,
  $$values ('created')$$,
  'a missing housekeeping job is created again');

select results_eq(
  $$select outcome from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40))
    where step like 'extension %' order by step$$,
  $$values ('unchanged'), ('skipped')$$,
  'pg_cron is reported present, pg_net skipped (Debian has no pg_net)');

select ok((select count(*) from sync.uninstall() where outcome = 'removed') >= 2,
  'uninstall removes the cron jobs');
select is((select count(*)::int from cron.job where jobname like 'syncline:%'), 0, 'no syncline job is left');

select * from finish();
rollback;
