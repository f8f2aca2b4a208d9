-- bubble.records: one table for every Bubble type, keyed by (type, id), versioned by modified_at;
-- service_role only.
begin;
select plan(8);

select is((select key_columns from sync.targets where target = 'bubble.records'), array['type', 'id'],
  'bubble.records is registered with key (type, id)');
select is((select version_column from sync.targets where target = 'bubble.records'), 'modified_at',
  'modified_at is the version column');
select ok((select relrowsecurity from pg_class where oid = 'bubble.records'::regclass), 'RLS is on');
select ok(not has_schema_privilege('anon', 'bubble', 'usage') and not has_schema_privilege('authenticated', 'bubble', 'usage'),
  'anon and authenticated have no usage on schema bubble');
select ok(has_table_privilege('service_role', 'bubble.records', 'select, insert, update, delete'),
  'service_role reads and writes bubble.records');

select is(sync.merge_rows('bubble.records', jsonb_build_array(
    jsonb_build_object('type', 'user', 'id', '1x1', 'created_at', '2026-01-01T00:00:00Z', 'modified_at', '2026-01-02T00:00:00Z', 'raw', '{}'::jsonb),
    jsonb_build_object('type', 'order', 'id', '1x1', 'created_at', '2026-01-01T00:00:00Z', 'modified_at', '2026-01-02T00:00:00Z', 'raw', '{}'::jsonb))),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'the same id in two types is two rows');
select is(sync.merge_rows('bubble.records', jsonb_build_array(
    jsonb_build_object('type', 'user', 'id', '1x1', 'created_at', '2026-01-01T00:00:00Z', 'modified_at', '2026-01-01T12:00:00Z', 'raw', '{"old": true}'::jsonb))),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb,
  'an older Modified Date does not overwrite a newer one');
select is((select raw from bubble.records where type = 'user' and id = '1x1'), '{}'::jsonb, 'the newer row is kept');

select * from finish();
rollback;
