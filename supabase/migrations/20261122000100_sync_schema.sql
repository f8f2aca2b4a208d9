-- Syncline engine: the sync schema, its tables and indexes.
-- Only service_role (the Edge Function and workers) touches these; anon and authenticated
-- get nothing, and RLS is on everywhere so a mistaken grant still exposes no row.

create schema if not exists sync;
revoke all on schema sync from public;
grant usage on schema sync to service_role;

-- Allow-list of tables the merge RPC may write, with their key and source-version columns.
create table sync.targets (
  target text primary key check (target ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  key_columns text[] not null check (cardinality(key_columns) between 1 and 8),
  version_column text,
  created_at timestamptz not null default now()
);
comment on table sync.targets is 'Tables sync.merge_rows may write: "schema.table", its key and source version column.';

create table sync.jobs (
  id bigint generated always as identity primary key,
  connector text not null check (connector ~ '^[a-z][a-z0-9_-]{0,62}$'),
  account text not null default 'default' check (length(account) between 1 and 200),
  streams text[] not null check (cardinality(streams) >= 1),
  mode text not null default 'incremental' check (mode in ('full', 'incremental', 'single', 'retry')),
  options jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
  trigger text not null default 'manual' check (trigger in ('manual', 'api', 'cli', 'schedule', 'webhook', 'retry')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')),
  attempts integer not null default 0,
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  cancel_requested boolean not null default false,
  error text,
  stats jsonb not null default '{}'::jsonb,
  requested_by text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  check ((status in ('succeeded', 'partial', 'failed', 'cancelled')) = (finished_at is not null))
);
comment on table sync.jobs is 'One sync run of some streams of a connector account; queued and running jobs are active.';
create index jobs_active_idx on sync.jobs (connector, account) where status in ('queued', 'running');
create index jobs_claim_idx on sync.jobs (created_at, id) where status in ('queued', 'running');
create index jobs_history_idx on sync.jobs (connector, created_at desc);
create index jobs_created_idx on sync.jobs (created_at);

-- One row per job and phase (a stream): what a progress bar needs, written by the worker.
create table sync.progress (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  phase text not null,
  -- not_run: the job ended (failed) before this phase started
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'skipped', 'cancelled', 'not_run')),
  done bigint not null default 0 check (done >= 0),
  total bigint check (total >= 0),
  percent numeric(5, 2) check (percent between 0 and 100),
  rate numeric(12, 2),
  eta_seconds integer,
  message text,
  inserted bigint not null default 0,
  updated bigint not null default 0,
  unchanged bigint not null default 0,
  stale bigint not null default 0,
  failed bigint not null default 0,
  -- records whose text was made storable (U+0000 removed, lone surrogates replaced; README)
  sanitised bigint not null default 0,
  started_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (job_id, phase)
);
comment on table sync.progress is 'Live progress per job and phase; changes are broadcast (Realtime when present, pg_notify always).';

-- Where each stream stopped: the source cursor and the high-water mark of updated_at.
create table sync.checkpoints (
  connector text not null,
  account text not null default 'default',
  stream text not null,
  cursor text,
  high_water_mark timestamptz,
  state jsonb not null default '{}'::jsonb,
  job_id bigint references sync.jobs (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (connector, account, stream)
);

-- Records that failed permanently; the rest of their page landed. Retried with backoff.
create table sync.failed_items (
  id bigint generated always as identity primary key,
  job_id bigint references sync.jobs (id) on delete set null,
  connector text not null,
  account text not null default 'default',
  stream text not null,
  item_key text not null,
  payload jsonb,
  error_class text not null check (error_class in ('validation', 'http', 'merge', 'transform', 'unknown')),
  error text not null,
  attempts integer not null default 1 check (attempts >= 1),
  next_retry_at timestamptz,
  last_attempt_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolution text check (resolution in ('resolved', 'dismissed')),
  created_at timestamptz not null default now(),
  check ((resolved_at is null) = (resolution is null))
);
create unique index failed_items_open_key on sync.failed_items (connector, account, stream, item_key) where resolved_at is null;
create index failed_items_due_idx on sync.failed_items (next_retry_at) where resolved_at is null;
create index failed_items_resolved_idx on sync.failed_items (resolved_at) where resolved_at is not null;
create index failed_items_job_idx on sync.failed_items (job_id);

-- Webhook deliveries as received; the provider's event id makes a redelivery a no-op.
create table sync.webhook_inbox (
  id bigint generated always as identity primary key,
  provider text not null,
  event_id text not null,
  event_type text not null,
  account text not null default 'default',
  payload jsonb not null,
  status text not null default 'received' check (status in ('received', 'processing', 'processed', 'failed', 'ignored')),
  attempts integer not null default 0,
  error text,
  job_id bigint references sync.jobs (id) on delete set null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  unique (provider, event_id)
);
create index webhook_inbox_pending_idx on sync.webhook_inbox (received_at) where status in ('received', 'processing');
create index webhook_inbox_processed_idx on sync.webhook_inbox (processed_at) where processed_at is not null;

alter table sync.targets enable row level security;
alter table sync.jobs enable row level security;
alter table sync.progress enable row level security;
alter table sync.checkpoints enable row level security;
alter table sync.failed_items enable row level security;
alter table sync.webhook_inbox enable row level security;

revoke all on all tables in schema sync from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema sync to service_role;
grant usage, select on all sequences in schema sync to service_role;
