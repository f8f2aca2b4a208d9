-- sync.merge_rows_force: an equal or older row with other content is written (not stale), an
-- identical one is not, local-only columns survive, errors are merge_rows's.
begin;
select plan(9);

create table public.force_t (id text primary key, name text, local_note text, updated_at timestamptz);
select sync.register_target('public.force_t', array['id'], 'updated_at');
select sync.merge_rows('public.force_t', '[{"id": "a", "name": "new", "updated_at": "2026-02-01T00:00:00Z"},
  {"id": "b", "name": "same", "updated_at": "2026-02-01T00:00:00Z"}]'::jsonb);
update public.force_t set local_note = 'mine';

select is(sync.merge_rows('public.force_t', '[{"id": "a", "name": "old", "updated_at": "2026-01-01T00:00:00Z"}]'::jsonb),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb, 'merge_rows: an older row is stale');
select is(sync.merge_rows_force('public.force_t', '[{"id": "a", "name": "old", "updated_at": "2026-01-01T00:00:00Z"},
    {"id": "b", "name": "same", "updated_at": "2026-02-01T00:00:00Z"},
    {"id": "c", "name": "fresh", "updated_at": "2026-03-01T00:00:00Z"}]'::jsonb),
  '{"inserted": 1, "updated": 1, "unchanged": 1, "stale": 0}'::jsonb,
  'forced: the older row is written, the identical one unchanged, the new one inserted');
select is((select name from public.force_t where id = 'a'), 'old', 'the older content is stored');
select is((select _source_updated_at from public.force_t where id = 'a'), '2026-01-01T00:00:00Z'::timestamptz,
  'its version becomes the forced row''s');
select is((select _source_updated_at from public.force_t where id = 'b'), '2026-02-01T00:00:00Z'::timestamptz,
  'an unchanged row keeps its version');
select is((select array_agg(local_note order by id) from public.force_t where id in ('a', 'b')), array['mine', 'mine'],
  'local-only columns survive');
select is(sync.merge_rows_force('public.force_t', '[{"id": "a", "name": "old", "updated_at": "2026-01-01T00:00:00Z"}]'::jsonb),
  '{"inserted": 0, "updated": 0, "unchanged": 1, "stale": 0}'::jsonb, 'forcing again changes nothing (idempotent)');
select throws_ok($$select sync.merge_rows_force('public.nope', '[]'::jsonb)$$, 'SY404',
  'Cannot merge into "public.nope": not a registered target (see sync.targets)', 'unknown target: merge_rows''s error');
select throws_ok($$select sync.merge_rows_force('public.force_t', '[{"id": "a", "emial": 1}]'::jsonb)$$, 'SY422',
  'Cannot merge into "public.force_t": row 1 has unknown column "emial"', 'unknown column: merge_rows''s error');

select * from finish();
rollback;
