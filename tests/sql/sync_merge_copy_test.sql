-- The COPY merge path (sync.copy_stage + COPY + sync.merge_copied): merge_rows' rules and counts,
-- and the same table contents as merge_rows for the same rows.
begin;
select plan(25);

create table public.copy_t (
  id text primary key, name text, n numeric, big bigint, doc jsonb, updated_at timestamptz, local_note text
);
-- the JSON path's twin, merged with the same rows by merge_rows
create table public.json_t (like public.copy_t including all);
select sync.register_target('public.copy_t', array['id'], 'updated_at');
select sync.register_target('public.json_t', array['id'], 'updated_at');

-- stages rows (as COPY would) and merges them through the COPY path; the same rows into json_t by merge_rows
create function pg_temp.both(p_rows jsonb, p_cols text[], p_job bigint default null) returns jsonb
language plpgsql as $$
declare
  v_copy jsonb;
  v_json jsonb;
begin
  perform sync.copy_stage('public.copy_t', p_cols);
  execute format('insert into pg_temp._sync_copy select %s from jsonb_populate_recordset(null::public.copy_t, $1)',
    (select string_agg(format('%I', c), ', ') from unnest(p_cols) c)) using p_rows;
  v_copy := sync.merge_copied('public.copy_t', p_cols, p_job);
  v_json := sync.merge_rows('public.json_t', p_rows, p_job);
  if v_copy is distinct from v_json then
    raise exception 'counts differ: copy % json %', v_copy, v_json;
  end if;
  return v_copy;
end $$;
select results_eq(
  $$select name, type from sync.copy_columns('public.copy_t')$$,
  $$values ('id', 'text'), ('name', 'text'), ('n', 'numeric'), ('big', 'bigint'), ('doc', 'jsonb'),
    ('updated_at', 'timestamp with time zone'), ('local_note', 'text')$$,
  'copy_columns lists the target''s own columns with their types, no bookkeeping column'
);
select throws_ok($$select sync.copy_stage('public.nope', array['id'])$$, 'SY404',
  'Cannot merge into "public.nope": not a registered target (see sync.targets)', 'an unknown target is refused');
select throws_ok($$select sync.copy_stage('public.copy_t', array['id', 'colour'])$$, 'SY422',
  'Cannot merge into "public.copy_t": row 1 has unknown column "colour"', 'an unknown column is refused');
select throws_ok($$select sync.copy_stage('public.copy_t', array['name'])$$, 'SY422',
  'Cannot merge into "public.copy_t": row 1 has no key column "id"', 'a page without its key is refused');
select throws_ok($$select sync.copy_stage('public.copy_t', array['id', '_last_job_id'])$$, 'SY422',
  'Cannot merge into "public.copy_t": row 1 sets reserved bookkeeping column "_last_job_id"',
  'a bookkeeping column is refused');

-- inserts and bookkeeping
select is(pg_temp.both('[{"id": "a", "name": "Ann", "n": 1, "doc": {"k": [1, {"x": null}]}, "updated_at": "2024-01-01T00:00:00Z"},
    {"id": "b", "name": "Bob", "n": 2, "doc": null, "updated_at": "2024-01-01T00:00:00Z"}]',
    array['id', 'name', 'n', 'doc', 'updated_at'], 7),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 0}', 'new rows are inserted and counted');
select results_eq($$select _source_updated_at, _last_job_id, _first_synced_at from public.copy_t where id = 'a'$$,
  $$values ('2024-01-01T00:00:00Z'::timestamptz, 7::bigint, now())$$, 'the bookkeeping columns are set');

-- local-only columns survive; only the columns a page carries are written
update public.copy_t set local_note = 'VIP', big = 5 where id = 'a';
update public.json_t set local_note = 'VIP', big = 5 where id = 'a';
select is(pg_temp.both('[{"id": "a", "name": "Ann B", "updated_at": "2024-02-01T00:00:00Z"}]',
    array['id', 'name', 'updated_at'], 8),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}', 'a newer row updates');
select results_eq($$select name, n, big, doc, local_note, _last_job_id from public.copy_t where id = 'a'$$,
  $$values ('Ann B', 1::numeric, 5::bigint, '{"k": [1, {"x": null}]}'::jsonb, 'VIP', 8::bigint)$$,
  'local-only and absent columns are kept; the present ones written');

-- unchanged: nothing written
select is(pg_temp.both('[{"id": "a", "name": "Ann B", "updated_at": "2024-02-01T00:00:00Z"}]',
    array['id', 'name', 'updated_at'], 9),
  '{"inserted": 0, "updated": 0, "unchanged": 1, "stale": 0}', 'an identical row is unchanged');
select is((select _last_job_id from public.copy_t where id = 'a'), 8::bigint, 'an unchanged row is not written');

-- stale: an older version is skipped
select is(pg_temp.both('[{"id": "a", "name": "Old", "updated_at": "2023-01-01T00:00:00Z"},
    {"id": "b", "name": "Bobby", "updated_at": "2024-03-01T00:00:00Z"}]', array['id', 'name', 'updated_at']),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 1}', 'an older row is stale, a newer one updates');
select is((select name from public.copy_t where id = 'a'), 'Ann B', 'a stale row changes nothing');

-- a tie on the version: the greater content wins, whatever the order
select is(pg_temp.both('[{"id": "b", "name": "Bobbz", "updated_at": "2024-03-01T00:00:00Z"}]', array['id', 'name', 'updated_at']),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}', 'on a tie the greater content wins');
select is(pg_temp.both('[{"id": "b", "name": "Bobba", "updated_at": "2024-03-01T00:00:00Z"}]', array['id', 'name', 'updated_at']),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}', 'on a tie the lesser content is stale');

-- undelete: a row deleted at the source that arrives again (same version) is written and undeleted
update public.copy_t set _deleted_at = now() where id = 'b';
update public.json_t set _deleted_at = now() where id = 'b';
select is(pg_temp.both('[{"id": "b", "name": "Bobbz", "updated_at": "2024-03-01T00:00:00Z"}]', array['id', 'name', 'updated_at']),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}', 'a deleted row arriving again is written');
select is((select _deleted_at from public.copy_t where id = 'b'), null, 'and undeleted');

-- the same key twice in one page: the newest wins, the other counts as stale
select is(pg_temp.both('[{"id": "c", "name": "C1", "updated_at": "2024-01-01T00:00:00Z"},
    {"id": "c", "name": "C2", "updated_at": "2024-01-02T00:00:00Z"},
    {"id": "d", "name": "D", "updated_at": "2024-01-01T00:00:00Z"}]', array['id', 'name', 'updated_at']),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 1}', 'a key repeated in a page is merged once');
select is((select name from public.copy_t where id = 'c'), 'C2', 'the newest of a repeated key wins');

-- no version column in the page: the observed time is the version
select is(pg_temp.both('[{"id": "e", "name": "E"}]', array['id', 'name']),
  '{"inserted": 1, "updated": 0, "unchanged": 0, "stale": 0}', 'a page without the version column merges');
select is((select _source_updated_at from public.copy_t where id = 'e'), now(), 'its version is the observed time');

-- a page that breaks the table's rules fails as on the JSON path
select sync.copy_stage('public.copy_t', array['id', 'big']);
insert into pg_temp._sync_copy values (null, 1);
select throws_ok($$select sync.merge_copied('public.copy_t', array['id', 'big'])$$, '23502', null,
  'a null key fails the merge with not_null_violation (the caller isolates the row)');

-- hostile values through a real COPY in text format: escapes, unicode, huge numbers, nested JSON
select sync.copy_stage('public.copy_t', array['id', 'name', 'n', 'big', 'doc', 'updated_at']);
copy pg_temp._sync_copy (id, name, n, big, doc, updated_at) from stdin;
h1	tab\there\nnew\rline \\back\\slash	123456789012345678901234567890.000000001	9223372036854775807	{"a":{"b":[1,2,{"c":"x\\ty\\n\\\\"}]},"e":"😀"}	2024-01-01T00:00:00Z
h2	héllo wörld 日本 😀 \\N	-1e-20	-9223372036854775808	[]	2024-01-01T00:00:00Z
h3		0	0	""	\N
h4	\N	\N	\N	\N	2024-01-01T00:00:00Z
\.
select is(sync.merge_copied('public.copy_t', array['id', 'name', 'n', 'big', 'doc', 'updated_at']),
  '{"inserted": 4, "updated": 0, "unchanged": 0, "stale": 0}', 'COPYed hostile rows are inserted');
select results_eq(
  $$select name, n::text, big, doc from public.copy_t where id like 'h_' order by id$$,
  $$values (E'tab\there\nnew\rline \\back\\slash', '123456789012345678901234567890.000000001', 9223372036854775807::bigint,
      jsonb_build_object('a', jsonb_build_object('b', jsonb_build_array(1, 2, jsonb_build_object('c', E'x\ty\n\\'))), 'e', '😀')),
    (E'héllo wörld 日本 😀 \\N', '-0.00000000000000000001', '-9223372036854775808'::bigint, '[]'::jsonb),
    ('', '0', 0::bigint, '""'::jsonb),
    (null, null, null, null)$$,
  'escaped text, unicode, huge numerics and nested JSON land exactly; an empty string is not null'
);

select set_eq(
  $$select id, name, n, big, doc, updated_at, local_note, _source_updated_at, _last_job_id, _deleted_at
    from public.copy_t where id not like 'h_'$$,
  $$select id, name, n, big, doc, updated_at, local_note, _source_updated_at, _last_job_id, _deleted_at
    from public.json_t$$,
  'the COPY path and merge_rows leave the same table contents');
select * from finish();
rollback;
