-- irelandpay.* (generated from the connector's description): registered merge targets with their
-- keys and versions, RLS on, service_role only; a re-merged row is unchanged.
begin;
select plan(7);

select is((select array_agg(target || ':' || array_to_string(key_columns, ',') || ':' || coalesce(version_column, '-') order by target)
  from sync.targets where target like 'irelandpay.%'),
  array['irelandpay.merchants:mid:modified', 'irelandpay.residuals:mid,period:-', 'irelandpay.transactions:id:-'],
  'the three tables are merge targets with the described keys and versions');
select ok((select bool_and(relrowsecurity) from pg_class where oid in
  ('irelandpay.merchants'::regclass, 'irelandpay.transactions'::regclass, 'irelandpay.residuals'::regclass)), 'RLS is on');
select ok(not has_schema_privilege('anon', 'irelandpay', 'usage') and not has_schema_privilege('authenticated', 'irelandpay', 'usage'),
  'anon and authenticated have no usage on schema irelandpay');
select ok(has_table_privilege('service_role', 'irelandpay.transactions', 'select, insert, update, delete'),
  'service_role reads and writes irelandpay.transactions');

select is(sync.merge_rows('irelandpay.merchants', '[{"mid": "M1", "name": "Café Ó Briain", "modified": "2024-05-01T00:00:00Z", "raw": {}}]'::jsonb),
  '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'a merchant lands');
select is(sync.merge_rows('irelandpay.merchants', '[{"mid": "M1", "name": "old name", "modified": "2024-04-01T00:00:00Z", "raw": {}}]'::jsonb),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb, 'an older modified time is stale');
select is((select column_default from information_schema.columns
    where table_schema = 'irelandpay' and table_name = 'transactions' and column_name = 'currency'),
  '''EUR''::text', 'the described default of currency is the column default');

select * from finish();
rollback;
