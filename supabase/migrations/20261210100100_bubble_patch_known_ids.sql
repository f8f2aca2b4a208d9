-- Issue 29: the Bubble auto-patch never writes an id that is not in the target table: a SEDA
-- registration gets a customer from its invoice only when that customer is in bubble.customer; the
-- others are counted as missing_customers. sql/bubble_typed.sql holds the definition.

-- Auto-patch after every sync, idempotent, never overwriting a non-empty value:
--   seda_links:     an invoice without seda_registration gets the SEDA registration whose
--                   linked_invoice lists it (the newest one when several do);
--   seda_customers: a SEDA registration without linked_customer gets the customer of its first
--                   linked invoice that has one in bubble.customer; a patch never writes an id
--                   that is not in the target table (a customer deleted at the source, or not
--                   synced yet), it counts those registrations as missing_customers instead.
-- Returns {"seda_links": n, "seda_customers": n, "missing_customers": n}.
create or replace function bubble.patch_links()
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

insert into sync.schema_versions (version) values ('20261210100100');
