-- Tickets follow order quantities: up, down (surplus voided, unscanned first), refund, idempotent re-syncs.
begin;
select plan(12);

insert into highlevel.ticket_types (product_id, ticket_type) values ('p-ga', 'GA'), ('p-vip', 'VIP');
insert into highlevel.ticket_types (product_id, ticket_type, active) values ('p-old', 'OLD', false);

create function pg_temp.merge_order(p_status text, p_items jsonb, p_at text) returns jsonb language sql as $$
  select sync.merge_rows('highlevel.orders', jsonb_build_array(jsonb_build_object(
    'id', 'o1', 'status', p_status, 'items', p_items, 'updated_at', p_at, 'raw', '{}'::jsonb)))
$$;
create function pg_temp.live(p_type text) returns int language sql as $$
  select count(*)::int from highlevel.tickets where order_id = 'o1' and ticket_type = p_type and status = 'live'
$$;

select pg_temp.merge_order('completed',
  '[{"qty": 2, "product": {"_id": "p-ga"}}, {"qty": 1, "product": {"_id": "p-vip"}}, {"qty": 4, "product": {"_id": "p-other"}}, {"qty": 3, "product": {"_id": "p-old"}}]',
  '2026-01-01T00:00:00Z');
select is(pg_temp.live('GA'), 2, 'a valid order gets one live ticket per unit of each ticket product');
select is(pg_temp.live('VIP'), 1, 'per ticket type');
select is((select count(*)::int from highlevel.tickets where ticket_type = 'OLD'), 0, 'inactive ticket types issue nothing');
-- p-other is no synced product and has no ticket_types row: nothing decides it issues tickets

create temp table first_codes as select id, code from highlevel.tickets;
update highlevel.tickets set scanned_at = now() where ticket_type = 'GA' and seq = 2;

select pg_temp.merge_order('completed', '[{"qty": 5, "product": {"_id": "p-ga"}}, {"qty": 1, "product": {"_id": "p-vip"}}]',
  '2026-01-02T00:00:00Z');
select is(pg_temp.live('GA'), 5, 'quantity up issues the difference');
select is((select count(*)::int from first_codes f join highlevel.tickets t using (id, code) where t.status = 'live'), 3,
  'existing tickets keep their ids and codes');

select pg_temp.merge_order('completed', '[{"qty": 1, "product": {"_id": "p-ga"}}, {"qty": 1, "product": {"_id": "p-vip"}}]',
  '2026-01-03T00:00:00Z');
select is(pg_temp.live('GA'), 1, 'quantity down voids the surplus');
select ok((select scanned_at is not null and status = 'live' from highlevel.tickets where ticket_type = 'GA' and seq = 2),
  'the scanned ticket is voided last: it stays live');
select is((select count(*)::int from highlevel.tickets where ticket_type = 'GA'), 5, 'voided tickets are kept, not deleted');

select is(highlevel.reconcile_tickets(array['o1']), '{"issued": 0, "revived": 0, "voided": 0}'::jsonb,
  'reconciling again changes nothing');
select is(pg_temp.merge_order('completed', '[{"qty": 1, "product": {"_id": "p-ga"}}]', '2026-01-01T12:00:00Z') ->> 'stale', '1',
  'an older version of the order is stale');
select is(pg_temp.live('VIP'), 1, 'and leaves the tickets alone');

select pg_temp.merge_order('refunded', '[{"qty": 1, "product": {"_id": "p-ga"}}, {"qty": 1, "product": {"_id": "p-vip"}}]',
  '2026-01-04T00:00:00Z');
select is((select count(*)::int from highlevel.tickets where status = 'live'), 0, 'a refunded order voids all its tickets');

select * from finish();
rollback;
