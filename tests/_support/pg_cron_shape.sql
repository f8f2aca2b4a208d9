-- The shape of pg_cron's catalog (cron.job, cron.schedule, cron.unschedule) for `supabase db lint`
-- on a database where pg_cron cannot be created (it lives only in cron.database_name): lint checks
-- our functions' statements against these shapes. Nothing runs here; never used by the stack.
create schema if not exists cron;
create table if not exists cron.job (
  jobid bigserial primary key, schedule text not null, command text not null, nodename text not null default 'localhost',
  nodeport integer not null default 5432, database text not null default current_database(),
  username text not null default current_user, active boolean not null default true, jobname text
);
create or replace function cron.schedule(job_name text, schedule text, command text) returns bigint
language sql as $$ select 0::bigint $$;
create or replace function cron.unschedule(job_id bigint) returns boolean language sql as $$ select true $$;
