-- Which products issue tickets: HighLevel's product state by default (available_in_store), the
-- team's ticket_types rows as explicit overrides; line items linked by product id, else price id
-- (or the price's product), else name; an item without qty is one unit.
begin;
select plan(17);

create function pg_temp.merge_products(p jsonb) returns jsonb language sql as $$
  select sync.merge_rows('highlevel.products', p)
$$;
create function pg_temp.merge_order(p_id text, p_status text, p_items jsonb, p_at text) returns jsonb language sql as $$
  select sync.merge_rows('highlevel.orders', jsonb_build_array(jsonb_build_object(
    'id', p_id, 'status', p_status, 'items', p_items, 'updated_at', p_at, 'raw', '{}'::jsonb)))
$$;
create function pg_temp.live(p_order text) returns text language sql as $$
  select coalesce(string_agg(ticket_type || '=' || n, ',' order by ticket_type), '')
  from (select ticket_type, count(*) n from highlevel.tickets where order_id = p_order and status = 'live' group by 1) x
$$;

select pg_temp.merge_products('[
  {"id": "p-on", "name": "Festival pass", "available_in_store": true, "updated_at": "2026-01-01T00:00:00Z", "raw": {}},
  {"id": "p-off", "name": "Early bird", "available_in_store": false, "updated_at": "2026-01-01T00:00:00Z", "raw": {}},
  {"id": "p-unset", "name": "Workshop", "available_in_store": null, "updated_at": "2026-01-01T00:00:00Z", "raw": {}},
  {"id": "p-muted", "name": "Parking", "available_in_store": true, "updated_at": "2026-01-01T00:00:00Z", "raw": {}},
  {"id": "p-twin1", "name": "Twin", "available_in_store": true, "updated_at": "2026-01-01T00:00:00Z", "raw": {}},
  {"id": "p-twin2", "name": "Twin", "available_in_store": true, "updated_at": "2026-01-01T00:00:00Z", "raw": {}}]');
select sync.merge_rows('highlevel.prices', '[{"id": "price-on", "product_id": "p-on", "updated_at": "2026-01-01T00:00:00Z", "raw": {}}]');
insert into highlevel.ticket_types (product_id, ticket_type, active) values
  ('p-off', 'EARLY', true), ('p-muted', 'PARKING', false);

select results_eq(
  'select product_id, ticket_type, issues_tickets, decided_by from highlevel.ticket_products order by product_id',
  $$values ('p-muted', 'PARKING', false, 'override'), ('p-off', 'EARLY', true, 'override'),
    ('p-on', 'p-on', true, 'highlevel'), ('p-twin1', 'p-twin1', true, 'highlevel'),
    ('p-twin2', 'p-twin2', true, 'highlevel'), ('p-unset', 'p-unset', true, 'highlevel')$$,
  'ticket_products: the override wins, else available_in_store (absent counts as available)');

select pg_temp.merge_order('o1', 'completed', '[{"qty": 2, "product": {"_id": "p-on"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o1'), 'p-on=2', 'an active HighLevel product issues tickets without any ticket_types row');

select pg_temp.merge_order('o2', 'completed', '[{"qty": 1, "product": {"_id": "p-off"}}, {"qty": 3, "product": {"_id": "p-muted"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o2'), 'EARLY=1', 'an active override issues for an off-sale product; an inactive override silences an active one');

update highlevel.ticket_types set active = false where product_id = 'p-off';
select pg_temp.merge_order('o3', 'completed', '[{"qty": 2, "product": {"_id": "p-off"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o3'), '', 'an off-sale product issues nothing');
select is(pg_temp.live('o2'), 'EARLY=1', 'and existing tickets of a product that stopped issuing are left alone');

-- the documented Get-Order line item: product without _id, empty price, no qty
select pg_temp.merge_order('o4', 'completed', '[{"_id": "61dd33e88058b9f967ca79dc", "authorizeAmount": 0, "name": "Sample Product", "price": {}, "product": {"name": "Festival pass", "productType": "SERVICE"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o4'), 'p-on=1', 'a product without _id is matched by its name; no qty is one unit');
select is(highlevel.item_product_id('{"name": "Festival pass", "price": {}}'), 'p-on', 'or by the item name');
select pg_temp.merge_order('o5', 'completed', '[{"qty": 2, "price": {"_id": "price-on"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o5'), 'p-on=2', 'an item with only a price id is matched through highlevel.prices');
select is(highlevel.item_product_id('{"price": {"_id": "x", "product": "p-on"}}'), 'p-on', 'or through the price''s documented product field');
select is(highlevel.item_product_id('{"product": {"name": "Twin"}}'), null, 'an ambiguous name matches no product');
select is(highlevel.item_product_id('{"product": {"_id": "p-on", "name": "Twin"}}'), 'p-on', 'the product id wins over the name');
select is(highlevel.item_qty('{"qty": -2}') + highlevel.item_qty('{"qty": "x"}') + highlevel.item_qty('{"qty": 1e30}'), 0,
  'a negative, non-numeric or absurd qty is no unit');

select pg_temp.merge_order('o6', 'completed', '[5, "x", null, {"qty": 1, "product": {"_id": "p-on"}}]', '2026-01-02T00:00:00Z');
select is(pg_temp.live('o6'), 'p-on=1', 'line items that are not objects are skipped, the rest issue');

select pg_temp.merge_order('o1', 'cancelled', '[{"qty": 2, "product": {"_id": "p-on"}}]', '2026-01-03T00:00:00Z');
select is(pg_temp.live('o1'), '', 'a cancelled order voids its tickets (by the documented status alone)');

-- o3 holds 2 x p-off (off sale, override inactive): changing the override applies to stored orders at once
update highlevel.ticket_types set active = true where product_id = 'p-off';
select is(pg_temp.live('o3'), 'EARLY=2', 'an override turned on issues tickets for orders already stored');
delete from highlevel.ticket_types where product_id = 'p-off';
select is(pg_temp.live('o3'), 'EARLY=2', 'clearing it (HighLevel says off sale) leaves those tickets alone');
select pg_temp.merge_products('[{"id": "p-off", "name": "Early bird", "available_in_store": true, "updated_at": "2026-01-05T00:00:00Z", "raw": {}}]');
-- its ticket type is now its id, not the cleared override's EARLY: like any rename of a ticket type, the
-- new type is issued and tickets of the old one are left alone (docs/highlevel.md, "Valid orders and tickets")
select is(pg_temp.live('o3'), 'EARLY=2,p-off=2', 'a product back on sale in HighLevel issues for stored orders');

select * from finish();
rollback;
