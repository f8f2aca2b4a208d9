-- bubble.patch_links: restores invoice -> SEDA links from SEDA linked_invoice, fills a SEDA's
-- missing linked_customer from its invoice, never overwrites a value, and is idempotent.
begin;
select plan(7);

insert into bubble.invoice (id, modified_date, customer, seda_registration, raw) values
  ('inv1', now(), 'cus1', null, '{}'), ('inv2', now(), 'cus2', 'sedaX', '{}'), ('inv3', now(), null, '', '{}');
insert into bubble.seda_registration (id, modified_date, linked_invoice, linked_customer, raw) values
  ('seda1', now(), array['inv1'], null, '{}'),
  ('seda2', now(), array['inv2'], 'cusLocal', '{}'),
  ('seda3', now(), array['inv3', 'inv2'], '', '{}'),
  ('seda4', now(), array['gone'], null, '{}');

select is(bubble.patch_links(), '{"seda_links": 2, "seda_customers": 2}'::jsonb, 'counts: two links, two customers');
select is((select seda_registration from bubble.invoice where id = 'inv1'), 'seda1', 'inv1 gets seda1 back');
select is((select seda_registration from bubble.invoice where id = 'inv2'), 'sedaX', 'a non-empty link is never overwritten');
select is((select seda_registration from bubble.invoice where id = 'inv3'), 'seda3', 'an empty-string link counts as missing');
select is((select array_agg(coalesce(linked_customer, '-') order by id) from bubble.seda_registration),
  array['cus1', 'cusLocal', 'cus2', '-'],
  'customers filled from the first linked invoice with one; a set one kept; no invoice, no customer');
select is(bubble.patch_links(), '{"seda_links": 0, "seda_customers": 0}'::jsonb, 'a second run changes nothing');
select ok(not has_function_privilege('anon', 'bubble.patch_links()', 'execute'), 'anon cannot run it');

select * from finish();
rollback;
