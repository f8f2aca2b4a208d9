-- Square event sales: the production layer (schema events) and the promotion plan that fills it
-- from the Square import layer (square.*, written by the Square connector). The root is a payment;
-- its chain: payment -> registration (the order it paid) -> booking contact (the order's customer,
-- else the payment's buyer) -> attendees (line-item metadata, else the fulfillment recipient) ->
-- contacts (one per e-mail across booking contacts and attendees) -> tickets (one per unit of a
-- line item whose catalog item is an EVENT). Mapping and eligibility: docs/promotion.md.

create schema if not exists events;
revoke all on schema events from public;
grant usage on schema events to service_role;

-- Operator hold on the import layer: false keeps the payment (or the order's payment) out of
-- production. Local-only: no sync writes it.
alter table square.payments add column if not exists should_move_to_production boolean;
alter table square.orders add column if not exists should_move_to_production boolean;
comment on column square.payments.should_move_to_production is
  'Operator hold: false keeps this payment and its chain out of production (events.*). Never written by a sync.';
comment on column square.orders.should_move_to_production is
  'Operator hold: false keeps the payments of this order out of production (events.*). Never written by a sync.';

create table events.payments (
  id text primary key,
  order_id text,
  location_id text,
  status text,
  currency text,
  amount bigint,
  total_amount bigint,
  refunded_amount bigint not null default 0,
  receipt_number text,
  paid_at timestamptz
);

-- A booking contact: a Square customer (key = its id) or a payment's buyer (key = "email:<e-mail>").
create table events.customers (
  customer_key text primary key,
  square_customer_id text,
  given_name text,
  family_name text,
  email text,
  phone text,
  source text not null check (source in ('square_customer', 'payment_buyer')),
  source_at timestamptz
);

-- One per paid order. status: active, or cancelled once its payment was refunded or cancelled at
-- the source (rows are never deleted). notes is local-only (never written by a promotion).
create table events.registrations (
  id text primary key,
  payment_id text not null references events.payments (id),
  customer_key text,
  location_id text,
  order_state text,
  status text not null default 'active' check (status in ('active', 'cancelled')),
  currency text,
  total_amount bigint,
  paid_amount bigint,
  refunded_amount bigint not null default 0,
  attendee_count integer,
  ticket_count integer,
  reference_id text,
  registered_at timestamptz,
  notes text
);
create index registrations_payment_idx on events.registrations (payment_id);
create index registrations_customer_idx on events.registrations (customer_key);

-- The people tickets are for, per registration; attendee_key is "email:<e-mail>" or "name:<name>".
-- status: active, or cancelled once the order no longer names them (replaced) or the registration
-- was withdrawn (rows are never deleted).
create table events.attendees (
  id uuid primary key default gen_random_uuid(),
  registration_id text not null references events.registrations (id),
  payment_id text not null,
  attendee_key text not null,
  name text,
  email text,
  phone text,
  source text not null check (source in ('line_item_metadata', 'fulfillment_recipient')),
  status text not null default 'active' check (status in ('active', 'cancelled')),
  unique (registration_id, attendee_key)
);
create index attendees_payment_idx on events.attendees (payment_id);

-- One per person with an e-mail (lower-cased), across booking contacts and attendees.
create table events.contacts (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  name text,
  phone text,
  source_at timestamptz
);

-- One per admission (unit of a ticket line item). id, code and scanned_at are local: a promotion
-- never writes them. A ticket the source no longer has is cancelled, never deleted.
create table events.tickets (
  id uuid primary key default gen_random_uuid(),
  code text not null unique default upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)),
  registration_id text not null references events.registrations (id),
  payment_id text not null,
  line_item_uid text not null,
  unit integer not null check (unit >= 1),
  attendee_key text,
  ticket_type text,
  catalog_object_id text,
  price_amount bigint,
  currency text,
  status text not null default 'valid' check (status in ('valid', 'cancelled')),
  scanned_at timestamptz,
  unique (registration_id, line_item_uid, unit),
  foreign key (registration_id, attendee_key) references events.attendees (registration_id, attendee_key)
);
create index tickets_payment_idx on events.tickets (payment_id);

select sync.register_target('events.payments', array['id']);
select sync.register_target('events.customers', array['customer_key'], 'source_at');
select sync.register_target('events.registrations', array['id']);
select sync.register_target('events.attendees', array['registration_id', 'attendee_key']);
select sync.register_target('events.contacts', array['email'], 'source_at');
select sync.register_target('events.tickets', array['registration_id', 'line_item_uid', 'unit']);

-- The line items of the roots' orders: whether each is a ticket (its catalog item is an EVENT) or
-- unknown (its catalog variation or item is not imported), and its attendee (metadata
-- attendee_name / attendee_email / attendee_phone, else the first fulfillment's recipient).
create function events._square_lines(p_ids text[])
returns table (root_id text, order_id text, uid text, ord bigint, name text, quantity text, catalog_object_id text,
  known boolean, is_ticket boolean, ticket_type text, price_amount bigint, currency text, attendee_name text,
  attendee_email text, attendee_phone text, attendee_source text)
language sql stable set search_path = '' as $$
  select p.id, o.id, coalesce(l.li ->> 'uid', '#' || l.n), l.n, l.li ->> 'name', l.li ->> 'quantity',
    l.li ->> 'catalog_object_id',
    l.li ->> 'catalog_object_id' is null or (v.id is not null and i.id is not null),
    coalesce(i.product_type = 'EVENT', false),
    nullif(concat_ws(' - ', coalesce(l.li ->> 'name', i.name), coalesce(l.li ->> 'variation_name', v.name)), ''),
    case when (l.li -> 'base_price_money' ->> 'amount') ~ '^-?\d{1,18}$'
      then (l.li -> 'base_price_money' ->> 'amount')::bigint end,
    l.li -> 'base_price_money' ->> 'currency',
    case when m.has then m.name else r.name end,
    case when m.has then m.email else r.email end,
    case when m.has then m.phone else r.phone end,
    case when m.has then 'line_item_metadata' when r.name is not null or r.email is not null
      then 'fulfillment_recipient' end
  from square.payments p
  join square.orders o on o.id = p.order_id
  cross join lateral jsonb_array_elements(case when jsonb_typeof(o.raw -> 'line_items') = 'array'
    then o.raw -> 'line_items' else '[]'::jsonb end) with ordinality l(li, n)
  left join square.catalog_variations v on v.id = l.li ->> 'catalog_object_id'
  left join square.catalog_items i on i.id = v.item_id
  cross join lateral (
    select nullif(btrim(l.li -> 'metadata' ->> 'attendee_name'), '') as name,
      lower(nullif(btrim(l.li -> 'metadata' ->> 'attendee_email'), '')) as email,
      nullif(btrim(l.li -> 'metadata' ->> 'attendee_phone'), '') as phone
  ) m0
  cross join lateral (select m0.name, m0.email, m0.phone, m0.name is not null or m0.email is not null as has) m
  left join lateral (
    select nullif(btrim(x.rc ->> 'display_name'), '') as name, lower(nullif(btrim(x.rc ->> 'email_address'), '')) as email,
      nullif(btrim(x.rc ->> 'phone_number'), '') as phone
    from jsonb_array_elements(case when jsonb_typeof(o.raw -> 'fulfillments') = 'array'
      then o.raw -> 'fulfillments' else '[]'::jsonb end) with ordinality f(f, n)
    cross join lateral (select coalesce(f.f -> 'pickup_details' -> 'recipient', f.f -> 'shipment_details' -> 'recipient',
      f.f -> 'delivery_details' -> 'recipient') as rc) x
    where jsonb_typeof(x.rc) = 'object'
    order by f.n limit 1
  ) r on true
  where p.id = any (p_ids)
$$;
revoke execute on function events._square_lines(text[]) from public, anon, authenticated;
grant execute on function events._square_lines(text[]) to service_role;

-- The booking contact of each root: the order's (else the payment's) Square customer when imported,
-- else the payment's buyer_email_address with its billing name; error when there is neither.
create function events._square_booking(p_ids text[])
returns table (root_id text, customer_key text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select p.id, b.data ->> 'customer_key', b.data,
    case when b.data is null then
      case when coalesce(o.customer_id, p.customer_id) is not null
        then format('missing parent: customer %s (the booking contact) is not imported and payment %s has no buyer_email_address',
          coalesce(o.customer_id, p.customer_id), p.id)
        else format('no booking contact: order %s has no customer and payment %s no buyer_email_address', o.id, p.id) end
    end
  from square.payments p
  join square.orders o on o.id = p.order_id
  left join square.customers c on c.id = coalesce(o.customer_id, p.customer_id)
  cross join lateral (select lower(nullif(btrim(p.raw ->> 'buyer_email_address'), '')) as email) e
  cross join lateral (select case
    when c.id is not null then jsonb_build_object('customer_key', c.id, 'square_customer_id', c.id,
      'given_name', c.given_name, 'family_name', c.family_name, 'email', lower(c.email_address),
      'phone', c.phone_number, 'source', 'square_customer', 'source_at', c.updated_at)
    when e.email is not null then jsonb_build_object('customer_key', 'email:' || e.email, 'square_customer_id', null,
      'given_name', p.raw #>> '{billing_address,first_name}', 'family_name', p.raw #>> '{billing_address,last_name}',
      'email', e.email, 'phone', null, 'source', 'payment_buyer', 'source_at', p.created_at)
  end as data) b
  where p.id = any (p_ids)
$$;
revoke execute on function events._square_booking(text[]) from public, anon, authenticated;
grant execute on function events._square_booking(text[]) to service_role;

-- Eligibility, first matching reason wins: hold, not_completed, refunded, no_registration,
-- registration_cancelled, no_tickets. version fingerprints every import row the chain reads
-- (payment, order, customer, the catalog variations and items of its line items, and the holds): a
-- root whose fingerprint did not change is not judged again, so a catalog correction is noticed.
create function events.square_check(p_ids text[])
returns table (root_id text, sort_at timestamptz, version text, reason_code text, reason text)
language sql stable set search_path = '' as $$
  with lines as (
    -- only what eligibility needs of the line items: are they all known, is any a ticket
    select p.id as root_id, bool_and(l.li ->> 'catalog_object_id' is null or i.id is not null) as known,
      bool_or(coalesce(i.product_type = 'EVENT', false)) as tickets,
      md5(string_agg(concat_ws(',', v.id, v.item_id, v.name, v.raw::text, i.id, i.name, i.product_type, i.raw::text),
        '|' order by l.n)) as catalog
    from square.payments p
    join square.orders o on o.id = p.order_id
    cross join lateral jsonb_array_elements(case when jsonb_typeof(o.raw -> 'line_items') = 'array'
      then o.raw -> 'line_items' else '[]'::jsonb end) with ordinality l(li, n)
    left join square.catalog_variations v on v.id = l.li ->> 'catalog_object_id'
    left join square.catalog_items i on i.id = v.item_id
    where p.id = any (p_ids)
    group by p.id
  )
  select p.id, p.created_at,
    md5(concat_ws('|', p.raw::text, p.should_move_to_production::text, o.raw::text, o.should_move_to_production::text,
      c.raw::text, t.catalog)),
    x.code, x.reason
  from square.payments p
  left join square.orders o on o.id = p.order_id
  left join square.customers c on c.id = coalesce(o.customer_id, p.customer_id)
  left join lines t on t.root_id = p.id
  cross join lateral (select case
    when p.should_move_to_production is false then array['hold',
      format('operator hold: payment %s has should_move_to_production = false', p.id)]
    when o.should_move_to_production is false then array['hold',
      format('operator hold: order %s has should_move_to_production = false', o.id)]
    when p.status is distinct from 'COMPLETED' then array['not_completed',
      format('payment status is %s, not COMPLETED', coalesce(p.status, 'unknown'))]
    when coalesce(p.refunded_amount, 0) > 0 and p.refunded_amount >= coalesce(p.total_amount, p.amount) then array['refunded',
      format('payment fully refunded (%s of %s %s)', p.refunded_amount, coalesce(p.total_amount, p.amount), p.currency)]
    when p.order_id is null then array['no_registration', 'payment has no order (no registration)']
    when o.id is null then array['no_registration', format('order %s (the registration) is not imported', p.order_id)]
    when o.state = 'CANCELED' then array['registration_cancelled', format('order %s is CANCELED', o.id)]
    when coalesce(t.known, true) and not coalesce(t.tickets, false) then array['no_tickets',
      format('order %s has no ticket line items (none of an EVENT catalog item)', o.id)]
  end as v) r0
  cross join lateral (select r0.v[1] as code, r0.v[2] as reason) x
  where p.id = any (p_ids)
$$;
revoke execute on function events.square_check(text[]) from public, anon, authenticated;
grant execute on function events.square_check(text[]) to service_role;

-- The roots whose chain holds the given import rows (a payment itself, the payments of an order or
-- of a customer's orders).
create function events.square_affected(p_table text, p_keys text[])
returns table (root_id text)
language sql stable set search_path = '' as $$
  select p.id from square.payments p where p_table = 'square.payments' and p.id = any (p_keys)
  union
  select p.id from square.payments p where p_table = 'square.orders' and p.order_id = any (p_keys)
  union
  select p.id from square.payments p where p_table = 'square.customers' and p.customer_id = any (p_keys)
  union
  select p.id from square.orders o join square.payments p on p.order_id = o.id
  where p_table = 'square.customers' and o.customer_id = any (p_keys)
$$;
revoke execute on function events.square_affected(text, text[]) from public, anon, authenticated;
grant execute on function events.square_affected(text, text[]) to service_role;

-- Step 1, payment: the root itself.
create function events.square_payment_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select p.id, jsonb_build_object('id', p.id, 'order_id', p.order_id, 'location_id', p.location_id, 'status', p.status,
    'currency', p.currency, 'amount', p.amount, 'total_amount', p.total_amount,
    'refunded_amount', coalesce(p.refunded_amount, 0), 'receipt_number', p.receipt_number, 'paid_at', p.created_at),
    null::text
  from square.payments p where p.id = any (p_ids)
$$;
revoke execute on function events.square_payment_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_payment_rows(text[]) to service_role;

-- Step 2, registration: the order the payment paid, with its attendee and ticket counts.
create function events.square_registration_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  with lines as (select * from events._square_lines(p_ids) where is_ticket),
  counts as (
    select l.root_id, count(distinct coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name))) as attendees,
      sum(case when l.quantity ~ '^\d{1,4}$' then l.quantity::integer else 0 end) as tickets
    from lines l group by l.root_id
  )
  select p.id, jsonb_build_object('id', o.id, 'payment_id', p.id, 'customer_key', b.customer_key,
      'location_id', o.location_id, 'order_state', o.state, 'status', 'active', 'currency', coalesce(o.currency, p.currency),
      'total_amount', o.total_amount, 'paid_amount', coalesce(p.total_amount, p.amount),
      'refunded_amount', coalesce(p.refunded_amount, 0), 'attendee_count', coalesce(n.attendees, 0),
      'ticket_count', coalesce(n.tickets, 0), 'reference_id', o.reference_id, 'registered_at', o.created_at),
    null::text
  from square.payments p
  join square.orders o on o.id = p.order_id
  left join events._square_booking(p_ids) b on b.root_id = p.id
  left join counts n on n.root_id = p.id
  where p.id = any (p_ids)
$$;
revoke execute on function events.square_registration_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_registration_rows(text[]) to service_role;

-- Step 3, booking contact.
create function events.square_customer_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select b.root_id, b.data, b.error from events._square_booking(p_ids) b
$$;
revoke execute on function events.square_customer_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_customer_rows(text[]) to service_role;

-- Step 4, attendees: one per distinct person of the ticket line items; a ticket line item without
-- any attendee data fails the root.
create function events.square_attendee_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select distinct on (l.root_id, k.key) l.root_id,
    case when k.key is not null then jsonb_build_object('registration_id', l.order_id, 'payment_id', l.root_id,
      'attendee_key', k.key, 'name', l.attendee_name, 'email', l.attendee_email, 'phone', l.attendee_phone,
      'source', l.attendee_source, 'status', 'active') end,
    case when k.key is null then format(
      'line item %s ("%s") has no attendee: no attendee_name or attendee_email metadata and no fulfillment recipient',
      l.uid, coalesce(l.name, '')) end
  from events._square_lines(p_ids) l
  cross join lateral (select coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name)) as key) k
  where l.is_ticket
  order by l.root_id, k.key, l.ord
$$;
revoke execute on function events.square_attendee_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_attendee_rows(text[]) to service_role;

-- Step 5, contacts: the booking contact and the attendees that have an e-mail, one per e-mail.
create function events.square_contact_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  select distinct on (x.root_id, x.email) x.root_id,
    jsonb_build_object('email', x.email, 'name', x.name, 'phone', x.phone, 'source_at', p.created_at), null::text
  from (
    select b.root_id, b.data ->> 'email' as email,
      nullif(concat_ws(' ', b.data ->> 'given_name', b.data ->> 'family_name'), '') as name, b.data ->> 'phone' as phone,
      0 as rank
    from events._square_booking(p_ids) b where b.data ->> 'email' is not null
    union all
    select l.root_id, l.attendee_email, l.attendee_name, l.attendee_phone, l.ord
    from events._square_lines(p_ids) l where l.is_ticket and l.attendee_email is not null
  ) x
  join square.payments p on p.id = x.root_id
  order by x.root_id, x.email, x.rank
$$;
revoke execute on function events.square_contact_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_contact_rows(text[]) to service_role;

-- Step 6, tickets: one per unit of each ticket line item (quantity a whole number 1..1000); a line
-- item whose catalog variation or item is not imported fails the root (missing parent).
create function events.square_ticket_rows(p_ids text[])
returns table (root_id text, data jsonb, error text)
language sql stable set search_path = '' as $$
  with lines as materialized (select * from events._square_lines(p_ids))
  select l.root_id, jsonb_build_object('registration_id', l.order_id, 'payment_id', l.root_id,
      'line_item_uid', l.uid, 'unit', u.unit,
      'attendee_key', coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name)),
      'ticket_type', l.ticket_type, 'catalog_object_id', l.catalog_object_id, 'price_amount', l.price_amount,
      'currency', l.currency, 'status', 'valid'),
    null::text
  from lines l
  cross join lateral generate_series(1, l.quantity::integer) u(unit)
  where l.is_ticket and l.quantity ~ '^\d{1,4}$' and l.quantity::integer between 1 and 1000
  union all
  select l.root_id, null, case
    when not l.known then format('missing parent: catalog variation %s of line item %s is not imported (or its item is not)',
      l.catalog_object_id, l.uid)
    else format('line item %s has quantity "%s": a ticket quantity must be a whole number from 1 to 1000',
      l.uid, coalesce(l.quantity, '')) end
  from lines l
  where not l.known
     or (l.is_ticket and not coalesce(l.quantity ~ '^\d{1,4}$' and l.quantity::integer between 1 and 1000, false))
$$;
revoke execute on function events.square_ticket_rows(text[]) from public, anon, authenticated;
grant execute on function events.square_ticket_rows(text[]) to service_role;

-- Orphan checks: production rows without their parent (zero by construction; checked anyway) and
-- import rows whose root never arrived (informational: unpaid orders, payments without their order).
create function events.square_orphans()
returns table ("check" text, layer text, count bigint, sample text[])
language sql stable set search_path = '' as $$
  select 'events.tickets without a registration', 'production', count(*), (array_agg(t.id::text order by t.id))[1:10]
  from events.tickets t where not exists (select from events.registrations r where r.id = t.registration_id)
  union all
  select 'events.attendees without a registration', 'production', count(*), (array_agg(a.id::text order by a.id))[1:10]
  from events.attendees a where not exists (select from events.registrations r where r.id = a.registration_id)
  union all
  select 'events.registrations without a booking contact', 'production', count(*),
    (array_agg(r.id order by r.id))[1:10]
  from events.registrations r where not exists (select from events.customers c where c.customer_key = r.customer_key)
  union all
  select 'square.orders without a payment (root never arrived)', 'import', count(*), (array_agg(o.id order by o.id))[1:10]
  from square.orders o where not exists (select from square.payments p where p.order_id = o.id)
  union all
  select 'square.payments whose order never arrived', 'import', count(*), (array_agg(p.id order by p.id))[1:10]
  from square.payments p where p.order_id is not null
    and not exists (select from square.orders o where o.id = p.order_id)
$$;
revoke execute on function events.square_orphans() from public, anon, authenticated;
grant execute on function events.square_orphans() to service_role;

select sync.register_promotion_plan('square_event_sales', 'square', 'square.payments', 'id', 'created_at', 'payment',
  'events.square_check', 'events.square_affected', 'events.square_orphans',
  array['hold', 'not_completed', 'refunded', 'no_registration', 'registration_cancelled', 'no_tickets'],
  'Square event sales: each completed payment with its order (registration), booking contact, attendees, contacts and tickets');
select sync.register_promotion_step('square_event_sales', 1, 'payment', 'square.payments', 'events.payments',
  'events.square_payment_rows', 'id', 'payment imported');
select sync.register_promotion_step('square_event_sales', 2, 'registration', 'square.orders', 'events.registrations',
  'events.square_registration_rows', 'payment_id', 'registration found', '{"status": "cancelled"}');
select sync.register_promotion_step('square_event_sales', 3, 'customer', 'square.customers', 'events.customers',
  'events.square_customer_rows', null, 'booking contact');
select sync.register_promotion_step('square_event_sales', 4, 'attendees', 'square.orders', 'events.attendees',
  'events.square_attendee_rows', 'payment_id', '% attendees', '{"status": "cancelled"}');
select sync.register_promotion_step('square_event_sales', 5, 'contacts', 'square.orders', 'events.contacts',
  'events.square_contact_rows', null, '% contacts');
select sync.register_promotion_step('square_event_sales', 6, 'tickets', 'square.orders', 'events.tickets',
  'events.square_ticket_rows', 'payment_id', '% tickets', '{"status": "cancelled"}');

alter table events.payments enable row level security;
alter table events.customers enable row level security;
alter table events.registrations enable row level security;
alter table events.attendees enable row level security;
alter table events.contacts enable row level security;
alter table events.tickets enable row level security;
revoke all on all tables in schema events from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema events to service_role;
