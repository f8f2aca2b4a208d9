-- Retention: rows exactly at the cutoff stay, a microsecond older go; active and business data stay.
begin;
select plan(11);

create schema if not exists square;
create table square.retention_probe (id int primary key, created_at timestamptz);
insert into square.retention_probe values (1, now() - interval '400 days');

insert into sync.jobs (connector, streams, status, created_at, started_at, finished_at) values
  ('square', '{orders}', 'succeeded', now() - interval '31 days', now() - interval '31 days', now() - interval '30 days'),
  ('square', '{orders}', 'failed', now() - interval '31 days', now() - interval '31 days',
    now() - interval '30 days' - interval '1 microsecond'),
  ('square', '{catalog}', 'succeeded', now() - interval '90 days', now() - interval '90 days', now() - interval '89 days');
insert into sync.jobs (connector, streams, status, created_at) values ('square', '{inventory}', 'queued', now() - interval '90 days');
insert into sync.progress (job_id, phase) select id, streams[1] from sync.jobs;
insert into sync.webhook_inbox (provider, event_id, event_type, payload, status, received_at, processed_at) values
  ('square', 'e1', 't', '{}', 'processed', now() - interval '31 days', now() - interval '30 days'),
  ('square', 'e2', 't', '{}', 'processed', now() - interval '31 days', now() - interval '30 days' - interval '1 microsecond'),
  ('square', 'e3', 't', '{}', 'received', now() - interval '60 days', null),
  ('square', 'e4', 't', '{}', 'ignored', now() - interval '60 days', null);
insert into sync.failed_items (connector, stream, item_key, error_class, error, resolved_at, resolution, created_at) values
  ('square', 'orders', 'a', 'http', 'x', now() - interval '30 days', 'resolved', now() - interval '40 days'),
  ('square', 'orders', 'b', 'http', 'x', now() - interval '30 days' - interval '1 microsecond', 'resolved', now() - interval '40 days'),
  ('square', 'orders', 'c', 'http', 'x', null, null, now() - interval '40 days');

select throws_ok($$select * from sync.cleanup_old_sync_data(0)$$, 'SY422',
  'Cannot clean up sync data: days_to_keep must be at least 1 (got 0)', 'days_to_keep below 1 is refused');
select throws_ok($$select * from sync.cleanup_old_sync_data(30, 0)$$, 'SY422',
  'Cannot clean up sync data: batch_size must be between 1 and 100000 (got 0)', 'batch_size is bounded');

-- batch size 1 forces several rounds
select results_eq($$select table_name, deleted from sync.cleanup_old_sync_data(30, 1)$$,
  $$values ('failed_items'::text, 1::bigint), ('jobs', 2), ('notifications', 0), ('progress', 2), ('schedule_runs', 0),
    ('webhook_dedup', 0), ('webhook_inbox', 3)$$, 'returns the rows deleted per table');
select is((select count(*)::integer from sync.jobs where finished_at = now() - interval '30 days'), 1,
  'a job finished exactly at the cutoff is kept');
select is((select count(*)::integer from sync.jobs where status = 'queued'), 1, 'an old queued job is kept');
select is((select count(*)::integer from sync.progress), 2, 'progress of kept jobs is kept');
select is((select array_agg(event_id order by event_id) from sync.webhook_inbox), array['e1'],
  'processed at the cutoff is kept; older entries go, also one never processed (60 days old)');
select is((select array_agg(item_key order by item_key) from sync.failed_items), array['a', 'c'],
  'resolved at the cutoff and open failed items are kept');
select is((select count(*)::integer from square.retention_probe), 1, 'synced business data is never touched');
select results_eq($$select sum(deleted)::bigint from sync.cleanup_old_sync_data(30)$$, $$values (0::bigint)$$,
  'running it again deletes nothing');
select is((select count(*)::integer from sync.cleanup_old_sync_data(1)), 7, 'every table is reported');

select * from finish();
rollback;
