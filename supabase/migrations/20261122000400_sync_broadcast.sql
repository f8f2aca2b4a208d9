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

-- On Supabase, private broadcast channels are authorised by RLS on realtime.messages: Syncline
-- admins (app_metadata.role = 'admin' or syncline_admin = true) may receive the sync:* topics.
do $$
begin
  if to_regclass('realtime.messages') is not null and to_regprocedure('realtime.topic()') is not null
    and not exists (select from pg_policies where schemaname = 'realtime' and tablename = 'messages'
      and policyname = 'syncline admins receive sync broadcasts') then
    execute $p$
      create policy "syncline admins receive sync broadcasts" on realtime.messages
      for select to authenticated
      using (
        realtime.topic() like 'sync:%' and extension = 'broadcast'
        and (coalesce(auth.jwt() -> 'app_metadata' ->> 'role', '') = 'admin'
          or coalesce((auth.jwt() -> 'app_metadata' ->> 'syncline_admin')::boolean, false))
      )$p$;
  end if;
end
$$;
