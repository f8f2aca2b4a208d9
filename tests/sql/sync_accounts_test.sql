-- The account registry: adding, refusals with their codes, settings merged, secrets refused without
-- Vault, a paused account's jobs refused by sync.create_job, and who may do what.
begin;
select plan(15);

select is((sync.add_account('square', 'ML1', 'Downtown', '{"pageSize": 50}')).state, 'active', 'an account is added active');
select throws_ok($$select sync.add_account('square', 'ML1')$$, 'SY409',
  'Account "ML1" of connector "square" already exists', 'a second add of the same account is a conflict');
select throws_ok($$select sync.add_account('square', 'ML2', null, '{"accessToken": "x"}')$$, 'SY422',
  'Account setting "accessToken" names a secret: set it as a secret (stored in Vault), not a setting',
  'a secret-named setting is refused');
select throws_ok($$select sync.add_account('square', 'bad key')$$, '23514', null, 'account keys are checked');
select is((sync.update_account('square', 'ML1', null, '{"pageSize": null, "locationIds": ["L1"]}')).settings,
  '{"locationIds": ["L1"]}'::jsonb, 'settings are merged; a key set to null is removed');
select throws_ok($$select sync.update_account('square', 'nope', 'x')$$, 'SY404',
  'No account "nope" of connector "square"', 'an unknown account is not found');
select throws_ok($$select sync.set_account_secret('square', 'ML1', 'accessToken', 'EAAAsecretvalue')$$, 'SY503',
  null, 'without Vault a secret is refused, not stored elsewhere');
select is((select count(*)::int from sync.account_secrets), 0, 'nothing was recorded');

select null from sync.set_account_state('square', 'ML1', 'paused', 'audit');
select throws_ok($$select sync.create_job('square', array['orders'], 'ML1')$$, 'SY409',
  'Cannot start sync for "square": account "ML1" is paused (resume it first)', 'a paused account starts nothing');
select lives_ok($$select sync.create_job('square', array['orders'], 'default')$$,
  'the default account (not registered) carries on');
select null from sync.upsert_schedule('ml1-nightly', 'square', array['customers'], '0 2 * * *', 'incremental',
  '{}'::jsonb, true, 'ML1');
select is((select row((r).outcome, (r).reason)::text from (select sync.run_schedule(id) as r from sync.schedules
  where name = 'ml1-nightly') x),
  row('skipped', 'Cannot start sync for "square": account "ML1" is paused (resume it first)')::text,
  'a schedule of a paused account records a skipped run with the reason');
select null from sync.set_account_state('square', 'ML1', 'active');
select lives_ok($$select sync.create_job('square', array['orders'], 'ML1')$$, 'a resumed account starts jobs');
select throws_ok($$select sync.remove_account('square', 'ML1')$$, 'SY409', null,
  'an account with a queued job is not removed');

select ok(has_function_privilege('service_role', 'sync.account_config(text, text)', 'execute')
  and not has_function_privilege('anon', 'sync.account_config(text, text)', 'execute')
  and not has_function_privilege('authenticated', 'sync.account_config(text, text)', 'execute'),
  'only service_role may read an account''s decrypted configuration');
select ok(not has_table_privilege('service_role', 'sync.account_secrets', 'insert')
  and has_table_privilege('service_role', 'sync.account_secrets', 'select'),
  'service_role reads which secrets are set; only the RPCs write them');

select * from finish();
rollback;
