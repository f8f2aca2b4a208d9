-- sync.merge_rows and sync.register_target refuse bad input with exact texts and SQLSTATEs.
begin;
select plan(20);

create table public.deals (id text primary key, title text, amount numeric, updated_at timestamptz, label text);
select sync.register_target('public.deals', array['id'], 'updated_at');

select throws_ok($$select sync.merge_rows('public.nope', '[]')$$, 'SY404',
  'Cannot merge into "public.nope": not a registered target (see sync.targets)', 'an unknown target is SY404');
select throws_ok($$select sync.merge_rows('public.deals', '{"id": "1"}')$$, 'SY422',
  'Cannot merge into "public.deals": rows must be a JSON array, got object', 'rows that are no array are refused');
select throws_ok($$select sync.merge_rows('public.deals', null)$$, 'SY422',
  'Cannot merge into "public.deals": rows must be a JSON array, got null', 'null rows are refused');
select throws_ok($$select sync.merge_rows('public.deals', '[1]')$$, 'SY422',
  'Cannot merge into "public.deals": row 1 must be a JSON object, got number', 'a first row that is no object is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1"}, "id"]')$$, 'SY422',
  'Cannot merge into "public.deals": row 2 must be a JSON object, got string', 'a later row that is no object is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "title": "t"}, ["id", "title"]]')$$, 'SY422',
  'Cannot merge into "public.deals": row 2 must be a JSON object, got array', 'an array naming the columns is no row');
select throws_ok($$select sync.merge_rows('public.deals', '[{"title": "t"}]')$$, 'SY422',
  'Cannot merge into "public.deals": row 1 has no key column "id"', 'a row without its key is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "title": "a"}, {"id": "2", "title": "b"}, {"title": "c"}]')$$,
  'SY422', 'Cannot merge into "public.deals": row 3 has no key column "id"', 'the error names the offending row');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1"}, {"id": null}]')$$, 'SY422',
  'Cannot merge into "public.deals": row 2 has a null key column', 'a null key is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "bogus": 1}]')$$, 'SY422',
  'Cannot merge into "public.deals": row 1 has unknown column "bogus"', 'an unknown column is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "_last_job_id": 5}]')$$, 'SY422',
  'Cannot merge into "public.deals": row 1 sets reserved bookkeeping column "_last_job_id"', 'a bookkeeping column is reserved');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "title": "a"}, {"id": "2", "_first_synced_at": null}]')$$,
  'SY422', 'Cannot merge into "public.deals": row 2 sets reserved bookkeeping column "_first_synced_at"',
  'a reserved column in a later row is refused');
select throws_ok($$select sync.merge_rows('public.deals', '[{"id": "1", "amount": "lots"}]')$$, '22P02',
  null, 'a value of the wrong type fails with the type error');
select is((select count(*)::int from public.deals), 0, 'a refused batch writes nothing, not even its good rows');

-- register_target
select throws_ok($$select sync.register_target('public.nope', array['id'])$$, '42P01',
  'Cannot register target "public.nope": no such table (use "schema.table")', 'registering a missing table fails');
select throws_ok($$select sync.register_target('deals', array['id'])$$, '42P01',
  'Cannot register target "deals": no such table (use "schema.table")', 'a target needs its schema');
select throws_ok($$select sync.register_target('public.deals', array['nope'])$$, '42703',
  'Cannot register target "public.deals": column "nope" does not exist', 'a missing key column fails');
select throws_ok($$select sync.register_target('public.deals', array['title'])$$, '42P10',
  'Cannot register target "public.deals": key (title) has no unique index', 'a key needs a unique index');
select throws_ok($$select sync.register_target('public.deals', array['id'], 'label')$$, '42804',
  'Cannot register target "public.deals": version column "label" is text, not timestamptz', 'a version must be timestamptz');
select throws_ok($$select sync.register_target('public.deals', array['id'], 'nope')$$, '42703',
  'Cannot register target "public.deals": column "nope" does not exist', 'a missing version column fails');

select * from finish();
rollback;
