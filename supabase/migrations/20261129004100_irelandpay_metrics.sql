-- Ireland Pay metrics per merchant and calendar month (UTC), computed in Postgres from the synced
-- irelandpay.transactions and irelandpay.residuals (sql/irelandpay.sql, generated from the
-- connector's description): sales count and volume, average ticket, refunds and chargebacks,
-- net volume, residual totals; amounts in EUR rounded to cents. A materialised view, refreshed when an irelandpay job finishes
-- (trigger on sync.jobs) and on demand; read through irelandpay.merchant_metrics().

create materialized view irelandpay.merchant_month_metrics as
with tx as (
  select t.mid,
    date_trunc('month', t.date at time zone 'UTC')::date as month,
    count(*) filter (where t.type = 'sale') as transaction_count,
    coalesce(sum(t.amount) filter (where t.type = 'sale'), 0) as volume,
    count(*) filter (where t.type = 'refund') as refund_count,
    coalesce(sum(t.amount) filter (where t.type = 'refund'), 0) as refund_amount,
    count(*) filter (where t.type = 'chargeback') as chargeback_count,
    coalesce(sum(t.amount) filter (where t.type = 'chargeback'), 0) as chargeback_amount
  from irelandpay.transactions t
  where t.mid is not null and t.date is not null
  group by 1, 2
), res as (
  select r.mid, date_trunc('month', r.period)::date as month,
    sum(r.sales_amount) as residual_sales_amount, sum(r.income) as residual_income,
    sum(r.expense) as residual_expense, sum(r.net) as residual_net, sum(r.agent_net) as residual_agent_net
  from irelandpay.residuals r
  group by 1, 2
)
select coalesce(tx.mid, res.mid) as mid,
  coalesce(tx.month, res.month) as month,
  coalesce(tx.transaction_count, 0)::integer as transaction_count,
  round(coalesce(tx.volume, 0), 2) as volume,
  round(tx.volume / nullif(tx.transaction_count, 0), 2) as average_ticket,
  coalesce(tx.refund_count, 0)::integer as refund_count,
  round(coalesce(tx.refund_amount, 0), 2) as refund_amount,
  coalesce(tx.chargeback_count, 0)::integer as chargeback_count,
  round(coalesce(tx.chargeback_amount, 0), 2) as chargeback_amount,
  round(coalesce(tx.volume, 0) - coalesce(tx.refund_amount, 0) - coalesce(tx.chargeback_amount, 0), 2) as net_volume,
  res.residual_sales_amount, res.residual_income, res.residual_expense, res.residual_net, res.residual_agent_net
from tx full join res on res.mid = tx.mid and res.month = tx.month;
comment on materialized view irelandpay.merchant_month_metrics is
  'Per merchant and month (UTC): sales, volume, average ticket, refunds, chargebacks, residual totals. Refreshed after every irelandpay sync.';
-- the unique index lets the refresh run concurrently (readers are never blocked)
create unique index merchant_month_metrics_key on irelandpay.merchant_month_metrics (mid, month);

-- recomputes the metrics from the synced tables
create function irelandpay.refresh_metrics() returns void
language plpgsql security definer set search_path = '' as $$
begin
  refresh materialized view concurrently irelandpay.merchant_month_metrics;
end $$;
revoke execute on function irelandpay.refresh_metrics() from public, anon, authenticated;
grant execute on function irelandpay.refresh_metrics() to service_role;

-- metrics of one merchant (or all) from month p_from to month p_to (inclusive), in order
create function irelandpay.merchant_metrics(p_mid text default null, p_from date default null, p_to date default null)
returns setof irelandpay.merchant_month_metrics
language sql stable security invoker set search_path = '' as $$
  select m.* from irelandpay.merchant_month_metrics m
  where (p_mid is null or m.mid = p_mid)
    and (p_from is null or m.month >= date_trunc('month', p_from)::date)
    and (p_to is null or m.month <= date_trunc('month', p_to)::date)
  order by m.mid, m.month;
$$;
revoke execute on function irelandpay.merchant_metrics(text, date, date) from public, anon, authenticated;
grant execute on function irelandpay.merchant_metrics(text, date, date) to service_role;

-- the sync refreshes the metrics: when an irelandpay job (not a dry run) finishes with data
create function irelandpay._refresh_after_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform irelandpay.refresh_metrics();
  return null;
end $$;
revoke execute on function irelandpay._refresh_after_sync() from public, anon, authenticated;

create trigger irelandpay_refresh_metrics
  after update of status on sync.jobs
  for each row
  when (new.connector = 'irelandpay' and new.status in ('succeeded', 'partial')
    and old.status is distinct from new.status and not coalesce((new.options ->> 'dryRun')::boolean, false))
  execute function irelandpay._refresh_after_sync();

revoke all on irelandpay.merchant_month_metrics from public, anon, authenticated;
grant select on irelandpay.merchant_month_metrics to service_role;
