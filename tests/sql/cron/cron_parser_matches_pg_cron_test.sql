-- sync._valid_cron (a port of pg_cron's parser) against the real pg_cron of the stack's "postgres"
-- database, case by case. The port follows pg_cron 1.6 (hosted Supabase); cases whose answer
-- changed since 1.4 (Debian's, here) carry both answers: "$", "<n> seconds", steps above the
-- field's maximum. sync.upsert_schedule asks the installed pg_cron too, so it refuses what that
-- version refuses.
begin;
select plan(4);

create temporary table t_cases (expr text, v14 boolean, v16 boolean) on commit drop;
insert into t_cases (expr, v14, v16) values
  ('0 2 * * *', true, true), ('0 2 * * MON-FRI', true, true), ('0 2 * * mon-fri', true, true),
  ('0 2 * JAN-MAR SUN', true, true), ('*/15 * * * *', true, true), ('0 11,19 * * *', true, true),
  ('5-10/2 * * * *', true, true), ('61 2 * * *', false, false), ('0 24 * * *', false, false),
  ('0 0 0 * *', false, false), ('0 0 32 * *', false, false), ('0 0 * 13 *', false, false),
  ('0 0 * 0 *', false, false), ('0 0 * * 7', true, true), ('0 0 * * 8', false, false),
  ('@daily', true, true), ('@hourly', true, true), ('@weekly', true, true), ('@monthly', true, true),
  ('@yearly', true, true), ('@annually', true, true), ('@midnight', true, true), ('@reboot', true, true),
  ('@restart', true, true), ('@DAILY', false, false), ('@every', false, false), ('@daily junk', true, true),
  ('@', false, false), ('30 seconds', false, true), ('1 second', false, true), ('59 seconds', false, true),
  ('60 seconds', false, false), ('0 seconds', false, false), ('5 second ', false, false),
  ('5 seconds ', false, true), ('5seconds', false, true), (' 5 SECONDS', false, true),
  ('-5 seconds', false, false), ('+5 seconds', false, true), ('10 seconds ago', false, false),
  ('10 secondss', false, false), ('10 secs', false, false), ('0 0 $ * *', false, true),
  ('0 0 $* * *', false, false), ('1/20 * * * *', false, false), ('*/100 * * * *', true, false),
  ('*/60 * * * *', true, false), ('*/59 * * * *', true, true), ('*/0 * * * *', false, false),
  ('0 2 1-31/40 * *', true, false), ('5-2 * * * *', true, true), ('5x * * * *', false, false),
  ('0 2 *x * *', true, true), ('0 2 * * *5', true, true), ('0 2 * * * extra words', true, true),
  ('* * * * * *', true, true), ('0 2 * *', false, false), ('0 2 * * ', false, false), ('', false, false),
  ('   ', false, false), ('* * * * *', true, true), (E'\n0 2 * * *', true, true),
  (E'# a comment\n0 2 * * *', true, true), ('# only a comment', false, false), (E'0\t2\t*\t*\t*', true, true),
  ('0 2 * * Sun', true, true), ('0 2 * * sunday', false, false), ('0 2 * * MONDAY', false, false),
  ('0 2 * JANUARY *', false, false), ('0 2 * * 0-7/2', true, true), ('0 2 * * MON-FRI/2', true, true),
  ('0 2 * Jan,Dec *', true, true), ('0-59/30 0-23 1-31 1-12 0-7', true, true), ('00 02 * * *', true, true),
  ('0 2 * * 5-1', true, true), ('0 2 * * fri-mon', true, true), ('1,2,,3 * * * *', false, false),
  ('1, * * * *', false, false), ('0 2 * * 1-', false, false), ('0 2 * * -1', false, false),
  ('0 2 ** * *', true, true), ('0 2 *,5 * *', true, true), ('0 2 * * ?', false, false),
  ('0 0 L * *', false, false), ('0 2 */ * *', false, false), ('0 2 */x * *', false, false),
  -- C's atoi(): 2^32 wraps to 0 and 2^32 + 1 to 1; beyond LONG_MAX it clamps to -1
  ('4294967296 * * * *', true, true), ('4294967297 * * * *', true, true),
  ('99999999999999999999 * * * *', false, false);

-- pg_cron's own answer: cron.schedule in a subtransaction that is always rolled back
create function pg_temp.pg_cron_accepts(p_expr text) returns boolean language plpgsql as $$
begin
  perform cron.schedule('syncline:cron-check-test', p_expr, 'select 1');
  raise exception 'rolled back' using errcode = 'SY000';
exception
  when sqlstate 'SY000' then return true;
  when invalid_parameter_value then return false;
end
$$;

select is((select array_agg(expr order by expr) from t_cases where sync._valid_cron(expr) is distinct from v16),
  null, 'the port answers as pg_cron 1.6 in every case');
select is((select array_agg(expr order by expr) from t_cases
    where pg_temp.pg_cron_accepts(expr) is distinct from
      case when (select extversion from pg_extension where extname = 'pg_cron') < '1.5' then v14 else v16 end),
  null, 'the installed pg_cron answers every case as the table says for its version');
select is((select sync._cron_schedule_error(expr) is null from t_cases where expr = '0 2 * * MON-FRI'), true,
  'saving asks the installed pg_cron, which accepts weekday names');
select is((select count(*)::integer from cron.job where jobname like 'syncline:cron-check%'), 0,
  'checking leaves no cron job behind');

select * from finish();
rollback;
