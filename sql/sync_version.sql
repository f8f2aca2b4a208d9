-- The database schema's version: the version (file name prefix) of the newest migration applied.
-- Every migration records its own version here as its last statement, so the schema version moves
-- with the migrations and never by hand. The function and the worker compare it with the one they
-- were built for (functions/_shared/version.ts SCHEMA_VERSION) and refuse another, naming both and
-- `deno task install`; GET /sync/health and `deno task sync --version` report it.
create table sync.schema_versions (
  version text primary key check (version ~ '^[0-9]{14}$'),
  applied_at timestamptz not null default now()
);
alter table sync.schema_versions enable row level security;
revoke all on sync.schema_versions from public, anon, authenticated, service_role;
grant select on sync.schema_versions to service_role;

-- The schema's version: the newest recorded migration (null in a database without one).
create function sync.schema_version() returns text
language sql stable set search_path = '' as $$
  select max(v.version) from sync.schema_versions v
$$;
revoke execute on function sync.schema_version() from public, anon, authenticated;
grant execute on function sync.schema_version() to service_role;

-- The current schema version (a database built from sql/ is at it); each new migration records its own.
insert into sync.schema_versions (version) values ('20261210200000');
