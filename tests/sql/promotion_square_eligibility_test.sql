-- The Square event-sales plan's eligibility: each ineligible payment records its reason (hold,
-- not completed, fully refunded, no registration, cancelled registration, no tickets), a partial
-- refund stays eligible, and an operator hold on the import row keeps an otherwise eligible chain out.
begin;
select plan(9);

insert into square.catalog_items (id, name, product_type, raw) values ('IEV', 'Gala', 'EVENT', '{}'), ('IMUG', 'Mug', 'REGULAR', '{}');
insert into square.catalog_variations (id, item_id, name, raw) values ('VEV', 'IEV', 'Adult', '{}'), ('VMUG', 'IMUG', 'Mug', '{}');
insert into square.orders (id, location_id, state, created_at, updated_at, raw)
select 'O' || i, 'L1', case when i = 5 then 'CANCELED' else 'COMPLETED' end, now(), now(),
  case when i = 6 then '{"line_items": [{"uid": "m", "quantity": "1", "catalog_object_id": "VMUG"}]}'::jsonb
  else '{"line_items": [{"uid": "t", "quantity": "2", "catalog_object_id": "VEV",
    "metadata": {"attendee_name": "Zoë", "attendee_email": "zoe@example.com"}}]}'::jsonb end
from generate_series(1, 7) i;
insert into square.payments (id, order_id, status, amount, total_amount, refunded_amount, currency, created_at, updated_at, raw,
  should_move_to_production)
values
  ('P1', 'O1', 'COMPLETED', 100, 100, null, 'USD', now(), now(), '{"buyer_email_address": "a@example.com"}', null),
  ('P2', 'O2', 'APPROVED', 100, 100, null, 'USD', now(), now(), '{}', null),
  ('P3', 'O3', 'COMPLETED', 100, 100, 100, 'USD', now(), now(), '{}', null),
  ('P4', 'O404', 'COMPLETED', 100, 100, null, 'USD', now(), now(), '{}', null),
  ('P5', 'O5', 'COMPLETED', 100, 100, null, 'USD', now(), now(), '{}', null),
  ('P6', 'O6', 'COMPLETED', 100, 100, null, 'USD', now(), now(), '{}', null),
  ('P7', 'O7', 'COMPLETED', 100, 100, 40, 'USD', now(), now(), '{"buyer_email_address": "b@example.com"}', false),
  ('P8', 'O1', 'COMPLETED', 100, 100, 40, 'USD', now(), now(), '{"buyer_email_address": "c@example.com"}', null);

select sync.promote_roots('square_event_sales', array['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8']);
select is((select string_agg(root_id || '=' || coalesce(reason_code, status), ' ' order by root_id) from sync.promotion_roots),
  'P1=promoted P2=not_completed P3=refunded P4=no_registration P5=registration_cancelled P6=no_tickets P7=hold P8=promoted',
  'each root: promoted or its reason');
select is((select reason from sync.promotion_roots where root_id = 'P3'), 'payment fully refunded (100 of 100 USD)',
  'the reason says why');
select is((select reason from sync.promotion_roots where root_id = 'P4'), 'order O404 (the registration) is not imported',
  'a missing registration names the order');
select is((select reason from sync.promotion_roots where root_id = 'P7'),
  'operator hold: payment P7 has should_move_to_production = false', 'the operator hold names the import row');
select is((select count(*)::int from events.registrations where payment_id in ('P7')), 0, 'a held chain stays out');
select is((select refunded_amount from events.registrations where id = 'O1'), 40::bigint,
  'a partial refund is eligible and recorded');

-- lifting the hold makes the root pending again
update square.payments set should_move_to_production = null where id = 'P7';
select is(sync.promote_roots('square_event_sales', array['P7']) ->> 'promoted', '1', 'lifting the hold promotes it');
select is((select count(*)::int from events.tickets where registration_id = 'O7' and status = 'valid'), 2,
  'with its tickets, one per unit');
select is((select count(*)::int from events.contacts where email = 'zoe@example.com'), 1,
  'contacts are one per e-mail across roots');

select * from finish();
rollback;
