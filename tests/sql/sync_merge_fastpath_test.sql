-- The one-statement fast path: stale/unchanged classified exactly without a second pass when no
-- row can be stale, and any batch the fast path cannot take falls back with the documented result.
begin;
select plan(13);

create table public.items (id bigint primary key, name text, qty int, updated_at timestamptz, local_note text);
select sync.register_target('public.items', array['id'], 'updated_at');
select sync.merge_rows('public.items', '[
  {"id": 1, "name": "a", "qty": 1, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 2, "name": "b", "qty": 2, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 3, "name": "m", "qty": 3, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 4, "name": "m", "qty": 4, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 5, "name": "e", "qty": 5, "updated_at": "2024-01-02T00:00:00Z"}]');
update public.items set local_note = 'keep';

-- 1 unchanged; 2 identical content but older: stale; 3 equal version, smaller content: stale;
-- 4 equal version, greater content: updated; 5 newer: updated; 6 new: inserted
select is(sync.merge_rows('public.items', '[
  {"id": 1, "name": "a", "qty": 1, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 2, "name": "b", "qty": 2, "updated_at": "2024-01-01T00:00:00Z"},
  {"id": 3, "name": "a", "qty": 3, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 4, "name": "z", "qty": 4, "updated_at": "2024-01-02T00:00:00Z"},
  {"id": 5, "name": "f", "qty": 5, "updated_at": "2024-01-03T00:00:00Z"},
  {"id": 6, "name": "g", "qty": 6, "updated_at": "2024-01-03T00:00:00Z"}]'),
  '{"inserted": 1, "updated": 2, "unchanged": 1, "stale": 2}'::jsonb, 'a mixed batch is classified exactly');
select is((select array_agg(name order by id) from public.items), array['a', 'b', 'm', 'z', 'f', 'g'],
  'only the winners were written');

-- the same key twice: the newest wins, the loser is stale
select is(sync.merge_rows('public.items', '[
  {"id": 1, "name": "x", "qty": 1, "updated_at": "2024-02-01T00:00:00Z"},
  {"id": 1, "name": "y", "qty": 1, "updated_at": "2024-01-05T00:00:00Z"},
  {"id": 2, "name": "b", "qty": 2, "updated_at": "2024-01-02T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 1, "unchanged": 1, "stale": 1}'::jsonb, 'a duplicate key in a uniform batch');

-- row 2 lacks a column: it must not be written as null
select is(sync.merge_rows('public.items', '[
  {"id": 5, "name": "f2", "qty": 50, "updated_at": "2024-03-01T00:00:00Z"},
  {"id": 6, "name": "g2", "updated_at": "2024-03-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 2, "unchanged": 0, "stale": 0}'::jsonb, 'a late row with fewer columns');
select is((select qty from public.items where id = 6), 6, 'the omitted column keeps its value');

-- a late row that sets a local-only column to null writes it; row 2 with a null key column
select is(sync.merge_rows('public.items', '[
  {"id": 5, "name": "f3", "qty": 50, "updated_at": "2024-04-01T00:00:00Z"},
  {"id": 6, "name": "g3", "qty": 6, "updated_at": "2024-04-01T00:00:00Z", "local_note": null}]'),
  '{"inserted": 0, "updated": 2, "unchanged": 0, "stale": 0}'::jsonb, 'a late row with an extra column');
select is((select array_agg(local_note order by id) from public.items where id in (5, 6)), array['keep', null],
  'the extra column is written for that row only');

-- an explicit null in a carried column is written, not taken for a missing key
select is(sync.merge_rows('public.items', '[
  {"id": 5, "name": null, "qty": 50, "updated_at": "2024-05-01T00:00:00Z"},
  {"id": 6, "name": "g4", "qty": null, "updated_at": "2024-05-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 2, "unchanged": 0, "stale": 0}'::jsonb, 'explicit nulls in a uniform batch');

-- a key that is no column, in a later row of an otherwise uniform batch, is refused, not dropped
select throws_ok($$select sync.merge_rows('public.items', '[
  {"id": 5, "name": "f5", "qty": 55, "updated_at": "2024-06-01T00:00:00Z"},
  {"id": 6, "name": "g5", "qty": 66, "updated_at": "2024-06-01T00:00:00Z", "qtty": 60}]')$$,
  'SY422', 'Cannot merge into "public.items": row 2 has unknown column "qtty"', 'an unknown key in a later row');
select is((select array_agg(qty order by id) from public.items where id in (5, 6)), array[50, null],
  'nothing of the refused batch was written');

-- errors keep their documented order: the non-object row is reported even after a null key
select throws_ok($$select sync.merge_rows('public.items', '[
  {"id": 7, "name": "h", "qty": 7, "updated_at": "2024-01-01T00:00:00Z"},
  {"id": null, "name": "h", "qty": 7, "updated_at": "2024-01-01T00:00:00Z"},
  "oops"]')$$, 'SY422', 'Cannot merge into "public.items": row 3 must be a JSON object, got string',
  'a non-object row is reported before a null key');
select throws_ok($$select sync.merge_rows('public.items', '[
  {"id": 7, "name": "h", "qty": 7, "updated_at": "2024-01-01T00:00:00Z"},
  {"id": null, "name": "h", "qty": 7, "updated_at": "2024-01-01T00:00:00Z"}]')$$,
  'SY422', 'Cannot merge into "public.items": row 2 has a null key column', 'a null key in a uniform batch');

-- rows read from a table (a TOAST pointer) merge the same
create temp table big as select jsonb_agg(jsonb_build_object('id', 100 + i, 'name', repeat('n', 50) || i, 'qty', i,
  'updated_at', '2024-01-01T00:00:00Z')) as rows from generate_series(1, 3000) i;
select is(sync.merge_rows('public.items', (select rows from big)),
  '{"inserted": 3000, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'a toasted batch');

select * from finish();
rollback;
