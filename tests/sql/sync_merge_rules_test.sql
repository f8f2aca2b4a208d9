-- sync.merge_rows: what is written, what is skipped, and the counts it returns.
begin;
select plan(30);

create table public.contacts (
  id text primary key, name text, email text, phone text, updated_at timestamptz, local_note text
);
select sync.register_target('public.contacts', array['id'], 'updated_at');

-- inserts and bookkeeping
select is(
  sync.merge_rows('public.contacts', '[
    {"id": "a", "name": "Ann", "email": "ann@x.test", "updated_at": "2024-01-01T00:00:00Z"},
    {"id": "b", "name": "Bob", "email": "bob@x.test", "updated_at": "2024-01-01T00:00:00Z"}]', 7),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'merge inserts new rows and counts them'
);
select results_eq(
  $$select _first_synced_at, _last_synced_at, _source_updated_at, _last_job_id from public.contacts where id = 'a'$$,
  $$values (now(), now(), '2024-01-01T00:00:00Z'::timestamptz, 7::bigint)$$,
  'merge sets the bookkeeping columns: synced times, source version, job'
);
select has_column('public', 'contacts', '_first_synced_at', 'register_target added the bookkeeping columns');

-- local-only columns survive; only the columns a row carries are written
update public.contacts set local_note = 'VIP', phone = '555' where id = 'a';
select is(
  sync.merge_rows('public.contacts', '[{"id": "a", "name": "Ann B", "updated_at": "2024-02-01T00:00:00Z"}]', 8),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}'::jsonb,
  'a newer row updates'
);
select results_eq(
  $$select name, email, phone, local_note, _source_updated_at, _last_job_id from public.contacts where id = 'a'$$,
  $$values ('Ann B', 'ann@x.test', '555', 'VIP', '2024-02-01T00:00:00Z'::timestamptz, 8::bigint)$$,
  'merge keeps local-only and omitted columns and writes only the present ones'
);

-- heterogeneous batch: each row writes its own columns
select is(
  sync.merge_rows('public.contacts', '[
    {"id": "a", "phone": "556", "updated_at": "2024-03-01T00:00:00Z"},
    {"id": "b", "email": "bob@y.test", "updated_at": "2024-03-01T00:00:00Z"},
    {"id": "c", "name": "Cy", "updated_at": "2024-03-01T00:00:00Z"}]'),
  '{"inserted": 1, "updated": 2, "unchanged": 0, "stale": 0}'::jsonb,
  'a heterogeneous batch is counted as one'
);
select results_eq(
  $$select id, name, email, phone, local_note from public.contacts order by id$$,
  $$values ('a', 'Ann B', 'ann@x.test', '556', 'VIP'), ('b', 'Bob', 'bob@y.test', null, null),
           ('c', 'Cy', null, null, null)$$,
  'in a heterogeneous batch every row writes only its own columns'
);

-- stale rows are skipped
select is(
  sync.merge_rows('public.contacts', '[{"id": "a", "name": "Old Ann", "updated_at": "2023-12-01T00:00:00Z"},
    {"id": "b", "name": "Bobby", "updated_at": "2024-04-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 1}'::jsonb,
  'a row older than the stored one counts as stale'
);
select is((select name from public.contacts where id = 'a'), 'Ann B', 'a stale row does not overwrite newer data');
select is((select _source_updated_at from public.contacts where id = 'a'), '2024-03-01T00:00:00Z'::timestamptz,
  'a stale row leaves the stored version');

-- equal versions: the greater content wins, whichever arrives first
select sync.merge_rows('public.contacts', '[{"id": "t1", "name": "alpha", "updated_at": "2024-05-01T00:00:00Z"}]');
select is(
  sync.merge_rows('public.contacts', '[{"id": "t1", "name": "zulu", "updated_at": "2024-05-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}'::jsonb,
  'equal version, greater content arriving second wins'
);
select sync.merge_rows('public.contacts', '[{"id": "t2", "name": "zulu", "updated_at": "2024-05-01T00:00:00Z"}]');
select is(
  sync.merge_rows('public.contacts', '[{"id": "t2", "name": "alpha", "updated_at": "2024-05-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb,
  'equal version, lesser content arriving second is stale'
);
select results_eq(
  $$select name from public.contacts where id in ('t1', 't2') order by id$$,
  $$values ('zulu'), ('zulu')$$,
  'equal versions converge on the same row regardless of arrival order'
);

-- identical rows are not written at all
create temp table before_merge as select id, xmin::text as old_xmin, ctid as old_ctid from public.contacts;
savepoint identical; -- a write in here would carry the subtransaction's xid
select is(
  sync.merge_rows('public.contacts', '[{"id": "b", "name": "Bobby", "updated_at": "2024-04-01T00:00:00Z"},
    {"id": "c", "name": "Cy", "updated_at": "2024-03-01T00:00:00Z"}]', 99),
  '{"inserted": 0, "updated": 0, "unchanged": 2, "stale": 0}'::jsonb,
  'identical rows count as unchanged'
);
select is(
  (select count(*)::int from public.contacts c join before_merge b using (id)
   where c.xmin::text = b.old_xmin and c.ctid = b.old_ctid and c.id in ('b', 'c')),
  2,
  'identical rows are not written (xmin and ctid unchanged)'
);
select is((select _last_job_id from public.contacts where id = 'b'), null::bigint, 'an unchanged row keeps its job');
select is(
  sync.merge_rows('public.contacts', '[{"id": "c", "name": "Cy", "updated_at": "2024-06-01T00:00:00Z"}]'),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}'::jsonb,
  'a newer version of the same content is written: the version column is data too'
);
release savepoint identical;

-- duplicate keys in one batch: the newest wins, in either order
select is(
  sync.merge_rows('public.contacts', '[{"id": "d", "name": "old", "updated_at": "2024-01-01T00:00:00Z"},
    {"id": "d", "name": "new", "updated_at": "2024-02-01T00:00:00Z"},
    {"id": "e", "name": "new", "updated_at": "2024-02-01T00:00:00Z"},
    {"id": "e", "name": "old", "updated_at": "2024-01-01T00:00:00Z"}]'),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 2}'::jsonb,
  'duplicate keys in one batch: one insert each, the older copies are stale'
);
select results_eq(
  $$select name, _source_updated_at from public.contacts where id in ('d', 'e') order by id$$,
  $$values ('new', '2024-02-01T00:00:00Z'::timestamptz), ('new', '2024-02-01T00:00:00Z'::timestamptz)$$,
  'duplicate keys in one batch keep the newest whatever their position'
);
select sync.merge_rows('public.contacts', '[{"id": "f", "name": "zulu", "updated_at": "2024-01-01T00:00:00Z"},
  {"id": "f", "name": "alpha", "updated_at": "2024-01-01T00:00:00Z"},
  {"id": "g", "name": "alpha", "updated_at": "2024-01-01T00:00:00Z"},
  {"id": "g", "name": "zulu", "updated_at": "2024-01-01T00:00:00Z"}]');
select results_eq(
  $$select name from public.contacts where id in ('f', 'g') order by id$$,
  $$values ('zulu'), ('zulu')$$,
  'duplicate keys with equal versions follow the tie rule, not their position'
);

-- a missing or null version falls back to the observed time
select is(
  sync.merge_rows('public.contacts', '[{"id": "h", "name": "H"}]', null, '2024-07-01T00:00:00Z'),
  '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'a row without a version is merged'
);
select is((select _source_updated_at from public.contacts where id = 'h'), '2024-07-01T00:00:00Z'::timestamptz,
  'a row without a version is versioned by its observed time');
select is(
  sync.merge_rows('public.contacts', '[{"id": "h", "name": "H0", "updated_at": null}]', null, '2024-06-01T00:00:00Z'),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb,
  'a row observed before the stored version is stale'
);

-- a row with only its key inserts, and never updates
select is(
  sync.merge_rows('public.contacts', '[{"id": "k"}, {"id": "a"}]'),
  '{"inserted": 1, "updated": 0, "unchanged": 1, "stale": 0}'::jsonb,
  'a key-only row inserts when new and changes nothing when present'
);
select is((select name from public.contacts where id = 'a'), 'Ann B', 'a key-only row leaves data columns alone');

-- an empty batch
select is(sync.merge_rows('public.contacts', '[]'), '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb,
  'an empty batch does nothing');

-- a target without a version column: the observed time orders rows
create table public.tags (slug text primary key, label text);
select sync.register_target('public.tags', array['slug']);
select is(sync.merge_rows('public.tags', '[{"slug": "x", "label": "X"}]', null, '2024-01-02T00:00:00Z') ->> 'inserted', '1',
  'a target without a version column merges');
select is(sync.merge_rows('public.tags', '[{"slug": "x", "label": "old"}]', null, '2024-01-01T00:00:00Z') ->> 'stale', '1',
  'without a version column, a row observed earlier is stale');
select is(sync.merge_rows('public.tags', '[{"slug": "x", "label": "Y"}]', null, '2024-01-03T00:00:00Z') ->> 'updated', '1',
  'without a version column, a row observed later updates');

-- composite keys
create table public.line_items (order_id text, line integer, qty integer, primary key (order_id, line));
select sync.register_target('public.line_items', array['order_id', 'line']);
select is(
  sync.merge_rows('public.line_items', '[{"order_id": "o1", "line": 1, "qty": 2}, {"order_id": "o1", "line": 2, "qty": 1},
    {"order_id": "o1", "line": 1, "qty": 3}]') ->> 'inserted',
  '2',
  'composite keys merge, duplicates collapse'
);

select * from finish();
rollback;
