-- Issue 29: tickets issued, voided or revived by a full or incremental HighLevel sync are broadcast
-- as sync_ticket_progress on the job's topic too (not stored as steps). sql/highlevel_tickets.sql
-- holds the definition.

-- Tickets issued, voided or revived while a job writes their order are announced live on the
-- job's topic as sync_ticket_progress: a single-record or retry job records them as steps of the
-- job (sync.job_steps, which broadcasts them); a full or incremental sync broadcasts them without
-- storing them (seq null: a sync of 10,000 orders does not log 10,000 steps). The order row carries
-- the job in _last_job_id. Ticket codes stay out.
create or replace function sync._ticket_step() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_job bigint;
  v_mode text;
  v_change text;
  v_detail jsonb;
begin
  select o._last_job_id into v_job from highlevel.orders o where o.id = new.order_id;
  select j.mode into v_mode from sync.jobs j where j.id = v_job and j.status = 'running';
  if v_mode is null then
    return null;
  end if;
  v_change := case when tg_op = 'INSERT' then 'issued' when new.status = 'void' then 'voided' else 'revived' end;
  v_detail := jsonb_build_object('ticket_type', new.ticket_type, 'seq', new.seq, 'status', new.status);
  if v_mode in ('single', 'retry') then
    perform sync.record_job_step(v_job, 'orders', new.order_id, 'ticket', v_change, v_detail);
  elsif v_mode in ('full', 'incremental') then
    perform sync._broadcast(jsonb_build_object('job_id', v_job, 'seq', null, 'stream', 'orders',
      'item_key', new.order_id, 'step', 'ticket', 'status', v_change, 'detail', v_detail, 'at', clock_timestamp()),
      'sync_ticket_progress', 'sync:job:' || v_job);
  end if;
  return null;
end
$$;
revoke execute on function sync._ticket_step() from public, anon, authenticated;

insert into sync.schema_versions (version) values ('20261210100200');
