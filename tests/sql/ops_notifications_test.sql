-- Notification outbox: failed jobs enqueue, rate limit per (source, kind), claim, retry with backoff.
begin;
select plan(14);

update sync.notification_settings set rate_limit_window = interval '1 hour', max_attempts = 3, error_rate_min_runs = 2,
  error_rate_threshold = 0.5;

select sync.create_job('square', array['orders']);
select sync.claim_job('w1');
select sync.finish_job((select id from sync.jobs where status = 'running'), 'w1', 'failed', 'Square said 401');
select results_eq($$select kind, source, status, payload ->> 'error' from sync.notifications$$,
  $$values ('job_failed'::text, 'square/default'::text, 'pending'::text, 'Square said 401'::text)$$,
  'a failed job enqueues job_failed');

select sync.create_job('square', array['orders']);
select sync.claim_job('w1');
select sync.finish_job((select id from sync.jobs where status = 'running'), 'w1', 'failed', 'again');
select results_eq($$select status, suppressed_reason from sync.notifications order by id desc limit 1$$,
  $$values ('suppressed'::text, 'rate limited: one job_failed message per 01:00:00 for square/default'::text)$$,
  'a second failure within the window is recorded as suppressed');
select is((sync.enqueue_notification('job_failed', 'highlevel/default', '{}')).status, 'pending',
  'another source is not limited');
select is((sync.enqueue_notification('slow_run', 'square/default', '{}')).status, 'pending', 'another kind is not limited');
update sync.notifications set created_at = now() - interval '61 minutes' where source = 'square/default';
select is((sync.enqueue_notification('job_failed', 'square/default', '{}')).status, 'pending',
  'after the window a message goes out again');
select throws_ok($$select sync.enqueue_notification('party', 'x', '{}')$$, 'SY422',
  'Cannot queue notification: kind "party" is not one of job_failed, job_partial, error_rate, slow_run, stale_stream, retries_exhausted, run_report, daily_summary',
  'unknown kinds are refused');

select is((select count(*)::integer from sync.claim_notifications(10)), 4, 'claims every due pending message');
select is((select count(*)::integer from sync.claim_notifications(10)), 0, 'claimed messages are hidden');
select ok((select (sync.mark_notification_failed(min(id), 'HTTP 500', array['slack'])).next_attempt_at
  between clock_timestamp() + interval '29 seconds' and clock_timestamp() + interval '31 seconds'
  from sync.notifications where status = 'pending'), 'a failed delivery is retried after 30 seconds');
select is((select delivered_channels from sync.notifications where last_error = 'HTTP 500'), array['slack'],
  'channels that succeeded are remembered');
update sync.notifications set attempts = 3 where last_error = 'HTTP 500';
select is((select (sync.mark_notification_failed(id, 'HTTP 500')).status from sync.notifications where last_error = 'HTTP 500'),
  'failed', 'after max_attempts a message is failed');
select is((select (sync.mark_notification_sent(max(id), array['email'])).status from sync.notifications where status = 'pending'),
  'sent', 'a delivered message is sent');

-- error rate: 2 of 2 runs failed in the last hour (threshold 50%, at least 2 runs)
delete from sync.notifications;
select is((sync.evaluate_alerts()) ->> 'error_rate', '1', 'evaluate_alerts enqueues error_rate above the threshold');
select is((sync.evaluate_alerts()) ->> 'error_rate', '0', 'and not again within the window');

select * from finish();
rollback;
