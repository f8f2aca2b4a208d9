-- The sync schema: its tables, columns, keys and indexes, and RLS on every table.
begin;
select plan(53);

select has_schema('sync');
-- other concerns add tables, columns and indexes to sync; this file pins the foundation's
select has_table('sync', t, 'sync.' || t || ' exists') from unnest(array['targets', 'jobs', 'progress', 'checkpoints', 'failed_items', 'webhook_inbox']) t;

select columns_are('sync', 'targets', array['target', 'key_columns', 'version_column', 'created_at',
  -- soft or hard delete of rows gone at the source (sql/sync_completeness.sql)
  'delete_mode']);
select columns_are('sync', 'jobs', array['id', 'connector', 'account', 'streams', 'mode', 'options', 'trigger', 'status',
  'attempts', 'lease_owner', 'lease_expires_at', 'heartbeat_at', 'cancel_requested', 'error', 'stats', 'requested_by',
  'created_at', 'started_at', 'finished_at', 'updated_at',
  -- a job deferred while its source asks to wait (sql/sync_job_waits.sql)
  'run_after', 'waiting_since']);
select columns_are('sync', 'progress', array['job_id', 'phase', 'status', 'done', 'total', 'percent', 'rate',
  'eta_seconds', 'message', 'inserted', 'updated', 'unchanged', 'stale', 'failed', 'sanitised', 'started_at', 'updated_at',
  -- the completeness of a full read (sql/sync_completeness.sql)
  'completeness']);
select columns_are('sync', 'checkpoints', array['connector', 'account', 'stream', 'cursor', 'high_water_mark', 'state',
  'job_id', 'updated_at']);
select columns_are('sync', 'failed_items', array['id', 'job_id', 'connector', 'account', 'stream', 'item_key', 'payload',
  'error_class', 'error', 'attempts', 'next_retry_at', 'last_attempt_at', 'resolved_at', 'resolution', 'created_at',
  -- automatic retries (sql/sync_retries.sql)
  'retries', 'last_retry_at', 'permanent', 'gave_up_at']);
select has_column('sync', 'webhook_inbox', c, 'webhook_inbox.' || c || ' exists') from unnest(array['id', 'provider', 'event_id', 'event_type', 'account', 'payload',
  'status', 'attempts', 'error', 'job_id', 'received_at', 'processed_at']) c;

select col_type_is('sync', 'jobs', 'id', 'bigint', 'jobs.id is bigint');
select col_type_is('sync', 'jobs', 'streams', 'text[]', 'jobs.streams is text[]');
select col_type_is('sync', 'jobs', 'lease_expires_at', 'timestamp with time zone', 'leases are timestamptz');
select col_default_is('sync', 'jobs', 'status', 'queued'::text, 'a new job is queued');

select col_is_pk('sync', 'targets', 'target', 'targets are keyed by name');
select col_is_pk('sync', 'progress', array['job_id', 'phase']::name[], 'progress is keyed by job and phase');
select col_is_pk('sync', 'checkpoints', array['connector', 'account', 'stream']::name[], 'one checkpoint per stream');
select col_is_unique('sync', 'webhook_inbox', array['provider', 'event_id']::name[], 'a redelivered event collapses');
select fk_ok('sync', 'progress', 'job_id', 'sync', 'jobs', 'id', 'progress belongs to a job');

select has_index('sync', 'jobs', i, 'index ' || i || ' exists') from unnest(array['jobs_pkey', 'jobs_active_idx', 'jobs_claim_idx', 'jobs_history_idx',
  'jobs_created_idx']) i;
select has_index('sync', 'failed_items', i, 'index ' || i || ' exists') from unnest(array['failed_items_pkey', 'failed_items_open_key', 'failed_items_due_idx',
  'failed_items_resolved_idx', 'failed_items_job_idx']) i;
select has_index('sync', 'webhook_inbox', i, 'index ' || i || ' exists') from unnest(array['webhook_inbox_pkey', 'webhook_inbox_provider_event_id_key',
  'webhook_inbox_pending_idx', 'webhook_inbox_processed_idx']) i;
select index_is_unique('sync', 'failed_items', 'failed_items_open_key');

select is(
  (select array_agg(c.relname::text order by c.relname) from pg_class c
   where c.relnamespace = 'sync'::regnamespace and c.relkind = 'r' and not c.relrowsecurity),
  null,
  'RLS is enabled on every table in sync'
);
select is(
  (select count(*)::int from pg_policies where schemaname = 'sync'),
  0,
  'sync has no policies: only roles that bypass RLS see rows'
);
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'), 'service_role bypasses RLS');

select has_trigger('sync', 'progress', 'progress_announce', 'progress changes are announced');
select has_trigger('sync', 'jobs', 'jobs_announce', 'job changes are announced');

select * from finish();
rollback;
