-- HighLevel event tickets: one ticket per admission, made from the orders the HighLevel connector
-- merges (highlevel.sql) and kept equal to them by triggers in the writing transaction. Which
-- products issue tickets: HighLevel's product state, or the team's override (ticket_types).
-- Tickets issued, voided or revived by a single-record or retry job are steps of that job
-- (sync.job_steps, sync_steps.sql). Only service_role reads or writes; RLS is on.

-- The team's explicit overrides of which products issue tickets (never written by a sync). Without a
-- row, HighLevel decides: a product issues tickets while it is available in the store.
create table highlevel.ticket_types (
  product_id text primary key,
  ticket_type text not null check (ticket_type <> ''),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
comment on table highlevel.ticket_types is 'Overrides of HighLevel''s product state: active rows issue tickets of ticket_type even when the product is off sale, inactive rows never issue; products without a row follow available_in_store.';
alter table highlevel.ticket_types enable row level security;
revoke all on highlevel.ticket_types from public, anon, authenticated;
grant select, insert, update, delete on highlevel.ticket_types to service_role;

-- One row per admission. Rows are never deleted: a ticket no longer backed by its order is void.
create table highlevel.tickets (
  id uuid primary key default gen_random_uuid(),
  order_id text not null,
  ticket_type text not null,
  seq integer not null check (seq >= 1),
  code text not null unique default upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)),
  status text not null default 'live' check (status in ('live', 'void')),
  scanned_at timestamptz,
  created_at timestamptz not null default now(),
  voided_at timestamptz,
  unique (order_id, ticket_type, seq),
  check ((status = 'void') = (voided_at is not null))
);
create index tickets_order_idx on highlevel.tickets (order_id);
alter table highlevel.tickets enable row level security;
revoke all on highlevel.tickets from public, anon, authenticated;
grant select, insert, update, delete on highlevel.tickets to service_role;

-- Which products issue tickets, and why: the team's override (highlevel.ticket_types) when there
-- is one, else HighLevel's product state (available_in_store; absent counts as available). The
-- ticket type of a product without an override is its product id (stable across renames).
create view highlevel.ticket_products with (security_invoker = true) as
  select coalesce(t.product_id, p.id) as product_id,
    p.name,
    p.available_in_store,
    t.ticket_type as override_ticket_type,
    t.active as override_active,
    coalesce(t.ticket_type, coalesce(t.product_id, p.id)) as ticket_type,
    coalesce(t.active, p.available_in_store, true) as issues_tickets,
    case when t.product_id is not null then 'override' else 'highlevel' end as decided_by
  from highlevel.products p
  full join highlevel.ticket_types t on t.product_id = p.id;
comment on view highlevel.ticket_products is 'Effective ticket products: the override (ticket_types) wins, else HighLevel''s available_in_store.';
revoke all on highlevel.ticket_products from public, anon, authenticated;
grant select, insert, update, delete on highlevel.ticket_products to service_role;

-- The product a line item is for: its product id, else its price's product (the price's documented
-- product field, or highlevel.prices by price id), else the one product with its product or item name.
create function highlevel.item_product_id(p_item jsonb)
returns text language sql stable set search_path = '' as $$
  select coalesce(
    nullif(p_item -> 'product' ->> '_id', ''),
    nullif(p_item ->> 'productId', ''),
    nullif(p_item -> 'price' ->> 'product', ''),
    (select pr.product_id from highlevel.prices pr
      where pr.id = coalesce(nullif(p_item -> 'price' ->> '_id', ''), nullif(p_item ->> 'priceId', ''))),
    (select min(p.id) from highlevel.products p
      where p.name = coalesce(nullif(p_item -> 'product' ->> 'name', ''), nullif(p_item ->> 'name', ''))
      having count(*) = 1)
  )
$$;
revoke execute on function highlevel.item_product_id(jsonb) from public, anon, authenticated;
grant execute on function highlevel.item_product_id(jsonb) to service_role;

-- A line item's quantity: qty when it is a non-negative number, 1 when the item has none (the
-- documented Get-Order example has no qty: one item is one unit), else 0.
create function highlevel.item_qty(p_item jsonb)
returns integer language sql immutable set search_path = '' as $$
  select case
    when p_item -> 'qty' is null or jsonb_typeof(p_item -> 'qty') = 'null' then 1
    when (p_item ->> 'qty') ~ '^\s*\d{1,9}(\.\d+)?\s*$' then floor((p_item ->> 'qty')::numeric)::integer
    else 0 end
$$;
revoke execute on function highlevel.item_qty(jsonb) from public, anon, authenticated;
grant execute on function highlevel.item_qty(jsonb) to service_role;

-- Wanted live tickets per (order, ticket type): line-item quantities of products that issue
-- tickets (highlevel.ticket_products), zero for refunded, cancelled or void orders (by the
-- documented status). Valid orders are those with at least one such item.
create function highlevel._wanted_tickets(p_order_ids text[])
returns table (order_id text, ticket_type text, wanted integer)
language sql stable set search_path = '' as $$
  select o.id, tp.ticket_type,
    case when lower(coalesce(o.status, '')) in ('refunded', 'cancelled', 'canceled', 'void', 'voided') then 0
         else sum(highlevel.item_qty(i.item))::integer end
  from highlevel.orders o
  cross join lateral jsonb_array_elements(o.items) i(item)
  join highlevel.ticket_products tp
    on tp.issues_tickets and tp.product_id = highlevel.item_product_id(i.item)
  where o.id = any (p_order_ids) and jsonb_typeof(i.item) = 'object'
  group by o.id, o.status, tp.ticket_type
$$;
revoke execute on function highlevel._wanted_tickets(text[]) from public, anon, authenticated;
grant execute on function highlevel._wanted_tickets(text[]) to service_role;

-- Makes exactly N live tickets per (order, active ticket type), N = the orders' quantities now:
-- revives voided tickets (lowest seq first) before issuing new ones, voids the surplus
-- (unscanned first, then highest seq), keeps every id, code and scan. Idempotent.
-- Returns {"issued", "revived", "voided"}.
create function highlevel.reconcile_tickets(p_order_ids text[])
returns jsonb language plpgsql set search_path = '' as $$
declare
  v_order text;
  v_issued int := 0;
  v_revived int := 0;
  v_voided int := 0;
  v_n int;
  r record;
begin
  -- serialise reconciles of one order (concurrent syncs of the same order)
  for v_order in select distinct x from unnest(p_order_ids) x where x is not null order by 1 loop
    perform pg_advisory_xact_lock(hashtextextended('highlevel.tickets:' || v_order, 0));
  end loop;
  for r in
    with wanted as (select * from highlevel._wanted_tickets(p_order_ids)),
    pairs as (
      select w.order_id, w.ticket_type from wanted w
      union
      -- tickets of orders that no longer want them (type removed from the order, order refunded or gone)
      select t.order_id, t.ticket_type from highlevel.tickets t
      where t.order_id = any (p_order_ids) and t.status = 'live'
        and exists (select from highlevel.ticket_products tp where tp.ticket_type = t.ticket_type and tp.issues_tickets)
    )
    select p.order_id, p.ticket_type, coalesce(w.wanted, 0) as wanted,
      (select count(*) from highlevel.tickets t where t.order_id = p.order_id and t.ticket_type = p.ticket_type
         and t.status = 'live')::int as live
    from pairs p left join wanted w using (order_id, ticket_type)
  loop
    if r.live > r.wanted then
      with surplus as (
        select t.id from highlevel.tickets t
        where t.order_id = r.order_id and t.ticket_type = r.ticket_type and t.status = 'live'
        order by (t.scanned_at is not null), t.seq desc
        limit r.live - r.wanted
      )
      update highlevel.tickets t set status = 'void', voided_at = now() from surplus where t.id = surplus.id;
      get diagnostics v_n = row_count;
      v_voided := v_voided + v_n;
    elsif r.live < r.wanted then
      with back as (
        select t.id from highlevel.tickets t
        where t.order_id = r.order_id and t.ticket_type = r.ticket_type and t.status = 'void'
        order by t.seq
        limit r.wanted - r.live
      )
      update highlevel.tickets t set status = 'live', voided_at = null from back where t.id = back.id;
      get diagnostics v_n = row_count;
      v_revived := v_revived + v_n;
      insert into highlevel.tickets (order_id, ticket_type, seq)
      select r.order_id, r.ticket_type,
        coalesce((select max(t.seq) from highlevel.tickets t where t.order_id = r.order_id and t.ticket_type = r.ticket_type), 0) + g
      from generate_series(1, r.wanted - r.live - v_n) g;
      get diagnostics v_n = row_count;
      v_issued := v_issued + v_n;
    end if;
  end loop;
  return jsonb_build_object('issued', v_issued, 'revived', v_revived, 'voided', v_voided);
end
$$;
revoke execute on function highlevel.reconcile_tickets(text[]) from public, anon, authenticated;
grant execute on function highlevel.reconcile_tickets(text[]) to service_role;

-- After any write to orders (a merged page, a single-order sync, a manual fix) the written
-- orders' tickets are reconciled in the same transaction: tickets never disagree with orders.
create function highlevel._orders_reconcile() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform highlevel.reconcile_tickets(array(select n.id from changed n));
  return null;
end
$$;
revoke execute on function highlevel._orders_reconcile() from public, anon, authenticated;
grant execute on function highlevel._orders_reconcile() to service_role;
create trigger orders_reconcile_insert after insert on highlevel.orders
  referencing new table as changed for each statement execute function highlevel._orders_reconcile();
create trigger orders_reconcile_update after update on highlevel.orders
  referencing new table as changed for each statement execute function highlevel._orders_reconcile();

-- When whether a product issues tickets may have changed (its HighLevel state, its name, or the
-- team's override), the orders with line items of that product are reconciled at once: an
-- override set through the API applies to orders already stored, not only to the next ones.
create function highlevel.reconcile_product_tickets(p_product_ids text[])
returns jsonb language sql set search_path = '' as $$
  select highlevel.reconcile_tickets(array(
    select o.id from highlevel.orders o
    where exists (select from jsonb_array_elements(o.items) i(item)
                  where jsonb_typeof(i.item) = 'object' and highlevel.item_product_id(i.item) = any (p_product_ids))))
$$;
revoke execute on function highlevel.reconcile_product_tickets(text[]) from public, anon, authenticated;
grant execute on function highlevel.reconcile_product_tickets(text[]) to service_role;

-- Statement trigger of products and ticket_types: the product ids whose ticket decision may have
-- changed (inserted or deleted rows; updated rows whose state, name or override changed).
create function highlevel._product_change_reconcile() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_ids text[];
begin
  if tg_table_name = 'products' and tg_op = 'INSERT' then
    v_ids := array(select n.id from changed n);
  elsif tg_table_name = 'products' then
    v_ids := array(select n.id from changed n join previous p on p.id = n.id
                   where (p.available_in_store, p.name) is distinct from (n.available_in_store, n.name));
  elsif tg_op = 'INSERT' then
    v_ids := array(select n.product_id from changed n);
  elsif tg_op = 'DELETE' then
    v_ids := array(select p.product_id from previous p);
  else
    v_ids := array(select n.product_id from changed n union select p.product_id from previous p);
  end if;
  if cardinality(v_ids) > 0 then
    perform highlevel.reconcile_product_tickets(v_ids);
  end if;
  return null;
end
$$;
revoke execute on function highlevel._product_change_reconcile() from public, anon, authenticated;
grant execute on function highlevel._product_change_reconcile() to service_role;
create trigger products_reconcile_insert after insert on highlevel.products
  referencing new table as changed for each statement execute function highlevel._product_change_reconcile();
create trigger products_reconcile_update after update on highlevel.products
  referencing old table as previous new table as changed for each statement
  execute function highlevel._product_change_reconcile();
create trigger ticket_types_reconcile_insert after insert on highlevel.ticket_types
  referencing new table as changed for each statement execute function highlevel._product_change_reconcile();
create trigger ticket_types_reconcile_update after update on highlevel.ticket_types
  referencing old table as previous new table as changed for each statement
  execute function highlevel._product_change_reconcile();
create trigger ticket_types_reconcile_delete after delete on highlevel.ticket_types
  referencing old table as previous for each statement execute function highlevel._product_change_reconcile();

-- Tickets issued, voided or revived while a job writes their order are announced live on the
-- job's topic as sync_ticket_progress: a single-record or retry job records them as steps of the
-- job (sync.job_steps, which broadcasts them); a full or incremental sync broadcasts them without
-- storing them (seq null: a sync of 10,000 orders does not log 10,000 steps). The order row carries
-- the job in _last_job_id. Ticket codes stay out.
create function sync._ticket_step() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_job bigint;
  v_mode text;
  v_change text;
  v_detail jsonb;
begin
  select o._last_job_id into v_job from highlevel.orders o where o.id = new.order_id;
  select j.mode into v_mode from sync.jobs j where j.id = v_job and j.status = 'running';
  if v_mode is null then
    return null;
  end if;
  v_change := case when tg_op = 'INSERT' then 'issued' when new.status = 'void' then 'voided' else 'revived' end;
  v_detail := jsonb_build_object('ticket_type', new.ticket_type, 'seq', new.seq, 'status', new.status);
  if v_mode in ('single', 'retry') then
    perform sync.record_job_step(v_job, 'orders', new.order_id, 'ticket', v_change, v_detail);
  elsif v_mode in ('full', 'incremental') then
    perform sync._broadcast(jsonb_build_object('job_id', v_job, 'seq', null, 'stream', 'orders',
      'item_key', new.order_id, 'step', 'ticket', 'status', v_change, 'detail', v_detail, 'at', clock_timestamp()),
      'sync_ticket_progress', 'sync:job:' || v_job);
  end if;
  return null;
end
$$;
revoke execute on function sync._ticket_step() from public, anon, authenticated;

create trigger tickets_job_step after insert or update of status on highlevel.tickets
  for each row execute function sync._ticket_step();

-- Orphan check (sync.check_integrity): tickets whose order is missing.
select sync.register_integrity_check('highlevel-tickets-without-order', 'highlevel.tickets', 'order_id',
  'highlevel.orders', 'id', 'Tickets whose HighLevel order is missing');
