-- bubble.patch_links: restores invoice -> SEDA links from SEDA linked_invoice, fills a SEDA's
-- missing linked_customer from its invoice (only with a customer that is in bubble.customer: a
-- customer deleted at the source is counted as missing, never written), never overwrites a value,
-- and is idempotent.
begin;
select plan(9);

insert into bubble.customer (id, modified_date, raw) values ('cus1', now(), '{}'), ('cus2', now(), '{}');

insert into bubble.invoice (id, modified_date, customer, seda_registration, raw) values
  ('inv1', now(), 'cus1', null, '{}'), ('inv2', now(), 'cus2', 'sedaX', '{}'), ('inv3', now(), null, '', '{}');
insert into bubble.seda_registration (id, modified_date, linked_invoice, linked_customer, raw) values
  ('seda1', now(), array['inv1'], null, '{}'),
  ('seda2', now(), array['inv2'], 'cusLocal', '{}'),
  ('seda3', now(), array['inv3', 'inv2'], '', '{}'),
  ('seda4', now(), array['gone'], null, '{}'),
  ('seda5', now(), array['inv4'], null, '{}');
-- inv4's customer was deleted at the source: it is not in bubble.customer
insert into bubble.invoice (id, modified_date, customer, seda_registration, raw) values ('inv4', now(), 'cusGone', 'seda5', '{}');

select is(bubble.patch_links(), '{"seda_links": 2, "seda_customers": 2, "missing_customers": 1}'::jsonb,
  'counts: two links, two customers, one customer missing');
select is((select seda_registration from bubble.invoice where id = 'inv1'), 'seda1', 'inv1 gets seda1 back');
select is((select seda_registration from bubble.invoice where id = 'inv2'), 'sedaX', 'a non-empty link is never overwritten');
select is((select seda_registration from bubble.invoice where id = 'inv3'), 'seda3', 'an empty-string link counts as missing');
select is((select array_agg(coalesce(linked_customer, '-') order by id) from bubble.seda_registration),
  array['cus1', 'cusLocal', 'cus2', '-', '-'],
  'customers filled from the first linked invoice with one; a set one kept; no invoice, no customer');
select is((select linked_customer from bubble.seda_registration where id = 'seda5'), null,
  'a customer that is not in bubble.customer is never written');
select is((select count(*)::int from bubble.seda_registration s where coalesce(s.linked_customer, '') <> ''
    and s.linked_customer <> 'cusLocal' and not exists (select from bubble.customer c where c.id = s.linked_customer)), 0,
  'no patched link dangles');
select is(bubble.patch_links(), '{"seda_links": 0, "seda_customers": 0, "missing_customers": 1}'::jsonb,
  'a second run changes nothing (the missing customer is still reported)');
select ok(not has_function_privilege('anon', 'bubble.patch_links()', 'execute'), 'anon cannot run it');

select * from finish();
rollback;
