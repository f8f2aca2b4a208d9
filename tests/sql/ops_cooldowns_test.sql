-- Cool-down per stream: validation, when the next automatic run may start, the list the console shows.
begin;
select plan(8);

select throws_ok($$select sync.set_stream_cooldown('highlevel', 'contacts', -1)$$, 'SY422',
  'Cannot set cool-down of "highlevel/contacts": seconds must be between 0 and 86400 (got -1)', 'negative seconds are refused');
select throws_ok($$select sync.set_stream_cooldown('Bad Name', 'contacts', 5)$$, 'SY422',
  'Cannot set cool-down: "Bad Name" is not a connector name', 'connector names are checked');
select is((sync.set_stream_cooldown('highlevel', 'contacts', 120)).cooldown_seconds, 120, 'a cool-down is stored');
select is(sync.cooldown_until('highlevel', 'default', array['contacts']), null, 'a stream that never ran is not cooling down');

select null from sync.create_job('highlevel', array['contacts']);
select null from sync.claim_job('w1');
select null from sync.finish_job((select id from sync.jobs where status = 'running'), 'w1', 'succeeded');
select ok(sync.cooldown_until('highlevel', 'default', array['contacts', 'orders'])
  between clock_timestamp() + interval '119 seconds' and clock_timestamp() + interval '120 seconds',
  'after a run the next automatic run waits for the cool-down');
select is(sync.cooldown_until('highlevel', 'default', array['contacts'], now() + interval '121 seconds'), null,
  'after the gap it may start');
select is(sync.cooldown_until('highlevel', 'other-location', array['contacts']), null, 'per connector account');
select results_eq($$select connector, stream, cooldown_seconds, account, cooling_until is not null from sync.list_stream_cooldowns()$$,
  $$values ('highlevel'::text, 'contacts'::text, 120, 'default'::text, true)$$, 'the list shows when the gap ends');

select * from finish();
rollback;
