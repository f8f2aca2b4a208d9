-- Syncline seed rows: the default schedules a fresh install starts with (sync_schedules.sql defines
-- the table and the RPCs that change them). Inserted once, never overwritten: a schedule the team
-- edited or removed stays as they left it when this runs again.

-- Defaults our users asked for, seeded disabled: a fresh install has no API credentials yet.
-- Enable with sync.set_schedule_enabled(id, true). Times are UTC (set timezone to read them in a zone).
insert into sync.schedules (name, connector, streams, cron, mode, options, description) values
  ('square-orders-daily', 'square', array['orders'], '0 2 * * *', 'incremental', '{"lookback_hours": 168}',
    'Square orders daily at 02:00 UTC, re-reading the last 7 days'),
  ('square-inventory-daily', 'square', array['inventory_counts'], '0 2 * * *', 'incremental', '{"lookback_hours": 24}',
    'Square inventory daily at 02:00 UTC, re-reading the last 24 hours'),
  ('square-catalog-daily', 'square', array['catalog_items', 'catalog_categories', 'catalog_variations', 'locations'],
    '0 2 * * *', 'full', '{}',
    'Square catalog, categories and locations daily at 02:00 UTC, full'),
  ('highlevel-twice-daily', 'highlevel', array['products', 'prices', 'contacts', 'orders'], '0 11,19 * * *', 'incremental',
    '{"lookback_hours": 24}', 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours')
on conflict (name) do nothing;
-- Ireland Pay twice a day in Irish time (the ops tick fires zoned schedules; see docs/irelandpay.md).
insert into sync.schedules (name, connector, streams, cron, mode, options, description, timezone) values
  ('irelandpay-morning', 'irelandpay', array['merchants', 'transactions', 'residuals'], '0 11 * * *', 'incremental',
    '{"lookback_hours": 24}', 'Ireland Pay at 11:00 Irish time (Europe/Dublin), re-reading the last 24 hours',
    'Europe/Dublin'),
  ('irelandpay-evening', 'irelandpay', array['merchants', 'transactions', 'residuals'], '0 19 * * *', 'incremental',
    '{"lookback_hours": 24}', 'Ireland Pay at 19:00 Irish time (Europe/Dublin), re-reading the last 24 hours',
    'Europe/Dublin')
on conflict (name) do nothing;
