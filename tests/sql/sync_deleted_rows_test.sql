-- Rows gone at the source: sync.mark_deleted sets _deleted_at (or deletes, per target), fenced by
-- the lease; a merge that brings the row back clears it, an older one does not; access.
begin;
select plan(14);

create table public.gadgets (id text primary key, name text, updated_at timestamptz, local_note text);
select sync.register_target('public.gadgets', array['id'], 'updated_at');
select has_column('public', 'gadgets', '_deleted_at', 'register_target adds _deleted_at');
select sync.merge_rows('public.gadgets', '[
  {"id": "a", "name": "A", "updated_at": "2026-01-01T00:00:00Z"},
  {"id": "b", "name": "B", "updated_at": "2026-01-01T00:00:00Z"},
  {"id": "c", "name": "C", "updated_at": "2026-01-01T00:00:00Z"}]', 1);
update public.gadgets set local_note = 'mine' where id = 'a';

create temporary table t_job as select id from sync.create_job('gadgets', array['gadgets'], 'default', 'reconcile');
select is((select id from sync.claim_job('w1', 60)), (select id from t_job), 'a reconcile job is claimed like any other');

select is(sync.mark_deleted((select id from t_job), 'w1', 'public.gadgets', array['a', 'b', 'nope']), 2,
  'marks the rows it has, counts them');
select is(sync.mark_deleted((select id from t_job), 'w1', 'public.gadgets', array['a']), 0, 'a row already marked is left as it is');
select results_eq($$select id, local_note, _deleted_at is not null, _last_job_id from public.gadgets order by id$$,
  $$values ('a', 'mine', true, (select id from t_job)), ('b', null, true, (select id from t_job)), ('c', null, false, 1::bigint)$$,
  'soft delete: the rows stay, with their local columns, marked by the job');
select is(array(select k from sync.target_keys('public.gadgets') k order by k), array['c'], 'live keys');
select is(array(select k from sync.target_keys('public.gadgets', true) k order by k), array['a', 'b'], 'deleted keys');

select throws_ok($$select sync.mark_deleted((select id from t_job), 'w2', 'public.gadgets', array['c'])$$, 'SY410',
  null, 'a worker without the lease marks nothing');

-- back at the source: the same row (same version, same content) is written again and undeleted;
-- an older version of a deleted row is stale and leaves it deleted
select is(sync.merge_rows('public.gadgets', '[{"id": "a", "name": "A", "updated_at": "2026-01-01T00:00:00Z"}]', 2),
  '{"inserted": 0, "updated": 1, "unchanged": 0, "stale": 0}'::jsonb, 'an unchanged row marked deleted is written');
select is(sync.merge_rows('public.gadgets', '[{"id": "b", "name": "B0", "updated_at": "2025-01-01T00:00:00Z"}]', 2),
  '{"inserted": 0, "updated": 0, "unchanged": 0, "stale": 1}'::jsonb, 'an older row stays stale');
select results_eq($$select id, _deleted_at is not null from public.gadgets order by id$$,
  $$values ('a', false), ('b', true), ('c', false)$$, 'a came back, b did not');

select throws_ok($$select sync.merge_rows('public.gadgets', '[{"id": "c", "_deleted_at": null}]')$$, 'SY422',
  'Cannot merge into "public.gadgets": row 1 sets reserved bookkeeping column "_deleted_at"',
  '_deleted_at is bookkeeping, not data');

select sync.set_delete_mode('public.gadgets', 'hard');
select is(sync.mark_deleted((select id from t_job), 'w1', 'public.gadgets', array['c']), 1, 'hard mode deletes');
select throws_ok($$select sync.set_delete_mode('public.gadgets', 'shred')$$, 'SY422',
  'Cannot set delete mode of "public.gadgets": "shred" is not soft or hard', 'the mode is checked');

select * from finish();
rollback;
