-- The merge's fast path maps typed rows by the table's live columns: a dropped column, or a
-- column named like a JSON function's output ("value"), must not shift any value.
begin;
select plan(4);

create table public.dc (id text primary key, a text, gone text, b integer, value text, updated_at timestamptz, note text);
alter table public.dc drop column gone;
select sync.register_target('public.dc', array['id'], 'updated_at');

select is(sync.merge_rows('public.dc', '[{"id": "1", "a": "x", "b": 2, "value": "v", "updated_at": "2026-01-01T00:00:00Z"},
  {"id": "2", "a": "y", "b": 3, "value": "w", "updated_at": "2026-01-01T00:00:00Z"}]'),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'both rows inserted');
select results_eq($$select id, a, b, value from public.dc order by id$$,
  $$values ('1', 'x', 2, 'v'), ('2', 'y', 3, 'w')$$, 'every value lands in its own column despite the dropped one');

update public.dc set note = 'kept';
select is(sync.merge_rows('public.dc', '[{"id": "1", "a": "x2", "b": 2, "value": "v", "updated_at": "2026-01-02T00:00:00Z"},
  {"id": "2", "a": "y2", "updated_at": "2026-01-02T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 2, "unchanged": 0, "stale": 0}'::jsonb, 'a batch with different column sets still merges');
select results_eq($$select id, a, b, value, note from public.dc order by id$$,
  $$values ('1', 'x2', 2, 'v', 'kept'), ('2', 'y2', 3, 'w', 'kept')$$,
  'columns a row omits keep their values, and so does the local-only column');

select * from finish();
rollback;
