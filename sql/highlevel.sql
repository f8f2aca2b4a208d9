-- HighLevel: merge targets for the HighLevel connector (functions/_shared/connectors/highlevel);
-- the event tickets made from orders are in highlevel_tickets.sql. Typed columns for what people
-- query, the API record in raw. Amounts are HighLevel's (major units, numeric). Only service_role
-- reads or writes; RLS is on so a mistaken grant still exposes no row.

create schema if not exists highlevel;
revoke all on schema highlevel from public;
grant usage on schema highlevel to service_role;

create table highlevel.products (
  id text primary key,
  location_id text,
  name text,
  product_type text,
  description text,
  available_in_store boolean,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index products_updated_at_idx on highlevel.products (updated_at);
create index products_name_idx on highlevel.products (name);

-- A product's prices (List Prices for a Product): an order line item that names only its price
-- is linked to the product through this table.
create table highlevel.prices (
  id text primary key,
  product_id text not null,
  location_id text,
  name text,
  type text,
  currency text,
  amount numeric,
  track_inventory boolean,
  available_quantity numeric,
  allow_out_of_stock_purchases boolean,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index prices_product_idx on highlevel.prices (product_id);

-- items: the order's line items as HighLevel returns them ([{_id, name, qty, product: {_id?, name}, price: {_id?}}]).
-- payment_status is derived from the documented status (see rows.ts), not read from the API.
create table highlevel.orders (
  id text primary key,
  location_id text,
  contact_id text,
  contact_name text,
  contact_email text,
  status text,
  payment_status text,
  currency text,
  amount numeric(14, 2),
  subtotal numeric(14, 2),
  live_mode boolean,
  source_type text,
  source_name text,
  items jsonb not null default '[]'::jsonb check (jsonb_typeof(items) = 'array'),
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index orders_updated_at_idx on highlevel.orders (updated_at);
create index orders_contact_idx on highlevel.orders (contact_id);

create table highlevel.contacts (
  id text primary key,
  location_id text,
  first_name text,
  last_name text,
  email text,
  phone text,
  company_name text,
  type text,
  tags text[],
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index contacts_updated_at_idx on highlevel.contacts (updated_at);
create index contacts_email_idx on highlevel.contacts (lower(email));

select sync.register_target('highlevel.products', array['id'], 'updated_at');
select sync.register_target('highlevel.prices', array['id'], 'updated_at');
select sync.register_target('highlevel.orders', array['id'], 'updated_at');
select sync.register_target('highlevel.contacts', array['id'], 'updated_at');

alter table highlevel.products enable row level security;
alter table highlevel.prices enable row level security;
alter table highlevel.orders enable row level security;
alter table highlevel.contacts enable row level security;

revoke all on all tables in schema highlevel from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema highlevel to service_role;
