-- Ireland Pay metrics on known data: counts, volume, average ticket (rounded half up),
-- refunds, chargebacks, net volume and residuals per merchant and month; refreshed when an
-- irelandpay job finishes (not by a dry run); service_role only.
begin;
select plan(10);

select sync.merge_rows('irelandpay.transactions', '[
  {"id": "t1", "mid": "M1", "date": "2024-04-01T00:00:00Z", "type": "sale", "amount": "10.00", "raw": {}},
  {"id": "t2", "mid": "M1", "date": "2024-04-15T10:00:00Z", "type": "sale", "amount": "20.01", "raw": {}},
  {"id": "t3", "mid": "M1", "date": "2024-04-30T23:59:59Z", "type": "sale", "amount": "0.04", "raw": {}},
  {"id": "t4", "mid": "M1", "date": "2024-04-20T09:00:00Z", "type": "refund", "amount": "5.50", "raw": {}},
  {"id": "t5", "mid": "M1", "date": "2024-04-21T09:00:00Z", "type": "chargeback", "amount": "20.01", "raw": {}},
  {"id": "t6", "mid": "M1", "date": "2024-05-01T00:00:00Z", "type": "sale", "amount": "123456789012.34", "raw": {}},
  {"id": "t7", "mid": "M2", "date": "2024-05-31T12:00:00Z", "type": "refund", "amount": "1.00", "raw": {}}
]'::jsonb);
select sync.merge_rows('irelandpay.residuals', '[
  {"mid": "M1", "period": "2024-04-01", "income": "0.54", "expense": "0.33", "net": "0.21", "agent_net": "0.08", "sales_amount": "30.05", "raw": {}},
  {"mid": "M3", "period": "2024-04-01", "income": "1.00", "expense": "0.40", "net": "0.60", "agent_net": "0.24", "sales_amount": "55.00", "raw": {}}
]'::jsonb);

select is((select count(*)::int from irelandpay.merchant_metrics()), 0, 'nothing before a refresh');

-- a dry run finishing does not refresh
insert into sync.jobs (connector, streams, status, started_at, options)
  values ('irelandpay', array['transactions'], 'running', now(), '{"dryRun": true}');
update sync.jobs set status = 'succeeded', finished_at = now() where options ->> 'dryRun' = 'true';
select is((select count(*)::int from irelandpay.merchant_metrics()), 0, 'a dry run does not refresh the metrics');

insert into sync.jobs (connector, streams, status, started_at) values ('irelandpay', array['transactions'], 'running', now());
update sync.jobs set status = 'partial', finished_at = now() where status = 'running';

select results_eq(
  $$select mid, month::text, transaction_count, volume::text, average_ticket::text, refund_count, refund_amount::text,
      chargeback_count, chargeback_amount::text, net_volume::text, residual_net::text
    from irelandpay.merchant_metrics()$$,
  $$values
    ('M1', '2024-04-01', 3, '30.05', '10.02', 1, '5.50', 1, '20.01', '4.54', '0.21'),
    ('M1', '2024-05-01', 1, '123456789012.34', '123456789012.34', 0, '0.00', 0, '0.00', '123456789012.34', null),
    ('M2', '2024-05-01', 0, '0.00', null, 1, '1.00', 0, '0.00', '-1.00', null),
    ('M3', '2024-04-01', 0, '0.00', null, 0, '0.00', 0, '0.00', '0.00', '0.60')$$,
  'a finished irelandpay job refreshes exact metrics per merchant and month');

select is((select count(*)::int from irelandpay.merchant_metrics('M1', '2024-05-15', null)), 1, 'filtered by merchant and from-month');
select is((select count(*)::int from irelandpay.merchant_metrics(null, null, '2024-04-30')), 2, 'filtered by to-month');

-- a re-sync of the same rows changes nothing
select is(sync.merge_rows('irelandpay.transactions', '[{"id": "t1", "mid": "M1", "date": "2024-04-01T00:00:00Z", "type": "sale", "amount": "10.00", "raw": {}}]'::jsonb),
  '{"inserted": 0, "updated": 0, "unchanged": 1, "stale": 0}'::jsonb, 're-merging a transaction is unchanged');

select is((select residual_income::text from irelandpay.merchant_month_metrics where mid = 'M3'), '1.00', 'residual income is kept');
select ok(not has_table_privilege('anon', 'irelandpay.merchant_month_metrics', 'select')
  and not has_table_privilege('authenticated', 'irelandpay.merchant_month_metrics', 'select'), 'anon and authenticated cannot read the metrics');
select ok(not has_function_privilege('anon', 'irelandpay.merchant_metrics(text, date, date)', 'execute'), 'anon cannot call merchant_metrics');
select ok(has_function_privilege('service_role', 'irelandpay.refresh_metrics()', 'execute'), 'service_role can refresh');

select * from finish();
rollback;
