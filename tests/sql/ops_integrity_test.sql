-- Integrity checks from the registry: orphans counted with samples, missing tables reported.
begin;
select plan(4);

create schema it_demo;
create table it_demo.orders (id text primary key);
create table it_demo.tickets (id text primary key, order_id text);
insert into it_demo.orders values ('o1'), ('o2');
insert into it_demo.tickets values ('t1', 'o1'), ('t2', 'o9'), ('t3', 'o8'), ('t4', null), ('t5', 'o9');

select lives_ok($$select sync.register_integrity_check('demo-tickets', 'it_demo.tickets', 'order_id', 'it_demo.orders', 'id')$$,
  'a connector registers a check');
select results_eq($$select status, orphan_count, sample_ids from sync.check_integrity() where check_name = 'demo-tickets'$$,
  $$values ('orphans'::text, 3::bigint, array['o8', 'o9'])$$, 'orphans are counted, dangling ids sampled');
select sync.register_integrity_check('demo-missing', 'it_demo.nope', 'order_id', 'it_demo.orders', 'id');
select results_eq($$select status, orphan_count from sync.check_integrity() where check_name = 'demo-missing'$$,
  $$values ('missing'::text, null::bigint)$$, 'a check on an absent table reports missing');
select throws_ok($$select sync.register_integrity_check('x', 'tickets', 'order_id', 'it_demo.orders', 'id')$$, 'SY422',
  'Cannot register integrity check "x": tables must be "schema.table" and columns plain names', 'names are validated');

select * from finish();
rollback;
