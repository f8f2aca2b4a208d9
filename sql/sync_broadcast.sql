-- Syncline engine: progress and job changes are announced on pg_notify channel "sync_progress"
-- always, and through Supabase Realtime broadcast (topic "sync:job:<id>" and "sync:jobs") when
-- the realtime schema exists, so the same migration runs on plain PostgreSQL and on Supabase.

create function sync._announce() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_record jsonb := to_jsonb(new);
  v_job_id bigint := (case when tg_table_name = 'jobs' then v_record ->> 'id' else v_record ->> 'job_id' end)::bigint;
  v_payload jsonb := jsonb_build_object('table', tg_table_name, 'op', tg_op, 'job_id', v_job_id, 'record', v_record);
begin
  perform pg_notify('sync_progress', left(v_payload::text, 7900));
  if to_regprocedure('realtime.send(jsonb,text,text,boolean)') is not null then
    execute 'select realtime.send($1, $2, $3, true)' using v_payload, tg_table_name, 'sync:job:' || v_job_id;
    if tg_table_name = 'jobs' then
      execute 'select realtime.send($1, $2, $3, true)' using v_payload, 'jobs', 'sync:jobs';
    end if;
  end if;
  return null;
end
$$;
revoke execute on function sync._announce() from public;

create trigger progress_announce after insert or update on sync.progress
  for each row execute function sync._announce();
create trigger jobs_announce after insert or update of status, cancel_requested on sync.jobs
  for each row execute function sync._announce();
