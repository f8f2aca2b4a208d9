-- A job from start to finish: create, claim, heartbeat, merge pages, release, claim again, finish.
begin;
select plan(24);

create table public.orders (id text primary key, total numeric, updated_at timestamptz);
select sync.register_target('public.orders', array['id'], 'updated_at');

create temp table j as select * from sync.create_job('square', array['orders', 'customers'], 'acme', 'full');
select is((select status from j), 'queued', 'a new job is queued');
select results_eq($$select phase, status from sync.progress where job_id = (select id from j) order by phase$$,
  $$values ('customers', 'pending'), ('orders', 'pending')$$, 'a new job has a pending progress row per stream');

-- at most one active job per stream of a connector account
select throws_ok($$select sync.create_job('square', array['payments', 'orders'], 'acme')$$, 'SY409',
  format('Cannot start sync for "square": a sync of stream "orders" is already queued (job %s)', (select id from j)),
  'a second job for a busy stream names the job that holds it');
select lives_ok($$select sync.create_job('square', array['payments'], 'acme')$$, 'another stream of the account may start');
select lives_ok($$select sync.create_job('square', array['orders'], 'other')$$, 'the same stream of another account may start');
select throws_ok($$select sync.create_job('square', array[]::text[])$$, 'SY422',
  'Cannot start sync for "square": no streams given', 'a job needs streams');

-- claim: the oldest claimable job, leased to the worker
create temp table c as select * from sync.claim_job('w1', 60, 'square');
select is((select id from c), (select id from j), 'claim takes the oldest queued job');
select results_eq($$select status, lease_owner, attempts, started_at is not null, lease_expires_at > clock_timestamp() from c$$,
  $$values ('running', 'w1', 1, true, true)$$, 'a claimed job is running, leased, and counts the attempt');
select is((select count(*)::int from sync.claim_job('w9', 60, 'hubspot')), 0, 'claim with no claimable job returns nothing');
select throws_ok(format('select sync.create_job(%L, array[%L], %L)', 'square', 'customers', 'acme'), 'SY409',
  format('Cannot start sync for "square": a sync of stream "customers" is already running (job %s)', (select id from j)),
  'a running job blocks its streams too');

-- heartbeat
select is(sync.heartbeat((select id from j), 'w1', 120), false, 'heartbeat returns false while no cancel is requested');
select ok((select lease_expires_at > clock_timestamp() + interval '100 seconds' from sync.jobs where id = (select id from j)),
  'heartbeat extends the lease');
select throws_ok(format('select sync.heartbeat(%s, %L)', (select id from j), 'w2'), 'SY410',
  format('Worker "w2" no longer holds job %s (status running, lease owner w1)', (select id from j)),
  'another worker cannot heartbeat the job');
select throws_ok($$select sync.heartbeat(-1, 'w1')$$, 'SY404', 'Job -1 does not exist', 'an unknown job is SY404');

-- a page: merge, checkpoint and progress in one call
select is(sync.merge_page((select id from j), 'w1', 'orders', 'public.orders',
    '[{"id": "o1", "total": 5, "updated_at": "2024-01-01T00:00:00Z"}, {"id": "o2", "total": 6, "updated_at": "2024-01-01T00:00:00Z"}]',
    'cursor-1', '2024-01-01T00:00:00Z', 10, 1),
  '{"inserted": 2, "updated": 0, "unchanged": 0, "stale": 0}'::jsonb, 'merge_page returns the merge counts');
select results_eq($$select cursor, high_water_mark, job_id from sync.checkpoints where connector = 'square' and account = 'acme' and stream = 'orders'$$,
  $$values ('cursor-1', '2024-01-01T00:00:00Z'::timestamptz, (select id from j))$$, 'merge_page saves the checkpoint');
select results_eq($$select status, done, total, inserted, failed, percent from sync.progress where job_id = (select id from j) and phase = 'orders'$$,
  $$values ('running', 3::bigint, 10::bigint, 2::bigint, 1::bigint, 30.00::numeric)$$, 'merge_page adds progress, failures included');

-- release: back to the queue, claimable again
select is((sync.release_job((select id from j), 'w1')).status, 'queued', 'release puts the job back in the queue');
select throws_ok(format('select sync.heartbeat(%s, %L)', (select id from j), 'w1'), 'SY410',
  format('Worker "w1" no longer holds job %s (status queued, lease owner none)', (select id from j)),
  'a released job is no longer the worker''s');
select results_eq($$select id, attempts from sync.claim_job('w2', 60, 'square')$$,
  $$values ((select id from j), 2)$$, 'a released job is claimed again, counting another attempt');

-- finish: stats from progress; failures downgrade success to partial
select throws_ok(format('select sync.finish_job(%s, %L, %L)', (select id from j), 'w2', 'done'), 'SY422',
  format('Cannot finish job %s: "done" is not a final status (succeeded, partial, failed, cancelled)', (select id from j)),
  'finish needs a final status');
create temp table f as select * from sync.finish_job((select id from j), 'w2', 'succeeded');
select results_eq($$select status, finished_at is not null, lease_owner, stats ->> 'inserted', stats ->> 'failed' from f$$,
  $$values ('partial', true, null::text, '2', '1')$$, 'a run with failed records finishes partial, not succeeded');
select results_eq($$select phase, status from sync.progress where job_id = (select id from j) order by phase$$,
  $$values ('customers', 'done'), ('orders', 'done')$$, 'finishing closes the progress rows');
select lives_ok($$select sync.create_job('square', array['orders'], 'acme')$$, 'a finished job frees its streams');

select * from finish();
rollback;
