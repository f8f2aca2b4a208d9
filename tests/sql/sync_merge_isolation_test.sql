-- A page Postgres rejects is split until its bad rows stand alone: the rest lands, each bad row is
-- named with its SQLSTATE, column and reason; errors that are no row's fault still reject the call.
begin;
select plan(12);

create table public.items (id text primary key, amount numeric(14, 2) check (amount >= 0), label varchar(5),
  raw jsonb not null default '{}');
select sync.register_target('public.items', array['id']);
grant all on public.items to service_role;

create temp table r as select sync.merge_rows_isolating('public.items', jsonb_build_array(
  '{"id": "a", "amount": 1}'::jsonb,
  '{"id": "b", "amount": 98765432109876.55}'::jsonb,
  '{"id": "c", "amount": -5}'::jsonb,
  '{"id": "d", "label": "too long"}'::jsonb,
  '{"id": "e", "amount": 2}'::jsonb,
  '{"id": "f", "amountx": 2}'::jsonb,
  '{"id": "g", "amount": "abc"}'::jsonb,
  '{"id": "h"}'::jsonb)) as res;

select is((select array_agg(id order by id) from public.items), array['a', 'e', 'h'], 'the good rows landed');
select is((select res - 'rejected' from r), '{"inserted": 3, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'counts cover the rows that landed');
select is((select array_agg((x ->> 'row')::int order by ord) from r, jsonb_array_elements(res -> 'rejected')
    with ordinality e(x, ord)), array[2, 3, 4, 6, 7], 'each bad row is rejected alone, in row order');
select is((select jsonb_agg(x ->> 'sqlstate' order by ord) from r, jsonb_array_elements(res -> 'rejected')
    with ordinality e(x, ord)), '["22003", "23514", "22001", "SY422", "22P02"]'::jsonb, 'with its SQLSTATE');
select is((select res -> 'rejected' -> 0 from r), jsonb_build_object('row', 2, 'sqlstate', '22003',
  'message', 'numeric field overflow', 'column', 'amount', 'type', 'numeric(14,2)',
  'detail', 'A field with precision 14, scale 2 must round to an absolute value less than 10^12.'),
  'an overflow names the column, its type and the reason');
select is((select res -> 'rejected' -> 1 ->> 'column' from r), 'amount', 'a check violation names its column');
select is((select res -> 'rejected' -> 1 ->> 'constraint' from r), 'items_amount_check', 'and its constraint');
select is((select res -> 'rejected' -> 2 ->> 'column' from r), 'label', 'a value too long names its column');
select is((select res -> 'rejected' -> 3 ->> 'message' from r),
  'Cannot merge into "public.items": the row has unknown column "amountx"', 'merge_rows'' own refusal is kept');

select is(sync.merge_rows_isolating('public.items', '[{"id": "a", "amount": 1}, {"id": "z", "amount": 3}]'),
  '{"inserted": 1, "updated": 0, "unchanged": 1, "stale": 0}'::jsonb, 'a clean page is one merge, no "rejected"');
select throws_ok($$select sync.merge_rows_isolating('public.nope', '[{"id": 1}]')$$, 'SY404', null,
  'an unknown target still rejects the call');
select throws_ok($$select sync.merge_rows_isolating('public.items', '{"id": 1}')$$, 'SY422',
  'Cannot merge into "public.items": rows must be a JSON array, got object', 'so does a batch that is no array');

select * from finish();
rollback;
