-- Syncline install and uninstall, the database half (scripts/install.ts runs it): extensions,
-- the Vault secrets pg_net needs to wake the worker, and the pg_cron jobs. Every step reports what
-- it did ('created', 'updated', 'unchanged', 'removed', 'skipped' with the reason), so a second
-- run says "unchanged" everywhere. Only the database owner may run these (no grants).
-- Error codes: SY422 bad input.

-- pg_net where the server has it (Supabase: schema extensions); elsewhere nothing to do and
-- sync._wake_worker records why it cannot wake the worker.
do $$
begin
  if exists (select from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end
$$;

-- What the installer keeps between runs (e.g. the hash of the function it deployed last), so a
-- second run can say "unchanged" instead of deploying again.
create table sync.install_state (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
alter table sync.install_state enable row level security;
revoke all on sync.install_state from public, anon, authenticated, service_role;

-- One line of an install or uninstall report.
create type sync.install_step as (step text, outcome text, detail text);

-- Creates an extension when the server offers it; pg_cron only in its cron.database_name.
create function sync._install_extension(p_name text, p_schema text) returns sync.install_step
language plpgsql set search_path = '' as $$
begin
  if exists (select from pg_catalog.pg_extension where extname = p_name) then
    return row('extension ' || p_name, 'unchanged', 'already installed')::sync.install_step;
  end if;
  if not exists (select from pg_catalog.pg_available_extensions where name = p_name) then
    return row('extension ' || p_name, 'skipped', 'this server does not offer ' || p_name
      || case p_name when 'pg_net' then ' (a polling worker, deno task worker, runs queued jobs instead)'
        else '' end)::sync.install_step;
  end if;
  if p_name = 'pg_cron' and pg_catalog.current_database()
      is distinct from pg_catalog.current_setting('cron.database_name', true) then
    return row('extension pg_cron', 'skipped', 'pg_cron lives in database "'
      || coalesce(pg_catalog.current_setting('cron.database_name', true), 'postgres') || '", not "'
      || pg_catalog.current_database() || '"')::sync.install_step;
  end if;
  execute format('create extension if not exists %I with schema %I', p_name, p_schema);
  return row('extension ' || p_name, 'created', 'schema ' || p_schema)::sync.install_step;
end
$$;
revoke execute on function sync._install_extension(text, text) from public, anon, authenticated;

-- Stores one Vault secret by name: created when absent, updated when different.
create function sync._install_vault_secret(p_name text, p_value text) returns sync.install_step
language plpgsql set search_path = '' as $$
declare
  v_id uuid;
  v_old text;
begin
  if to_regclass('vault.decrypted_secrets') is null then
    return row('vault secret ' || p_name, 'skipped',
      'Vault (supabase_vault) is not installed here; pg_net cannot wake the worker without it')::sync.install_step;
  end if;
  execute 'select id, decrypted_secret from vault.decrypted_secrets where name = $1' into v_id, v_old using p_name;
  if v_id is null then
    execute 'select vault.create_secret($1, $2, $3)' using p_value, p_name, 'Syncline (deno task install)';
    return row('vault secret ' || p_name, 'created', null)::sync.install_step;
  elsif v_old is distinct from p_value then
    execute 'select vault.update_secret($1, $2)' using v_id, p_value;
    return row('vault secret ' || p_name, 'updated', null)::sync.install_step;
  end if;
  return row('vault secret ' || p_name, 'unchanged', null)::sync.install_step;
end
$$;
revoke execute on function sync._install_vault_secret(text, text) from public, anon, authenticated;

-- The pg_cron jobs Syncline owns (name, schedule, command); empty without pg_cron.
create function sync._install_cron_jobs() returns table (jobname text, schedule text, command text)
language plpgsql stable set search_path = '' as $$
begin
  if sync._cron_available() then
    return query execute 'select jobname::text, schedule::text, command::text from cron.job
      where jobname like ''syncline:%'' order by jobname';
  end if;
end
$$;
revoke execute on function sync._install_cron_jobs() from public, anon, authenticated;

-- Installs what pg_net and pg_cron need: extensions, the worker URL and secret in Vault, the
-- housekeeping and schedule cron jobs. Safe to run again: unchanged steps say so.
create function sync.install(p_worker_url text, p_worker_secret text) returns setof sync.install_step
language plpgsql set search_path = '' as $$
declare
  v_before jsonb;
  v_after jsonb;
  v_job record;
  v_woken boolean;
begin
  if p_worker_url is null or p_worker_url !~ '^https://[^/\s]+/\S*$'
    and p_worker_url !~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/\S*$' then
    raise exception 'Cannot install: the worker URL "%" must be https:// (or http:// to this machine)',
      coalesce(p_worker_url, '') using errcode = 'SY422';
  end if;
  if p_worker_secret is null or length(p_worker_secret) < 32 then
    raise exception 'Cannot install: the worker secret must have at least 32 characters' using errcode = 'SY422';
  end if;
  return next sync._install_extension('pg_cron', 'pg_catalog');
  return next sync._install_extension('pg_net', 'extensions');
  return next sync._install_vault_secret('syncline_worker_url', p_worker_url);
  return next sync._install_vault_secret('syncline_worker_secret', p_worker_secret);
  if not sync._cron_available() then
    return next row('cron jobs', 'skipped', 'pg_cron is not available in this database; schedules are stored '
      || 'and nothing fires')::sync.install_step;
  else
    select coalesce(jsonb_object_agg(j.jobname, j.schedule || ' ' || j.command), '{}') into v_before
    from sync._install_cron_jobs() j;
    perform sync.install_ops_cron();
    select coalesce(jsonb_object_agg(j.jobname, j.schedule || ' ' || j.command), '{}') into v_after
    from sync._install_cron_jobs() j;
    for v_job in select j.jobname, j.schedule from sync._install_cron_jobs() j loop
      return next row('cron job ' || v_job.jobname,
        case when not v_before ? v_job.jobname then 'created'
          when v_before -> v_job.jobname = v_after -> v_job.jobname then 'unchanged' else 'updated' end,
        v_job.schedule)::sync.install_step;
    end loop;
  end if;
  v_woken := sync._wake_worker('install');
  return next row('worker wake-up', case when v_woken then 'ok' else 'skipped' end,
    (select w.reason from sync.wake_status w where w.id))::sync.install_step;
end
$$;
revoke execute on function sync.install(text, text) from public, anon, authenticated;

-- Removes Syncline's cron jobs and Vault secrets. Data stays: dropping the schemas is a separate,
-- explicit step of the installer (--drop-data).
create function sync.uninstall() returns setof sync.install_step
language plpgsql set search_path = '' as $$
declare
  v_job record;
  v_n integer;
begin
  if sync._cron_available() then
    for v_job in select j.jobname from sync._install_cron_jobs() j loop
      perform sync._cron_drop(v_job.jobname);
      return next row('cron job ' || v_job.jobname, 'removed', null)::sync.install_step;
    end loop;
  else
    return next row('cron jobs', 'skipped', 'pg_cron is not available in this database')::sync.install_step;
  end if;
  if to_regclass('vault.secrets') is null then
    return next row('vault secrets', 'skipped', 'Vault (supabase_vault) is not installed here')::sync.install_step;
  else
    execute 'delete from vault.secrets where name in (''syncline_worker_url'', ''syncline_worker_secret'')';
    get diagnostics v_n = row_count;
    return next row('vault secrets', case when v_n > 0 then 'removed' else 'unchanged' end,
      v_n || ' secret(s)')::sync.install_step;
  end if;
end
$$;
revoke execute on function sync.uninstall() from public, anon, authenticated;

-- The schemas that hold Syncline's tables: sync itself and every target's schema. Only
-- `uninstall --drop-data` uses it.
create function sync.installed_schemas() returns text[]
language sql stable set search_path = '' as $$
  select array['sync'] || coalesce(array_agg(distinct split_part(t.target, '.', 1) order by split_part(t.target, '.', 1))
    filter (where split_part(t.target, '.', 1) <> 'sync'), '{}')
  from sync.targets t
$$;
revoke execute on function sync.installed_schemas() from public, anon, authenticated;
