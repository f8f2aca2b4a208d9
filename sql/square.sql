-- Square: merge targets for the Square connector (functions/_shared/connectors/square).
-- Typed columns for what people query, the whole API record in raw. Amounts are minor units
-- (cents) as bigint with their currency. No foreign keys between these tables: a partial or
-- out-of-order sync must still land, and Square keeps records that point at deleted objects.
-- Only service_role reads or writes; RLS is on so a mistaken grant still exposes no row.

create schema if not exists square;
revoke all on schema square from public;
grant usage on schema square to service_role;

-- Location has no updated_at in Square's API: the column stays null and the merge orders
-- versions by observation time, so the latest full read wins.
create table square.locations (
  id text primary key,
  name text,
  business_name text,
  status text,
  type text,
  country text,
  currency text,
  timezone text,
  merchant_id text,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
comment on table square.locations is 'Square locations (GET /v2/locations); updated_at is null: Square does not report one.';

create table square.customers (
  id text primary key,
  given_name text,
  family_name text,
  company_name text,
  email_address text,
  phone_number text,
  reference_id text,
  creation_source text,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index customers_updated_at_idx on square.customers (updated_at);
create index customers_email_idx on square.customers (lower(email_address));

create table square.catalog_categories (
  id text primary key,
  name text,
  category_type text,
  parent_category_id text,
  is_deleted boolean not null default false,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index catalog_categories_updated_at_idx on square.catalog_categories (updated_at);

-- category_id: the item's reporting category, else its first category, else the legacy field.
create table square.catalog_items (
  id text primary key,
  name text,
  description text,
  category_id text,
  product_type text,
  present_at_all_locations boolean,
  is_deleted boolean not null default false,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index catalog_items_category_idx on square.catalog_items (category_id);
create index catalog_items_updated_at_idx on square.catalog_items (updated_at);

create table square.catalog_variations (
  id text primary key,
  item_id text,
  name text,
  sku text,
  pricing_type text,
  price_amount bigint,
  price_currency text,
  ordinal integer,
  is_deleted boolean not null default false,
  version bigint,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index catalog_variations_item_idx on square.catalog_variations (item_id);
create index catalog_variations_sku_idx on square.catalog_variations (sku);
create index catalog_variations_updated_at_idx on square.catalog_variations (updated_at);

create table square.orders (
  id text primary key,
  location_id text not null,
  customer_id text,
  state text,
  reference_id text,
  source_name text,
  version integer,
  currency text,
  total_amount bigint,
  total_tax_amount bigint,
  total_discount_amount bigint,
  total_tip_amount bigint,
  total_service_charge_amount bigint,
  created_at timestamptz,
  updated_at timestamptz,
  closed_at timestamptz,
  raw jsonb not null
);
create index orders_location_created_idx on square.orders (location_id, created_at desc);
create index orders_customer_idx on square.orders (customer_id, created_at desc) where customer_id is not null;
create index orders_updated_at_idx on square.orders (updated_at);
create index orders_state_idx on square.orders (state, location_id);

create table square.payments (
  id text primary key,
  location_id text,
  order_id text,
  customer_id text,
  status text,
  source_type text,
  currency text,
  amount bigint,
  tip_amount bigint,
  total_amount bigint,
  refunded_amount bigint,
  processing_fee_amount bigint,
  receipt_number text,
  reference_id text,
  created_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null
);
create index payments_location_created_idx on square.payments (location_id, created_at desc);
create index payments_customer_idx on square.payments (customer_id, created_at desc) where customer_id is not null;
create index payments_order_idx on square.payments (order_id);
create index payments_updated_at_idx on square.payments (updated_at);

-- One count per (catalog object, location, state); Square's calculated_at is the version.
create table square.inventory_counts (
  catalog_object_id text not null,
  location_id text not null,
  state text not null,
  catalog_object_type text,
  quantity numeric,
  calculated_at timestamptz,
  updated_at timestamptz,
  raw jsonb not null,
  primary key (catalog_object_id, location_id, state)
);
create index inventory_counts_location_idx on square.inventory_counts (location_id, state);
create index inventory_counts_updated_at_idx on square.inventory_counts (updated_at);

select sync.register_target('square.locations', array['id'], 'updated_at');
select sync.register_target('square.customers', array['id'], 'updated_at');
select sync.register_target('square.catalog_categories', array['id'], 'updated_at');
select sync.register_target('square.catalog_items', array['id'], 'updated_at');
select sync.register_target('square.catalog_variations', array['id'], 'updated_at');
select sync.register_target('square.orders', array['id'], 'updated_at');
select sync.register_target('square.payments', array['id'], 'updated_at');
select sync.register_target('square.inventory_counts', array['catalog_object_id', 'location_id', 'state'], 'updated_at');

alter table square.locations enable row level security;
alter table square.customers enable row level security;
alter table square.catalog_categories enable row level security;
alter table square.catalog_items enable row level security;
alter table square.catalog_variations enable row level security;
alter table square.orders enable row level security;
alter table square.payments enable row level security;
alter table square.inventory_counts enable row level security;

revoke all on all tables in schema square from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema square to service_role;
