-- Notification settings refuse, naming the setting, what would break alerting or post elsewhere:
-- negative or malformed intervals (also per stream) and delivery URLs other than https (http only
-- to this machine).
begin;
select plan(10);

select throws_ok($$select sync.update_notification_settings('{"error_rate_window": "-1 hour"}')$$, 'SY422',
  'Cannot update notification settings: error_rate_window must be more than zero, got "-1 hour"',
  'a negative window is refused by name');
select throws_ok($$select sync.update_notification_settings('{"stale_after": "banana"}')$$, 'SY422',
  'Cannot update notification settings: stale_after must be an interval such as ''1 hour'', got "banana"',
  'a malformed interval is refused by name');
select throws_ok($$select sync.update_notification_settings('{"stale_after_by_stream": {"square/orders": "-1 day"}}')$$,
  'SY422', 'Cannot update notification settings: stale_after_by_stream[square/orders] must be more than zero, got "-1 day"',
  'per-stream intervals are checked too (a bad one would break every freshness query)');
select throws_ok($$select sync.update_notification_settings('{"stale_after_by_stream": {"square/orders": 5}}')$$,
  'SY422', 'Cannot update notification settings: stale_after_by_stream[square/orders] must be an interval such as ''1 hour'', got null',
  'a per-stream value must be a string interval');
select lives_ok($$select sync.update_notification_settings('{"rate_limit_window": "0", "stale_after": "26 hours"}')$$,
  'a zero rate-limit window (no limit) and a positive interval are fine');
select throws_ok($$select sync.update_notification_settings('{"slack_webhook_url": "file:///etc/passwd"}')$$, 'SY422',
  'Cannot update notification settings: slack_webhook_url must be an https: URL (http: only to localhost), got "file:///etc/passwd"',
  'file: is refused');
select throws_ok($$select sync.update_notification_settings('{"email_api_url": "javascript:alert(1)"}')$$, 'SY422',
  'Cannot update notification settings: email_api_url must be an https: URL (http: only to localhost), got "javascript:alert(1)"',
  'javascript: is refused');
select throws_ok($$select sync.update_notification_settings('{"slack_webhook_url": "http://hooks.example.com/x"}')$$,
  'SY422', null, 'plain http to another host is refused');
select lives_ok($$select sync.update_notification_settings(
  '{"slack_webhook_url": "https://hooks.slack.example/T000/B000/XXXX", "email_api_url": "http://127.0.0.1:8025/send"}')$$,
  'https anywhere and http to loopback are accepted');
select throws_ok($$update sync.notification_settings set slack_webhook_url = 'javascript:alert(1)'$$, '23514', null,
  'the table refuses it however the row is written');

select * from finish();
rollback;
