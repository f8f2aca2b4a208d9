-- Accounts (issue 30): the registry sync.accounts, secrets in Vault (sync.account_secrets keeps
-- which are set), its RPCs, and sync.create_job refusing a paused account's jobs. Expand only.

-- Syncline accounts: the registry of the accounts each connector serves (a Square merchant, a HighLevel
-- location, ...), their non-secret settings and their state. Secrets (tokens, API keys, refresh tokens)
-- live only in Supabase Vault (vault.create_secret / vault.update_secret, as sync._install_vault_secret
-- stores the worker secret); sync.account_secrets records which are set and when, never a value.
-- An account that is not registered is served by the environment's settings (<CONNECTOR>_*), as before:
-- the `default` account of each connector needs no row.
-- Error codes: SY404 no such account, SY409 a conflict (exists, has active jobs, not active),
-- SY422 bad input, SY503 Vault is not installed.

create table sync.accounts (
  connector text not null check (connector ~ '^[a-z][a-z0-9_]{0,62}$'),
  account text not null check (account ~ '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$'),
  display_name text check (char_length(display_name) between 1 and 200),
  -- non-secret settings (baseUrl, pageSize, locationIds, ...); secret-named keys are refused
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  state text not null default 'active' check (state in ('active', 'paused', 'needs_reauthorisation')),
  state_reason text check (char_length(state_reason) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (connector, account)
);

-- which secrets an account has in Vault (by Vault id) and when each was last set; no values
create table sync.account_secrets (
  connector text not null,
  account text not null,
  name text not null check (name ~ '^[a-z][A-Za-z0-9]{0,62}$'),
  vault_id uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (connector, account, name),
  foreign key (connector, account) references sync.accounts (connector, account) on delete cascade
);

-- A setting key that names a credential belongs in Vault, not in settings (redact.ts isSecretKey's names).
create function sync._is_secret_name(p_key text) returns boolean
language sql immutable set search_path = '' as $$
  select p_key ~* '(token|secret|password|passwd|apikey|api_key|key$|credential|signature|authorization)'
    and p_key !~* '(header|publickey|publickeys)$'
$$;
revoke execute on function sync._is_secret_name(text) from public, anon, authenticated;
grant execute on function sync._is_secret_name(text) to service_role;

-- Refuses settings that are not an object or carry a secret-named key, naming the key.
create function sync._check_account_settings(p_settings jsonb) returns void
language plpgsql immutable set search_path = '' as $$
declare
  v_key text;
begin
  if p_settings is null then return; end if;
  if jsonb_typeof(p_settings) <> 'object' then
    raise exception 'Account settings must be a JSON object, got %', jsonb_typeof(p_settings) using errcode = 'SY422';
  end if;
  select k into v_key from jsonb_object_keys(p_settings) k where sync._is_secret_name(k) order by k limit 1;
  if v_key is not null then
    raise exception 'Account setting "%" names a secret: set it as a secret (stored in Vault), not a setting', v_key
      using errcode = 'SY422', detail = json_build_object('field', 'settings.' || v_key)::text;
  end if;
end
$$;
revoke execute on function sync._check_account_settings(jsonb) from public, anon, authenticated;
grant execute on function sync._check_account_settings(jsonb) to service_role;

-- The account row, or SY404 naming it.
create function sync._account(p_connector text, p_account text) returns sync.accounts
language plpgsql stable set search_path = '' as $$
declare
  v sync.accounts;
begin
  select * into v from sync.accounts a where a.connector = p_connector and a.account = p_account;
  if not found then
    raise exception 'No account "%" of connector "%"', p_account, p_connector using errcode = 'SY404';
  end if;
  return v;
end
$$;
revoke execute on function sync._account(text, text) from public, anon, authenticated;
grant execute on function sync._account(text, text) to service_role;

-- Registers an account (active); SY409 when it exists.
create function sync.add_account(p_connector text, p_account text, p_display_name text default null,
  p_settings jsonb default '{}'::jsonb)
returns sync.accounts language plpgsql set search_path = '' as $$
declare
  v sync.accounts;
begin
  perform sync._check_account_settings(p_settings);
  insert into sync.accounts (connector, account, display_name, settings)
  values (p_connector, p_account, p_display_name, coalesce(p_settings, '{}'::jsonb))
  on conflict do nothing
  returning * into v;
  if v.connector is null then
    raise exception 'Account "%" of connector "%" already exists', p_account, p_connector
      using errcode = 'SY409', detail = json_build_object('field', 'account')::text;
  end if;
  return v;
end
$$;
revoke execute on function sync.add_account(text, text, text, jsonb) from public, anon, authenticated;
grant execute on function sync.add_account(text, text, text, jsonb) to service_role;

-- Changes the display name (null: unchanged) and merges settings (a key set to null is removed).
create function sync.update_account(p_connector text, p_account text, p_display_name text default null,
  p_settings jsonb default null)
returns sync.accounts language plpgsql set search_path = '' as $$
declare
  v sync.accounts;
begin
  perform sync._account(p_connector, p_account);
  perform sync._check_account_settings(p_settings);
  update sync.accounts a
  set display_name = coalesce(p_display_name, a.display_name),
      settings = case when p_settings is null then a.settings else jsonb_strip_nulls(a.settings || p_settings) end,
      updated_at = now()
  where a.connector = p_connector and a.account = p_account
  returning * into v;
  return v;
end
$$;
revoke execute on function sync.update_account(text, text, text, jsonb) from public, anon, authenticated;
grant execute on function sync.update_account(text, text, text, jsonb) to service_role;

-- Sets an account's state (active, paused, needs_reauthorisation) with an optional reason.
create function sync.set_account_state(p_connector text, p_account text, p_state text, p_reason text default null)
returns sync.accounts language plpgsql set search_path = '' as $$
declare
  v sync.accounts;
begin
  if p_state is null or p_state not in ('active', 'paused', 'needs_reauthorisation') then
    raise exception 'Account state must be active, paused or needs_reauthorisation, got "%"', p_state
      using errcode = 'SY422', detail = json_build_object('field', 'state')::text;
  end if;
  perform sync._account(p_connector, p_account);
  update sync.accounts a
  set state = p_state, state_reason = case when p_state = 'active' then null else p_reason end, updated_at = now()
  where a.connector = p_connector and a.account = p_account
  returning * into v;
  return v;
end
$$;
revoke execute on function sync.set_account_state(text, text, text, text) from public, anon, authenticated;
grant execute on function sync.set_account_state(text, text, text, text) to service_role;

-- Stores one secret of an account in Vault (created, or updated in place); returns when it was set.
-- Definer: Vault's functions belong to its owner; the value goes to Vault and nowhere else.
create function sync.set_account_secret(p_connector text, p_account text, p_name text, p_value text)
returns sync.account_secrets language plpgsql security definer set search_path = '' as $$
declare
  v_row sync.account_secrets;
  v_id uuid;
  v_vault_name text := 'syncline_account:' || p_connector || '/' || p_account || '/' || p_name;
begin
  perform sync._account(p_connector, p_account);
  if p_name is null or p_name !~ '^[a-z][A-Za-z0-9]{0,62}$' then
    raise exception 'Secret name must be camelCase letters and digits (e.g. accessToken), got "%"', p_name
      using errcode = 'SY422', detail = json_build_object('field', 'secrets')::text;
  end if;
  if p_value is null or p_value = '' then
    raise exception 'Secret "%" of account "%" of connector "%" is empty', p_name, p_account, p_connector
      using errcode = 'SY422', detail = json_build_object('field', 'secrets.' || p_name)::text;
  end if;
  if to_regprocedure('vault.create_secret(text,text,text,uuid)') is null then
    raise exception 'Cannot store secret "%" of account "%" of connector "%": Vault (supabase_vault) is not installed here, and account secrets are kept only in Vault',
      p_name, p_account, p_connector using errcode = 'SY503';
  end if;
  select s.vault_id into v_id from sync.account_secrets s
  where s.connector = p_connector and s.account = p_account and s.name = p_name;
  if v_id is null then
    -- a leftover of the same name (a removed account's) is reused
    execute 'select id from vault.secrets where name = $1' into v_id using v_vault_name;
  end if;
  if v_id is null then
    execute 'select vault.create_secret($1, $2, $3)' into v_id
      using p_value, v_vault_name, 'Syncline account secret';
  else
    execute 'select vault.update_secret($1, $2)' using v_id, p_value;
  end if;
  insert into sync.account_secrets (connector, account, name, vault_id)
  values (p_connector, p_account, p_name, v_id)
  on conflict (connector, account, name) do update set vault_id = excluded.vault_id, updated_at = now()
  returning * into v_row;
  update sync.accounts a set updated_at = now() where a.connector = p_connector and a.account = p_account;
  return v_row;
end
$$;
revoke execute on function sync.set_account_secret(text, text, text, text) from public, anon, authenticated;
grant execute on function sync.set_account_secret(text, text, text, text) to service_role;

-- Removes one secret of an account from Vault and the registry; false when it was not set.
create function sync.delete_account_secret(p_connector text, p_account text, p_name text)
returns boolean language plpgsql security definer set search_path = '' as $$
declare
  v_id uuid;
begin
  perform sync._account(p_connector, p_account);
  delete from sync.account_secrets s where s.connector = p_connector and s.account = p_account and s.name = p_name
  returning s.vault_id into v_id;
  if v_id is null then return false; end if;
  if to_regclass('vault.secrets') is not null then
    execute 'delete from vault.secrets where id = $1' using v_id;
  end if;
  update sync.accounts a set updated_at = now() where a.connector = p_connector and a.account = p_account;
  return true;
end
$$;
revoke execute on function sync.delete_account_secret(text, text, text) from public, anon, authenticated;
grant execute on function sync.delete_account_secret(text, text, text) to service_role;

-- Removes an account and its Vault secrets; SY409 while it has a queued or running job.
create function sync.remove_account(p_connector text, p_account text)
returns sync.accounts language plpgsql security definer set search_path = '' as $$
declare
  v sync.accounts;
  v_job bigint;
begin
  v := sync._account(p_connector, p_account);
  select j.id into v_job from sync.jobs j
  where j.connector = p_connector and j.account = p_account and j.status in ('queued', 'running')
  order by j.id limit 1;
  if v_job is not null then
    raise exception 'Cannot remove account "%" of connector "%": job % is still queued or running (cancel it first)',
      p_account, p_connector, v_job using errcode = 'SY409', detail = json_build_object('job_id', v_job)::text;
  end if;
  if to_regclass('vault.secrets') is not null then
    execute 'delete from vault.secrets where id in (select s.vault_id from sync.account_secrets s
      where s.connector = $1 and s.account = $2)' using p_connector, p_account;
  end if;
  delete from sync.accounts a where a.connector = p_connector and a.account = p_account;
  return v;
end
$$;
revoke execute on function sync.remove_account(text, text) from public, anon, authenticated;
grant execute on function sync.remove_account(text, text) to service_role;

-- The accounts (of one connector, or one account) with which secrets are set and when: never a value.
create function sync.list_accounts(p_connector text default null, p_account text default null)
returns table (connector text, account text, display_name text, settings jsonb, state text, state_reason text,
  secrets jsonb, created_at timestamptz, updated_at timestamptz)
language sql stable set search_path = '' as $$
  select a.connector, a.account, a.display_name, a.settings, a.state, a.state_reason,
    coalesce((select jsonb_object_agg(s.name, jsonb_build_object('set', true, 'updated_at', s.updated_at))
      from sync.account_secrets s where s.connector = a.connector and s.account = a.account), '{}'::jsonb),
    a.created_at, a.updated_at
  from sync.accounts a
  where (p_connector is null or a.connector = p_connector) and (p_account is null or a.account = p_account)
  order by a.connector, a.account
$$;
revoke execute on function sync.list_accounts(text, text) from public, anon, authenticated;
grant execute on function sync.list_accounts(text, text) to service_role;

-- What a worker runs an account's job with: its state, settings and decrypted secrets (null: not
-- registered, the environment's settings apply). Only the worker calls this; the values stay in memory.
create function sync.account_config(p_connector text, p_account text)
returns jsonb language plpgsql stable security definer set search_path = '' as $$
declare
  v sync.accounts;
  v_secrets jsonb := '{}'::jsonb;
begin
  select * into v from sync.accounts a where a.connector = p_connector and a.account = p_account;
  if not found then return null; end if;
  if to_regclass('vault.decrypted_secrets') is not null then
    execute 'select coalesce(jsonb_object_agg(s.name, d.decrypted_secret), ''{}''::jsonb)
      from sync.account_secrets s join vault.decrypted_secrets d on d.id = s.vault_id
      where s.connector = $1 and s.account = $2' into v_secrets using p_connector, p_account;
  end if;
  return jsonb_build_object('state', v.state, 'state_reason', v.state_reason, 'settings', v.settings,
    'secrets', v_secrets);
end
$$;
revoke execute on function sync.account_config(text, text) from public, anon, authenticated;
grant execute on function sync.account_config(text, text) to service_role;

-- Access: service_role only, RLS on both tables
alter table sync.accounts enable row level security;
alter table sync.account_secrets enable row level security;
revoke all on sync.accounts, sync.account_secrets from public, anon, authenticated;
grant select, insert, update, delete on sync.accounts to service_role;
grant select on sync.account_secrets to service_role;

-- sync.create_job: a registered account that is not active starts nothing (SY409)
-- Starts a job unless one of its streams already has a queued or running job.
create or replace function sync.create_job(p_connector text, p_streams text[], p_account text default 'default',
  p_mode text default 'incremental', p_options jsonb default '{}'::jsonb, p_trigger text default 'api',
  p_requested_by text default null)
returns sync.jobs language plpgsql set search_path = '' as $$
declare
  v_busy record;
  v_job sync.jobs;
  v_state text;
begin
  if p_streams is null or cardinality(p_streams) = 0 then
    raise exception 'Cannot start sync for "%": no streams given', p_connector using errcode = 'SY422';
  end if;
  -- serialises concurrent starts for one connector account
  perform pg_advisory_xact_lock(hashtextextended('sync.jobs:' || p_connector || '/' || p_account, 0));
  -- a registered account that is paused or needs re-authorisation starts nothing (sync_accounts.sql)
  select a.state into v_state from sync.accounts a where a.connector = p_connector and a.account = p_account;
  if v_state is distinct from 'active' and v_state is not null then
    raise exception 'Cannot start sync for "%": account "%" is %', p_connector, p_account,
      case v_state when 'paused' then 'paused (resume it first)'
        else 'waiting for re-authorisation (its credentials were refused)' end
      using errcode = 'SY409', detail = json_build_object('account', p_account, 'state', v_state)::text;
  end if;
  select j.id, j.status, s.stream into v_busy
  from sync.jobs j, unnest(j.streams) s(stream)
  where j.connector = p_connector and j.account = p_account and j.status in ('queued', 'running')
    and s.stream = any (p_streams)
  order by j.id limit 1;
  if found then
    raise exception 'Cannot start sync for "%": a sync of stream "%" is already % (job %)',
      p_connector, v_busy.stream, v_busy.status, v_busy.id
      using errcode = 'SY409', detail = json_build_object('job_id', v_busy.id, 'stream', v_busy.stream)::text;
  end if;
  insert into sync.jobs (connector, account, streams, mode, options, trigger, requested_by)
  values (p_connector, p_account, p_streams, p_mode, coalesce(p_options, '{}'::jsonb), p_trigger, p_requested_by)
  returning * into v_job;
  insert into sync.progress (job_id, phase) select v_job.id, s from unnest(p_streams) s;
  return v_job;
end
$$;
revoke execute on function sync.create_job(text, text[], text, text, jsonb, text, text) from public, anon, authenticated;
grant execute on function sync.create_job(text, text[], text, text, jsonb, text, text) to service_role;

insert into sync.schema_versions (version) values ('20261210200000');
