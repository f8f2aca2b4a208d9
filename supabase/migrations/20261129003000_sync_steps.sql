-- Syncline engine: the step log of single-record syncs (a webhook's order, `--order <id>`, a
-- retry): what happened to each record, and to what it brought along (each ticket of a HighLevel
-- order), in order. Every step is broadcast as "sync_ticket_progress" on "sync:job:<id>"
-- (sql/sync_broadcast.sql) and listed by GET /sync/jobs/:id/steps.

create table sync.job_steps (
  job_id bigint not null references sync.jobs (id) on delete cascade,
  seq bigint generated always as identity,
  stream text not null,
  item_key text not null,
  step text not null check (step ~ '^[a-z][a-z_]{0,40}$'),
  status text not null check (status ~ '^[a-z][a-z_]{0,40}$'),
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object'),
  at timestamptz not null default clock_timestamp(),
  primary key (job_id, seq)
);
comment on table sync.job_steps is 'Per-record steps of single-record syncs (fetched, merged, ticket issued/voided ...), broadcast live.';
alter table sync.job_steps enable row level security;
grant select, insert on sync.job_steps to service_role;

create trigger job_steps_announce after insert on sync.job_steps
  for each row execute function sync._announce();

-- Records one step of a record in a single-record job.
create function sync.record_job_step(p_job_id bigint, p_stream text, p_item_key text, p_step text,
  p_status text, p_detail jsonb default '{}'::jsonb)
returns sync.job_steps language plpgsql set search_path = '' as $$
declare
  v_row sync.job_steps;
begin
  insert into sync.job_steps (job_id, stream, item_key, step, status, detail)
  values (p_job_id, p_stream, left(p_item_key, 500), p_step, p_status, coalesce(p_detail, '{}'::jsonb))
  returning * into v_row;
  return v_row;
exception when foreign_key_violation then
  raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
end
$$;
revoke execute on function sync.record_job_step(bigint, text, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function sync.record_job_step(bigint, text, text, text, text, jsonb) to service_role;
