-- Webhook replay protection outlives the inbox retention: event ids are kept at least
-- sync.webhook_dedup_window() (7 days, longer than Square's 72-hour retries), so a redelivery
-- after the cleanup removed its inbox row is still a duplicate; failed and never-processed inbox
-- rows are cleaned up too (the latter only past the window).
begin;
select plan(12);

select is(sync.webhook_dedup_window(), interval '7 days', 'the documented window is 7 days');
select is((select is_new from sync.receive_webhook('bubble', 'evt-1', 'order.updated', 'default', '{}')), true,
  'a first delivery is new');
select is((select count(*)::integer from sync.webhook_dedup where provider = 'bubble' and event_id = 'evt-1'), 1,
  'its event id is remembered');
-- processed two days ago; the operator keeps one day of bookkeeping
update sync.webhook_inbox set status = 'processed', received_at = now() - interval '2 days',
  processed_at = now() - interval '2 days' where event_id = 'evt-1';
update sync.webhook_dedup set first_seen_at = now() - interval '2 days' where event_id = 'evt-1';
select results_eq($$select deleted from sync.cleanup_old_sync_data(1) where table_name in ('webhook_inbox', 'webhook_dedup')
    order by table_name$$, $$values (0::bigint), (1::bigint)$$, 'the inbox row goes, the event id stays');
select results_eq($$select id, is_new from sync.receive_webhook('bubble', 'evt-1', 'order.updated', 'default', '{}')$$,
  $$values (null::bigint, false)$$, 'a replay after the cleanup is still a duplicate (and stores nothing)');
select is((select count(*)::integer from sync.webhook_inbox where event_id = 'evt-1'), 0, 'nothing was stored again');

-- past the window the id goes too
update sync.webhook_dedup set first_seen_at = now() - interval '8 days' where event_id = 'evt-1';
select results_eq($$select deleted from sync.cleanup_old_sync_data(1) where table_name = 'webhook_dedup'$$,
  $$values (1::bigint)$$, 'an event id older than the window and the retention goes');
update sync.notification_settings set retention_days = 30;
insert into sync.webhook_dedup (provider, event_id, first_seen_at) values ('bubble', 'evt-2', now() - interval '20 days');
select results_eq($$select deleted from sync.cleanup_old_sync_data(30) where table_name = 'webhook_dedup'$$,
  $$values (0::bigint)$$, 'a longer retention keeps event ids longer too');

-- failed and never-processed rows
insert into sync.webhook_inbox (provider, event_id, event_type, payload, status, received_at, processed_at) values
  ('bubble', 'f-old', 't', '{}', 'failed', now() - interval '40 days', now() - interval '40 days'),
  ('bubble', 'f-new', 't', '{}', 'failed', now() - interval '2 days', now() - interval '2 days'),
  ('bubble', 'r-3d', 't', '{}', 'received', now() - interval '3 days', null),
  ('bubble', 'r-40d', 't', '{}', 'received', now() - interval '40 days', null),
  ('bubble', 'p-40d', 't', '{}', 'processing', now() - interval '40 days', null);
select results_eq($$select deleted from sync.cleanup_old_sync_data(30) where table_name = 'webhook_inbox'$$,
  $$values (3::bigint)$$, 'failed and never-processed rows older than the retention go');
select is((select array_agg(event_id order by event_id) from sync.webhook_inbox where provider = 'bubble'),
  array['f-new', 'r-3d'], 'recent failed and waiting rows stay');
select results_eq($$select deleted from sync.cleanup_old_sync_data(1) where table_name = 'webhook_inbox'$$,
  $$values (1::bigint)$$, 'with a 1-day retention a failed row goes, a waiting one younger than the window stays');
select is((select array_agg(event_id) from sync.webhook_inbox where provider = 'bubble'), array['r-3d'],
  'the 3-day-old waiting delivery is still there to be processed');

select * from finish();
rollback;
