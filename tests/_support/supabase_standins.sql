-- Test stand-ins for two pieces of hosted Supabase that Debian's PostgreSQL does not have:
-- Vault (supabase_vault: vault.secrets, vault.decrypted_secrets, vault.create_secret,
-- vault.update_secret, with Supabase's documented signatures; stored in clear here) and pg_net
-- (net.http_post with pg_net's signature; it records the request instead of sending it).
-- Used only by tests (installer, worker wake-up, lint); never by the local stack or migrations.
create schema if not exists vault;
create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text unique,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create or replace view vault.decrypted_secrets as
  select id, name, description, secret, secret as decrypted_secret, key_id, nonce, created_at, updated_at
  from vault.secrets;
create or replace function vault.create_secret(new_secret text, new_name text default null,
  new_description text default '', new_key_id uuid default null) returns uuid
language sql as $$
  insert into vault.secrets (secret, name, description, key_id) values (new_secret, new_name, new_description, new_key_id)
  returning id
$$;
create or replace function vault.update_secret(secret_id uuid, new_secret text default null, new_name text default null,
  new_description text default null, new_key_id uuid default null) returns void
language sql as $$
  update vault.secrets set secret = coalesce(new_secret, secret), name = coalesce(new_name, name),
    description = coalesce(new_description, description), key_id = coalesce(new_key_id, key_id), updated_at = now()
  where id = secret_id
$$;

create schema if not exists net;
create table if not exists net.requests_sent (
  id bigserial primary key,
  url text not null,
  body jsonb,
  headers jsonb,
  timeout_milliseconds integer,
  sent_at timestamptz not null default now()
);
create or replace function net.http_post(url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds integer default 5000)
returns bigint language sql as $$
  insert into net.requests_sent (url, body, headers, timeout_milliseconds) values (url, body, headers, timeout_milliseconds)
  returning id
$$;
