-- Automatic retries of failed items: the ops tick queues retry jobs per connector account for due
-- items (not busy or cooling streams), an item is given up after failed_item_max_attempts with one
-- retries_exhausted alert, recovery statistics, and schedules in retry mode.
begin;
select plan(19);

update sync.notification_settings set failed_item_max_attempts = 3, rate_limit_window = interval '1 hour';
select null from sync.create_job('square', array['orders', 'payments']);
select null from sync.claim_job('w1');
create temporary table j on commit drop as select id from sync.jobs where status = 'running';
select null from sync.record_failed_item((select id from j), 'orders', 'o-1', '{"id": "o-1"}', 'validation', 'total is not a number');
select null from sync.record_failed_item((select id from j), 'orders', 'o-2', '{"id": "o-2"}', 'validation', 'bad date');
select null from sync.record_failed_item((select id from j), 'payments', 'p-1', '{"id": "p-1"}', 'http', 'HTTP 404');
select null from sync.finish_job((select id from j), 'w1', 'succeeded');

select is((select count(*)::integer from sync.enqueue_due_retries(now())), 0, 'nothing is retried before its backoff (1 minute)');
select is((select count(*)::integer from sync.enqueue_due_retries(now() + interval '2 minutes')), 1,
  'after the backoff the tick queues one retry job for the connector account');
select results_eq($$select mode, trigger, streams, options ->> 'max_items' from sync.jobs where trigger = 'retry'$$,
  $$values ('retry'::text, 'retry'::text, array['orders', 'payments'], '200'::text)$$,
  'a retry job for both streams, bounded by retry_batch_size');
select is((select count(*)::integer from sync.enqueue_due_retries(now() + interval '3 minutes')), 0,
  'not again while that job is queued');
select null from sync.cancel_job((select id from sync.jobs where trigger = 'retry'));

select null from sync.set_stream_cooldown('square', 'payments', 600);
select null from sync.set_stream_cooldown('square', 'orders', 600);
select is((select count(*)::integer from sync.enqueue_due_retries(now() + interval '3 minutes')), 0,
  'streams in their cool-down wait (the cancelled retry job counts as a run)');
select null from sync.set_stream_cooldown('square', 'orders', 0);
select results_eq($$select streams from sync.enqueue_due_retries(now() + interval '3 minutes')$$,
  $$values (array['orders'])$$, 'the stream out of its cool-down is retried alone');
delete from sync.jobs where trigger = 'retry';

update sync.notification_settings set auto_retry = false;
select is((select count(*)::integer from sync.enqueue_due_retries(now() + interval '1 day')), 0, 'auto_retry off: nothing');
update sync.notification_settings set auto_retry = true;

-- a retry job re-attempts o-1 and p-1; o-1 fails twice more and is given up, p-1 lands
select null from sync.create_job('square', array['orders', 'payments'], 'default', 'retry', '{}', 'retry');
select null from sync.claim_job('w1');
create temporary table r on commit drop as select id from sync.jobs where status = 'running';
select is(sync.mark_failed_items_retried(array(select id from sync.failed_items where item_key in ('o-1', 'p-1'))), 2,
  'a retry job marks the items it re-attempts');
select null from sync.record_failed_item((select id from r), 'orders', 'o-1', '{"id": "o-1"}', 'validation', 'still not a number');
select is((select permanent from sync.failed_items where item_key = 'o-1'), false, 'two attempts: still retried');
select null from sync.mark_failed_items_retried(array(select id from sync.failed_items where item_key = 'o-1'));
select null from sync.record_failed_item((select id from r), 'orders', 'o-1', '{"id": "o-1"}', 'validation', 'still not a number');
select results_eq($$select permanent, next_retry_at is null, gave_up_at is not null, attempts from sync.failed_items where item_key = 'o-1'$$,
  $$values (true, true, true, 3)$$, 'the third attempt gives up: permanent, no next retry');
select null from sync.resolve_failed_items(array(select id from sync.failed_items where item_key = 'p-1'), 'resolved');
select null from sync.finish_job((select id from r), 'w1', 'succeeded');
select is((select count(*)::integer from sync.notifications where kind = 'job_partial'
    and (payload ->> 'job_id')::bigint = (select id from r)), 0,
  'a retry job that ends partial does not alert partial (its items are tracked below)');
select is((select count(*)::integer from sync.enqueue_due_retries(now() + interval '2 days')), 1,
  'o-2 is still due; o-1 is never picked again');
select is((select count(*)::integer from sync.jobs where trigger = 'retry' and status = 'queued'
  and 'orders' = any (streams)), 1, 'the new retry job covers orders (for o-2)');

select is((sync.evaluate_alerts()) ->> 'retries_exhausted', '1', 'the give-up is alerted');
select results_eq($$select source, payload ->> 'count', payload -> 'items' -> 0 ->> 'item_key', payload ->> 'max_attempts'
    from sync.notifications where kind = 'retries_exhausted'$$,
  $$values ('square/default'::text, '1'::text, 'o-1'::text, '3'::text)$$, 'with the count, the items and the limit');
select is((sync.evaluate_alerts()) ->> 'retries_exhausted', '0', 'once');

select results_eq($$select stream, retried, recovered, still_failing, given_up, open from sync.get_recovery_stats(7) order by stream nulls first$$,
  $$values (null::text, 2::bigint, 1::bigint, 0::bigint, 1::bigint, 2::bigint), ('orders', 1, 0, 0, 1, 2), ('payments', 1, 1, 0, 0, 0)$$,
  'recovery stats: retried, recovered, still failing, given up, open per connector and stream');

-- a schedule in retry mode
delete from sync.jobs where status = 'queued';
select null from sync.upsert_schedule('square-retry', 'square', array['payments'], '*/10 * * * *', 'retry');
select is((select (sync.run_schedule(id)).reason from sync.schedules where name = 'square-retry'),
  'no failed items are due for a retry', 'a retry schedule with nothing due records a skipped run');
select null from sync.upsert_schedule('square-retry', 'square', array['orders', 'payments'], '*/10 * * * *', 'retry');
update sync.failed_items set next_retry_at = now() - interval '1 second' where item_key = 'o-2';
create temporary table run on commit drop as select r.* from sync.schedules s, sync.run_schedule(s.id) r where s.name = 'square-retry';
select results_eq($$select j.mode, j.streams from sync.jobs j where j.id = (select job_id from run)$$,
  $$values ('retry'::text, array['orders'])$$, 'a retry schedule queues a retry job for the streams with due items');

select * from finish();
rollback;
