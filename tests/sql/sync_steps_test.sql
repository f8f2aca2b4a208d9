-- The step log of single-record syncs: steps are recorded in order and broadcast, and each ticket
-- a single-order sync issues or voids becomes a step of that job (without the ticket's code).
begin;
select plan(10);

insert into highlevel.ticket_types (product_id, ticket_type) values ('p-ga', 'GA');
create temp table j as select (sync.create_job('highlevel', array['orders'], 'default', 'single',
  '{"records": {"orders": ["o1"]}}')).id;
select sync.claim_job('w1');

create function pg_temp.merge_order(p_qty int, p_at text) returns jsonb language sql as $$
  select sync.merge_rows('highlevel.orders', jsonb_build_array(jsonb_build_object(
    'id', 'o1', 'status', 'completed', 'items', jsonb_build_array(jsonb_build_object('qty', p_qty,
      'product', jsonb_build_object('_id', 'p-ga'))), 'updated_at', p_at, 'raw', '{}'::jsonb)),
    (select id from j))
$$;

select pg_temp.merge_order(2, '2026-01-01T00:00:00Z');
select is((select array_agg(status || ':' || (detail ->> 'seq') order by seq) from sync.job_steps
  where job_id = (select id from j) and step = 'ticket'), array['issued:1', 'issued:2'],
  'each ticket issued while a single-order job writes the order is a step of that job');
select ok((select bool_and(item_key = 'o1' and stream = 'orders' and not detail ? 'code') from sync.job_steps),
  'ticket steps name the order and leave the admission code out');

select pg_temp.merge_order(1, '2026-01-02T00:00:00Z');
select is((select status from sync.job_steps where step = 'ticket' order by seq desc limit 1), 'voided',
  'a voided ticket is a step too');

select sync.record_job_step((select id from j), 'orders', 'o1', 'record', 'updated', '{}');
select is((select count(*)::int from realtime.messages where event = 'sync_ticket_progress'
  and topic = 'sync:job:' || (select id from j)), 4, 'every step is broadcast on the job topic');
select ok((select bool_and(payload ? 'seq' and payload ? 'status' and payload ? 'item_key') from realtime.messages
  where event = 'sync_ticket_progress'), 'the payload carries seq, item_key and status');

select throws_ok($$select sync.record_job_step(987654, 'orders', 'o1', 'record', 'updated', '{}')$$, 'SY404',
  'Job 987654 does not exist', 'a step of a job that does not exist is refused by name');

-- a full sync writing the same order adds no ticket steps (only single-record and retry jobs do), but
-- broadcasts each ticket change
select sync.finish_job((select id from j), 'w1', 'succeeded');
create temp table f as select (sync.create_job('highlevel', array['orders'], 'default', 'full')).id;
select sync.claim_job('w2');
select sync.merge_rows('highlevel.orders', '[{"id": "o1", "status": "completed", "items": [{"qty": 3, "product": {"_id": "p-ga"}}], "updated_at": "2026-01-03T00:00:00Z", "raw": {}}]',
  (select id from f));
select is((select count(*)::int from sync.job_steps where job_id = (select id from f)), 0,
  'tickets written by a full sync are not logged step by step');
select is((select count(*)::int from highlevel.tickets where status = 'live'), 3, 'the tickets themselves follow the order');
select is((select array_agg(payload ->> 'status' || ':' || (payload #>> '{detail,seq}') order by payload #>> '{detail,seq}')
  from realtime.messages where event = 'sync_ticket_progress' and topic = 'sync:job:' || (select id from f)),
  array['revived:2', 'issued:3'],
  'a full sync broadcasts each ticket it revives or issues as sync_ticket_progress on the job topic');
select ok((select bool_and(payload ->> 'item_key' = 'o1' and payload ->> 'step' = 'ticket' and payload ? 'seq'
    and not payload -> 'detail' ? 'code') from realtime.messages
  where event = 'sync_ticket_progress' and topic = 'sync:job:' || (select id from f)),
  'with the same payload as a stored step (seq null), and no ticket code');

select * from finish();
rollback;
