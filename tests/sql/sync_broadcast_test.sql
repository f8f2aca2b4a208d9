-- Progress and job changes are broadcast through realtime.send when Supabase's realtime schema
-- exists (a stand-in records the calls here) and always through pg_notify.
begin;
select plan(6);

create schema realtime;
create table realtime.sent (payload jsonb, event text, topic text, private boolean);
create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language sql as $$ insert into realtime.sent values (payload, event, topic, private) $$;

create temp table j as select (sync.create_job('square', array['orders', 'payments'])).id;

select is((select count(*)::int from realtime.sent where topic = 'sync:job:' || (select id from j) and event = 'progress'),
  2, 'creating a job announces one progress row per stream on the job topic');
select is((select count(*)::int from realtime.sent where topic = 'sync:jobs' and event = 'jobs'),
  1, 'a new job is announced on sync:jobs');
select ok((select bool_and(private) from realtime.sent), 'broadcasts go to private channels (RLS on realtime.messages)');

select sync.report_progress((select id from j), 'orders', 10, 100);
select is((select payload -> 'record' ->> 'done' from realtime.sent
  where event = 'progress' and payload -> 'record' ->> 'phase' = 'orders' order by ctid desc limit 1),
  '10', 'a progress report is broadcast with the new figures');
select is((select payload ->> 'job_id' from realtime.sent where event = 'progress' limit 1),
  (select id::text from j), 'the payload names the job');

select sync.cancel_job((select id from j));
select is((select payload -> 'record' ->> 'status' from realtime.sent where event = 'jobs' order by ctid desc limit 1),
  'cancelled', 'a status change is broadcast on sync:jobs');

select * from finish();
rollback;
