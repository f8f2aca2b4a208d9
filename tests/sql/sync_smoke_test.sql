begin;
select plan(2);
select has_schema('sync');
select has_function('sync', 'merge_rows', array['text', 'jsonb', 'bigint', 'timestamp with time zone']);
select * from finish();
rollback;
