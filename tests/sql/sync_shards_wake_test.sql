-- Planning shards on Supabase wakes one more worker invocation per shard beyond the first (pg_net,
-- stand-ins for Vault and pg_net here), each told the job; a resumed coordinator wakes nobody again.
begin;
select plan(4);

\ir ../_support/supabase_standins.sql
select count(*) from sync.install('https://example.test/functions/v1/sync/worker', repeat('s', 40));
delete from net.requests_sent;

create temp table j as select * from sync.create_job('square', array['orders'], 'default', 'full', '{"shards": 4}');
select is((select id from sync.claim_job('coord', 60)), (select id from j), 'the coordinator holds the job');
select is(sync.plan_shards((select id from j), 'coord', 'orders',
  '[{"start": null, "end": "2026-01-01T00:00:00Z"}, {"start": "2026-01-01T00:00:00Z", "end": "2026-03-01T00:00:00Z"},
    {"start": "2026-03-01T00:00:00Z", "end": "2026-06-01T00:00:00Z"}, {"start": "2026-06-01T00:00:00Z", "end": null}]',
  now()), 4, 'four shards planned');
select results_eq($$select body ->> 'reason', (body ->> 'job_id')::bigint from net.requests_sent$$,
  format($$values ('shard', %1$s::bigint), ('shard', %1$s), ('shard', %1$s)$$, (select id from j)),
  'three more workers are woken for the job (the coordinator reads the fourth)');
select sync.plan_shards((select id from j), 'coord', 'orders', '[{"start": null, "end": null}]', now());
select is((select count(*)::int from net.requests_sent), 3, 'planning again wakes nobody');

select * from finish();
rollback;
