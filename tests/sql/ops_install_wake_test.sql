-- sync.install / sync._wake_worker against stand-ins for Vault and pg_net: what is stored, what is
-- sent, why a wake-up cannot happen (kept in sync.wake_status), bad input, and who may run it.
begin;
select plan(14);

select is(sync._wake_worker('test'), false, 'without pg_net the worker cannot be woken');
select matches((select reason from sync.wake_status), '^pg_net is not installed',
  'and sync.wake_status says why');

\ir ../_support/supabase_standins.sql

select is(sync._wake_worker('test'), false, 'with pg_net but no Vault secrets nothing is sent');
select is((select reason from sync.wake_status),
  'Vault has no syncline_worker_url and syncline_worker_secret secret: run deno task install',
  'the reason names the missing secrets');

select results_eq(
  $$select step, outcome from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40))
    where step like 'vault%' or step like 'worker%' order by step$$,
  $$values ('vault secret syncline_worker_secret', 'created'), ('vault secret syncline_worker_url', 'created'),
    ('worker wake-up', 'ok')$$,
  'install stores both secrets and the wake-up works');
select is((select count(*)::int from net.requests_sent), 1, 'install woke the worker once');
select is((select headers ->> 'Authorization' from net.requests_sent), 'Bearer ' || repeat('s', 40),
  'with the secret as a bearer token');
select is((select ok from sync.wake_status), true, 'wake_status now says ok');

select results_eq(
  $$select outcome from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40))
    where step like 'vault%'$$,
  $$values ('unchanged'), ('unchanged')$$,
  'a second install changes no secret');
select results_eq(
  $$select outcome from sync.install('https://example.test/functions/v1/sync/worker', repeat('t', 40))
    where step = 'vault secret syncline_worker_secret'$$,
  $$values ('updated')$$,
  'a different secret is updated in place');

select throws_ok($$select * from sync.install('http://example.test/worker', repeat('s', 40))$$, 'SY422',
  'Cannot install: the worker URL "http://example.test/worker" must be https:// (or http:// to this machine)',
  'plain http to another machine is refused');
select throws_ok($$select * from sync.install('https://example.test/worker', 'short')$$, 'SY422',
  'Cannot install: the worker secret must have at least 32 characters', 'a short secret is refused');

set local role service_role;
select throws_ok($$select * from sync.install('https://example.test/worker', repeat('s', 40))$$, '42501', null,
  'service_role cannot install');
reset role;
set local role anon;
select throws_ok($$select * from sync.wake_status$$, '42501', null, 'anon cannot read wake_status');
reset role;

select * from finish();
rollback;
