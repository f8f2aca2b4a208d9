-- How later changes at the source reach production (docs/promotion.md "Later changes"): a full
-- refund withdraws the chain with the source's current amounts, a replaced attendee is retired and
-- the registration's counts match its rows, and a catalog correction makes a root pending again.
begin;
select plan(15);

insert into square.catalog_items (id, name, product_type, raw)
values ('IEV', 'Gala', 'EVENT', '{}'), ('IWS', 'Workshop', 'REGULAR', '{}');
insert into square.catalog_variations (id, item_id, name, raw) values ('VEV', 'IEV', 'Adult', '{}'), ('VWS', 'IWS', 'Seat', '{}');
insert into square.orders (id, location_id, state, created_at, updated_at, raw)
select 'O' || i, 'L1', 'COMPLETED', now(), now(),
  jsonb_build_object('line_items', jsonb_build_array(jsonb_build_object('uid', 't', 'quantity', '2',
    'catalog_object_id', case when i = 3 then 'VWS' else 'VEV' end,
    'metadata', jsonb_build_object('attendee_name', 'Ann', 'attendee_email', 'ann@example.com'))))
from generate_series(1, 3) i;
insert into square.payments (id, order_id, status, amount, total_amount, refunded_amount, currency, created_at, updated_at, raw)
select 'P' || i, 'O' || i, 'COMPLETED', 100, 100, null, 'USD', now(), now(), '{"buyer_email_address": "buyer@example.com"}'
from generate_series(1, 3) i;
select is(sync.promote_roots('square_event_sales', array['P1', 'P2', 'P3']) ->> 'promoted', '2', 'the first run promotes two');
select is((select string_agg(root_id || '=' || coalesce(reason_code, status), ' ' order by root_id) from sync.promotion_roots),
  'P1=promoted P2=promoted P3=no_tickets', 'two promoted, the workshop has no tickets');

-- 1. a full refund: withdrawn, and the production rows carry the refunded amount
update square.payments set refunded_amount = 100, updated_at = now(),
  raw = raw || '{"refunded_money": {"amount": 100, "currency": "USD"}}' where id = 'P1';
select is(sync.promote_roots('square_event_sales', array['P1']) ->> 'withdrawn', '1', 'the refunded payment is withdrawn');
select is((select refunded_amount from events.payments where id = 'P1'), 100::bigint,
  'events.payments.refunded_amount is the source''s refund');
select is((select status || ' ' || refunded_amount from events.registrations where id = 'O1'), 'cancelled 100',
  'the registration is cancelled and carries the refund');
select is((select string_agg(status, ',') from events.tickets where registration_id = 'O1'), 'cancelled,cancelled',
  'its tickets are cancelled');

-- 2. a replaced attendee: the old one is retired, tickets and counts follow the new one
update square.orders set updated_at = now(),
  raw = jsonb_set(raw, '{line_items,0,metadata}', '{"attendee_name": "Bea", "attendee_email": "bea@example.com"}')
where id = 'O2';
select is(sync.promote_roots('square_event_sales', array['P2']) ->> 'promoted', '1', 'the edited order is promoted again');
select is((select string_agg(attendee_key || '=' || coalesce(to_jsonb(a) ->> 'status', 'active'), ' ' order by attendee_key)
  from events.attendees a where registration_id = 'O2'), 'email:ann@example.com=cancelled email:bea@example.com=active',
  'the replaced attendee is cancelled, the new one active');
select is((select attendee_count from events.registrations where id = 'O2'),
  (select count(*)::int from events.attendees a where registration_id = 'O2' and coalesce(to_jsonb(a) ->> 'status', 'active') = 'active'),
  'attendee_count matches the active attendee rows');
select is((select ticket_count from events.registrations where id = 'O2'),
  (select count(*)::int from events.tickets where registration_id = 'O2' and status = 'valid'),
  'ticket_count matches the valid ticket rows');
select is((select string_agg(distinct attendee_key, ',') from events.tickets where registration_id = 'O2'), 'email:bea@example.com',
  'the tickets point at the new attendee');
select is(sync.promote_roots('square_event_sales', array['P2']) ->> 'unchanged', '1', 'a re-run changes nothing');

-- 3. a catalog correction: the workshop becomes an EVENT, the root is judged again and promoted
update square.catalog_items set product_type = 'EVENT', updated_at = now(), raw = '{"item_data": {"product_type": "EVENT"}}'
where id = 'IWS';
select is(sync.promote_roots('square_event_sales', array['P3']) ->> 'promoted', '1',
  'a root whose catalog item became an EVENT is promoted');
select is((select count(*)::int from events.tickets where registration_id = 'O3' and status = 'valid'), 2, 'with its tickets');

-- force: an unchanged root is judged again when asked
select is(sync.promote_roots('square_event_sales', array['P2'], null, true) ->> 'promoted', '1',
  'p_force judges an unchanged root again');

select * from finish();
rollback;
