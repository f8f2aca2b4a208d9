-- Syncline engine: job and progress changes are announced on pg_notify channel "sync_progress"
-- always, and through Supabase Realtime broadcast when the realtime schema exists (on Supabase,
-- and locally through scripts/supabase-baseline.sql), so the same migration runs on plain
-- PostgreSQL too. Events (payloads in docs/realtime.md), all on private topics:
--   sync_status    on "sync:jobs" and "sync:job:<id>"  a job was created or changed status
--   sync_complete  on "sync:jobs" and "sync:job:<id>"  a job finished, with its final counts
--   sync_progress  on "sync:job:<id>"                  one stream's progress row changed
--   sync_ticket_progress on "sync:job:<id>"            one step of a single-record sync (sync.job_steps)

-- The sync_status payload of a job row.
create function sync._job_event(p_job sync.jobs) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('job_id', p_job.id, 'connector', p_job.connector, 'account', p_job.account,
    'streams', to_jsonb(p_job.streams), 'mode', p_job.mode, 'trigger', p_job.trigger, 'status', p_job.status,
    'cancel_requested', p_job.cancel_requested, 'dry_run', coalesce((p_job.options ->> 'dryRun')::boolean, false),
    'error', p_job.error, 'created_at', p_job.created_at, 'started_at', p_job.started_at,
    'finished_at', p_job.finished_at, 'updated_at', p_job.updated_at)
$$;
revoke execute on function sync._job_event(sync.jobs) from public, anon, authenticated;

-- Sends one broadcast when Supabase Realtime is there; nothing otherwise.
create function sync._broadcast(p_payload jsonb, p_event text, p_topic text)
returns void language plpgsql security definer set search_path = '' as $$
begin
  if to_regprocedure('realtime.send(jsonb,text,text,boolean)') is not null then
    execute 'select realtime.send($1, $2, $3, true)' using p_payload, p_event, p_topic;
  end if;
end
$$;
revoke execute on function sync._broadcast(jsonb, text, text) from public, anon, authenticated;

create function sync._announce() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_record jsonb := to_jsonb(new);
  v_job_id bigint := (case when tg_table_name = 'jobs' then v_record ->> 'id' else v_record ->> 'job_id' end)::bigint;
  v_topic text := 'sync:job:' || v_job_id;
  v_event jsonb;
begin
  -- the pg_notify payload keeps its shape (the CLI and local tools read it)
  if tg_table_name <> 'job_steps' then
    perform pg_notify('sync_progress', left(jsonb_build_object('table', tg_table_name, 'op', tg_op,
      'job_id', v_job_id, 'record', v_record)::text, 7900));
  end if;
  if tg_table_name = 'jobs' then
    v_event := sync._job_event(new);
    perform sync._broadcast(v_event, 'sync_status', 'sync:jobs');
    perform sync._broadcast(v_event, 'sync_status', v_topic);
    if new.finished_at is not null and (tg_op = 'INSERT' or old.finished_at is null) then
      v_event := v_event || jsonb_build_object('stats', new.stats,
        'duration_seconds', round(extract(epoch from new.finished_at - coalesce(new.started_at, new.created_at))::numeric, 3));
      perform sync._broadcast(v_event, 'sync_complete', 'sync:jobs');
      perform sync._broadcast(v_event, 'sync_complete', v_topic);
    end if;
  elsif tg_table_name = 'progress' then
    perform sync._broadcast(jsonb_build_object('job_id', v_job_id, 'stream', new.phase) || (v_record - 'phase'),
      'sync_progress', v_topic);
  else
    perform sync._broadcast(v_record, 'sync_ticket_progress', v_topic);
  end if;
  return null;
end
$$;
revoke execute on function sync._announce() from public, anon, authenticated;

create trigger progress_announce after insert or update on sync.progress
  for each row execute function sync._announce();
create trigger jobs_announce after insert or update of status, cancel_requested on sync.jobs
  for each row execute function sync._announce();

-- On Supabase (and locally, see scripts/supabase-baseline.sql), private broadcast channels are
-- authorised by RLS on realtime.messages: Syncline admins (app_metadata.role = 'admin' or
-- syncline_admin = true) may receive the sync:* topics; nobody else may join them.
do $$
begin
  if to_regclass('realtime.messages') is not null and to_regprocedure('realtime.topic()') is not null
    and not exists (select from pg_policies where schemaname = 'realtime' and tablename = 'messages'
      and policyname = 'syncline admins receive sync broadcasts') then
    execute $p$
      create policy "syncline admins receive sync broadcasts" on realtime.messages
      for select to authenticated
      using (
        -- (select ...): evaluated once per statement, not per row (Supabase advisor auth_rls_initplan)
        (select realtime.topic()) like 'sync:%' and extension = 'broadcast'
        and (coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role', '') = 'admin'
          or coalesce(((select auth.jwt()) -> 'app_metadata' ->> 'syncline_admin')::boolean, false))
      )$p$;
  end if;
end
$$;
