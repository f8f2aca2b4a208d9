-- Stats RPCs against known data: 4 square runs and 1 highlevel run in the window, one outside.
begin;
select plan(16);

insert into sync.jobs (connector, streams, status, error, created_at, started_at, finished_at, stats) values
  ('square', '{orders,catalog}', 'succeeded', null, now() - interval '2 days', now() - interval '2 days',
    now() - interval '2 days' + interval '10 seconds',
    '{"records": 30, "streams": {"orders": {"done": 20, "status": "done"}, "catalog": {"done": 10, "status": "done"}}}'),
  ('square', '{orders,catalog}', 'succeeded', null, now() - interval '1 day', now() - interval '1 day',
    now() - interval '1 day' + interval '20 seconds',
    '{"records": 50, "streams": {"orders": {"done": 40, "status": "done"}, "catalog": {"done": 10, "status": "done"}}}'),
  ('square', '{orders}', 'failed', 'boom', now() - interval '3 hours', now() - interval '3 hours',
    now() - interval '3 hours' + interval '30 seconds', '{"records": 0, "streams": {"orders": {"done": 0, "status": "failed"}}}'),
  ('square', '{orders}', 'partial', null, now() - interval '1 hour', now() - interval '1 hour',
    now() - interval '1 hour' + interval '40 seconds', '{"records": 8, "streams": {"orders": {"done": 8, "status": "done"}}}'),
  ('highlevel', '{contacts}', 'succeeded', null, now() - interval '1 hour', now() - interval '1 hour',
    now() - interval '1 hour' + interval '5 seconds', '{"records": 7, "streams": {"contacts": {"done": 7, "status": "done"}}}'),
  ('square', '{orders}', 'succeeded', null, now() - interval '30 days', now() - interval '30 days',
    now() - interval '30 days' + interval '1000 seconds', '{"records": 999, "streams": {"orders": {"done": 999, "status": "done"}}}');

select results_eq(
  $$select runs, succeeded, partial, failed, success_rate, avg_duration_seconds, p95_duration_seconds, avg_records, total_records
    from sync.get_sync_stats(7) where connector = 'square' and stream is null$$,
  $$values (4::bigint, 2::bigint, 1::bigint, 1::bigint, 0.5000::numeric, 25.000::numeric, 38.500::numeric, 22.00::numeric, 88::bigint)$$,
  'square totals over 7 days: runs, success rate, avg and p95 duration, records');
select results_eq(
  $$select runs, succeeded, failed, total_records from sync.get_sync_stats(7) where connector = 'square' and stream = 'orders'$$,
  $$values (4::bigint, 2::bigint, 1::bigint, 68::bigint)$$, 'square orders per stream');
select results_eq(
  $$select runs, total_records from sync.get_sync_stats(7) where connector = 'square' and stream = 'catalog'$$,
  $$values (2::bigint, 20::bigint)$$, 'square catalog per stream');
select is((select success_rate from sync.get_sync_stats(7) where connector = 'highlevel' and stream is null), 1.0000::numeric,
  'highlevel succeeded every time');
select is((select runs from sync.get_sync_stats(60) where connector = 'square' and stream is null), 5::bigint,
  'a wider window includes the older run');
select throws_ok($$select * from sync.get_sync_stats(0)$$, 'SY422',
  'Cannot compute sync stats: days_back must be between 1 and 3650 (got 0)', 'days_back must be positive');

select is((select count(*)::integer from sync.get_sync_performance_trends(7, 'square')), 7, 'seven days, empty days included');
select results_eq(
  $$select runs, failures, partial from sync.get_sync_performance_trends(7, 'square') order by day desc limit 1$$,
  $$select count(*) filter (where true), count(*) filter (where status = 'failed'), count(*) filter (where status = 'partial')
    from sync.jobs where connector = 'square' and (finished_at at time zone 'UTC')::date = (now() at time zone 'UTC')::date$$,
  'today''s trend row counts today''s runs');
select is((select sum(records)::bigint from sync.get_sync_performance_trends(7, null) where connector = 'highlevel'), 7::bigint,
  'trends per connector when none is given');

insert into sync.failed_items (connector, stream, item_key, error_class, error, resolved_at, resolution) values
  ('square', 'orders', 'a', 'validation', 'x', null, null),
  ('square', 'orders', 'b', 'validation', 'x', null, null),
  ('square', 'orders', 'c', 'validation', 'x', now(), 'resolved'),
  ('square', 'orders', 'd', 'http', 'x', now(), 'dismissed');
select results_eq(
  $$select error_class, open, resolved, dismissed from sync.get_failed_items_summary() where connector = 'square' order by 1$$,
  $$values ('http', 0::bigint, 0::bigint, 1::bigint), ('validation', 2::bigint, 1::bigint, 0::bigint)$$,
  'failed items open vs resolved by error class');

-- freshness comes from the finish trigger
select sync.create_job('square', array['locations'], 'default', 'full');
update sync.jobs set status = 'succeeded', started_at = now() - interval '2 minutes', finished_at = now()
  where connector = 'square' and streams = '{locations}';
select results_eq(
  $$select last_status, stale, age_seconds < 5 from sync.get_data_freshness() where connector = 'square' and stream = 'locations'$$,
  $$values ('succeeded'::text, false, true)$$, 'a finished job makes its stream fresh');
update sync.stream_status set last_success_at = now() - interval '3 days' where stream = 'locations';
select is((select stale from sync.get_data_freshness() where stream = 'locations'), true, 'older than 26 hours is stale');

-- the narrow table the stats read: one row per finished job (stream null) and per stream
select results_eq(
  $$select r.stream, r.status, r.records, r.duration_seconds from sync.job_stream_runs r join sync.jobs j on j.id = r.job_id
    where j.connector = 'square' and j.status = 'failed' order by r.stream nulls first$$,
  $$values (null::text, 'failed'::text, 0::bigint, 30.000000::numeric), ('orders', 'failed', 0, 30.000000)$$,
  'a job inserted finished has its job row and stream rows');
select results_eq(
  $$select r.stream, r.status from sync.job_stream_runs r join sync.jobs j on j.id = r.job_id
    where j.streams = '{locations}' order by r.stream nulls first$$,
  $$values (null::text, 'succeeded'::text)$$, 'finishing a job writes its rows in the same transaction');
select is((select count(*)::integer from sync.job_stream_runs where finished_at < now() - interval '10 days'), 2,
  'the 30-day-old job has a job row and an orders row');
select sync.cleanup_old_sync_data(10);
select is((select count(*)::integer from sync.job_stream_runs where finished_at < now() - interval '10 days'), 0,
  'cleanup deletes the old job and its rows with it');

select * from finish();
rollback;
