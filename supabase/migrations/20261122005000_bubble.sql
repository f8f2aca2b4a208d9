-- Bubble: the merge target of the Bubble connector (functions/_shared/connectors/bubble). Bubble
-- apps define their own data types and fields, so every type lands in one table keyed by
-- (type, id): the built-in dates as columns, the whole thing in raw. Only service_role reads or
-- writes; RLS is on so a mistaken grant still exposes no row.

create schema if not exists bubble;
revoke all on schema bubble from public;
grant usage on schema bubble to service_role;

-- type: the Data API type name (lowercase, no spaces); id: Bubble's _id.
create table bubble.records (
  type text not null check (type <> ''),
  id text not null check (id <> ''),
  created_at timestamptz,
  modified_at timestamptz,
  raw jsonb not null,
  primary key (type, id)
);
create index records_type_modified_at_idx on bubble.records (type, modified_at);

select sync.register_target('bubble.records', array['type', 'id'], 'modified_at');

alter table bubble.records enable row level security;

revoke all on all tables in schema bubble from public, anon, authenticated;
grant select, insert, update, delete on all tables in schema bubble to service_role;
