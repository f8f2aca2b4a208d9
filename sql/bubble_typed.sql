-- Bubble typed tables: the worked invoicing example (functions/_shared/connectors/bubble/model/
-- invoicing.ts declares the same tables; a test compares the two). One table per Bubble data type,
-- one column per mapped field, the whole thing in raw. Links are text ids (lists: text[]) without
-- FOREIGN KEY constraints: Bubble deletes things without clearing the links pointing at them, so a
-- hard constraint would refuse a whole page for one deleted customer. The integrity sync writes
-- types in dependency order and reports dangling links instead (docs/bubble.md). Columns you add
-- yourself (local-only) are never written by the sync. Only service_role reads or writes.

create table bubble.agent (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  name text, -- name
  email text, -- email
  phone text, -- phone
  agency text, -- agency
  commission_rate numeric, -- commission_rate
  active boolean, -- active
  raw jsonb not null
);
create index agent_modified_date_idx on bubble.agent (modified_date);
select sync.register_target('bubble.agent', array['id'], 'modified_date');
alter table bubble.agent enable row level security;

create table bubble.customer (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  name text, -- name
  email text, -- email
  phone text, -- phone
  address text, -- address
  city text, -- city
  postcode text, -- postcode
  ic_number text, -- ic_number
  tags text[], -- tags
  notes text, -- notes
  raw jsonb not null
);
create index customer_modified_date_idx on bubble.customer (modified_date);
select sync.register_target('bubble.customer', array['id'], 'modified_date');
alter table bubble.customer enable row level security;

create table bubble.user (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  authentication jsonb, -- authentication
  user_signed_up boolean, -- user_signed_up
  name text, -- name
  role text, -- role
  agent text, -- agent -> agent
  customer text, -- customer -> customer
  raw jsonb not null
);
create index user_modified_date_idx on bubble.user (modified_date);
create index user_agent_idx on bubble.user (agent);
create index user_customer_idx on bubble.user (customer);
select sync.register_target('bubble.user', array['id'], 'modified_date');
alter table bubble.user enable row level security;

create table bubble.invoice (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By -> user
  invoice_no text, -- invoice_no
  status text, -- status
  issue_date timestamptz, -- issue_date
  due_date timestamptz, -- due_date
  subtotal numeric, -- subtotal
  discount numeric, -- discount
  tax numeric, -- tax
  total numeric, -- total
  amount_paid numeric, -- amount_paid
  balance numeric, -- balance
  currency text, -- currency
  system_size_kw numeric, -- system_size_kw
  panel_count integer, -- panel_count
  notes text, -- notes
  agent text, -- agent -> agent
  customer text, -- customer -> customer
  payments text[], -- payments -> payment
  submitted_payments text[], -- submitted_payments -> submitted_payment
  items text[], -- items -> invoice_item
  seda_registration text, -- seda_registration -> seda_registration
  raw jsonb not null
);
create index invoice_modified_date_idx on bubble.invoice (modified_date);
create index invoice_created_by_idx on bubble.invoice (created_by);
create index invoice_agent_idx on bubble.invoice (agent);
create index invoice_customer_idx on bubble.invoice (customer);
create index invoice_payments_idx on bubble.invoice using gin (payments);
create index invoice_submitted_payments_idx on bubble.invoice using gin (submitted_payments);
create index invoice_items_idx on bubble.invoice using gin (items);
create index invoice_seda_registration_idx on bubble.invoice (seda_registration);
select sync.register_target('bubble.invoice', array['id'], 'modified_date');
alter table bubble.invoice enable row level security;

create table bubble.payment (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  invoice text, -- invoice -> invoice
  amount numeric, -- amount
  method text, -- method
  reference text, -- reference
  paid_at timestamptz, -- paid_at
  status text, -- status
  raw jsonb not null
);
create index payment_modified_date_idx on bubble.payment (modified_date);
create index payment_invoice_idx on bubble.payment (invoice);
select sync.register_target('bubble.payment', array['id'], 'modified_date');
alter table bubble.payment enable row level security;

create table bubble.submitted_payment (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  invoice text, -- invoice -> invoice
  submitted_by text, -- submitted_by -> user
  amount numeric, -- amount
  receipt text, -- receipt
  submitted_at timestamptz, -- submitted_at
  approved boolean, -- approved
  raw jsonb not null
);
create index submitted_payment_modified_date_idx on bubble.submitted_payment (modified_date);
create index submitted_payment_invoice_idx on bubble.submitted_payment (invoice);
create index submitted_payment_submitted_by_idx on bubble.submitted_payment (submitted_by);
select sync.register_target('bubble.submitted_payment', array['id'], 'modified_date');
alter table bubble.submitted_payment enable row level security;

create table bubble.invoice_item (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  invoice text, -- invoice -> invoice
  description text, -- description
  quantity numeric, -- quantity
  unit_price numeric, -- unit_price
  amount numeric, -- amount
  sort_order integer, -- sort_order
  raw jsonb not null
);
create index invoice_item_modified_date_idx on bubble.invoice_item (modified_date);
create index invoice_item_invoice_idx on bubble.invoice_item (invoice);
select sync.register_target('bubble.invoice_item', array['id'], 'modified_date');
alter table bubble.invoice_item enable row level security;

create table bubble.seda_registration (
  id text primary key check (id <> ''), -- _id
  created_date timestamptz, -- Created Date
  modified_date timestamptz not null, -- Modified Date
  created_by text, -- Created By
  linked_invoice text[], -- linked_invoice -> invoice
  linked_customer text, -- linked_customer -> customer
  deposit_payment text, -- deposit_payment -> payment
  registration_no text, -- registration_no
  status text, -- status
  system_size_kw numeric, -- system_size_kw
  submitted_at timestamptz, -- submitted_at
  approved_at timestamptz, -- approved_at
  raw jsonb not null
);
create index seda_registration_modified_date_idx on bubble.seda_registration (modified_date);
create index seda_registration_linked_invoice_idx on bubble.seda_registration using gin (linked_invoice);
create index seda_registration_linked_customer_idx on bubble.seda_registration (linked_customer);
create index seda_registration_deposit_payment_idx on bubble.seda_registration (deposit_payment);
select sync.register_target('bubble.seda_registration', array['id'], 'modified_date');
alter table bubble.seda_registration enable row level security;

-- The step report of the integrity sync (an invoice with its relations): one row per action of a
-- root thing (fetch, merge, back-links, patch, and the outcome synced / skipped / failed), written in
-- the transaction that lands the root, so a resumed job never reports a root twice.
create table bubble.sync_steps (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  root_type text not null,
  root_id text not null,
  seq integer not null,
  action text not null,
  entity text,
  status text not null check (status in ('success', 'warning', 'error', 'synced', 'skipped', 'failed')),
  count integer,
  detail text,
  at timestamptz not null default clock_timestamp(),
  primary key (job_id, root_type, root_id, seq)
);
create index sync_steps_outcome_idx on bubble.sync_steps (job_id, status) where action = 'outcome';
alter table bubble.sync_steps enable row level security;

-- Auto-patch after every sync, idempotent, never overwriting a non-empty value:
--   seda_links:     an invoice without seda_registration gets the SEDA registration whose
--                   linked_invoice lists it (the newest one when several do);
--   seda_customers: a SEDA registration without linked_customer gets the customer of its first
--                   linked invoice that has one in bubble.customer; a patch never writes an id
--                   that is not in the target table (a customer deleted at the source, or not
--                   synced yet), it counts those registrations as missing_customers instead.
-- Returns {"seda_links": n, "seda_customers": n, "missing_customers": n}.
create function bubble.patch_links()
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_links int;
  v_customers int;
  v_missing int;
begin
  with cand as (
    select distinct on (i.id) i.id as invoice_id, s.id as seda_id
    from bubble.seda_registration s
    cross join unnest(s.linked_invoice) li(invoice_id)
    join bubble.invoice i on i.id = li.invoice_id
    where coalesce(i.seda_registration, '') = ''
    order by i.id, s.modified_date desc, s.id
  ), upd as (
    update bubble.invoice i set seda_registration = c.seda_id
    from cand c where i.id = c.invoice_id and coalesce(i.seda_registration, '') = ''
    returning 1
  )
  select count(*) into v_links from upd;
  with cand as (
    select distinct on (s.id) s.id as seda_id, i.customer
    from bubble.seda_registration s
    cross join unnest(s.linked_invoice) with ordinality li(invoice_id, ord)
    join bubble.invoice i on i.id = li.invoice_id
    where coalesce(s.linked_customer, '') = '' and coalesce(i.customer, '') <> ''
      and exists (select from bubble.customer c where c.id = i.customer)
    order by s.id, li.ord
  ), upd as (
    update bubble.seda_registration s set linked_customer = c.customer
    from cand c where s.id = c.seda_id and coalesce(s.linked_customer, '') = ''
    returning 1
  )
  select count(*) into v_customers from upd;
  -- still without a customer although an invoice names one: that customer is not here
  select count(*) into v_missing
  from bubble.seda_registration s
  where coalesce(s.linked_customer, '') = ''
    and exists (select from unnest(s.linked_invoice) li(invoice_id)
      join bubble.invoice i on i.id = li.invoice_id where coalesce(i.customer, '') <> '');
  return jsonb_build_object('seda_links', v_links, 'seda_customers', v_customers, 'missing_customers', v_missing);
end
$$;
revoke execute on function bubble.patch_links() from public, anon, authenticated;
grant execute on function bubble.patch_links() to service_role;

revoke all on all tables in schema bubble from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema bubble to service_role;
