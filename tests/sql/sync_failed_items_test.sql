-- Failed records: recorded with backoff, attempts counted, resolved, and they spoil a plain success.
begin;
select plan(11);

create temp table j as select * from sync.create_job('square', array['orders']);
select sync.claim_job('w1');
create temp table f1 as select * from sync.record_failed_item((select id from j), 'orders', 'o-1', '{"id": "o-1"}',
  'validation', 'total: expected number');
select results_eq($$select connector, stream, item_key, attempts, error_class, resolved_at from f1$$,
  $$values ('square', 'orders', 'o-1', 1, 'validation', null::timestamptz)$$, 'a failed record is stored with its job''s connector');
select ok((select next_retry_at between clock_timestamp() + interval '59 seconds' and clock_timestamp() + interval '61 seconds' from f1),
  'the first retry is due in a minute');
create temp table f2 as select * from sync.record_failed_item((select id from j), 'orders', 'o-1', '{"id": "o-1", "v": 2}',
  'validation', 'total: still wrong');
select results_eq($$select id, attempts, error, payload ->> 'v' from f2$$,
  $$values ((select id from f1), 2, 'total: still wrong', '2')$$, 'failing again counts another attempt on the same row');
select ok((select next_retry_at > clock_timestamp() + interval '119 seconds' from f2), 'the backoff doubles');
select is(sync._retry_delay(30), interval '24 hours', 'the backoff is capped at a day');
select throws_ok($$select sync.record_failed_item(-1, 'orders', 'x', null, 'http', 'boom')$$, 'SY404',
  'Job -1 does not exist', 'a failed item needs a job');

-- open failed items turn a success into partial
select is((sync.finish_job((select id from j), 'w1', 'succeeded')).status, 'partial',
  'a job with open failed items cannot succeed plainly');

select is(sync.resolve_failed_items(array[(select id from f1)]), 1, 'resolve marks the item');
select is(sync.resolve_failed_items(array[(select id from f1)]), 0, 'resolving twice changes nothing');
select is((select resolution from sync.failed_items where id = (select id from f1)), 'resolved', 'the item says resolved');
select isnt((sync.record_failed_item((select id from j), 'orders', 'o-1', null, 'merge', 'again')).id, (select id from f1),
  'a resolved item failing again opens a new row');

select * from finish();
rollback;
