-- Partial jobs alert (count and first errors, rate-limited), run reports when asked for (not
-- rate-limited, not for webhook or retry jobs), the daily summary on by default.
begin;
select plan(13);

select is((select daily_summary from sync.notification_settings), true, 'a new install sends the daily summary');
select is((select run_reports from sync.notification_settings), false, 'run reports are opt-in');

create function pg_temp.run(p_streams text[], p_failures integer, p_mode text default 'incremental') returns bigint
language plpgsql as $$
declare
  v_id bigint := (sync.create_job('square', p_streams, 'default', p_mode)).id;
begin
  perform sync.claim_job('w1');
  perform sync.report_progress(v_id, p_streams[1], 120::bigint, null::bigint, null,
    jsonb_build_object('inserted', 100, 'updated', 20 - p_failures, 'failed', p_failures));
  for i in 1..p_failures loop
    perform sync.record_failed_item(v_id, p_streams[1], 'o-' || v_id || '-' || i, '{}', 'validation', 'bad total ' || i);
  end loop;
  perform sync.finish_job(v_id, 'w1', 'succeeded');
  return v_id;
end
$$;

delete from sync.notifications;
create temporary table p on commit drop as select pg_temp.run(array['orders'], 7) as id;
select is((select status from sync.jobs where id = (select id from p)), 'partial', 'a run with failed records ends partial');
select results_eq($$select kind, status, payload ->> 'failed', jsonb_array_length(payload -> 'first_errors'),
    payload -> 'first_errors' -> 0 ->> 'error' from sync.notifications$$,
  $$values ('job_partial'::text, 'pending'::text, '7'::text, 5, 'bad total 1'::text)$$,
  'a partial job alerts with the count and the first five errors');
select null from pg_temp.run(array['orders'], 2);
select is((select status from sync.notifications order by id desc limit 1), 'suppressed',
  'a second partial job within the window is rate-limited like the other alerts');

delete from sync.notifications;
select null from pg_temp.run(array['orders'], 0);
select is((select count(*)::integer from sync.notifications), 0, 'no run report unless asked for');
update sync.notification_settings set run_reports = true;
create temporary table ok on commit drop as select pg_temp.run(array['orders'], 0) as id;
select results_eq($$select kind, payload ->> 'records', payload -> 'per_stream' -> 'orders' ->> 'inserted',
    payload ->> 'mode', (payload ->> 'rate_per_second') is not null or (payload ->> 'duration_seconds')::numeric = 0
  from sync.notifications$$,
  $$values ('run_report'::text, '120'::text, '100'::text, 'incremental'::text, true)$$,
  'a successful run reports records, duration, rate and changes per stream');
select null from pg_temp.run(array['orders'], 0);
select is((select count(*)::integer from sync.notifications where kind = 'run_report' and status = 'pending'), 2,
  'run reports are not rate-limited: each run asked for one');
select null from pg_temp.run(array['orders'], 0, 'single');
select is((select count(*)::integer from sync.notifications where kind = 'run_report'), 2,
  'single-record (webhook) jobs send no report');

-- retry jobs do not touch freshness
select null from pg_temp.run(array['inventory_counts'], 0, 'retry');
select is((select count(*)::integer from sync.stream_status where stream = 'inventory_counts'), 0,
  'a retry job does not count as a sync of the stream');
select is((select count(*)::integer from sync.get_sync_stats(1) where stream = 'inventory_counts'), 0,
  'nor as a run in the stats (recovery stats count it)');

update sync.notification_settings set daily_summary_hour = 0;
select is((sync.evaluate_alerts()) ->> 'daily_summary', '1', 'the daily summary goes out by default');
select ok((select payload ? 'recovery' from sync.notifications where kind = 'daily_summary'),
  'and carries the recovery figures');

select * from finish();
rollback;
