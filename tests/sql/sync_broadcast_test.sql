-- Job, progress and step changes are broadcast through realtime.send (the local baseline defines
-- it as Supabase does: rows in realtime.messages) on private topics, with Syncline's event names.
begin;
select plan(9);

create temp table j as select (sync.create_job('square', array['orders', 'payments'])).id;
create temp view sent as
  select topic, event, payload, private from realtime.messages where extension = 'broadcast' and event is not null;

select is((select count(*)::int from sent where topic = 'sync:job:' || (select id from j) and event = 'sync_progress'),
  2, 'creating a job announces one sync_progress per stream on the job topic');
select is((select count(*)::int from sent where topic = 'sync:jobs' and event = 'sync_status'),
  1, 'a new job is announced on sync:jobs as sync_status');
select ok((select bool_and(private) from sent), 'broadcasts go to private channels (RLS on realtime.messages)');

select sync.report_progress((select id from j), 'orders', 10, 100);
select is((select payload ->> 'done' from sent
  where event = 'sync_progress' and payload ->> 'stream' = 'orders' order by (payload ->> 'updated_at') desc limit 1),
  '10', 'a progress report is broadcast with the new figures');
select is((select payload ->> 'job_id' from sent where event = 'sync_progress' limit 1),
  (select id::text from j), 'the payload names the job');

select sync.record_job_step((select id from j), 'orders', 'o-1', 'record', 'inserted', '{}');
select is((select payload ->> 'item_key' from sent where event = 'sync_ticket_progress'),
  'o-1', 'a step of a single-record sync is broadcast as sync_ticket_progress');

select sync.cancel_job((select id from j));
select is((select payload ->> 'status' from sent where event = 'sync_status' and topic = 'sync:jobs'
  order by (payload ->> 'updated_at') desc limit 1), 'cancelled', 'a status change is broadcast on sync:jobs');
select is((select count(*)::int from sent where event = 'sync_complete'), 2,
  'a finished job announces sync_complete on sync:jobs and its own topic');

-- a non-admin cannot read the topic (the policy Realtime's join check relies on)
select set_config('realtime.topic', 'sync:jobs', true),
  set_config('request.jwt.claims', '{"role": "authenticated", "sub": "u1", "app_metadata": {}}', true);
set local role authenticated;
select is((select count(*)::int from realtime.messages where topic = 'sync:jobs'), 0,
  'a non-admin sees no sync broadcast');
reset role;

select * from finish();
rollback;
