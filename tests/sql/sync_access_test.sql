-- Who may touch the sync schema: anon and authenticated nothing, service_role the RPCs and tables.
begin;
select plan(24);

create table public.access_items (id text primary key, name text);
grant all on public.access_items to service_role;
select sync.register_target('public.access_items', array['id']);

-- privileges as the catalog states them
select ok(not has_schema_privilege('anon', 'sync', 'usage'), 'anon has no usage on schema sync');
select ok(not has_schema_privilege('authenticated', 'sync', 'usage'), 'authenticated has no usage on schema sync');
select ok(has_schema_privilege('service_role', 'sync', 'usage'), 'service_role has usage on schema sync');

select is(
  (select count(*)::int from information_schema.role_table_grants
   where table_schema = 'sync' and grantee in ('anon', 'authenticated', 'PUBLIC')),
  0,
  'anon, authenticated and public hold no table privilege in sync'
);
select is(
  (select count(*)::int from pg_proc p
   where p.pronamespace = 'sync'::regnamespace
     and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute'))),
  0,
  'anon and authenticated may execute no function in sync'
);
select ok(has_function_privilege('service_role', 'sync.merge_rows(text, jsonb, bigint, timestamptz)', 'execute'),
  'service_role may execute merge_rows');
select ok(has_function_privilege('service_role', 'sync.claim_job(text, integer, text)', 'execute'),
  'service_role may execute claim_job');
select ok(not has_function_privilege('service_role', 'sync.register_target(text, text[], text)', 'execute'),
  'registering targets is for the owner (migrations), not service_role');
select table_privs_are('sync', 'jobs', 'service_role', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

-- anon: nothing works
set local role anon;
select throws_ok($$select count(*) from sync.jobs$$, '42501', 'permission denied for schema sync', 'anon cannot read sync.jobs');
select throws_ok($$select sync.create_job('square', array['orders'])$$, '42501', 'permission denied for schema sync',
  'anon cannot call create_job');
select throws_ok($$select sync.merge_rows('public.access_items', '[{"id": "1"}]')$$, '42501',
  'permission denied for schema sync', 'anon cannot call merge_rows');
reset role;

-- authenticated: nothing works either
set local role authenticated;
select throws_ok($$select count(*) from sync.jobs$$, '42501', 'permission denied for schema sync',
  'authenticated cannot read sync.jobs');
select throws_ok($$select sync.claim_job('w')$$, '42501', 'permission denied for schema sync',
  'authenticated cannot call claim_job');
select throws_ok($$select sync.merge_rows('public.access_items', '[{"id": "1"}]')$$, '42501',
  'permission denied for schema sync', 'authenticated cannot call merge_rows');
reset role;

-- with usage on the schema granted by mistake, table and function rights still stop them
grant usage on schema sync to authenticated;
set local role authenticated;
select throws_ok($$select count(*) from sync.jobs$$, '42501', 'permission denied for table jobs',
  'authenticated cannot read jobs even with schema usage');
select throws_ok($$select sync.merge_rows('public.access_items', '[{"id": "1"}]')$$, '42501',
  'permission denied for function merge_rows', 'authenticated cannot call merge_rows even with schema usage');
reset role;

-- service_role: the whole worker lifecycle works
set local role service_role;
select lives_ok($$select sync.create_job('square', array['orders'])$$, 'service_role can create a job');
select is((select count(*)::int from sync.claim_job('w1')), 1, 'service_role can claim a job');
select lives_ok($$select sync.heartbeat((select id from sync.jobs), 'w1')$$, 'service_role can heartbeat');
select is(
  sync.merge_page((select id from sync.jobs), 'w1', 'orders', 'public.access_items', '[{"id": "1", "name": "a"}]', 'c1'),
  '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'service_role can merge a page'
);
select is(sync.merge_rows('public.access_items', '[{"id": "1", "name": "b"}]') ->> 'updated', '1',
  'service_role can call merge_rows');
select is((sync.finish_job((select id from sync.jobs), 'w1', 'succeeded')).status, 'succeeded',
  'service_role can finish a job');
select is((select count(*)::int from sync.jobs), 1, 'service_role reads sync.jobs despite RLS');
reset role;

select * from finish();
rollback;
