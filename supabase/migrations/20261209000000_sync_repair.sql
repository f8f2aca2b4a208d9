-- Repair: takes a database migrated at any earlier release of Syncline (46 states of
-- supabase/migrations, 98b457958fdb to 8cc563334b96) to the schema of a fresh install, keeping
-- the data. Written by scripts/upgrade/repair.ts; released history now: never edit or regenerate it.
-- Safe to run on a fresh install (it changes nothing there) and to run twice.
set check_function_bodies = off;

-- 1. drops: views a fresh install has not or defines otherwise, in an order their dependencies allow
do $r$
declare
  wanted record;
  names text[] := '{}';
  n text;
  f text;
  left_over text[];
begin
  for wanted in select * from (values
    ('highlevel.ticket_products', ' SELECT COALESCE(t.product_id, p.id) AS product_id,
    p.name,
    p.available_in_store,
    t.ticket_type AS override_ticket_type,
    t.active AS override_active,
    COALESCE(t.ticket_type, COALESCE(t.product_id, p.id)) AS ticket_type,
    COALESCE(t.active, p.available_in_store, true) AS issues_tickets,
        CASE
            WHEN (t.product_id IS NOT NULL) THEN ''override''::text
            ELSE ''highlevel''::text
        END AS decided_by
   FROM (highlevel.products p
     FULL JOIN highlevel.ticket_types t ON ((t.product_id = p.id)));', '{security_invoker=true}'),
    ('irelandpay.merchant_month_metrics', ' WITH tx AS (
         SELECT t.mid,
            (date_trunc(''month''::text, (t.date AT TIME ZONE ''UTC''::text)))::date AS month,
            count(*) FILTER (WHERE (t.type = ''sale''::text)) AS transaction_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''sale''::text)), (0)::numeric) AS volume,
            count(*) FILTER (WHERE (t.type = ''refund''::text)) AS refund_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''refund''::text)), (0)::numeric) AS refund_amount,
            count(*) FILTER (WHERE (t.type = ''chargeback''::text)) AS chargeback_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''chargeback''::text)), (0)::numeric) AS chargeback_amount
           FROM irelandpay.transactions t
          WHERE ((t.mid IS NOT NULL) AND (t.date IS NOT NULL))
          GROUP BY t.mid, ((date_trunc(''month''::text, (t.date AT TIME ZONE ''UTC''::text)))::date)
        ), res AS (
         SELECT r.mid,
            (date_trunc(''month''::text, (r.period)::timestamp with time zone))::date AS month,
            sum(r.sales_amount) AS residual_sales_amount,
            sum(r.income) AS residual_income,
            sum(r.expense) AS residual_expense,
            sum(r.net) AS residual_net,
            sum(r.agent_net) AS residual_agent_net
           FROM irelandpay.residuals r
          GROUP BY r.mid, ((date_trunc(''month''::text, (r.period)::timestamp with time zone))::date)
        )
 SELECT COALESCE(tx.mid, res.mid) AS mid,
    COALESCE(tx.month, res.month) AS month,
    (COALESCE(tx.transaction_count, (0)::bigint))::integer AS transaction_count,
    round(COALESCE(tx.volume, (0)::numeric), 2) AS volume,
    round((tx.volume / (NULLIF(tx.transaction_count, 0))::numeric), 2) AS average_ticket,
    (COALESCE(tx.refund_count, (0)::bigint))::integer AS refund_count,
    round(COALESCE(tx.refund_amount, (0)::numeric), 2) AS refund_amount,
    (COALESCE(tx.chargeback_count, (0)::bigint))::integer AS chargeback_count,
    round(COALESCE(tx.chargeback_amount, (0)::numeric), 2) AS chargeback_amount,
    round(((COALESCE(tx.volume, (0)::numeric) - COALESCE(tx.refund_amount, (0)::numeric)) - COALESCE(tx.chargeback_amount, (0)::numeric)), 2) AS net_volume,
    res.residual_sales_amount,
    res.residual_income,
    res.residual_expense,
    res.residual_net,
    res.residual_agent_net
   FROM (tx
     FULL JOIN res ON (((res.mid = tx.mid) AND (res.month = tx.month))));', '{}')
  ) v (name, definition, options) loop
    if to_regclass(wanted.name) is not null and (wanted.definition is null
      or pg_get_viewdef(to_regclass(wanted.name)) <> wanted.definition
      or coalesce((select reloptions from pg_class where oid = to_regclass(wanted.name)), '{}') <> wanted.options::text[])
    then
      names := names || wanted.name;
    end if;
  end loop;
  for round in 1..3 loop
    left_over := '{}';
    foreach n in array names loop
      if to_regclass(n) is not null then
        -- Syncline's functions of the view's row type go with it (all are created again below)
        for f in select p.oid::regprocedure::text from pg_proc p, pg_class c
          where c.oid = to_regclass(n) and (p.prorettype = c.reltype or c.reltype = any (p.proargtypes))
            and p.pronamespace::regnamespace::text = any ('{sync,square,highlevel,bubble,irelandpay,events}'::text[]) loop
          execute format('drop function %s', f);
        end loop;
        begin
          execute format('drop %s %s', case (select relkind from pg_class where oid = to_regclass(n))
            when 'm' then 'materialized view' else 'view' end, n);
        exception when dependent_objects_still_exist then
          left_over := left_over || n;
        end;
      end if;
    end loop;
    exit when cardinality(left_over) = 0;
    names := left_over;
  end loop;
  if cardinality(left_over) > 0 then
    raise exception 'Syncline repair: views % are read by objects that are not Syncline''s; drop those, upgrade, and create them again', left_over;
  end if;
end $r$;

-- triggers and policies of every earlier state (re-created below)
do $r$ begin if to_regclass('highlevel.orders') is not null then execute 'drop trigger if exists "orders_reconcile_insert" on highlevel.orders'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.orders') is not null then execute 'drop trigger if exists "orders_reconcile_update" on highlevel.orders'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.products') is not null then execute 'drop trigger if exists "products_reconcile_insert" on highlevel.products'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.products') is not null then execute 'drop trigger if exists "products_reconcile_update" on highlevel.products'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.ticket_types') is not null then execute 'drop trigger if exists "ticket_types_reconcile_delete" on highlevel.ticket_types'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.ticket_types') is not null then execute 'drop trigger if exists "ticket_types_reconcile_insert" on highlevel.ticket_types'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.ticket_types') is not null then execute 'drop trigger if exists "ticket_types_reconcile_update" on highlevel.ticket_types'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.tickets') is not null then execute 'drop trigger if exists "tickets_job_step" on highlevel.tickets'; end if; end $r$;
do $r$ begin if to_regclass('sync.failed_items') is not null then execute 'drop trigger if exists "failed_items_give_up" on sync.failed_items'; end if; end $r$;
do $r$ begin if to_regclass('sync.job_steps') is not null then execute 'drop trigger if exists "job_steps_announce" on sync.job_steps'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "irelandpay_refresh_metrics" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "jobs_announce" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "jobs_close_shards" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "jobs_ops_finished" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "jobs_stream_runs_insert" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.jobs') is not null then execute 'drop trigger if exists "jobs_stream_runs_update" on sync.jobs'; end if; end $r$;
do $r$ begin if to_regclass('sync.progress') is not null then execute 'drop trigger if exists "progress_announce" on sync.progress'; end if; end $r$;
do $r$ begin if to_regclass('realtime.messages') is not null then execute 'drop policy if exists "syncline admins receive sync broadcasts" on realtime.messages'; end if; end $r$;

-- constraints a fresh install has not, or has with another definition (foreign keys first)
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_mode_check' and pg_get_constraintdef(oid) <> 'CHECK ((mode = ANY (ARRAY[''full''::text, ''incremental''::text, ''single''::text, ''retry''::text, ''promote''::text, ''reconcile''::text])))') then execute 'alter table sync.jobs drop constraint "jobs_mode_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_email_api_url_check' and pg_get_constraintdef(oid) <> 'CHECK (sync._is_delivery_url(email_api_url))') then execute 'alter table sync.notification_settings drop constraint "notification_settings_email_api_url_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_slack_webhook_url_check' and pg_get_constraintdef(oid) <> 'CHECK (sync._is_delivery_url(slack_webhook_url))') then execute 'alter table sync.notification_settings drop constraint "notification_settings_slack_webhook_url_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notifications') and conname = 'notifications_kind_check' and pg_get_constraintdef(oid) <> 'CHECK ((kind = ANY (ARRAY[''job_failed''::text, ''job_partial''::text, ''error_rate''::text, ''slow_run''::text, ''stale_stream''::text, ''retries_exhausted''::text, ''run_report''::text, ''daily_summary''::text])))') then execute 'alter table sync.notifications drop constraint "notifications_kind_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_status_check' and pg_get_constraintdef(oid) <> 'CHECK ((status = ANY (ARRAY[''pending''::text, ''running''::text, ''done''::text, ''failed''::text, ''skipped''::text, ''cancelled''::text, ''not_run''::text])))') then execute 'alter table sync.progress drop constraint "progress_status_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.rate_limits') and conname = 'rate_limits_capacity_check') then execute 'alter table sync.rate_limits drop constraint "rate_limits_capacity_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.rate_limits') and conname = 'rate_limits_refill_per_second_check') then execute 'alter table sync.rate_limits drop constraint "rate_limits_refill_per_second_check"'; end if; end $r$;
do $r$ begin if exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_mode_check' and pg_get_constraintdef(oid) <> 'CHECK ((mode = ANY (ARRAY[''full''::text, ''incremental''::text, ''retry''::text, ''reconcile''::text])))') then execute 'alter table sync.schedules drop constraint "schedules_mode_check"'; end if; end $r$;

-- indexes a fresh install has not, or has with another definition

-- column defaults that differ (set again below, after the functions they may call)
do $r$ begin if exists (select 1 from pg_attribute where attrelid = to_regclass('sync.notification_settings') and attname = 'daily_summary' and not attisdropped and atthasdef) then execute 'alter table sync.notification_settings alter column "daily_summary" drop default'; end if; end $r$;

-- functions a fresh install has not, or has with another result, arguments or kind
drop function if exists sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean);
do $r$ begin if exists (select 1 from pg_proc p where p.pronamespace = to_regnamespace('sync') and p.proname = '_merge_group' and pg_get_function_identity_arguments(p.oid) = 'p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean' and (coalesce(pg_get_function_result(p.oid), '') <> 'sync.merge_group_counts' or pg_get_function_arguments(p.oid) <> 'p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean DEFAULT false' or p.prokind <> 'f')) then execute 'drop function sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean)'; end if; end $r$;
drop function if exists sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_others text[]);
drop function if exists sync.claim_notifications(p_limit integer, p_lease_seconds integer);
drop procedure if exists sync.cleanup_old_sync_data_batched(IN p_days_to_keep integer, IN p_batch_size integer);
drop function if exists sync.commit_page(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_save_checkpoint boolean, p_state jsonb, p_lease_seconds integer);
drop function if exists sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer, p_ids bigint[]);
do $r$ begin if exists (select 1 from pg_proc p where p.pronamespace = to_regnamespace('sync') and p.proname = 'list_schedules' and pg_get_function_identity_arguments(p.oid) = '' and (coalesce(pg_get_function_result(p.oid), '') <> 'TABLE(id bigint, name text, connector text, account text, streams text[], cron text, mode text, options jsonb, enabled boolean, description text, last_run_at timestamp with time zone, last_outcome text, last_job_id bigint, cron_job_id bigint, cron_active boolean, timezone text, next_run_at timestamp with time zone, fired_by text)' or pg_get_function_arguments(p.oid) <> '' or p.prokind <> 'f')) then execute 'drop function sync.list_schedules()'; end if; end $r$;
drop function if exists sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[]);
drop function if exists sync.mark_notification_sent(p_id bigint, p_channels text[]);
drop function if exists sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_save_checkpoint boolean);
drop function if exists sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_save_checkpoint boolean, p_state jsonb);
drop function if exists sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_save_checkpoint boolean, p_state jsonb, p_lease_seconds integer);
drop function if exists sync.ops_tick();
drop function if exists sync.rate_take(p_source text, p_capacity double precision, p_refill_per_second double precision);
drop function if exists sync.rate_take(p_source text, p_capacity double precision, p_refill_per_second double precision, p_now timestamp with time zone);
drop function if exists sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text, p_mode text, p_options jsonb, p_enabled boolean, p_account text, p_description text);

-- columns and tables of earlier states that a fresh install has not
alter table if exists sync.rate_limits drop column if exists "capacity";
alter table if exists sync.rate_limits drop column if exists "refill_per_second";
alter table if exists sync.rate_limits drop column if exists "refilled_at";
alter table if exists sync.rate_limits drop column if exists "tokens";

-- 2. creates: schemas, extensions, types, sequences
create schema if not exists "bubble";
create schema if not exists "events";
create schema if not exists "highlevel";
create schema if not exists "irelandpay";
create schema if not exists "square";
create schema if not exists "sync";
create extension if not exists "pgcrypto" with schema extensions;
do $r$ begin if to_regtype('sync.install_step') is null then execute 'create type sync.install_step as (step text, outcome text, detail text)'; end if; end $r$;
do $r$ begin if to_regtype('sync.merge_group_counts') is null then execute 'create type sync.merge_group_counts as (inserted integer, updated integer, maybe_stale boolean)'; end if; end $r$;

-- tables, then every column (a column an earlier state lacks is added)
create table if not exists sync.targets (
  "target" text not null,
  "key_columns" text[] not null,
  "version_column" text,
  "created_at" timestamp with time zone default now() not null,
  "delete_mode" text default 'soft'::text not null
);
create table if not exists sync.jobs (
  "id" bigint generated always as identity,
  "connector" text not null,
  "account" text default 'default'::text not null,
  "streams" text[] not null,
  "mode" text default 'incremental'::text not null,
  "options" jsonb default '{}'::jsonb not null,
  "trigger" text default 'manual'::text not null,
  "status" text default 'queued'::text not null,
  "attempts" integer default 0 not null,
  "lease_owner" text,
  "lease_expires_at" timestamp with time zone,
  "heartbeat_at" timestamp with time zone,
  "cancel_requested" boolean default false not null,
  "error" text,
  "stats" jsonb default '{}'::jsonb not null,
  "requested_by" text,
  "created_at" timestamp with time zone default now() not null,
  "started_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  "updated_at" timestamp with time zone default now() not null,
  "run_after" timestamp with time zone,
  "waiting_since" timestamp with time zone
);
create table if not exists sync.progress (
  "job_id" bigint not null,
  "phase" text not null,
  "status" text default 'pending'::text not null,
  "done" bigint default 0 not null,
  "total" bigint,
  "percent" numeric(5,2),
  "rate" numeric(12,2),
  "eta_seconds" integer,
  "message" text,
  "inserted" bigint default 0 not null,
  "updated" bigint default 0 not null,
  "unchanged" bigint default 0 not null,
  "stale" bigint default 0 not null,
  "failed" bigint default 0 not null,
  "sanitised" bigint default 0 not null,
  "started_at" timestamp with time zone,
  "updated_at" timestamp with time zone default now() not null,
  "completeness" jsonb
);
create table if not exists sync.checkpoints (
  "connector" text not null,
  "account" text default 'default'::text not null,
  "stream" text not null,
  "cursor" text,
  "high_water_mark" timestamp with time zone,
  "state" jsonb default '{}'::jsonb not null,
  "job_id" bigint,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.failed_items (
  "id" bigint generated always as identity,
  "job_id" bigint,
  "connector" text not null,
  "account" text default 'default'::text not null,
  "stream" text not null,
  "item_key" text not null,
  "payload" jsonb,
  "error_class" text not null,
  "error" text not null,
  "attempts" integer default 1 not null,
  "next_retry_at" timestamp with time zone,
  "last_attempt_at" timestamp with time zone default now() not null,
  "resolved_at" timestamp with time zone,
  "resolution" text,
  "created_at" timestamp with time zone default now() not null,
  "retries" integer default 0 not null,
  "last_retry_at" timestamp with time zone,
  "permanent" boolean default false not null,
  "gave_up_at" timestamp with time zone
);
create table if not exists sync.webhook_inbox (
  "id" bigint generated always as identity,
  "provider" text not null,
  "event_id" text not null,
  "event_type" text not null,
  "account" text default 'default'::text not null,
  "payload" jsonb not null,
  "status" text default 'received'::text not null,
  "attempts" integer default 0 not null,
  "error" text,
  "job_id" bigint,
  "received_at" timestamp with time zone default now() not null,
  "processed_at" timestamp with time zone,
  "claimed_until" timestamp with time zone
);
create table if not exists square.locations (
  "id" text not null,
  "name" text,
  "business_name" text,
  "status" text,
  "type" text,
  "country" text,
  "currency" text,
  "timezone" text,
  "merchant_id" text,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists square.customers (
  "id" text not null,
  "given_name" text,
  "family_name" text,
  "company_name" text,
  "email_address" text,
  "phone_number" text,
  "reference_id" text,
  "creation_source" text,
  "version" bigint,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists square.catalog_categories (
  "id" text not null,
  "name" text,
  "category_type" text,
  "parent_category_id" text,
  "is_deleted" boolean default false not null,
  "version" bigint,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists square.catalog_items (
  "id" text not null,
  "name" text,
  "description" text,
  "category_id" text,
  "product_type" text,
  "present_at_all_locations" boolean,
  "is_deleted" boolean default false not null,
  "version" bigint,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists square.catalog_variations (
  "id" text not null,
  "item_id" text,
  "name" text,
  "sku" text,
  "pricing_type" text,
  "price_amount" bigint,
  "price_currency" text,
  "ordinal" integer,
  "is_deleted" boolean default false not null,
  "version" bigint,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists square.orders (
  "id" text not null,
  "location_id" text not null,
  "customer_id" text,
  "state" text,
  "reference_id" text,
  "source_name" text,
  "version" integer,
  "currency" text,
  "total_amount" bigint,
  "total_tax_amount" bigint,
  "total_discount_amount" bigint,
  "total_tip_amount" bigint,
  "total_service_charge_amount" bigint,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "closed_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone,
  "should_move_to_production" boolean
);
create table if not exists square.payments (
  "id" text not null,
  "location_id" text,
  "order_id" text,
  "customer_id" text,
  "status" text,
  "source_type" text,
  "currency" text,
  "amount" bigint,
  "tip_amount" bigint,
  "total_amount" bigint,
  "refunded_amount" bigint,
  "processing_fee_amount" bigint,
  "receipt_number" text,
  "reference_id" text,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone,
  "should_move_to_production" boolean
);
create table if not exists square.inventory_counts (
  "catalog_object_id" text not null,
  "location_id" text not null,
  "state" text not null,
  "catalog_object_type" text,
  "quantity" numeric,
  "calculated_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists sync.webhook_dedup (
  "provider" text not null,
  "event_id" text not null,
  "first_seen_at" timestamp with time zone default now() not null
);
create table if not exists highlevel.products (
  "id" text not null,
  "location_id" text,
  "name" text,
  "product_type" text,
  "description" text,
  "available_in_store" boolean,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists highlevel.prices (
  "id" text not null,
  "product_id" text not null,
  "location_id" text,
  "name" text,
  "type" text,
  "currency" text,
  "amount" numeric,
  "track_inventory" boolean,
  "available_quantity" numeric,
  "allow_out_of_stock_purchases" boolean,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists highlevel.orders (
  "id" text not null,
  "location_id" text,
  "contact_id" text,
  "contact_name" text,
  "contact_email" text,
  "status" text,
  "payment_status" text,
  "currency" text,
  "amount" numeric(14,2),
  "subtotal" numeric(14,2),
  "live_mode" boolean,
  "source_type" text,
  "source_name" text,
  "items" jsonb default '[]'::jsonb not null,
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists highlevel.contacts (
  "id" text not null,
  "location_id" text,
  "first_name" text,
  "last_name" text,
  "email" text,
  "phone" text,
  "company_name" text,
  "type" text,
  "tags" text[],
  "created_at" timestamp with time zone,
  "updated_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists sync.schedules (
  "id" bigint generated always as identity,
  "name" text not null,
  "connector" text not null,
  "account" text default 'default'::text not null,
  "streams" text[] not null,
  "cron" text not null,
  "mode" text default 'incremental'::text not null,
  "options" jsonb default '{}'::jsonb not null,
  "enabled" boolean default false not null,
  "timezone" text default 'UTC'::text not null,
  "next_run_at" timestamp with time zone,
  "description" text,
  "last_run_at" timestamp with time zone,
  "last_outcome" text,
  "last_job_id" bigint,
  "created_at" timestamp with time zone default now() not null,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.schedule_runs (
  "id" bigint generated always as identity,
  "schedule_id" bigint not null,
  "outcome" text not null,
  "job_id" bigint,
  "reason" text,
  "ran_at" timestamp with time zone default now() not null
);
create table if not exists sync.wake_status (
  "id" boolean default true not null,
  "ok" boolean not null,
  "reason" text not null,
  "changed_at" timestamp with time zone default now() not null
);
create table if not exists sync.stream_status (
  "connector" text not null,
  "account" text default 'default'::text not null,
  "stream" text not null,
  "last_run_at" timestamp with time zone,
  "last_status" text,
  "last_job_id" bigint,
  "last_success_at" timestamp with time zone,
  "last_success_job_id" bigint
);
create table if not exists sync.job_stream_runs (
  "job_id" bigint not null,
  "connector" text not null,
  "account" text not null,
  "stream" text,
  "status" text not null,
  "duration_seconds" numeric not null,
  "records" bigint not null,
  "finished_at" timestamp with time zone not null
);
create table if not exists sync.integrity_checks (
  "name" text not null,
  "child_table" text not null,
  "child_column" text not null,
  "parent_table" text not null,
  "parent_column" text not null,
  "enabled" boolean default true not null,
  "description" text,
  "created_at" timestamp with time zone default now() not null
);
create table if not exists sync.notification_settings (
  "id" boolean default true not null,
  "enabled" boolean default true not null,
  "slack_webhook_url" text,
  "email_provider" text,
  "email_api_url" text,
  "email_from" text,
  "email_to" text[] default '{}'::text[] not null,
  "error_rate_threshold" numeric default 0.5 not null,
  "error_rate_window" interval default '01:00:00'::interval not null,
  "error_rate_min_runs" integer default 3 not null,
  "slow_run_factor" numeric default 3 not null,
  "slow_run_min_runs" integer default 5 not null,
  "slow_run_min_seconds" integer default 60 not null,
  "stale_after" interval default '26:00:00'::interval not null,
  "stale_after_by_stream" jsonb default '{}'::jsonb not null,
  "rate_limit_window" interval default '01:00:00'::interval not null,
  "daily_summary" boolean default true not null,
  "daily_summary_hour" integer default 8 not null,
  "retention_days" integer default 30 not null,
  "max_attempts" integer default 8 not null,
  "run_reports" boolean default false not null,
  "auto_retry" boolean default true not null,
  "retry_batch_size" integer default 200 not null,
  "failed_item_max_attempts" integer default 12 not null,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.notifications (
  "id" bigint generated always as identity,
  "kind" text not null,
  "source" text not null,
  "payload" jsonb default '{}'::jsonb not null,
  "status" text default 'pending'::text not null,
  "attempts" integer default 0 not null,
  "max_attempts" integer default 8 not null,
  "next_attempt_at" timestamp with time zone default now() not null,
  "delivered_channels" text[] default '{}'::text[] not null,
  "last_error" text,
  "suppressed_reason" text,
  "created_at" timestamp with time zone default now() not null,
  "sent_at" timestamp with time zone,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.circuit_breakers (
  "source" text not null,
  "state" text default 'closed'::text not null,
  "failures" integer default 0 not null,
  "opened_at" timestamp with time zone,
  "retry_at" timestamp with time zone,
  "last_error" text,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists bubble.records (
  "type" text not null,
  "id" text not null,
  "created_at" timestamp with time zone,
  "modified_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists sync.job_steps (
  "job_id" bigint not null,
  "seq" bigint generated always as identity,
  "stream" text not null,
  "item_key" text not null,
  "step" text not null,
  "status" text not null,
  "detail" jsonb default '{}'::jsonb not null,
  "at" timestamp with time zone default clock_timestamp() not null
);
create table if not exists irelandpay.merchants (
  "mid" text not null,
  "name" text,
  "dba" text,
  "status" text,
  "active" boolean,
  "group_name" text,
  "processor" text,
  "sic_code" text,
  "opened" date,
  "closed" date,
  "created" timestamp with time zone,
  "modified" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists irelandpay.transactions (
  "id" text not null,
  "mid" text,
  "date" timestamp with time zone,
  "type" text,
  "status" text,
  "amount" numeric,
  "currency" text default 'EUR'::text,
  "card_brand" text,
  "cardholder" text,
  "auth_code" text,
  "pos_entry_mode" text,
  "invoice_number" text,
  "batch_reference" text,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists irelandpay.residuals (
  "mid" text not null,
  "period" date not null,
  "merchant_name" text,
  "transactions" integer,
  "sales_amount" numeric,
  "income" numeric,
  "expense" numeric,
  "net" numeric,
  "bps" numeric,
  "agent_net" numeric,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists sync.promotion_plans (
  "name" text not null,
  "connector" text not null,
  "root_table" text not null,
  "root_key" text not null,
  "root_order" text not null,
  "root_label" text not null,
  "check_fn" text not null,
  "affected_fn" text not null,
  "orphans_fn" text,
  "withdraw_reasons" text[] default '{}'::text[] not null,
  "description" text,
  "created_at" timestamp with time zone default now() not null
);
create table if not exists sync.promotion_steps (
  "plan" text not null,
  "ordinal" integer not null,
  "name" text not null,
  "source_table" text not null,
  "target" text not null,
  "rows_fn" text not null,
  "tie_column" text,
  "label" text not null,
  "retire" jsonb
);
create table if not exists sync.promotion_roots (
  "plan" text not null,
  "root_id" text not null,
  "sort_at" timestamp with time zone,
  "version" text,
  "status" text not null,
  "reason_code" text,
  "reason" text,
  "failed_step" text,
  "error" text,
  "log" jsonb default '[]'::jsonb not null,
  "attempts" integer default 1 not null,
  "job_id" bigint,
  "promoted_at" timestamp with time zone,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.promotion_checkpoints (
  "plan" text not null,
  "job_id" bigint not null,
  "last_sort_at" timestamp with time zone,
  "last_root_id" text,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists events.payments (
  "id" text not null,
  "order_id" text,
  "location_id" text,
  "status" text,
  "currency" text,
  "amount" bigint,
  "total_amount" bigint,
  "refunded_amount" bigint default 0 not null,
  "receipt_number" text,
  "paid_at" timestamp with time zone,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists events.customers (
  "customer_key" text not null,
  "square_customer_id" text,
  "given_name" text,
  "family_name" text,
  "email" text,
  "phone" text,
  "source" text not null,
  "source_at" timestamp with time zone,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists events.registrations (
  "id" text not null,
  "payment_id" text not null,
  "customer_key" text,
  "location_id" text,
  "order_state" text,
  "status" text default 'active'::text not null,
  "currency" text,
  "total_amount" bigint,
  "paid_amount" bigint,
  "refunded_amount" bigint default 0 not null,
  "attendee_count" integer,
  "ticket_count" integer,
  "reference_id" text,
  "registered_at" timestamp with time zone,
  "notes" text,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists events.attendees (
  "id" uuid default gen_random_uuid() not null,
  "registration_id" text not null,
  "payment_id" text not null,
  "attendee_key" text not null,
  "name" text,
  "email" text,
  "phone" text,
  "source" text not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists events.contacts (
  "id" uuid default gen_random_uuid() not null,
  "email" text not null,
  "name" text,
  "phone" text,
  "source_at" timestamp with time zone,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists events.tickets (
  "id" uuid default gen_random_uuid() not null,
  "code" text default upper(substr(replace((gen_random_uuid())::text, '-'::text, ''::text), 1, 16)) not null,
  "registration_id" text not null,
  "payment_id" text not null,
  "line_item_uid" text not null,
  "unit" integer not null,
  "attendee_key" text,
  "ticket_type" text,
  "catalog_object_id" text,
  "price_amount" bigint,
  "currency" text,
  "status" text default 'valid'::text not null,
  "scanned_at" timestamp with time zone,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.agent (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "name" text,
  "email" text,
  "phone" text,
  "agency" text,
  "commission_rate" numeric,
  "active" boolean,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.customer (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "name" text,
  "email" text,
  "phone" text,
  "address" text,
  "city" text,
  "postcode" text,
  "ic_number" text,
  "tags" text[],
  "notes" text,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble."user" (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "authentication" jsonb,
  "user_signed_up" boolean,
  "name" text,
  "role" text,
  "agent" text,
  "customer" text,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.invoice (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "invoice_no" text,
  "status" text,
  "issue_date" timestamp with time zone,
  "due_date" timestamp with time zone,
  "subtotal" numeric,
  "discount" numeric,
  "tax" numeric,
  "total" numeric,
  "amount_paid" numeric,
  "balance" numeric,
  "currency" text,
  "system_size_kw" numeric,
  "panel_count" integer,
  "notes" text,
  "agent" text,
  "customer" text,
  "payments" text[],
  "submitted_payments" text[],
  "items" text[],
  "seda_registration" text,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.payment (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "invoice" text,
  "amount" numeric,
  "method" text,
  "reference" text,
  "paid_at" timestamp with time zone,
  "status" text,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.submitted_payment (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "invoice" text,
  "submitted_by" text,
  "amount" numeric,
  "receipt" text,
  "submitted_at" timestamp with time zone,
  "approved" boolean,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.invoice_item (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "invoice" text,
  "description" text,
  "quantity" numeric,
  "unit_price" numeric,
  "amount" numeric,
  "sort_order" integer,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.seda_registration (
  "id" text not null,
  "created_date" timestamp with time zone,
  "modified_date" timestamp with time zone not null,
  "created_by" text,
  "linked_invoice" text[],
  "linked_customer" text,
  "deposit_payment" text,
  "registration_no" text,
  "status" text,
  "system_size_kw" numeric,
  "submitted_at" timestamp with time zone,
  "approved_at" timestamp with time zone,
  "raw" jsonb not null,
  "_first_synced_at" timestamp with time zone default now() not null,
  "_last_synced_at" timestamp with time zone default now() not null,
  "_source_updated_at" timestamp with time zone,
  "_last_job_id" bigint,
  "_deleted_at" timestamp with time zone
);
create table if not exists bubble.sync_steps (
  "job_id" bigint not null,
  "root_type" text not null,
  "root_id" text not null,
  "seq" integer not null,
  "action" text not null,
  "entity" text,
  "status" text not null,
  "count" integer,
  "detail" text,
  "at" timestamp with time zone default clock_timestamp() not null
);
create table if not exists sync.stream_cooldowns (
  "connector" text not null,
  "stream" text not null,
  "cooldown_seconds" integer not null,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.install_state (
  "key" text not null,
  "value" text not null,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.stream_completeness (
  "connector" text not null,
  "account" text default 'default'::text not null,
  "stream" text not null,
  "job_id" bigint,
  "status" text not null,
  "method" text,
  "source_count" bigint,
  "landed_count" bigint,
  "missing_count" bigint,
  "sample_ids" text[] default '{}'::text[] not null,
  "detail" jsonb default '{}'::jsonb not null,
  "checked_at" timestamp with time zone default now() not null
);
create table if not exists sync.rate_limits (
  "source" text not null,
  "sent" timestamp with time zone[] default '{}'::timestamp with time zone[] not null,
  "taken" bigint default 0 not null,
  "updated_at" timestamp with time zone default clock_timestamp() not null
);
create table if not exists sync.job_http_stats (
  "job_id" bigint not null,
  "source" text not null,
  "requests" bigint default 0 not null,
  "retries" bigint default 0 not null,
  "failures" bigint default 0 not null,
  "rate_limited_ms" bigint default 0 not null,
  "circuit_rejections" bigint default 0 not null,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists highlevel.ticket_types (
  "product_id" text not null,
  "ticket_type" text not null,
  "active" boolean default true not null,
  "created_at" timestamp with time zone default now() not null
);
create table if not exists highlevel.tickets (
  "id" uuid default gen_random_uuid() not null,
  "order_id" text not null,
  "ticket_type" text not null,
  "seq" integer not null,
  "code" text default upper(substr(replace((gen_random_uuid())::text, '-'::text, ''::text), 1, 16)) not null,
  "status" text default 'live'::text not null,
  "scanned_at" timestamp with time zone,
  "created_at" timestamp with time zone default now() not null,
  "voided_at" timestamp with time zone
);
create table if not exists sync.job_shards (
  "job_id" bigint not null,
  "stream" text not null,
  "shard" integer not null,
  "window_start" timestamp with time zone,
  "window_end" timestamp with time zone,
  "status" text default 'pending'::text not null,
  "cursor" text,
  "state" jsonb default '{}'::jsonb not null,
  "lease_owner" text,
  "lease_expires_at" timestamp with time zone,
  "heartbeat_at" timestamp with time zone,
  "attempts" integer default 0 not null,
  "done" bigint default 0 not null,
  "total" bigint,
  "inserted" bigint default 0 not null,
  "updated" bigint default 0 not null,
  "unchanged" bigint default 0 not null,
  "stale" bigint default 0 not null,
  "failed" bigint default 0 not null,
  "error" text,
  "planned_at" timestamp with time zone not null,
  "started_at" timestamp with time zone,
  "finished_at" timestamp with time zone,
  "updated_at" timestamp with time zone default now() not null
);
create table if not exists sync.schema_versions (
  "version" text not null,
  "applied_at" timestamp with time zone default now() not null
);
alter table sync.targets add column if not exists "delete_mode" text default 'soft'::text not null;
alter table sync.jobs add column if not exists "run_after" timestamp with time zone;
alter table sync.jobs add column if not exists "waiting_since" timestamp with time zone;
alter table sync.progress add column if not exists "sanitised" bigint default 0 not null;
alter table sync.progress add column if not exists "completeness" jsonb;
alter table sync.failed_items add column if not exists "retries" integer default 0 not null;
alter table sync.failed_items add column if not exists "last_retry_at" timestamp with time zone;
alter table sync.failed_items add column if not exists "permanent" boolean default false not null;
alter table sync.failed_items add column if not exists "gave_up_at" timestamp with time zone;
alter table sync.webhook_inbox add column if not exists "claimed_until" timestamp with time zone;
alter table square.locations add column if not exists "id" text;
alter table square.locations add column if not exists "name" text;
alter table square.locations add column if not exists "business_name" text;
alter table square.locations add column if not exists "status" text;
alter table square.locations add column if not exists "type" text;
alter table square.locations add column if not exists "country" text;
alter table square.locations add column if not exists "currency" text;
alter table square.locations add column if not exists "timezone" text;
alter table square.locations add column if not exists "merchant_id" text;
alter table square.locations add column if not exists "created_at" timestamp with time zone;
alter table square.locations add column if not exists "updated_at" timestamp with time zone;
alter table square.locations add column if not exists "raw" jsonb;
alter table square.locations add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.locations add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.locations add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.locations add column if not exists "_last_job_id" bigint;
alter table square.locations add column if not exists "_deleted_at" timestamp with time zone;
alter table square.customers add column if not exists "id" text;
alter table square.customers add column if not exists "given_name" text;
alter table square.customers add column if not exists "family_name" text;
alter table square.customers add column if not exists "company_name" text;
alter table square.customers add column if not exists "email_address" text;
alter table square.customers add column if not exists "phone_number" text;
alter table square.customers add column if not exists "reference_id" text;
alter table square.customers add column if not exists "creation_source" text;
alter table square.customers add column if not exists "version" bigint;
alter table square.customers add column if not exists "created_at" timestamp with time zone;
alter table square.customers add column if not exists "updated_at" timestamp with time zone;
alter table square.customers add column if not exists "raw" jsonb;
alter table square.customers add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.customers add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.customers add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.customers add column if not exists "_last_job_id" bigint;
alter table square.customers add column if not exists "_deleted_at" timestamp with time zone;
alter table square.catalog_categories add column if not exists "id" text;
alter table square.catalog_categories add column if not exists "name" text;
alter table square.catalog_categories add column if not exists "category_type" text;
alter table square.catalog_categories add column if not exists "parent_category_id" text;
alter table square.catalog_categories add column if not exists "is_deleted" boolean default false not null;
alter table square.catalog_categories add column if not exists "version" bigint;
alter table square.catalog_categories add column if not exists "created_at" timestamp with time zone;
alter table square.catalog_categories add column if not exists "updated_at" timestamp with time zone;
alter table square.catalog_categories add column if not exists "raw" jsonb;
alter table square.catalog_categories add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_categories add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_categories add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.catalog_categories add column if not exists "_last_job_id" bigint;
alter table square.catalog_categories add column if not exists "_deleted_at" timestamp with time zone;
alter table square.catalog_items add column if not exists "id" text;
alter table square.catalog_items add column if not exists "name" text;
alter table square.catalog_items add column if not exists "description" text;
alter table square.catalog_items add column if not exists "category_id" text;
alter table square.catalog_items add column if not exists "product_type" text;
alter table square.catalog_items add column if not exists "present_at_all_locations" boolean;
alter table square.catalog_items add column if not exists "is_deleted" boolean default false not null;
alter table square.catalog_items add column if not exists "version" bigint;
alter table square.catalog_items add column if not exists "created_at" timestamp with time zone;
alter table square.catalog_items add column if not exists "updated_at" timestamp with time zone;
alter table square.catalog_items add column if not exists "raw" jsonb;
alter table square.catalog_items add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_items add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_items add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.catalog_items add column if not exists "_last_job_id" bigint;
alter table square.catalog_items add column if not exists "_deleted_at" timestamp with time zone;
alter table square.catalog_variations add column if not exists "id" text;
alter table square.catalog_variations add column if not exists "item_id" text;
alter table square.catalog_variations add column if not exists "name" text;
alter table square.catalog_variations add column if not exists "sku" text;
alter table square.catalog_variations add column if not exists "pricing_type" text;
alter table square.catalog_variations add column if not exists "price_amount" bigint;
alter table square.catalog_variations add column if not exists "price_currency" text;
alter table square.catalog_variations add column if not exists "ordinal" integer;
alter table square.catalog_variations add column if not exists "is_deleted" boolean default false not null;
alter table square.catalog_variations add column if not exists "version" bigint;
alter table square.catalog_variations add column if not exists "created_at" timestamp with time zone;
alter table square.catalog_variations add column if not exists "updated_at" timestamp with time zone;
alter table square.catalog_variations add column if not exists "raw" jsonb;
alter table square.catalog_variations add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_variations add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.catalog_variations add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.catalog_variations add column if not exists "_last_job_id" bigint;
alter table square.catalog_variations add column if not exists "_deleted_at" timestamp with time zone;
alter table square.orders add column if not exists "id" text;
alter table square.orders add column if not exists "location_id" text;
alter table square.orders add column if not exists "customer_id" text;
alter table square.orders add column if not exists "state" text;
alter table square.orders add column if not exists "reference_id" text;
alter table square.orders add column if not exists "source_name" text;
alter table square.orders add column if not exists "version" integer;
alter table square.orders add column if not exists "currency" text;
alter table square.orders add column if not exists "total_amount" bigint;
alter table square.orders add column if not exists "total_tax_amount" bigint;
alter table square.orders add column if not exists "total_discount_amount" bigint;
alter table square.orders add column if not exists "total_tip_amount" bigint;
alter table square.orders add column if not exists "total_service_charge_amount" bigint;
alter table square.orders add column if not exists "created_at" timestamp with time zone;
alter table square.orders add column if not exists "updated_at" timestamp with time zone;
alter table square.orders add column if not exists "closed_at" timestamp with time zone;
alter table square.orders add column if not exists "raw" jsonb;
alter table square.orders add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.orders add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.orders add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.orders add column if not exists "_last_job_id" bigint;
alter table square.orders add column if not exists "_deleted_at" timestamp with time zone;
alter table square.orders add column if not exists "should_move_to_production" boolean;
alter table square.payments add column if not exists "id" text;
alter table square.payments add column if not exists "location_id" text;
alter table square.payments add column if not exists "order_id" text;
alter table square.payments add column if not exists "customer_id" text;
alter table square.payments add column if not exists "status" text;
alter table square.payments add column if not exists "source_type" text;
alter table square.payments add column if not exists "currency" text;
alter table square.payments add column if not exists "amount" bigint;
alter table square.payments add column if not exists "tip_amount" bigint;
alter table square.payments add column if not exists "total_amount" bigint;
alter table square.payments add column if not exists "refunded_amount" bigint;
alter table square.payments add column if not exists "processing_fee_amount" bigint;
alter table square.payments add column if not exists "receipt_number" text;
alter table square.payments add column if not exists "reference_id" text;
alter table square.payments add column if not exists "created_at" timestamp with time zone;
alter table square.payments add column if not exists "updated_at" timestamp with time zone;
alter table square.payments add column if not exists "raw" jsonb;
alter table square.payments add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.payments add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.payments add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.payments add column if not exists "_last_job_id" bigint;
alter table square.payments add column if not exists "_deleted_at" timestamp with time zone;
alter table square.payments add column if not exists "should_move_to_production" boolean;
alter table square.inventory_counts add column if not exists "catalog_object_id" text;
alter table square.inventory_counts add column if not exists "location_id" text;
alter table square.inventory_counts add column if not exists "state" text;
alter table square.inventory_counts add column if not exists "catalog_object_type" text;
alter table square.inventory_counts add column if not exists "quantity" numeric;
alter table square.inventory_counts add column if not exists "calculated_at" timestamp with time zone;
alter table square.inventory_counts add column if not exists "updated_at" timestamp with time zone;
alter table square.inventory_counts add column if not exists "raw" jsonb;
alter table square.inventory_counts add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table square.inventory_counts add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table square.inventory_counts add column if not exists "_source_updated_at" timestamp with time zone;
alter table square.inventory_counts add column if not exists "_last_job_id" bigint;
alter table square.inventory_counts add column if not exists "_deleted_at" timestamp with time zone;
alter table sync.webhook_dedup add column if not exists "provider" text;
alter table sync.webhook_dedup add column if not exists "event_id" text;
alter table sync.webhook_dedup add column if not exists "first_seen_at" timestamp with time zone default now() not null;
alter table highlevel.products add column if not exists "id" text;
alter table highlevel.products add column if not exists "location_id" text;
alter table highlevel.products add column if not exists "name" text;
alter table highlevel.products add column if not exists "product_type" text;
alter table highlevel.products add column if not exists "description" text;
alter table highlevel.products add column if not exists "available_in_store" boolean;
alter table highlevel.products add column if not exists "created_at" timestamp with time zone;
alter table highlevel.products add column if not exists "updated_at" timestamp with time zone;
alter table highlevel.products add column if not exists "raw" jsonb;
alter table highlevel.products add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table highlevel.products add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table highlevel.products add column if not exists "_source_updated_at" timestamp with time zone;
alter table highlevel.products add column if not exists "_last_job_id" bigint;
alter table highlevel.products add column if not exists "_deleted_at" timestamp with time zone;
alter table highlevel.prices add column if not exists "id" text;
alter table highlevel.prices add column if not exists "product_id" text;
alter table highlevel.prices add column if not exists "location_id" text;
alter table highlevel.prices add column if not exists "name" text;
alter table highlevel.prices add column if not exists "type" text;
alter table highlevel.prices add column if not exists "currency" text;
alter table highlevel.prices add column if not exists "amount" numeric;
alter table highlevel.prices add column if not exists "track_inventory" boolean;
alter table highlevel.prices add column if not exists "available_quantity" numeric;
alter table highlevel.prices add column if not exists "allow_out_of_stock_purchases" boolean;
alter table highlevel.prices add column if not exists "created_at" timestamp with time zone;
alter table highlevel.prices add column if not exists "updated_at" timestamp with time zone;
alter table highlevel.prices add column if not exists "raw" jsonb;
alter table highlevel.prices add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table highlevel.prices add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table highlevel.prices add column if not exists "_source_updated_at" timestamp with time zone;
alter table highlevel.prices add column if not exists "_last_job_id" bigint;
alter table highlevel.prices add column if not exists "_deleted_at" timestamp with time zone;
alter table highlevel.orders add column if not exists "id" text;
alter table highlevel.orders add column if not exists "location_id" text;
alter table highlevel.orders add column if not exists "contact_id" text;
alter table highlevel.orders add column if not exists "contact_name" text;
alter table highlevel.orders add column if not exists "contact_email" text;
alter table highlevel.orders add column if not exists "status" text;
alter table highlevel.orders add column if not exists "payment_status" text;
alter table highlevel.orders add column if not exists "currency" text;
alter table highlevel.orders add column if not exists "amount" numeric(14,2);
alter table highlevel.orders add column if not exists "subtotal" numeric(14,2);
alter table highlevel.orders add column if not exists "live_mode" boolean;
alter table highlevel.orders add column if not exists "source_type" text;
alter table highlevel.orders add column if not exists "source_name" text;
alter table highlevel.orders add column if not exists "items" jsonb default '[]'::jsonb not null;
alter table highlevel.orders add column if not exists "created_at" timestamp with time zone;
alter table highlevel.orders add column if not exists "updated_at" timestamp with time zone;
alter table highlevel.orders add column if not exists "raw" jsonb;
alter table highlevel.orders add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table highlevel.orders add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table highlevel.orders add column if not exists "_source_updated_at" timestamp with time zone;
alter table highlevel.orders add column if not exists "_last_job_id" bigint;
alter table highlevel.orders add column if not exists "_deleted_at" timestamp with time zone;
alter table highlevel.contacts add column if not exists "id" text;
alter table highlevel.contacts add column if not exists "location_id" text;
alter table highlevel.contacts add column if not exists "first_name" text;
alter table highlevel.contacts add column if not exists "last_name" text;
alter table highlevel.contacts add column if not exists "email" text;
alter table highlevel.contacts add column if not exists "phone" text;
alter table highlevel.contacts add column if not exists "company_name" text;
alter table highlevel.contacts add column if not exists "type" text;
alter table highlevel.contacts add column if not exists "tags" text[];
alter table highlevel.contacts add column if not exists "created_at" timestamp with time zone;
alter table highlevel.contacts add column if not exists "updated_at" timestamp with time zone;
alter table highlevel.contacts add column if not exists "raw" jsonb;
alter table highlevel.contacts add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table highlevel.contacts add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table highlevel.contacts add column if not exists "_source_updated_at" timestamp with time zone;
alter table highlevel.contacts add column if not exists "_last_job_id" bigint;
alter table highlevel.contacts add column if not exists "_deleted_at" timestamp with time zone;
alter table sync.schedules add column if not exists "id" bigint generated always as identity;
alter table sync.schedules add column if not exists "name" text;
alter table sync.schedules add column if not exists "connector" text;
alter table sync.schedules add column if not exists "account" text default 'default'::text not null;
alter table sync.schedules add column if not exists "streams" text[];
alter table sync.schedules add column if not exists "cron" text;
alter table sync.schedules add column if not exists "mode" text default 'incremental'::text not null;
alter table sync.schedules add column if not exists "options" jsonb default '{}'::jsonb not null;
alter table sync.schedules add column if not exists "enabled" boolean default false not null;
alter table sync.schedules add column if not exists "timezone" text default 'UTC'::text not null;
alter table sync.schedules add column if not exists "next_run_at" timestamp with time zone;
alter table sync.schedules add column if not exists "description" text;
alter table sync.schedules add column if not exists "last_run_at" timestamp with time zone;
alter table sync.schedules add column if not exists "last_outcome" text;
alter table sync.schedules add column if not exists "last_job_id" bigint;
alter table sync.schedules add column if not exists "created_at" timestamp with time zone default now() not null;
alter table sync.schedules add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.schedule_runs add column if not exists "id" bigint generated always as identity;
alter table sync.schedule_runs add column if not exists "schedule_id" bigint;
alter table sync.schedule_runs add column if not exists "outcome" text;
alter table sync.schedule_runs add column if not exists "job_id" bigint;
alter table sync.schedule_runs add column if not exists "reason" text;
alter table sync.schedule_runs add column if not exists "ran_at" timestamp with time zone default now() not null;
alter table sync.wake_status add column if not exists "id" boolean default true not null;
alter table sync.wake_status add column if not exists "ok" boolean;
alter table sync.wake_status add column if not exists "reason" text;
alter table sync.wake_status add column if not exists "changed_at" timestamp with time zone default now() not null;
alter table sync.stream_status add column if not exists "connector" text;
alter table sync.stream_status add column if not exists "account" text default 'default'::text not null;
alter table sync.stream_status add column if not exists "stream" text;
alter table sync.stream_status add column if not exists "last_run_at" timestamp with time zone;
alter table sync.stream_status add column if not exists "last_status" text;
alter table sync.stream_status add column if not exists "last_job_id" bigint;
alter table sync.stream_status add column if not exists "last_success_at" timestamp with time zone;
alter table sync.stream_status add column if not exists "last_success_job_id" bigint;
alter table sync.job_stream_runs add column if not exists "job_id" bigint;
alter table sync.job_stream_runs add column if not exists "connector" text;
alter table sync.job_stream_runs add column if not exists "account" text;
alter table sync.job_stream_runs add column if not exists "stream" text;
alter table sync.job_stream_runs add column if not exists "status" text;
alter table sync.job_stream_runs add column if not exists "duration_seconds" numeric;
alter table sync.job_stream_runs add column if not exists "records" bigint;
alter table sync.job_stream_runs add column if not exists "finished_at" timestamp with time zone;
alter table sync.integrity_checks add column if not exists "name" text;
alter table sync.integrity_checks add column if not exists "child_table" text;
alter table sync.integrity_checks add column if not exists "child_column" text;
alter table sync.integrity_checks add column if not exists "parent_table" text;
alter table sync.integrity_checks add column if not exists "parent_column" text;
alter table sync.integrity_checks add column if not exists "enabled" boolean default true not null;
alter table sync.integrity_checks add column if not exists "description" text;
alter table sync.integrity_checks add column if not exists "created_at" timestamp with time zone default now() not null;
alter table sync.notification_settings add column if not exists "id" boolean default true not null;
alter table sync.notification_settings add column if not exists "enabled" boolean default true not null;
alter table sync.notification_settings add column if not exists "slack_webhook_url" text;
alter table sync.notification_settings add column if not exists "email_provider" text;
alter table sync.notification_settings add column if not exists "email_api_url" text;
alter table sync.notification_settings add column if not exists "email_from" text;
alter table sync.notification_settings add column if not exists "email_to" text[] default '{}'::text[] not null;
alter table sync.notification_settings add column if not exists "error_rate_threshold" numeric default 0.5 not null;
alter table sync.notification_settings add column if not exists "error_rate_window" interval default '01:00:00'::interval not null;
alter table sync.notification_settings add column if not exists "error_rate_min_runs" integer default 3 not null;
alter table sync.notification_settings add column if not exists "slow_run_factor" numeric default 3 not null;
alter table sync.notification_settings add column if not exists "slow_run_min_runs" integer default 5 not null;
alter table sync.notification_settings add column if not exists "slow_run_min_seconds" integer default 60 not null;
alter table sync.notification_settings add column if not exists "stale_after" interval default '26:00:00'::interval not null;
alter table sync.notification_settings add column if not exists "stale_after_by_stream" jsonb default '{}'::jsonb not null;
alter table sync.notification_settings add column if not exists "rate_limit_window" interval default '01:00:00'::interval not null;
alter table sync.notification_settings add column if not exists "daily_summary" boolean default true not null;
alter table sync.notification_settings add column if not exists "daily_summary_hour" integer default 8 not null;
alter table sync.notification_settings add column if not exists "retention_days" integer default 30 not null;
alter table sync.notification_settings add column if not exists "max_attempts" integer default 8 not null;
alter table sync.notification_settings add column if not exists "run_reports" boolean default false not null;
alter table sync.notification_settings add column if not exists "auto_retry" boolean default true not null;
alter table sync.notification_settings add column if not exists "retry_batch_size" integer default 200 not null;
alter table sync.notification_settings add column if not exists "failed_item_max_attempts" integer default 12 not null;
alter table sync.notification_settings add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.notifications add column if not exists "id" bigint generated always as identity;
alter table sync.notifications add column if not exists "kind" text;
alter table sync.notifications add column if not exists "source" text;
alter table sync.notifications add column if not exists "payload" jsonb default '{}'::jsonb not null;
alter table sync.notifications add column if not exists "status" text default 'pending'::text not null;
alter table sync.notifications add column if not exists "attempts" integer default 0 not null;
alter table sync.notifications add column if not exists "max_attempts" integer default 8 not null;
alter table sync.notifications add column if not exists "next_attempt_at" timestamp with time zone default now() not null;
alter table sync.notifications add column if not exists "delivered_channels" text[] default '{}'::text[] not null;
alter table sync.notifications add column if not exists "last_error" text;
alter table sync.notifications add column if not exists "suppressed_reason" text;
alter table sync.notifications add column if not exists "created_at" timestamp with time zone default now() not null;
alter table sync.notifications add column if not exists "sent_at" timestamp with time zone;
alter table sync.notifications add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.circuit_breakers add column if not exists "source" text;
alter table sync.circuit_breakers add column if not exists "state" text default 'closed'::text not null;
alter table sync.circuit_breakers add column if not exists "failures" integer default 0 not null;
alter table sync.circuit_breakers add column if not exists "opened_at" timestamp with time zone;
alter table sync.circuit_breakers add column if not exists "retry_at" timestamp with time zone;
alter table sync.circuit_breakers add column if not exists "last_error" text;
alter table sync.circuit_breakers add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table bubble.records add column if not exists "type" text;
alter table bubble.records add column if not exists "id" text;
alter table bubble.records add column if not exists "created_at" timestamp with time zone;
alter table bubble.records add column if not exists "modified_at" timestamp with time zone;
alter table bubble.records add column if not exists "raw" jsonb;
alter table bubble.records add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.records add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.records add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.records add column if not exists "_last_job_id" bigint;
alter table bubble.records add column if not exists "_deleted_at" timestamp with time zone;
alter table sync.job_steps add column if not exists "job_id" bigint;
alter table sync.job_steps add column if not exists "seq" bigint generated always as identity;
alter table sync.job_steps add column if not exists "stream" text;
alter table sync.job_steps add column if not exists "item_key" text;
alter table sync.job_steps add column if not exists "step" text;
alter table sync.job_steps add column if not exists "status" text;
alter table sync.job_steps add column if not exists "detail" jsonb default '{}'::jsonb not null;
alter table sync.job_steps add column if not exists "at" timestamp with time zone default clock_timestamp() not null;
alter table irelandpay.merchants add column if not exists "mid" text;
alter table irelandpay.merchants add column if not exists "name" text;
alter table irelandpay.merchants add column if not exists "dba" text;
alter table irelandpay.merchants add column if not exists "status" text;
alter table irelandpay.merchants add column if not exists "active" boolean;
alter table irelandpay.merchants add column if not exists "group_name" text;
alter table irelandpay.merchants add column if not exists "processor" text;
alter table irelandpay.merchants add column if not exists "sic_code" text;
alter table irelandpay.merchants add column if not exists "opened" date;
alter table irelandpay.merchants add column if not exists "closed" date;
alter table irelandpay.merchants add column if not exists "created" timestamp with time zone;
alter table irelandpay.merchants add column if not exists "modified" timestamp with time zone;
alter table irelandpay.merchants add column if not exists "raw" jsonb;
alter table irelandpay.merchants add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.merchants add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.merchants add column if not exists "_source_updated_at" timestamp with time zone;
alter table irelandpay.merchants add column if not exists "_last_job_id" bigint;
alter table irelandpay.merchants add column if not exists "_deleted_at" timestamp with time zone;
alter table irelandpay.transactions add column if not exists "id" text;
alter table irelandpay.transactions add column if not exists "mid" text;
alter table irelandpay.transactions add column if not exists "date" timestamp with time zone;
alter table irelandpay.transactions add column if not exists "type" text;
alter table irelandpay.transactions add column if not exists "status" text;
alter table irelandpay.transactions add column if not exists "amount" numeric;
alter table irelandpay.transactions add column if not exists "currency" text default 'EUR'::text;
alter table irelandpay.transactions add column if not exists "card_brand" text;
alter table irelandpay.transactions add column if not exists "cardholder" text;
alter table irelandpay.transactions add column if not exists "auth_code" text;
alter table irelandpay.transactions add column if not exists "pos_entry_mode" text;
alter table irelandpay.transactions add column if not exists "invoice_number" text;
alter table irelandpay.transactions add column if not exists "batch_reference" text;
alter table irelandpay.transactions add column if not exists "raw" jsonb;
alter table irelandpay.transactions add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.transactions add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.transactions add column if not exists "_source_updated_at" timestamp with time zone;
alter table irelandpay.transactions add column if not exists "_last_job_id" bigint;
alter table irelandpay.transactions add column if not exists "_deleted_at" timestamp with time zone;
alter table irelandpay.residuals add column if not exists "mid" text;
alter table irelandpay.residuals add column if not exists "period" date;
alter table irelandpay.residuals add column if not exists "merchant_name" text;
alter table irelandpay.residuals add column if not exists "transactions" integer;
alter table irelandpay.residuals add column if not exists "sales_amount" numeric;
alter table irelandpay.residuals add column if not exists "income" numeric;
alter table irelandpay.residuals add column if not exists "expense" numeric;
alter table irelandpay.residuals add column if not exists "net" numeric;
alter table irelandpay.residuals add column if not exists "bps" numeric;
alter table irelandpay.residuals add column if not exists "agent_net" numeric;
alter table irelandpay.residuals add column if not exists "raw" jsonb;
alter table irelandpay.residuals add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.residuals add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table irelandpay.residuals add column if not exists "_source_updated_at" timestamp with time zone;
alter table irelandpay.residuals add column if not exists "_last_job_id" bigint;
alter table irelandpay.residuals add column if not exists "_deleted_at" timestamp with time zone;
alter table sync.promotion_plans add column if not exists "name" text;
alter table sync.promotion_plans add column if not exists "connector" text;
alter table sync.promotion_plans add column if not exists "root_table" text;
alter table sync.promotion_plans add column if not exists "root_key" text;
alter table sync.promotion_plans add column if not exists "root_order" text;
alter table sync.promotion_plans add column if not exists "root_label" text;
alter table sync.promotion_plans add column if not exists "check_fn" text;
alter table sync.promotion_plans add column if not exists "affected_fn" text;
alter table sync.promotion_plans add column if not exists "orphans_fn" text;
alter table sync.promotion_plans add column if not exists "withdraw_reasons" text[] default '{}'::text[] not null;
alter table sync.promotion_plans add column if not exists "description" text;
alter table sync.promotion_plans add column if not exists "created_at" timestamp with time zone default now() not null;
alter table sync.promotion_steps add column if not exists "plan" text;
alter table sync.promotion_steps add column if not exists "ordinal" integer;
alter table sync.promotion_steps add column if not exists "name" text;
alter table sync.promotion_steps add column if not exists "source_table" text;
alter table sync.promotion_steps add column if not exists "target" text;
alter table sync.promotion_steps add column if not exists "rows_fn" text;
alter table sync.promotion_steps add column if not exists "tie_column" text;
alter table sync.promotion_steps add column if not exists "label" text;
alter table sync.promotion_steps add column if not exists "retire" jsonb;
alter table sync.promotion_roots add column if not exists "plan" text;
alter table sync.promotion_roots add column if not exists "root_id" text;
alter table sync.promotion_roots add column if not exists "sort_at" timestamp with time zone;
alter table sync.promotion_roots add column if not exists "version" text;
alter table sync.promotion_roots add column if not exists "status" text;
alter table sync.promotion_roots add column if not exists "reason_code" text;
alter table sync.promotion_roots add column if not exists "reason" text;
alter table sync.promotion_roots add column if not exists "failed_step" text;
alter table sync.promotion_roots add column if not exists "error" text;
alter table sync.promotion_roots add column if not exists "log" jsonb default '[]'::jsonb not null;
alter table sync.promotion_roots add column if not exists "attempts" integer default 1 not null;
alter table sync.promotion_roots add column if not exists "job_id" bigint;
alter table sync.promotion_roots add column if not exists "promoted_at" timestamp with time zone;
alter table sync.promotion_roots add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.promotion_checkpoints add column if not exists "plan" text;
alter table sync.promotion_checkpoints add column if not exists "job_id" bigint;
alter table sync.promotion_checkpoints add column if not exists "last_sort_at" timestamp with time zone;
alter table sync.promotion_checkpoints add column if not exists "last_root_id" text;
alter table sync.promotion_checkpoints add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table events.payments add column if not exists "id" text;
alter table events.payments add column if not exists "order_id" text;
alter table events.payments add column if not exists "location_id" text;
alter table events.payments add column if not exists "status" text;
alter table events.payments add column if not exists "currency" text;
alter table events.payments add column if not exists "amount" bigint;
alter table events.payments add column if not exists "total_amount" bigint;
alter table events.payments add column if not exists "refunded_amount" bigint default 0 not null;
alter table events.payments add column if not exists "receipt_number" text;
alter table events.payments add column if not exists "paid_at" timestamp with time zone;
alter table events.payments add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.payments add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.payments add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.payments add column if not exists "_last_job_id" bigint;
alter table events.payments add column if not exists "_deleted_at" timestamp with time zone;
alter table events.customers add column if not exists "customer_key" text;
alter table events.customers add column if not exists "square_customer_id" text;
alter table events.customers add column if not exists "given_name" text;
alter table events.customers add column if not exists "family_name" text;
alter table events.customers add column if not exists "email" text;
alter table events.customers add column if not exists "phone" text;
alter table events.customers add column if not exists "source" text;
alter table events.customers add column if not exists "source_at" timestamp with time zone;
alter table events.customers add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.customers add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.customers add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.customers add column if not exists "_last_job_id" bigint;
alter table events.customers add column if not exists "_deleted_at" timestamp with time zone;
alter table events.registrations add column if not exists "id" text;
alter table events.registrations add column if not exists "payment_id" text;
alter table events.registrations add column if not exists "customer_key" text;
alter table events.registrations add column if not exists "location_id" text;
alter table events.registrations add column if not exists "order_state" text;
alter table events.registrations add column if not exists "status" text default 'active'::text not null;
alter table events.registrations add column if not exists "currency" text;
alter table events.registrations add column if not exists "total_amount" bigint;
alter table events.registrations add column if not exists "paid_amount" bigint;
alter table events.registrations add column if not exists "refunded_amount" bigint default 0 not null;
alter table events.registrations add column if not exists "attendee_count" integer;
alter table events.registrations add column if not exists "ticket_count" integer;
alter table events.registrations add column if not exists "reference_id" text;
alter table events.registrations add column if not exists "registered_at" timestamp with time zone;
alter table events.registrations add column if not exists "notes" text;
alter table events.registrations add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.registrations add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.registrations add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.registrations add column if not exists "_last_job_id" bigint;
alter table events.registrations add column if not exists "_deleted_at" timestamp with time zone;
alter table events.attendees add column if not exists "id" uuid default gen_random_uuid() not null;
alter table events.attendees add column if not exists "registration_id" text;
alter table events.attendees add column if not exists "payment_id" text;
alter table events.attendees add column if not exists "attendee_key" text;
alter table events.attendees add column if not exists "name" text;
alter table events.attendees add column if not exists "email" text;
alter table events.attendees add column if not exists "phone" text;
alter table events.attendees add column if not exists "source" text;
alter table events.attendees add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.attendees add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.attendees add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.attendees add column if not exists "_last_job_id" bigint;
alter table events.attendees add column if not exists "_deleted_at" timestamp with time zone;
alter table events.contacts add column if not exists "id" uuid default gen_random_uuid() not null;
alter table events.contacts add column if not exists "email" text;
alter table events.contacts add column if not exists "name" text;
alter table events.contacts add column if not exists "phone" text;
alter table events.contacts add column if not exists "source_at" timestamp with time zone;
alter table events.contacts add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.contacts add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.contacts add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.contacts add column if not exists "_last_job_id" bigint;
alter table events.contacts add column if not exists "_deleted_at" timestamp with time zone;
alter table events.tickets add column if not exists "id" uuid default gen_random_uuid() not null;
alter table events.tickets add column if not exists "code" text default upper(substr(replace((gen_random_uuid())::text, '-'::text, ''::text), 1, 16)) not null;
alter table events.tickets add column if not exists "registration_id" text;
alter table events.tickets add column if not exists "payment_id" text;
alter table events.tickets add column if not exists "line_item_uid" text;
alter table events.tickets add column if not exists "unit" integer;
alter table events.tickets add column if not exists "attendee_key" text;
alter table events.tickets add column if not exists "ticket_type" text;
alter table events.tickets add column if not exists "catalog_object_id" text;
alter table events.tickets add column if not exists "price_amount" bigint;
alter table events.tickets add column if not exists "currency" text;
alter table events.tickets add column if not exists "status" text default 'valid'::text not null;
alter table events.tickets add column if not exists "scanned_at" timestamp with time zone;
alter table events.tickets add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table events.tickets add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table events.tickets add column if not exists "_source_updated_at" timestamp with time zone;
alter table events.tickets add column if not exists "_last_job_id" bigint;
alter table events.tickets add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.agent add column if not exists "id" text;
alter table bubble.agent add column if not exists "created_date" timestamp with time zone;
alter table bubble.agent add column if not exists "modified_date" timestamp with time zone;
alter table bubble.agent add column if not exists "created_by" text;
alter table bubble.agent add column if not exists "name" text;
alter table bubble.agent add column if not exists "email" text;
alter table bubble.agent add column if not exists "phone" text;
alter table bubble.agent add column if not exists "agency" text;
alter table bubble.agent add column if not exists "commission_rate" numeric;
alter table bubble.agent add column if not exists "active" boolean;
alter table bubble.agent add column if not exists "raw" jsonb;
alter table bubble.agent add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.agent add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.agent add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.agent add column if not exists "_last_job_id" bigint;
alter table bubble.agent add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.customer add column if not exists "id" text;
alter table bubble.customer add column if not exists "created_date" timestamp with time zone;
alter table bubble.customer add column if not exists "modified_date" timestamp with time zone;
alter table bubble.customer add column if not exists "created_by" text;
alter table bubble.customer add column if not exists "name" text;
alter table bubble.customer add column if not exists "email" text;
alter table bubble.customer add column if not exists "phone" text;
alter table bubble.customer add column if not exists "address" text;
alter table bubble.customer add column if not exists "city" text;
alter table bubble.customer add column if not exists "postcode" text;
alter table bubble.customer add column if not exists "ic_number" text;
alter table bubble.customer add column if not exists "tags" text[];
alter table bubble.customer add column if not exists "notes" text;
alter table bubble.customer add column if not exists "raw" jsonb;
alter table bubble.customer add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.customer add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.customer add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.customer add column if not exists "_last_job_id" bigint;
alter table bubble.customer add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble."user" add column if not exists "id" text;
alter table bubble."user" add column if not exists "created_date" timestamp with time zone;
alter table bubble."user" add column if not exists "modified_date" timestamp with time zone;
alter table bubble."user" add column if not exists "created_by" text;
alter table bubble."user" add column if not exists "authentication" jsonb;
alter table bubble."user" add column if not exists "user_signed_up" boolean;
alter table bubble."user" add column if not exists "name" text;
alter table bubble."user" add column if not exists "role" text;
alter table bubble."user" add column if not exists "agent" text;
alter table bubble."user" add column if not exists "customer" text;
alter table bubble."user" add column if not exists "raw" jsonb;
alter table bubble."user" add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble."user" add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble."user" add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble."user" add column if not exists "_last_job_id" bigint;
alter table bubble."user" add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.invoice add column if not exists "id" text;
alter table bubble.invoice add column if not exists "created_date" timestamp with time zone;
alter table bubble.invoice add column if not exists "modified_date" timestamp with time zone;
alter table bubble.invoice add column if not exists "created_by" text;
alter table bubble.invoice add column if not exists "invoice_no" text;
alter table bubble.invoice add column if not exists "status" text;
alter table bubble.invoice add column if not exists "issue_date" timestamp with time zone;
alter table bubble.invoice add column if not exists "due_date" timestamp with time zone;
alter table bubble.invoice add column if not exists "subtotal" numeric;
alter table bubble.invoice add column if not exists "discount" numeric;
alter table bubble.invoice add column if not exists "tax" numeric;
alter table bubble.invoice add column if not exists "total" numeric;
alter table bubble.invoice add column if not exists "amount_paid" numeric;
alter table bubble.invoice add column if not exists "balance" numeric;
alter table bubble.invoice add column if not exists "currency" text;
alter table bubble.invoice add column if not exists "system_size_kw" numeric;
alter table bubble.invoice add column if not exists "panel_count" integer;
alter table bubble.invoice add column if not exists "notes" text;
alter table bubble.invoice add column if not exists "agent" text;
alter table bubble.invoice add column if not exists "customer" text;
alter table bubble.invoice add column if not exists "payments" text[];
alter table bubble.invoice add column if not exists "submitted_payments" text[];
alter table bubble.invoice add column if not exists "items" text[];
alter table bubble.invoice add column if not exists "seda_registration" text;
alter table bubble.invoice add column if not exists "raw" jsonb;
alter table bubble.invoice add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.invoice add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.invoice add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.invoice add column if not exists "_last_job_id" bigint;
alter table bubble.invoice add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.payment add column if not exists "id" text;
alter table bubble.payment add column if not exists "created_date" timestamp with time zone;
alter table bubble.payment add column if not exists "modified_date" timestamp with time zone;
alter table bubble.payment add column if not exists "created_by" text;
alter table bubble.payment add column if not exists "invoice" text;
alter table bubble.payment add column if not exists "amount" numeric;
alter table bubble.payment add column if not exists "method" text;
alter table bubble.payment add column if not exists "reference" text;
alter table bubble.payment add column if not exists "paid_at" timestamp with time zone;
alter table bubble.payment add column if not exists "status" text;
alter table bubble.payment add column if not exists "raw" jsonb;
alter table bubble.payment add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.payment add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.payment add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.payment add column if not exists "_last_job_id" bigint;
alter table bubble.payment add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.submitted_payment add column if not exists "id" text;
alter table bubble.submitted_payment add column if not exists "created_date" timestamp with time zone;
alter table bubble.submitted_payment add column if not exists "modified_date" timestamp with time zone;
alter table bubble.submitted_payment add column if not exists "created_by" text;
alter table bubble.submitted_payment add column if not exists "invoice" text;
alter table bubble.submitted_payment add column if not exists "submitted_by" text;
alter table bubble.submitted_payment add column if not exists "amount" numeric;
alter table bubble.submitted_payment add column if not exists "receipt" text;
alter table bubble.submitted_payment add column if not exists "submitted_at" timestamp with time zone;
alter table bubble.submitted_payment add column if not exists "approved" boolean;
alter table bubble.submitted_payment add column if not exists "raw" jsonb;
alter table bubble.submitted_payment add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.submitted_payment add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.submitted_payment add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.submitted_payment add column if not exists "_last_job_id" bigint;
alter table bubble.submitted_payment add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.invoice_item add column if not exists "id" text;
alter table bubble.invoice_item add column if not exists "created_date" timestamp with time zone;
alter table bubble.invoice_item add column if not exists "modified_date" timestamp with time zone;
alter table bubble.invoice_item add column if not exists "created_by" text;
alter table bubble.invoice_item add column if not exists "invoice" text;
alter table bubble.invoice_item add column if not exists "description" text;
alter table bubble.invoice_item add column if not exists "quantity" numeric;
alter table bubble.invoice_item add column if not exists "unit_price" numeric;
alter table bubble.invoice_item add column if not exists "amount" numeric;
alter table bubble.invoice_item add column if not exists "sort_order" integer;
alter table bubble.invoice_item add column if not exists "raw" jsonb;
alter table bubble.invoice_item add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.invoice_item add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.invoice_item add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.invoice_item add column if not exists "_last_job_id" bigint;
alter table bubble.invoice_item add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "id" text;
alter table bubble.seda_registration add column if not exists "created_date" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "modified_date" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "created_by" text;
alter table bubble.seda_registration add column if not exists "linked_invoice" text[];
alter table bubble.seda_registration add column if not exists "linked_customer" text;
alter table bubble.seda_registration add column if not exists "deposit_payment" text;
alter table bubble.seda_registration add column if not exists "registration_no" text;
alter table bubble.seda_registration add column if not exists "status" text;
alter table bubble.seda_registration add column if not exists "system_size_kw" numeric;
alter table bubble.seda_registration add column if not exists "submitted_at" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "approved_at" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "raw" jsonb;
alter table bubble.seda_registration add column if not exists "_first_synced_at" timestamp with time zone default now() not null;
alter table bubble.seda_registration add column if not exists "_last_synced_at" timestamp with time zone default now() not null;
alter table bubble.seda_registration add column if not exists "_source_updated_at" timestamp with time zone;
alter table bubble.seda_registration add column if not exists "_last_job_id" bigint;
alter table bubble.seda_registration add column if not exists "_deleted_at" timestamp with time zone;
alter table bubble.sync_steps add column if not exists "job_id" bigint;
alter table bubble.sync_steps add column if not exists "root_type" text;
alter table bubble.sync_steps add column if not exists "root_id" text;
alter table bubble.sync_steps add column if not exists "seq" integer;
alter table bubble.sync_steps add column if not exists "action" text;
alter table bubble.sync_steps add column if not exists "entity" text;
alter table bubble.sync_steps add column if not exists "status" text;
alter table bubble.sync_steps add column if not exists "count" integer;
alter table bubble.sync_steps add column if not exists "detail" text;
alter table bubble.sync_steps add column if not exists "at" timestamp with time zone default clock_timestamp() not null;
alter table sync.stream_cooldowns add column if not exists "connector" text;
alter table sync.stream_cooldowns add column if not exists "stream" text;
alter table sync.stream_cooldowns add column if not exists "cooldown_seconds" integer;
alter table sync.stream_cooldowns add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.install_state add column if not exists "key" text;
alter table sync.install_state add column if not exists "value" text;
alter table sync.install_state add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.stream_completeness add column if not exists "connector" text;
alter table sync.stream_completeness add column if not exists "account" text default 'default'::text not null;
alter table sync.stream_completeness add column if not exists "stream" text;
alter table sync.stream_completeness add column if not exists "job_id" bigint;
alter table sync.stream_completeness add column if not exists "status" text;
alter table sync.stream_completeness add column if not exists "method" text;
alter table sync.stream_completeness add column if not exists "source_count" bigint;
alter table sync.stream_completeness add column if not exists "landed_count" bigint;
alter table sync.stream_completeness add column if not exists "missing_count" bigint;
alter table sync.stream_completeness add column if not exists "sample_ids" text[] default '{}'::text[] not null;
alter table sync.stream_completeness add column if not exists "detail" jsonb default '{}'::jsonb not null;
alter table sync.stream_completeness add column if not exists "checked_at" timestamp with time zone default now() not null;
alter table sync.rate_limits add column if not exists "source" text;
alter table sync.rate_limits add column if not exists "sent" timestamp with time zone[] default '{}'::timestamp with time zone[] not null;
alter table sync.rate_limits add column if not exists "taken" bigint default 0 not null;
alter table sync.rate_limits add column if not exists "updated_at" timestamp with time zone default clock_timestamp() not null;
alter table sync.job_http_stats add column if not exists "job_id" bigint;
alter table sync.job_http_stats add column if not exists "source" text;
alter table sync.job_http_stats add column if not exists "requests" bigint default 0 not null;
alter table sync.job_http_stats add column if not exists "retries" bigint default 0 not null;
alter table sync.job_http_stats add column if not exists "failures" bigint default 0 not null;
alter table sync.job_http_stats add column if not exists "rate_limited_ms" bigint default 0 not null;
alter table sync.job_http_stats add column if not exists "circuit_rejections" bigint default 0 not null;
alter table sync.job_http_stats add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table highlevel.ticket_types add column if not exists "product_id" text;
alter table highlevel.ticket_types add column if not exists "ticket_type" text;
alter table highlevel.ticket_types add column if not exists "active" boolean default true not null;
alter table highlevel.ticket_types add column if not exists "created_at" timestamp with time zone default now() not null;
alter table highlevel.tickets add column if not exists "id" uuid default gen_random_uuid() not null;
alter table highlevel.tickets add column if not exists "order_id" text;
alter table highlevel.tickets add column if not exists "ticket_type" text;
alter table highlevel.tickets add column if not exists "seq" integer;
alter table highlevel.tickets add column if not exists "code" text default upper(substr(replace((gen_random_uuid())::text, '-'::text, ''::text), 1, 16)) not null;
alter table highlevel.tickets add column if not exists "status" text default 'live'::text not null;
alter table highlevel.tickets add column if not exists "scanned_at" timestamp with time zone;
alter table highlevel.tickets add column if not exists "created_at" timestamp with time zone default now() not null;
alter table highlevel.tickets add column if not exists "voided_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "job_id" bigint;
alter table sync.job_shards add column if not exists "stream" text;
alter table sync.job_shards add column if not exists "shard" integer;
alter table sync.job_shards add column if not exists "window_start" timestamp with time zone;
alter table sync.job_shards add column if not exists "window_end" timestamp with time zone;
alter table sync.job_shards add column if not exists "status" text default 'pending'::text not null;
alter table sync.job_shards add column if not exists "cursor" text;
alter table sync.job_shards add column if not exists "state" jsonb default '{}'::jsonb not null;
alter table sync.job_shards add column if not exists "lease_owner" text;
alter table sync.job_shards add column if not exists "lease_expires_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "heartbeat_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "attempts" integer default 0 not null;
alter table sync.job_shards add column if not exists "done" bigint default 0 not null;
alter table sync.job_shards add column if not exists "total" bigint;
alter table sync.job_shards add column if not exists "inserted" bigint default 0 not null;
alter table sync.job_shards add column if not exists "updated" bigint default 0 not null;
alter table sync.job_shards add column if not exists "unchanged" bigint default 0 not null;
alter table sync.job_shards add column if not exists "stale" bigint default 0 not null;
alter table sync.job_shards add column if not exists "failed" bigint default 0 not null;
alter table sync.job_shards add column if not exists "error" text;
alter table sync.job_shards add column if not exists "planned_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "started_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "finished_at" timestamp with time zone;
alter table sync.job_shards add column if not exists "updated_at" timestamp with time zone default now() not null;
alter table sync.schema_versions add column if not exists "version" text;
alter table sync.schema_versions add column if not exists "applied_at" timestamp with time zone default now() not null;

-- functions (all of them, as a fresh install defines them)
CREATE OR REPLACE FUNCTION bubble.patch_links()
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_links int;
  v_customers int;
begin
  with cand as (
    select distinct on (i.id) i.id as invoice_id, s.id as seda_id
    from bubble.seda_registration s
    cross join unnest(s.linked_invoice) li(invoice_id)
    join bubble.invoice i on i.id = li.invoice_id
    where coalesce(i.seda_registration, '') = ''
    order by i.id, s.modified_date desc, s.id
  ), upd as (
    update bubble.invoice i set seda_registration = c.seda_id
    from cand c where i.id = c.invoice_id and coalesce(i.seda_registration, '') = ''
    returning 1
  )
  select count(*) into v_links from upd;
  with cand as (
    select distinct on (s.id) s.id as seda_id, i.customer
    from bubble.seda_registration s
    cross join unnest(s.linked_invoice) with ordinality li(invoice_id, ord)
    join bubble.invoice i on i.id = li.invoice_id
    where coalesce(s.linked_customer, '') = '' and coalesce(i.customer, '') <> ''
    order by s.id, li.ord
  ), upd as (
    update bubble.seda_registration s set linked_customer = c.customer
    from cand c where s.id = c.seda_id and coalesce(s.linked_customer, '') = ''
    returning 1
  )
  select count(*) into v_customers from upd;
  return jsonb_build_object('seda_links', v_links, 'seda_customers', v_customers);
end
$function$;
CREATE OR REPLACE FUNCTION events._square_booking(p_ids text[])
 RETURNS TABLE(root_id text, customer_key text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select p.id, b.data ->> 'customer_key', b.data,
    case when b.data is null then
      case when coalesce(o.customer_id, p.customer_id) is not null
        then format('missing parent: customer %s (the booking contact) is not imported and payment %s has no buyer_email_address',
          coalesce(o.customer_id, p.customer_id), p.id)
        else format('no booking contact: order %s has no customer and payment %s no buyer_email_address', o.id, p.id) end
    end
  from square.payments p
  join square.orders o on o.id = p.order_id
  left join square.customers c on c.id = coalesce(o.customer_id, p.customer_id)
  cross join lateral (select lower(nullif(btrim(p.raw ->> 'buyer_email_address'), '')) as email) e
  cross join lateral (select case
    when c.id is not null then jsonb_build_object('customer_key', c.id, 'square_customer_id', c.id,
      'given_name', c.given_name, 'family_name', c.family_name, 'email', lower(c.email_address),
      'phone', c.phone_number, 'source', 'square_customer', 'source_at', c.updated_at)
    when e.email is not null then jsonb_build_object('customer_key', 'email:' || e.email, 'square_customer_id', null,
      'given_name', p.raw #>> '{billing_address,first_name}', 'family_name', p.raw #>> '{billing_address,last_name}',
      'email', e.email, 'phone', null, 'source', 'payment_buyer', 'source_at', p.created_at)
  end as data) b
  where p.id = any (p_ids)
$function$;
CREATE OR REPLACE FUNCTION events._square_lines(p_ids text[])
 RETURNS TABLE(root_id text, order_id text, uid text, ord bigint, name text, quantity text, catalog_object_id text, known boolean, is_ticket boolean, ticket_type text, price_amount bigint, currency text, attendee_name text, attendee_email text, attendee_phone text, attendee_source text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select p.id, o.id, coalesce(l.li ->> 'uid', '#' || l.n), l.n, l.li ->> 'name', l.li ->> 'quantity',
    l.li ->> 'catalog_object_id',
    l.li ->> 'catalog_object_id' is null or (v.id is not null and i.id is not null),
    coalesce(i.product_type = 'EVENT', false),
    nullif(concat_ws(' - ', coalesce(l.li ->> 'name', i.name), coalesce(l.li ->> 'variation_name', v.name)), ''),
    case when (l.li -> 'base_price_money' ->> 'amount') ~ '^-?\d{1,18}$'
      then (l.li -> 'base_price_money' ->> 'amount')::bigint end,
    l.li -> 'base_price_money' ->> 'currency',
    case when m.has then m.name else r.name end,
    case when m.has then m.email else r.email end,
    case when m.has then m.phone else r.phone end,
    case when m.has then 'line_item_metadata' when r.name is not null or r.email is not null
      then 'fulfillment_recipient' end
  from square.payments p
  join square.orders o on o.id = p.order_id
  cross join lateral jsonb_array_elements(case when jsonb_typeof(o.raw -> 'line_items') = 'array'
    then o.raw -> 'line_items' else '[]'::jsonb end) with ordinality l(li, n)
  left join square.catalog_variations v on v.id = l.li ->> 'catalog_object_id'
  left join square.catalog_items i on i.id = v.item_id
  cross join lateral (
    select nullif(btrim(l.li -> 'metadata' ->> 'attendee_name'), '') as name,
      lower(nullif(btrim(l.li -> 'metadata' ->> 'attendee_email'), '')) as email,
      nullif(btrim(l.li -> 'metadata' ->> 'attendee_phone'), '') as phone
  ) m0
  cross join lateral (select m0.name, m0.email, m0.phone, m0.name is not null or m0.email is not null as has) m
  left join lateral (
    select nullif(btrim(x.rc ->> 'display_name'), '') as name, lower(nullif(btrim(x.rc ->> 'email_address'), '')) as email,
      nullif(btrim(x.rc ->> 'phone_number'), '') as phone
    from jsonb_array_elements(case when jsonb_typeof(o.raw -> 'fulfillments') = 'array'
      then o.raw -> 'fulfillments' else '[]'::jsonb end) with ordinality f(f, n)
    cross join lateral (select coalesce(f.f -> 'pickup_details' -> 'recipient', f.f -> 'shipment_details' -> 'recipient',
      f.f -> 'delivery_details' -> 'recipient') as rc) x
    where jsonb_typeof(x.rc) = 'object'
    order by f.n limit 1
  ) r on true
  where p.id = any (p_ids)
$function$;
CREATE OR REPLACE FUNCTION events.square_affected(p_table text, p_keys text[])
 RETURNS TABLE(root_id text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select p.id from square.payments p where p_table = 'square.payments' and p.id = any (p_keys)
  union
  select p.id from square.payments p where p_table = 'square.orders' and p.order_id = any (p_keys)
  union
  select p.id from square.payments p where p_table = 'square.customers' and p.customer_id = any (p_keys)
  union
  select p.id from square.orders o join square.payments p on p.order_id = o.id
  where p_table = 'square.customers' and o.customer_id = any (p_keys)
$function$;
CREATE OR REPLACE FUNCTION events.square_attendee_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select distinct on (l.root_id, k.key) l.root_id,
    case when k.key is not null then jsonb_build_object('registration_id', l.order_id, 'payment_id', l.root_id,
      'attendee_key', k.key, 'name', l.attendee_name, 'email', l.attendee_email, 'phone', l.attendee_phone,
      'source', l.attendee_source) end,
    case when k.key is null then format(
      'line item %s ("%s") has no attendee: no attendee_name or attendee_email metadata and no fulfillment recipient',
      l.uid, coalesce(l.name, '')) end
  from events._square_lines(p_ids) l
  cross join lateral (select coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name)) as key) k
  where l.is_ticket
  order by l.root_id, k.key, l.ord
$function$;
CREATE OR REPLACE FUNCTION events.square_check(p_ids text[])
 RETURNS TABLE(root_id text, sort_at timestamp with time zone, version text, reason_code text, reason text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  with lines as (
    -- only what eligibility needs of the line items: are they all known, is any a ticket
    select p.id as root_id, bool_and(l.li ->> 'catalog_object_id' is null or i.id is not null) as known,
      bool_or(coalesce(i.product_type = 'EVENT', false)) as tickets
    from square.payments p
    join square.orders o on o.id = p.order_id
    cross join lateral jsonb_array_elements(case when jsonb_typeof(o.raw -> 'line_items') = 'array'
      then o.raw -> 'line_items' else '[]'::jsonb end) l(li)
    left join square.catalog_variations v on v.id = l.li ->> 'catalog_object_id'
    left join square.catalog_items i on i.id = v.item_id
    where p.id = any (p_ids)
    group by p.id
  )
  select p.id, p.created_at,
    md5(concat_ws('|', p.raw::text, p.should_move_to_production::text, o.raw::text, o.should_move_to_production::text,
      c.raw::text)),
    x.code, x.reason
  from square.payments p
  left join square.orders o on o.id = p.order_id
  left join square.customers c on c.id = coalesce(o.customer_id, p.customer_id)
  left join lines t on t.root_id = p.id
  cross join lateral (select case
    when p.should_move_to_production is false then array['hold',
      format('operator hold: payment %s has should_move_to_production = false', p.id)]
    when o.should_move_to_production is false then array['hold',
      format('operator hold: order %s has should_move_to_production = false', o.id)]
    when p.status is distinct from 'COMPLETED' then array['not_completed',
      format('payment status is %s, not COMPLETED', coalesce(p.status, 'unknown'))]
    when coalesce(p.refunded_amount, 0) > 0 and p.refunded_amount >= coalesce(p.total_amount, p.amount) then array['refunded',
      format('payment fully refunded (%s of %s %s)', p.refunded_amount, coalesce(p.total_amount, p.amount), p.currency)]
    when p.order_id is null then array['no_registration', 'payment has no order (no registration)']
    when o.id is null then array['no_registration', format('order %s (the registration) is not imported', p.order_id)]
    when o.state = 'CANCELED' then array['registration_cancelled', format('order %s is CANCELED', o.id)]
    when coalesce(t.known, true) and not coalesce(t.tickets, false) then array['no_tickets',
      format('order %s has no ticket line items (none of an EVENT catalog item)', o.id)]
  end as v) r0
  cross join lateral (select r0.v[1] as code, r0.v[2] as reason) x
  where p.id = any (p_ids)
$function$;
CREATE OR REPLACE FUNCTION events.square_contact_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select distinct on (x.root_id, x.email) x.root_id,
    jsonb_build_object('email', x.email, 'name', x.name, 'phone', x.phone, 'source_at', p.created_at), null::text
  from (
    select b.root_id, b.data ->> 'email' as email,
      nullif(concat_ws(' ', b.data ->> 'given_name', b.data ->> 'family_name'), '') as name, b.data ->> 'phone' as phone,
      0 as rank
    from events._square_booking(p_ids) b where b.data ->> 'email' is not null
    union all
    select l.root_id, l.attendee_email, l.attendee_name, l.attendee_phone, l.ord
    from events._square_lines(p_ids) l where l.is_ticket and l.attendee_email is not null
  ) x
  join square.payments p on p.id = x.root_id
  order by x.root_id, x.email, x.rank
$function$;
CREATE OR REPLACE FUNCTION events.square_customer_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select b.root_id, b.data, b.error from events._square_booking(p_ids) b
$function$;
CREATE OR REPLACE FUNCTION events.square_orphans()
 RETURNS TABLE("check" text, layer text, count bigint, sample text[])
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select 'events.tickets without a registration', 'production', count(*), (array_agg(t.id::text order by t.id))[1:10]
  from events.tickets t where not exists (select from events.registrations r where r.id = t.registration_id)
  union all
  select 'events.attendees without a registration', 'production', count(*), (array_agg(a.id::text order by a.id))[1:10]
  from events.attendees a where not exists (select from events.registrations r where r.id = a.registration_id)
  union all
  select 'events.registrations without a booking contact', 'production', count(*),
    (array_agg(r.id order by r.id))[1:10]
  from events.registrations r where not exists (select from events.customers c where c.customer_key = r.customer_key)
  union all
  select 'square.orders without a payment (root never arrived)', 'import', count(*), (array_agg(o.id order by o.id))[1:10]
  from square.orders o where not exists (select from square.payments p where p.order_id = o.id)
  union all
  select 'square.payments whose order never arrived', 'import', count(*), (array_agg(p.id order by p.id))[1:10]
  from square.payments p where p.order_id is not null
    and not exists (select from square.orders o where o.id = p.order_id)
$function$;
CREATE OR REPLACE FUNCTION events.square_payment_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select p.id, jsonb_build_object('id', p.id, 'order_id', p.order_id, 'location_id', p.location_id, 'status', p.status,
    'currency', p.currency, 'amount', p.amount, 'total_amount', p.total_amount,
    'refunded_amount', coalesce(p.refunded_amount, 0), 'receipt_number', p.receipt_number, 'paid_at', p.created_at),
    null::text
  from square.payments p where p.id = any (p_ids)
$function$;
CREATE OR REPLACE FUNCTION events.square_registration_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  with lines as (select * from events._square_lines(p_ids) where is_ticket),
  counts as (
    select l.root_id, count(distinct coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name))) as attendees,
      sum(case when l.quantity ~ '^\d{1,4}$' then l.quantity::integer else 0 end) as tickets
    from lines l group by l.root_id
  )
  select p.id, jsonb_build_object('id', o.id, 'payment_id', p.id, 'customer_key', b.customer_key,
      'location_id', o.location_id, 'order_state', o.state, 'status', 'active', 'currency', coalesce(o.currency, p.currency),
      'total_amount', o.total_amount, 'paid_amount', coalesce(p.total_amount, p.amount),
      'refunded_amount', coalesce(p.refunded_amount, 0), 'attendee_count', coalesce(n.attendees, 0),
      'ticket_count', coalesce(n.tickets, 0), 'reference_id', o.reference_id, 'registered_at', o.created_at),
    null::text
  from square.payments p
  join square.orders o on o.id = p.order_id
  left join events._square_booking(p_ids) b on b.root_id = p.id
  left join counts n on n.root_id = p.id
  where p.id = any (p_ids)
$function$;
CREATE OR REPLACE FUNCTION events.square_ticket_rows(p_ids text[])
 RETURNS TABLE(root_id text, data jsonb, error text)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  with lines as materialized (select * from events._square_lines(p_ids))
  select l.root_id, jsonb_build_object('registration_id', l.order_id, 'payment_id', l.root_id,
      'line_item_uid', l.uid, 'unit', u.unit,
      'attendee_key', coalesce('email:' || l.attendee_email, 'name:' || lower(l.attendee_name)),
      'ticket_type', l.ticket_type, 'catalog_object_id', l.catalog_object_id, 'price_amount', l.price_amount,
      'currency', l.currency, 'status', 'valid'),
    null::text
  from lines l
  cross join lateral generate_series(1, l.quantity::integer) u(unit)
  where l.is_ticket and l.quantity ~ '^\d{1,4}$' and l.quantity::integer between 1 and 1000
  union all
  select l.root_id, null, case
    when not l.known then format('missing parent: catalog variation %s of line item %s is not imported (or its item is not)',
      l.catalog_object_id, l.uid)
    else format('line item %s has quantity "%s": a ticket quantity must be a whole number from 1 to 1000',
      l.uid, coalesce(l.quantity, '')) end
  from lines l
  where not l.known
     or (l.is_ticket and not coalesce(l.quantity ~ '^\d{1,4}$' and l.quantity::integer between 1 and 1000, false))
$function$;
CREATE OR REPLACE FUNCTION highlevel._orders_reconcile()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  perform highlevel.reconcile_tickets(array(select n.id from changed n));
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION highlevel._product_change_reconcile()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_ids text[];
begin
  if tg_table_name = 'products' and tg_op = 'INSERT' then
    v_ids := array(select n.id from changed n);
  elsif tg_table_name = 'products' then
    v_ids := array(select n.id from changed n join previous p on p.id = n.id
                   where (p.available_in_store, p.name) is distinct from (n.available_in_store, n.name));
  elsif tg_op = 'INSERT' then
    v_ids := array(select n.product_id from changed n);
  elsif tg_op = 'DELETE' then
    v_ids := array(select p.product_id from previous p);
  else
    v_ids := array(select n.product_id from changed n union select p.product_id from previous p);
  end if;
  if cardinality(v_ids) > 0 then
    perform highlevel.reconcile_product_tickets(v_ids);
  end if;
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION highlevel._wanted_tickets(p_order_ids text[])
 RETURNS TABLE(order_id text, ticket_type text, wanted integer)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select o.id, tp.ticket_type,
    case when lower(coalesce(o.status, '')) in ('refunded', 'cancelled', 'canceled', 'void', 'voided') then 0
         else sum(highlevel.item_qty(i.item))::integer end
  from highlevel.orders o
  cross join lateral jsonb_array_elements(o.items) i(item)
  join highlevel.ticket_products tp
    on tp.issues_tickets and tp.product_id = highlevel.item_product_id(i.item)
  where o.id = any (p_order_ids) and jsonb_typeof(i.item) = 'object'
  group by o.id, o.status, tp.ticket_type
$function$;
CREATE OR REPLACE FUNCTION highlevel.item_product_id(p_item jsonb)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select coalesce(
    nullif(p_item -> 'product' ->> '_id', ''),
    nullif(p_item ->> 'productId', ''),
    nullif(p_item -> 'price' ->> 'product', ''),
    (select pr.product_id from highlevel.prices pr
      where pr.id = coalesce(nullif(p_item -> 'price' ->> '_id', ''), nullif(p_item ->> 'priceId', ''))),
    (select min(p.id) from highlevel.products p
      where p.name = coalesce(nullif(p_item -> 'product' ->> 'name', ''), nullif(p_item ->> 'name', ''))
      having count(*) = 1)
  )
$function$;
CREATE OR REPLACE FUNCTION highlevel.item_qty(p_item jsonb)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select case
    when p_item -> 'qty' is null or jsonb_typeof(p_item -> 'qty') = 'null' then 1
    when (p_item ->> 'qty') ~ '^\s*\d{1,9}(\.\d+)?\s*$' then floor((p_item ->> 'qty')::numeric)::integer
    else 0 end
$function$;
CREATE OR REPLACE FUNCTION highlevel.reconcile_product_tickets(p_product_ids text[])
 RETURNS jsonb
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select highlevel.reconcile_tickets(array(
    select o.id from highlevel.orders o
    where exists (select from jsonb_array_elements(o.items) i(item)
                  where jsonb_typeof(i.item) = 'object' and highlevel.item_product_id(i.item) = any (p_product_ids))))
$function$;
CREATE OR REPLACE FUNCTION highlevel.reconcile_tickets(p_order_ids text[])
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_order text;
  v_issued int := 0;
  v_revived int := 0;
  v_voided int := 0;
  v_n int;
  r record;
begin
  -- serialise reconciles of one order (concurrent syncs of the same order)
  for v_order in select distinct x from unnest(p_order_ids) x where x is not null order by 1 loop
    perform pg_advisory_xact_lock(hashtextextended('highlevel.tickets:' || v_order, 0));
  end loop;
  for r in
    with wanted as (select * from highlevel._wanted_tickets(p_order_ids)),
    pairs as (
      select w.order_id, w.ticket_type from wanted w
      union
      -- tickets of orders that no longer want them (type removed from the order, order refunded or gone)
      select t.order_id, t.ticket_type from highlevel.tickets t
      where t.order_id = any (p_order_ids) and t.status = 'live'
        and exists (select from highlevel.ticket_products tp where tp.ticket_type = t.ticket_type and tp.issues_tickets)
    )
    select p.order_id, p.ticket_type, coalesce(w.wanted, 0) as wanted,
      (select count(*) from highlevel.tickets t where t.order_id = p.order_id and t.ticket_type = p.ticket_type
         and t.status = 'live')::int as live
    from pairs p left join wanted w using (order_id, ticket_type)
  loop
    if r.live > r.wanted then
      with surplus as (
        select t.id from highlevel.tickets t
        where t.order_id = r.order_id and t.ticket_type = r.ticket_type and t.status = 'live'
        order by (t.scanned_at is not null), t.seq desc
        limit r.live - r.wanted
      )
      update highlevel.tickets t set status = 'void', voided_at = now() from surplus where t.id = surplus.id;
      get diagnostics v_n = row_count;
      v_voided := v_voided + v_n;
    elsif r.live < r.wanted then
      with back as (
        select t.id from highlevel.tickets t
        where t.order_id = r.order_id and t.ticket_type = r.ticket_type and t.status = 'void'
        order by t.seq
        limit r.wanted - r.live
      )
      update highlevel.tickets t set status = 'live', voided_at = null from back where t.id = back.id;
      get diagnostics v_n = row_count;
      v_revived := v_revived + v_n;
      insert into highlevel.tickets (order_id, ticket_type, seq)
      select r.order_id, r.ticket_type,
        coalesce((select max(t.seq) from highlevel.tickets t where t.order_id = r.order_id and t.ticket_type = r.ticket_type), 0) + g
      from generate_series(1, r.wanted - r.live - v_n) g;
      get diagnostics v_n = row_count;
      v_issued := v_issued + v_n;
    end if;
  end loop;
  return jsonb_build_object('issued', v_issued, 'revived', v_revived, 'voided', v_voided);
end
$function$;
CREATE OR REPLACE FUNCTION irelandpay._refresh_after_sync()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  perform irelandpay.refresh_metrics();
  return null;
end $function$;
CREATE OR REPLACE FUNCTION irelandpay.refresh_metrics()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  refresh materialized view concurrently irelandpay.merchant_month_metrics;
end $function$;
CREATE OR REPLACE FUNCTION sync._alert_retries_exhausted()
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_set sync.notification_settings;
  v_r record;
  v_n integer := 0;
begin
  select * into v_set from sync.notification_settings;
  for v_r in
    with last as (
      select n.source, max(n.created_at) as at from sync.notifications n
      where n.kind = 'retries_exhausted' and n.status <> 'suppressed' group by 1
    ), gave_up as (
      select f.*, f.connector || '/' || f.account as source,
        row_number() over (partition by f.connector, f.account order by f.gave_up_at, f.id) as rn
      from sync.failed_items f
      where f.permanent and f.resolved_at is null
        and f.gave_up_at > coalesce((select l.at from last l where l.source = f.connector || '/' || f.account), '-infinity')
    )
    select g.source, min(g.connector) as connector, min(g.account) as account, count(*) as n,
      jsonb_agg(jsonb_build_object('id', g.id, 'stream', g.stream, 'item_key', g.item_key, 'attempts', g.attempts,
        'error', left(g.error, 500)) order by g.rn) filter (where g.rn <= 5) as items
    from gave_up g
    where not exists (select from last l where l.source = g.source
      and l.at > now() - coalesce(v_set.rate_limit_window, interval '1 hour'))
    group by g.source
  loop
    if (sync.enqueue_notification('retries_exhausted', v_r.source, jsonb_build_object('connector', v_r.connector,
        'account', v_r.account, 'count', v_r.n, 'max_attempts', coalesce(v_set.failed_item_max_attempts, 12),
        'items', v_r.items))).status = 'pending' then
      v_n := v_n + 1;
    end if;
  end loop;
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync._announce()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
$function$;
CREATE OR REPLACE FUNCTION sync._assert_lease(p_job_id bigint, p_worker text)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id for update;
  return sync._refuse_unless_held(v_job, p_job_id, p_worker);
end
$function$;
CREATE OR REPLACE FUNCTION sync._assert_shard_lease(p_job_id bigint, p_stream text, p_shard integer, p_worker text)
 RETURNS sync.job_shards
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_shard sync.job_shards;
  v_job_status text;
begin
  select * into v_shard from sync.job_shards
  where job_id = p_job_id and stream = p_stream and shard = p_shard for update;
  if not found then
    raise exception 'Shard % of stream "%" of job % does not exist', p_shard, p_stream, p_job_id using errcode = 'SY404';
  end if;
  select status into v_job_status from sync.jobs where id = p_job_id;
  if v_shard.status <> 'running' or v_shard.lease_owner is distinct from p_worker
      or v_job_status not in ('queued', 'running') then
    raise exception 'Worker "%" no longer holds shard % of stream "%" of job % (shard %, job %, lease owner %)',
      p_worker, p_shard, p_stream, p_job_id, v_shard.status, v_job_status, coalesce(v_shard.lease_owner, 'none')
      using errcode = 'SY410';
  end if;
  return v_shard;
end
$function$;
CREATE OR REPLACE FUNCTION sync._bookkeeping_columns()
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO ''
AS $function$
  select array['_first_synced_at', '_last_synced_at', '_source_updated_at', '_last_job_id', '_deleted_at']
$function$;
CREATE OR REPLACE FUNCTION sync._broadcast(p_payload jsonb, p_event text, p_topic text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if to_regprocedure('realtime.send(jsonb,text,text,boolean)') is not null then
    execute 'select realtime.send($1, $2, $3, true)' using p_payload, p_event, p_topic;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._check_cleanup_args(p_days_to_keep integer, p_batch_size integer)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
begin
  if p_days_to_keep is null or p_days_to_keep < 1 then
    raise exception 'Cannot clean up sync data: days_to_keep must be at least 1 (got %)', coalesce(p_days_to_keep::text, 'null')
      using errcode = 'SY422';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 100000 then
    raise exception 'Cannot clean up sync data: batch_size must be between 1 and 100000 (got %)',
      coalesce(p_batch_size::text, 'null') using errcode = 'SY422';
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._check_columns(p_target text, p_all text[], p_keys text[], p_cols text[], p_row bigint)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_bad text[];
begin
  v_bad := array(select c from unnest(p_keys) c where c <> all (p_cols));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % has no key column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
  v_bad := array(select c from unnest(p_cols) c where c = any (sync._bookkeeping_columns()));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % sets reserved bookkeeping column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
  v_bad := array(select c from unnest(p_cols) c where c <> all (p_all));
  if cardinality(v_bad) > 0 then
    raise exception 'Cannot merge into "%": row % has unknown column "%"', p_target, p_row, v_bad[1] using errcode = 'SY422';
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._check_lease(p_job_id bigint, p_worker text)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id;
  perform sync._refuse_unless_held(v_job, p_job_id, p_worker);
end
$function$;
CREATE OR REPLACE FUNCTION sync._check_setting_interval(p_setting text, p_value text, p_allow_zero boolean DEFAULT false)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_interval interval;
begin
  begin
    v_interval := p_value::interval;
    if v_interval is null then
      raise exception using errcode = '22007';
    end if;
  exception when others then
    raise exception 'Cannot update notification settings: % must be an interval such as ''1 hour'', got %',
      p_setting, coalesce('"' || left(p_value, 60) || '"', 'null') using errcode = 'SY422';
  end;
  if v_interval < interval '0' or (v_interval = interval '0' and not p_allow_zero) then
    raise exception 'Cannot update notification settings: % must be % zero, got "%"', p_setting,
      case when p_allow_zero then 'at least' else 'more than' end, coalesce(left(p_value, 60), 'null')
      using errcode = 'SY422';
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cleanup_round(p_cutoff timestamp with time zone, p_batch_size integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_jobs bigint;
  v_progress bigint;
  v_inbox bigint;
  v_failed bigint;
  v_notifications bigint;
  v_runs bigint;
  v_dedup bigint;
  v_keep_keys timestamptz := least(p_cutoff, now() - sync.webhook_dedup_window());
begin
  with j as (
    select id from sync.jobs where finished_at < p_cutoff order by finished_at limit p_batch_size for update skip locked
  ), p as (
    delete from sync.progress where job_id in (select id from j) returning 1
  ), d as (
    delete from sync.jobs where id in (select id from j) returning 1
  )
  select (select count(*) from d), (select count(*) from p) into v_jobs, v_progress;
  with d as (
    delete from sync.webhook_inbox where id in (
      select id from sync.webhook_inbox
      where (status in ('processed', 'ignored', 'failed') and coalesce(processed_at, received_at) < p_cutoff)
        or (status in ('received', 'processing') and received_at < v_keep_keys)
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_inbox from d;
  with d as (
    delete from sync.webhook_dedup where (provider, event_id) in (
      select provider, event_id from sync.webhook_dedup where first_seen_at < v_keep_keys
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_dedup from d;
  with d as (
    delete from sync.failed_items where id in (
      select id from sync.failed_items where resolved_at < p_cutoff limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_failed from d;
  with d as (
    delete from sync.notifications where id in (
      select id from sync.notifications where status in ('sent', 'failed', 'suppressed') and created_at < p_cutoff
      limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_notifications from d;
  with d as (
    delete from sync.schedule_runs where id in (
      select id from sync.schedule_runs where ran_at < p_cutoff limit p_batch_size for update skip locked)
    returning 1)
  select count(*) into v_runs from d;
  return jsonb_build_object('jobs', v_jobs, 'progress', v_progress, 'webhook_inbox', v_inbox,
    'webhook_dedup', v_dedup, 'failed_items', v_failed, 'notifications', v_notifications, 'schedule_runs', v_runs);
end
$function$;
CREATE OR REPLACE FUNCTION sync._close_job_shards()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  update sync.job_shards set status = 'cancelled', lease_owner = null, lease_expires_at = null,
    finished_at = clock_timestamp(), updated_at = clock_timestamp()
  where job_id = new.id and status in ('pending', 'running');
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync._count_stale(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_observed_at timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select sync._count_stale_in(p_rel, p_keys, p_cols,
    format('select %s, %s as _v from jsonb_populate_recordset(null::%s, $1) s',
      (select string_agg(format('%I', c), ', ') from unnest(p_cols) c), sync._merge_version(p_version, p_cols), p_rel),
    p_rows, p_observed_at)
$function$;
CREATE OR REPLACE FUNCTION sync._count_stale_in(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_rows jsonb, p_observed_at timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_data text[] := array(select c from unnest(p_cols) c where c <> all (p_keys) and c <> all (sync._bookkeeping_columns()));
  v_n int;
begin
  execute format(
    'select count(*) from (%s) s join %s t using (%s)
     where t._source_updated_at > s._v or (t._source_updated_at = s._v and (%s) is distinct from (%s))',
    p_src, p_rel,
    (select string_agg(format('%I', c), ', ') from unnest(p_keys) c),
    coalesce((select string_agg(format('t.%I', c), ', ') from unnest(v_data) c), 'null'),
    coalesce((select string_agg(format('s.%I', c), ', ') from unnest(v_data) c), 'null'))
  into v_n using p_rows, p_observed_at;
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_available()
 RETURNS boolean
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select to_regprocedure('cron.schedule(text,text,text)') is not null
    and to_regprocedure('cron.unschedule(bigint)') is not null
    and to_regclass('cron.job') is not null
$function$;
CREATE OR REPLACE FUNCTION sync._cron_char(p_text text, p_pos integer)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select case when p_pos <= length(p_text) then substr(p_text, p_pos, 1)
    when p_pos = length(p_text) + 1 then '' end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_drop(p_job_name text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if sync._cron_available() then
    -- by id: cron.unschedule(bigint) is the same in every pg_cron version
    execute 'select cron.unschedule(jobid) from cron.job where jobname = $1' using p_job_name;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_entry_valid(p_text text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_lo integer[] := array[0, 0, 1, 1, 0];
  v_hi integer[] := array[59, 23, 31, 12, 7];
  v_months text[] := array['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  v_days text[] := array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  v_pos integer := 1;
  v_ch text;
  v_names text[];
  v_lo_f integer;
  v_hi_f integer;
  v_num1 bigint;
  v_num2 bigint;
  v_num3 bigint;
  v_word text;
begin
  if p_text is null or octet_length(p_text) >= 1000 then
    return false;
  end if;
  -- skip_comments(): blank lines and # comment lines before the entry
  loop
    v_ch := sync._cron_char(p_text, v_pos);
    v_pos := v_pos + 1;
    exit when v_ch is null;
    while v_ch in (' ', E'\t') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    exit when v_ch is null or v_ch not in (E'\n', '#');
    while v_ch is not null and v_ch <> E'\n' loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
  end loop;
  if v_ch is null then
    return false;
  end if;
  if v_ch = '@' then
    -- get_string() up to a blank, newline or the end
    v_word := substring(substr(p_text, v_pos) from E'^[^ \t\n]*');
    return v_word in ('reboot', 'restart', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'midnight', 'hourly');
  end if;
  for v_f in 1..5 loop
    v_names := case v_f when 4 then v_months when 5 then v_days end;
    v_lo_f := v_lo[v_f];
    v_hi_f := v_hi[v_f];
    if v_f = 3 and v_ch = '$' then
      -- last day of the month: "$" and a blank
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
      if v_ch is null or v_ch not in (' ', E'\t') then
        return false;
      end if;
      while v_ch in (' ', E'\t') loop
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
      end loop;
      continue;
    end if;
    -- get_list(): ranges separated by commas
    loop
      -- get_range(): "*" or number ["-" number] ["/" step]; v_ch is the range's first character
      if v_ch = '*' then
        v_num1 := v_lo_f;
        v_num2 := v_hi_f;
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
        if v_ch is null then
          return false;
        end if;
      else
        select n.value, n.next_pos into v_num1, v_pos from sync._cron_number(p_text, v_pos - 1, v_names, v_lo_f) n;
        if v_num1 is null then
          return false;
        end if;
        v_ch := sync._cron_char(p_text, v_pos);
        v_pos := v_pos + 1;
        if v_ch is distinct from '-' then
          -- a single number: no step allowed ("1/20" is refused), must be in range
          if v_ch = '/' or v_num1 < v_lo_f or v_num1 > v_hi_f then
            return false;
          end if;
          v_num2 := null;
        else
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
          if v_ch is null then
            return false;
          end if;
          select n.value, n.next_pos into v_num2, v_pos from sync._cron_number(p_text, v_pos - 1, v_names, v_lo_f) n;
          if v_num2 is null then
            return false;
          end if;
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
        end if;
      end if;
      if v_num2 is not null then
        v_num3 := 1;
        if v_ch = '/' then
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
          if v_ch is null then
            return false;
          end if;
          select n.value, n.next_pos into v_num3, v_pos from sync._cron_number(p_text, v_pos - 1, null, 0) n;
          if v_num3 is null or v_num3 <= 0 then
            return false;
          end if;
          v_ch := sync._cron_char(p_text, v_pos);
          v_pos := v_pos + 1;
        end if;
        -- a start after the stop is accepted (and never fires), as in pg_cron
        if v_num1 < v_lo_f or v_num1 > v_hi_f or v_num2 < v_lo_f or v_num2 > v_hi_f or v_num3 > v_hi_f then
          return false;
        end if;
      end if;
      exit when v_ch is distinct from ',';
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    -- Skip_Nonblanks (ignores what is glued to the list), then Skip_Blanks
    while v_ch is not null and v_ch not in (' ', E'\t', E'\n', '') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
    while v_ch in (' ', E'\t') loop
      v_ch := sync._cron_char(p_text, v_pos);
      v_pos := v_pos + 1;
    end loop;
  end loop;
  return true;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_number(p_text text, p_pos integer, p_names text[], p_low integer, OUT value bigint, OUT next_pos integer)
 RETURNS record
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_token text := substring(substr(p_text, p_pos) from '^[A-Za-z0-9]*');
  v_n numeric;
begin
  next_pos := p_pos + length(v_token);
  if v_token = '' or length(v_token) >= 1000 then
    return;
  end if;
  if p_names is not null and array_position(p_names, lower(v_token)) is not null then
    value := array_position(p_names, lower(v_token)) - 1 + p_low;
  elsif v_token ~ '^[0-9]+$' then
    -- atoi() is (int) strtol(): clamps to LONG_MAX, then keeps the low 32 bits, signed
    v_n := least(v_token::numeric, 9223372036854775807) % 4294967296;
    value := case when v_n >= 2147483648 then v_n - 4294967296 else v_n end;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_put(p_job_name text, p_cron text, p_command text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if sync._cron_available() then
    execute 'select cron.schedule($1, $2, $3)' using p_job_name, p_cron, p_command;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_schedule_error(p_cron text)
 RETURNS text
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  if not sync._valid_cron(p_cron) then
    return 'not a schedule pg_cron accepts';
  end if;
  if sync._cron_available() then
    begin
      execute 'select cron.schedule($1, $2, $3)' using 'syncline:cron-check', p_cron, 'select 1';
      raise exception 'rolled back' using errcode = 'SY000';
    exception
      when sqlstate 'SY000' then
        return null;
      when invalid_parameter_value then
        return sqlerrm;
    end;
  end if;
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_seconds_valid(p_text text)
 RETURNS boolean
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_m text[] := regexp_match(lower(p_text), E'^[ \t\n\r\f\v]*([+-]?)([0-9]+)[ \t\n\r\f\v]*second(s[ \t\n\r\f\v]*)?$');
  v_n numeric;
begin
  if v_m is null then
    return false;
  end if;
  v_n := least(v_m[2]::numeric, 18446744073709551615);
  if v_m[1] = '-' and v_n > 0 then
    v_n := 18446744073709551616 - v_n;
  end if;
  v_n := v_n % 4294967296;
  return v_n between 1 and 59;
end
$function$;
CREATE OR REPLACE FUNCTION sync._cron_values(p_field text, p_lo integer, p_hi integer)
 RETURNS integer[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_out integer[] := '{}'::integer[];
  v_part text;
  v_m text[];
  v_a integer;
  v_b integer;
begin
  foreach v_part in array string_to_array(p_field, ',') loop
    v_m := regexp_match(v_part, '^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:/(\d{1,2}))?$');
    if v_m is null then
      return null;
    end if;
    if v_m[1] = '*' then
      v_a := p_lo;
      v_b := p_hi;
    else
      v_a := v_m[2]::integer;
      -- "a/n" means a to the maximum in steps of n
      v_b := coalesce(v_m[3]::integer, case when v_m[4] is not null then p_hi else v_a end);
    end if;
    if v_a < p_lo or v_b > p_hi or v_a > v_b or coalesce(v_m[4]::integer, 1) < 1 then
      return null;
    end if;
    v_out := v_out || array(select generate_series(v_a, v_b, coalesce(v_m[4]::integer, 1)));
  end loop;
  return array(select distinct x from unnest(v_out) x order by x);
end
$function$;
CREATE OR REPLACE FUNCTION sync._install_cron_jobs()
 RETURNS TABLE(jobname text, schedule text, command text)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  if sync._cron_available() then
    return query execute 'select jobname::text, schedule::text, command::text from cron.job
      where jobname like ''syncline:%'' order by jobname';
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._install_extension(p_name text, p_schema text)
 RETURNS sync.install_step
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  if exists (select from pg_catalog.pg_extension where extname = p_name) then
    return row('extension ' || p_name, 'unchanged', 'already installed')::sync.install_step;
  end if;
  if not exists (select from pg_catalog.pg_available_extensions where name = p_name) then
    return row('extension ' || p_name, 'skipped', 'this server does not offer ' || p_name
      || case p_name when 'pg_net' then ' (a polling worker, deno task worker, runs queued jobs instead)'
        else '' end)::sync.install_step;
  end if;
  if p_name = 'pg_cron' and pg_catalog.current_database()
      is distinct from pg_catalog.current_setting('cron.database_name', true) then
    return row('extension pg_cron', 'skipped', 'pg_cron lives in database "'
      || coalesce(pg_catalog.current_setting('cron.database_name', true), 'postgres') || '", not "'
      || pg_catalog.current_database() || '"')::sync.install_step;
  end if;
  execute format('create extension if not exists %I with schema %I', p_name, p_schema);
  return row('extension ' || p_name, 'created', 'schema ' || p_schema)::sync.install_step;
end
$function$;
CREATE OR REPLACE FUNCTION sync._install_vault_secret(p_name text, p_value text)
 RETURNS sync.install_step
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_id uuid;
  v_old text;
begin
  if to_regclass('vault.decrypted_secrets') is null then
    return row('vault secret ' || p_name, 'skipped',
      'Vault (supabase_vault) is not installed here; pg_net cannot wake the worker without it')::sync.install_step;
  end if;
  execute 'select id, decrypted_secret from vault.decrypted_secrets where name = $1' into v_id, v_old using p_name;
  if v_id is null then
    execute 'select vault.create_secret($1, $2, $3)' using p_value, p_name, 'Syncline (deno task install)';
    return row('vault secret ' || p_name, 'created', null)::sync.install_step;
  elsif v_old is distinct from p_value then
    execute 'select vault.update_secret($1, $2)' using v_id, p_value;
    return row('vault secret ' || p_name, 'updated', null)::sync.install_step;
  end if;
  return row('vault secret ' || p_name, 'unchanged', null)::sync.install_step;
end
$function$;
CREATE OR REPLACE FUNCTION sync._is_delivery_url(p_url text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select p_url ~* '^https://[^/?#[:space:]@]+([/?#][^[:space:]]*)?$'
    or p_url ~* '^http://(localhost|127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\])(:[0-9]{1,5})?([/?#][^[:space:]]*)?$'
$function$;
CREATE OR REPLACE FUNCTION sync._job_event(p_job sync.jobs)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select jsonb_build_object('job_id', p_job.id, 'connector', p_job.connector, 'account', p_job.account,
    'streams', to_jsonb(p_job.streams), 'mode', p_job.mode, 'trigger', p_job.trigger, 'status', p_job.status,
    'cancel_requested', p_job.cancel_requested, 'dry_run', coalesce((p_job.options ->> 'dryRun')::boolean, false),
    'error', p_job.error, 'created_at', p_job.created_at, 'started_at', p_job.started_at,
    'finished_at', p_job.finished_at, 'updated_at', p_job.updated_at)
$function$;
CREATE OR REPLACE FUNCTION sync._job_stream_rows(p_job_ids bigint[] DEFAULT NULL::bigint[])
 RETURNS TABLE(job_id bigint, connector text, account text, stream text, status text, duration_seconds numeric, records bigint, finished_at timestamp with time zone)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select j.id, j.connector, j.account, s.stream, coalesce(s.status, j.status),
    extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at)),
    coalesce(s.records, (j.stats ->> 'records')::bigint, 0), j.finished_at
  from sync.jobs j
  cross join lateral (
    select null::text as stream, null::text as status, null::bigint as records
    union all
    select e.key, case when e.value ->> 'status' = 'failed' then 'failed' end, coalesce((e.value ->> 'done')::bigint, 0)
    from jsonb_each(case when jsonb_typeof(j.stats -> 'streams') = 'object' then j.stats -> 'streams' else '{}'::jsonb end) e
  ) s
  where j.finished_at is not null and j.mode <> 'retry' and (p_job_ids is null or j.id = any (p_job_ids))
$function$;
CREATE OR REPLACE FUNCTION sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean DEFAULT false)
 RETURNS sync.merge_group_counts
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_cols text := (select string_agg(format('%I', c), ', ') from unnest(p_cols) c);
  v_ver text := sync._merge_version(p_version, p_cols);
  v_src text;
  v_ins int;
  v_upd int;
begin
  if not p_check then
    v_src := format('select %s, %s as _v from jsonb_populate_recordset(null::%s, $1) s', v_cols, v_ver, p_rel);
  else
    -- each typed row zipped with its JSON object (ROWS FROM walks both in lockstep): removing p_cols
    -- must leave nothing (no other column, no key that is no column: that would be silently dropped);
    -- a missing key reads as null, so only a row with a null in one of p_cols needs the ?& look-up
    v_src := format('select %s, %s as _v
        from rows from (jsonb_populate_recordset(null::%s, $1), jsonb_array_elements($1)) s(%s, _sync_row)
      where (s._sync_row - $4 = ''{}''::jsonb and (row(%s) is not null or s._sync_row ?& $4))
        or sync._merge_not_uniform()',
      (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c), v_ver, p_rel,
      (select string_agg(format('%I', attname), ', ' order by attnum) from pg_attribute
        where attrelid = p_rel and attnum > 0 and not attisdropped),
      (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c));
  end if;
  perform set_config('sync.merge_stale', 'f', true);
  execute sync._merge_statement(p_rel, p_keys, p_cols, v_src, p_dedupe)
    into v_ins, v_upd using p_rows, p_observed_at, p_job_id, p_cols;
  -- rows a dedupe dropped never reach the conflict check: they may be stale
  return row(v_ins, v_upd,
    coalesce(p_dedupe or current_setting('sync.merge_stale') = 't', false))::sync.merge_group_counts;
end
$function$;
CREATE OR REPLACE FUNCTION sync._merge_not_uniform()
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  raise exception 'merge batch is not uniform' using errcode = 'SY100';
end
$function$;
CREATE OR REPLACE FUNCTION sync._merge_statement(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_dedupe boolean)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_data text[] := array(select c from unnest(p_cols) c where c <> all (p_keys) and c <> all (sync._bookkeeping_columns()));
  v_cols text := (select string_agg(format('%I', c), ', ') from unnest(p_cols) c);
  v_keys text := (select string_agg(format('%I', c), ', ') from unnest(p_keys) c);
  v_src text := p_src;
  v_set text;
  v_changed text;
begin
  if p_dedupe then
    -- within one batch the newest version of a key wins, a tie goes to the greater content (as between batches)
    v_src := format('select distinct on (%s) * from (%s) d order by %s, _v desc%s', v_keys, v_src, v_keys,
      case when cardinality(v_data) > 0 then format(', row(%s)::text desc',
        (select string_agg(format('d.%I', c), ', ') from unnest(v_data) c)) end);
  end if;
  v_set := concat_ws(', ',
    (select string_agg(format('%I = excluded.%I', c, c), ', ') from unnest(v_data) c),
    '_last_synced_at = excluded._last_synced_at', '_source_updated_at = excluded._source_updated_at',
    '_last_job_id = excluded._last_job_id', '_deleted_at = null');
  v_changed := case when cardinality(v_data) = 0 then 'false' else format('(%s) is distinct from (%s)',
    (select string_agg(format('t.%I', c), ', ') from unnest(v_data) c),
    (select string_agg(format('excluded.%I', c), ', ') from unnest(v_data) c)) end;
  -- newer wins; on an equal version the greater content wins, so arrival order never matters.
  -- A changed row that loses, or an unchanged row older than the stored one, is stale: it sets the
  -- transaction-local flag sync.merge_stale (set_config returns text, so "is null" is false).
  -- A row marked deleted at the source that arrives again, not older, is written: that undeletes it.
  return format(
    'with w as (insert into %1$s as t (%2$s, _first_synced_at, _last_synced_at, _source_updated_at, _last_job_id)
       select %2$s, now(), now(), s._v, $3 from (%3$s) s
       on conflict (%4$s) do update set %5$s
       where case when %6$s then (t._source_updated_at is null or excluded._source_updated_at > t._source_updated_at
           or (excluded._source_updated_at = t._source_updated_at and row(%7$s)::text > row(%8$s)::text))
           or (t._deleted_at is not null and excluded._source_updated_at = t._source_updated_at)
           or set_config(''sync.merge_stale'', ''t'', true) is null
         else (t._deleted_at is not null and (t._source_updated_at is null
             or excluded._source_updated_at >= t._source_updated_at))
           or (t._source_updated_at > excluded._source_updated_at and set_config(''sync.merge_stale'', ''t'', true) is null) end
       returning (t.xmax = 0) as inserted)
     select count(*) filter (where inserted), count(*) filter (where not inserted) from w',
    p_rel, v_cols, v_src, v_keys, v_set, v_changed,
    (select string_agg(format('excluded.%I', c), ', ') from unnest(v_data) c),
    (select string_agg(format('t.%I', c), ', ') from unnest(v_data) c));
end
$function$;
CREATE OR REPLACE FUNCTION sync._merge_target(p_target text)
 RETURNS sync.targets
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot merge into "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  return v_t;
end
$function$;
CREATE OR REPLACE FUNCTION sync._merge_version(p_version text, p_cols text[])
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select case when p_version is not null and p_version = any (p_cols) then format('coalesce(s.%I, $2)', p_version)
    else '$2' end
$function$;
CREATE OR REPLACE FUNCTION sync._note_wake(p_ok boolean, p_reason text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if exists (select from sync.wake_status w where w.id and w.ok = p_ok and w.reason = p_reason) then
    return p_ok;
  end if;
  if not p_ok then
    raise warning 'syncline: cannot wake the worker: %', p_reason;
  end if;
  insert into sync.wake_status (id, ok, reason) values (true, p_ok, p_reason)
  on conflict (id) do update set ok = excluded.ok, reason = excluded.reason, changed_at = now();
  return p_ok;
end
$function$;
CREATE OR REPLACE FUNCTION sync._notification_retry_delay(p_attempts integer)
 RETURNS interval
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select least(interval '30 minutes', interval '30 seconds' * power(2, greatest(p_attempts - 1, 0)))
$function$;
CREATE OR REPLACE FUNCTION sync._on_failed_item_attempt()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  if new.resolved_at is null and not new.permanent and new.attempts >= coalesce(
      (select s.failed_item_max_attempts from sync.notification_settings s), 12) then
    new.permanent := true;
    new.gave_up_at := clock_timestamp();
  end if;
  if new.permanent then
    new.next_retry_at := null;
  end if;
  return new;
end
$function$;
CREATE OR REPLACE FUNCTION sync._on_job_finished()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_stream text;
  v_stream_status text;
  v_ok boolean;
  v_secs double precision := extract(epoch from new.finished_at - coalesce(new.started_at, new.created_at));
  v_set sync.notification_settings;
  v_prev record;
  v_errors jsonb;
  v_records numeric := coalesce((new.stats ->> 'records')::numeric, 0);
begin
  select * into v_set from sync.notification_settings;
  foreach v_stream in array case when new.mode = 'retry' then '{}'::text[] else new.streams end loop
    v_stream_status := new.stats -> 'streams' -> v_stream ->> 'status';
    v_ok := new.status in ('succeeded', 'partial') and coalesce(v_stream_status, 'done') not in ('failed', 'cancelled', 'skipped');
    insert into sync.stream_status as s (connector, account, stream, last_run_at, last_status, last_job_id,
      last_success_at, last_success_job_id)
    values (new.connector, new.account, v_stream, new.finished_at, new.status, new.id,
      case when v_ok then new.finished_at end, case when v_ok then new.id end)
    on conflict (connector, account, stream) do update set last_run_at = excluded.last_run_at,
      last_status = excluded.last_status, last_job_id = excluded.last_job_id,
      last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
      last_success_job_id = coalesce(excluded.last_success_job_id, s.last_success_job_id);
  end loop;
  if new.status = 'failed' then
    perform sync.enqueue_notification('job_failed', new.connector || '/' || new.account, jsonb_build_object(
      'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
      'trigger', new.trigger, 'error', new.error, 'attempts', new.attempts, 'duration_seconds', round(v_secs::numeric, 1),
      'finished_at', new.finished_at));
  elsif new.status in ('succeeded', 'partial') then
    if new.status = 'partial' and new.mode <> 'retry' then
      select coalesce(jsonb_agg(jsonb_build_object('stream', f.stream, 'item_key', f.item_key,
          'error_class', f.error_class, 'error', left(f.error, 500)) order by f.id), '[]'::jsonb) into v_errors
      from (select * from sync.failed_items x where x.job_id = new.id order by x.id limit 5) f;
      perform sync.enqueue_notification('job_partial', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'trigger', new.trigger, 'mode', new.mode, 'records', v_records,
        'failed', greatest(coalesce((new.stats ->> 'failed')::bigint, 0),
          (select count(*) from sync.failed_items x where x.job_id = new.id and x.resolved_at is null)),
        'first_errors', v_errors, 'duration_seconds', round(v_secs::numeric, 1), 'finished_at', new.finished_at));
    elsif new.status = 'succeeded' and v_set.run_reports and new.mode in ('full', 'incremental') then
      perform sync.enqueue_notification('run_report', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'trigger', new.trigger, 'mode', new.mode, 'records', v_records,
        'duration_seconds', round(v_secs::numeric, 1),
        'rate_per_second', case when v_secs > 0 then round(v_records / v_secs::numeric, 1) end,
        'per_stream', coalesce(new.stats -> 'streams', '{}'::jsonb), 'finished_at', new.finished_at));
    end if;
    select count(*) as runs, percentile_cont(0.95) within group (order by x.secs) as p95, avg(x.secs) as avg into v_prev
    from (select extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at)) as secs
      from sync.jobs j
      where j.connector = new.connector and j.account = new.account and j.status in ('succeeded', 'partial')
        and j.finished_at is not null and j.id <> new.id and j.streams = new.streams
      order by j.finished_at desc limit 20) x;
    if v_prev.runs >= coalesce(v_set.slow_run_min_runs, 5) and v_secs >= coalesce(v_set.slow_run_min_seconds, 60)
      and v_secs > coalesce(v_set.slow_run_factor, 3) * v_prev.p95 then
      perform sync.enqueue_notification('slow_run', new.connector || '/' || new.account, jsonb_build_object(
        'job_id', new.id, 'connector', new.connector, 'account', new.account, 'streams', to_jsonb(new.streams),
        'duration_seconds', round(v_secs::numeric, 1), 'p95_seconds', round(v_prev.p95::numeric, 1),
        'avg_seconds', round(v_prev.avg::numeric, 1), 'previous_runs', v_prev.runs,
        'factor', coalesce(v_set.slow_run_factor, 3)));
    end if;
  end if;
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync._on_job_stream_runs()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  if tg_op = 'UPDATE' then
    delete from sync.job_stream_runs where job_id = old.id;
  end if;
  if new.finished_at is not null then
    insert into sync.job_stream_runs (job_id, connector, account, stream, status, duration_seconds, records, finished_at)
    select * from sync._job_stream_rows(array[new.id]);
  end if;
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync._progress_figures(p_done bigint, p_total bigint, p_started_at timestamp with time zone, p_now timestamp with time zone, OUT percent numeric, OUT rate numeric, OUT eta_seconds integer)
 RETURNS record
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select
    case when p_total > 0 then round(least(100, 100.0 * p_done / p_total), 2) when p_total = 0 then 100 end,
    case when extract(epoch from p_now - p_started_at) > 0
      then round(p_done / extract(epoch from p_now - p_started_at), 2) end,
    case when p_total is not null and p_done > 0 and extract(epoch from p_now - p_started_at) > 0
      then ceil(greatest(p_total - p_done, 0) / (p_done / extract(epoch from p_now - p_started_at)))::integer end
$function$;
CREATE OR REPLACE FUNCTION sync._promotion_name(p_what text, p_name text)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
begin
  if p_name is null or p_name !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' then
    raise exception 'Invalid promotion plan: % must be "schema.name", got %', p_what, coalesce(p_name, 'null')
      using errcode = 'SY422';
  end if;
  return p_name;
end
$function$;
CREATE OR REPLACE FUNCTION sync._promotion_retire(p_step sync.promotion_steps, p_roots text[], p_rows jsonb, p_job_id bigint)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_keys text[] := (select key_columns from sync.targets where target = p_step.target);
  v_cols text[] := array(select k from jsonb_object_keys(p_step.retire) k order by k);
  v_n integer;
begin
  if p_step.retire is null or cardinality(p_roots) = 0 then
    return 0;
  end if;
  execute format(
    'update %1$s t set (%2$s) = (select %3$s from jsonb_populate_record(null::%1$s, $3) r),
       _last_synced_at = now(), _last_job_id = $4
     where t.%4$I = any ($1)
       and (%5$s) not in (select %7$s from jsonb_array_elements($2) x)
       and (%6$s) is distinct from (select %3$s from jsonb_populate_record(null::%1$s, $3) r)',
    p_step.target::regclass,
    (select string_agg(format('%I', c), ', ') from unnest(v_cols) c),
    (select string_agg(format('r.%I', c), ', ') from unnest(v_cols) c),
    p_step.tie_column,
    (select string_agg(format('t.%I::text', k), ', ') from unnest(v_keys) k),
    (select string_agg(format('t.%I', c), ', ') from unnest(v_cols) c),
    (select string_agg(format('x ->> %L', k), ', ') from unnest(v_keys) k))
    using p_roots, p_rows, p_step.retire, p_job_id;
  get diagnostics v_n = row_count;
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync._promotion_write(p_steps sync.promotion_steps[], p_roots text[], p_rows jsonb[], p_job_id bigint)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_step text;
  v_rows jsonb;
  v_part integer;
  v_out jsonb := '{}'::jsonb;
  v_set jsonb;
begin
  if coalesce(cardinality(p_roots), 0) = 0 then
    return '{}'::jsonb;
  end if;
  v_set := (select jsonb_object_agg(r, true) from unnest(p_roots) r); -- the roots as a hashed set
  begin
    for v_i in 1 .. cardinality(p_steps) loop
      v_step := p_steps[v_i].name;
      select coalesce(jsonb_agg(x -> 'row'), '[]'::jsonb) into v_rows
      from jsonb_array_elements(p_rows[v_i]) x where v_set ? (x ->> 'r');
      perform sync.merge_rows(p_steps[v_i].target, v_rows, p_job_id);
      perform sync._promotion_retire(p_steps[v_i], p_roots, v_rows, p_job_id);
    end loop;
    return '{}'::jsonb;
  exception when others then
    if cardinality(p_roots) = 1 then
      return jsonb_build_object(p_roots[1], jsonb_build_object('step', v_step, 'error', sqlerrm));
    end if;
  end;
  v_part := ceil(cardinality(p_roots) / 8.0)::integer;
  for v_i in 0 .. (cardinality(p_roots) - 1) / v_part loop
    v_out := v_out || sync._promotion_write(p_steps, p_roots[v_i * v_part + 1:(v_i + 1) * v_part], p_rows, p_job_id);
  end loop;
  return v_out;
end
$function$;
CREATE OR REPLACE FUNCTION sync._refuse_unless_held(p_job sync.jobs, p_job_id bigint, p_worker text)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
begin
  if p_job.id is null then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  if p_job.status <> 'running' or p_job.lease_owner is distinct from p_worker then
    raise exception 'Worker "%" no longer holds job % (status %, lease owner %)', p_worker, p_job_id, p_job.status,
      coalesce(p_job.lease_owner, 'none') using errcode = 'SY410';
  end if;
  return p_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync._rejected_column(p_rel regclass, p_row jsonb, OUT col text, OUT col_type text)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_key text;
begin
  if jsonb_typeof(p_row) <> 'object' then
    return;
  end if;
  for v_key in select k from jsonb_object_keys(p_row) k order by k loop
    begin
      execute format('select jsonb_populate_record(null::%s, $1)', p_rel) using jsonb_build_object(v_key, p_row -> v_key);
    exception when data_exception then
      col := v_key;
      select format_type(atttypid, atttypmod) into col_type from pg_attribute
      where attrelid = p_rel and attname = v_key and attnum > 0 and not attisdropped;
      return;
    end;
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync._rejected_columns_of(p_rel regclass, p_constraint text, p_message text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select coalesce(
    (select string_agg(a.attname::text, ', ' order by a.attnum) from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
     where c.conrelid = p_rel and c.conname = p_constraint),
    (select string_agg(a.attname::text, ', ' order by a.attnum) from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
     where i.indrelid = p_rel and ic.relname = coalesce(p_constraint, substring(p_message from 'index "([^"]+)"'))))
$function$;
CREATE OR REPLACE FUNCTION sync._retry_delay(p_attempts integer)
 RETURNS interval
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select least(interval '24 hours', interval '1 minute' * power(2, greatest(p_attempts - 1, 0)))
$function$;
CREATE OR REPLACE FUNCTION sync._single_key(p_target text)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot list keys of "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  if cardinality(v_t.key_columns) <> 1 then
    raise exception 'Cannot list keys of "%": its key has % columns, ids need one', p_target, cardinality(v_t.key_columns)
      using errcode = 'SY422';
  end if;
  return v_t.key_columns[1];
end
$function$;
CREATE OR REPLACE FUNCTION sync._stale_after(p_connector text, p_stream text)
 RETURNS interval
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  return coalesce((select (s.stale_after_by_stream ->> (p_connector || '/' || p_stream))::interval
    from sync.notification_settings s), (select s.stale_after from sync.notification_settings s), interval '26 hours');
end
$function$;
CREATE OR REPLACE FUNCTION sync._sync_schedule_cron(p_schedule sync.schedules)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if p_schedule.enabled and p_schedule.timezone = 'UTC' then
    perform sync._cron_put('syncline:' || p_schedule.id, p_schedule.cron,
      format('select sync.run_schedule(%s)', p_schedule.id));
  else
    perform sync._cron_drop('syncline:' || p_schedule.id);
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync._ticket_step()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_job bigint;
  v_change text;
begin
  select o._last_job_id into v_job from highlevel.orders o where o.id = new.order_id;
  if v_job is null or not exists (
    select from sync.jobs j where j.id = v_job and j.status = 'running' and j.mode in ('single', 'retry')
  ) then
    return null;
  end if;
  v_change := case when tg_op = 'INSERT' then 'issued' when new.status = 'void' then 'voided' else 'revived' end;
  perform sync.record_job_step(v_job, 'orders', new.order_id, 'ticket', v_change,
    jsonb_build_object('ticket_type', new.ticket_type, 'seq', new.seq, 'status', new.status));
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync._valid_cron(p_expr text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select p_expr is not null and (sync._cron_entry_valid(p_expr) or sync._cron_seconds_valid(p_expr))
$function$;
CREATE OR REPLACE FUNCTION sync._valid_timezone(p_timezone text)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  if p_timezone = 'UTC' then
    return true;
  end if;
  if p_timezone is null or p_timezone !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){1,2}$' then
    return false;
  end if;
  perform pg_catalog.now() at time zone p_timezone;
  return true;
exception when invalid_parameter_value then
  return false;
end
$function$;
CREATE OR REPLACE FUNCTION sync._wake_for_shards(p_job_id bigint, p_shards integer)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  for i in 2 .. p_shards loop
    perform sync._wake_worker('shard', p_job_id);
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync._wake_worker(p_reason text, p_job_id bigint DEFAULT NULL::bigint)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_url text;
  v_secret text;
begin
  if to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') is null then
    return sync._note_wake(false, 'pg_net is not installed (create extension pg_net with schema extensions); '
      || 'only a polling worker (deno task worker) runs queued jobs');
  end if;
  if to_regclass('vault.decrypted_secrets') is null then
    return sync._note_wake(false, 'Vault (supabase_vault) is not installed, so the worker URL and secret are unknown');
  end if;
  execute 'select max(decrypted_secret) filter (where name = ''syncline_worker_url''),
      max(decrypted_secret) filter (where name = ''syncline_worker_secret'')
    from vault.decrypted_secrets where name in (''syncline_worker_url'', ''syncline_worker_secret'')'
    into v_url, v_secret;
  if v_url is null or v_secret is null then
    return sync._note_wake(false, 'Vault has no ' || concat_ws(' and ',
      case when v_url is null then 'syncline_worker_url' end,
      case when v_secret is null then 'syncline_worker_secret' end) || ' secret: run deno task install');
  end if;
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := 5000)'
    using v_url, jsonb_build_object('reason', p_reason, 'job_id', p_job_id),
      jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_secret);
  return sync._note_wake(true, 'the worker endpoint is called through pg_net');
exception when others then
  -- waking is best effort: the queued job and pending notifications stay in the tables
  return sync._note_wake(false, 'pg_net could not be called: ' || sqlerrm);
end
$function$;
CREATE OR REPLACE FUNCTION sync.add_http_stats(p_job_id bigint, p_source text, p_delta jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_totals jsonb;
begin
  insert into sync.job_http_stats as h (job_id, source, requests, retries, failures, rate_limited_ms, circuit_rejections)
  values (p_job_id, p_source, coalesce((p_delta ->> 'requests')::bigint, 0), coalesce((p_delta ->> 'retries')::bigint, 0),
    coalesce((p_delta ->> 'failures')::bigint, 0), coalesce((p_delta ->> 'rateLimitedMs')::bigint, 0),
    coalesce((p_delta ->> 'circuitRejections')::bigint, 0))
  on conflict (job_id, source) do update set
    requests = h.requests + excluded.requests, retries = h.retries + excluded.retries,
    failures = h.failures + excluded.failures, rate_limited_ms = h.rate_limited_ms + excluded.rate_limited_ms,
    circuit_rejections = h.circuit_rejections + excluded.circuit_rejections, updated_at = clock_timestamp();
  select jsonb_build_object('requests', sum(requests), 'retries', sum(retries), 'failures', sum(failures),
      'rate_limited_ms', sum(rate_limited_ms), 'circuit_rejections', sum(circuit_rejections))
  into v_totals from sync.job_http_stats where job_id = p_job_id;
  update sync.jobs set stats = stats || jsonb_build_object('http', v_totals) where id = p_job_id;
  return v_totals;
end
$function$;
CREATE OR REPLACE FUNCTION sync.backfill_job_stream_runs()
 RETURNS bigint
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_n bigint;
begin
  insert into sync.job_stream_runs (job_id, connector, account, stream, status, duration_seconds, records, finished_at)
  select r.* from sync._job_stream_rows() r
  where not exists (select from sync.job_stream_runs x where x.job_id = r.job_id);
  get diagnostics v_n = row_count;
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync.cancel_job(p_job_id bigint)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
begin
  select * into v_job from sync.jobs where id = p_job_id for update;
  if not found then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  if v_job.status in ('succeeded', 'partial', 'failed', 'cancelled') then
    raise exception 'Cannot cancel job %: it already finished (%)', p_job_id, v_job.status using errcode = 'SY409';
  end if;
  if v_job.status = 'queued' then
    update sync.progress set status = 'cancelled', updated_at = clock_timestamp()
    where job_id = p_job_id and status in ('pending', 'running');
    update sync.jobs set status = 'cancelled', cancel_requested = true, error = 'cancelled before it ran',
      finished_at = clock_timestamp(), updated_at = clock_timestamp(), lease_owner = null, lease_expires_at = null
    where id = p_job_id returning * into v_job;
  else
    update sync.jobs set cancel_requested = true, updated_at = clock_timestamp() where id = p_job_id returning * into v_job;
  end if;
  return v_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync.check_integrity()
 RETURNS TABLE(check_name text, status text, orphan_count bigint, sample_ids text[], child_table text, parent_table text)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_c sync.integrity_checks;
  v_child regclass;
  v_parent regclass;
  v_count bigint;
  v_sample text[];
begin
  for v_c in select * from sync.integrity_checks where enabled order by name loop
    v_child := to_regclass(v_c.child_table);
    v_parent := to_regclass(v_c.parent_table);
    if v_child is null or v_parent is null
      or not exists (select from pg_attribute where attrelid = v_child and attname = v_c.child_column and attnum > 0 and not attisdropped)
      or not exists (select from pg_attribute where attrelid = v_parent and attname = v_c.parent_column and attnum > 0 and not attisdropped) then
      return query select v_c.name, 'missing'::text, null::bigint, null::text[], v_c.child_table, v_c.parent_table;
      continue;
    end if;
    execute format(
      'select count(*), (array_agg(distinct o.v::text) filter (where o.rn <= 10)) from (
         select c.%1$I as v, row_number() over (order by c.%1$I::text) as rn from %2$s c
         where c.%1$I is not null and not exists (select from %3$s p where p.%4$I = c.%1$I)) o',
      v_c.child_column, v_child, v_parent, v_c.parent_column)
      into v_count, v_sample;
    return query select v_c.name, case when v_count = 0 then 'ok' else 'orphans' end, v_count,
      coalesce(v_sample, '{}'::text[]), v_c.child_table, v_c.parent_table;
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync.circuit_allow(p_source text, p_probe_ms integer DEFAULT 60000, OUT allowed boolean, OUT state text, OUT failures integer, OUT retry_in_ms integer)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_cb sync.circuit_breakers;
  v_now timestamptz := clock_timestamp();
begin
  -- fast path: a closed circuit needs no lock
  select * into v_cb from sync.circuit_breakers c where c.source = p_source;
  if not found or v_cb.state = 'closed' then
    allowed := true; state := 'closed'; failures := coalesce(v_cb.failures, 0); retry_in_ms := 0;
    return;
  end if;
  select * into v_cb from sync.circuit_breakers c where c.source = p_source for update;
  failures := v_cb.failures;
  if v_cb.state = 'closed' then
    allowed := true; state := 'closed'; retry_in_ms := 0;
  elsif v_now >= v_cb.retry_at then
    -- open and cooled down, or a half-open probe presumed lost: this request is the probe
    update sync.circuit_breakers c set state = 'half_open',
      retry_at = v_now + make_interval(secs => p_probe_ms / 1000.0), updated_at = v_now
    where c.source = p_source;
    allowed := true; state := 'half_open'; retry_in_ms := 0;
  else
    allowed := false; state := v_cb.state;
    retry_in_ms := ceil(extract(epoch from v_cb.retry_at - v_now) * 1000)::integer;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync.circuit_record(p_source text, p_success boolean, p_threshold integer DEFAULT 5, p_cooldown_ms integer DEFAULT 30000, p_error text DEFAULT NULL::text)
 RETURNS sync.circuit_breakers
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_cb sync.circuit_breakers;
  v_now timestamptz := clock_timestamp();
begin
  if p_threshold < 1 or p_cooldown_ms < 0 then
    raise exception 'Cannot record circuit outcome for "%": threshold % and cool-down % ms must be positive',
      p_source, p_threshold, p_cooldown_ms using errcode = 'SY422';
  end if;
  insert into sync.circuit_breakers (source) values (p_source) on conflict (source) do nothing;
  select * into v_cb from sync.circuit_breakers c where c.source = p_source for update;
  if p_success then
    update sync.circuit_breakers c set state = 'closed', failures = 0, opened_at = null, retry_at = null,
      updated_at = v_now
    where c.source = p_source returning * into v_cb;
  elsif v_cb.state = 'half_open' or (v_cb.state = 'closed' and v_cb.failures + 1 >= p_threshold) then
    update sync.circuit_breakers c set state = 'open', failures = v_cb.failures + 1, opened_at = v_now,
      retry_at = v_now + make_interval(secs => p_cooldown_ms / 1000.0), last_error = p_error, updated_at = v_now
    where c.source = p_source returning * into v_cb;
  else
    -- closed below the threshold, or open already (a request that started before it opened)
    update sync.circuit_breakers c set failures = v_cb.failures + 1, last_error = coalesce(p_error, v_cb.last_error),
      updated_at = v_now
    where c.source = p_source returning * into v_cb;
  end if;
  return v_cb;
end
$function$;
CREATE OR REPLACE FUNCTION sync.circuit_reset(p_source text)
 RETURNS void
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  update sync.circuit_breakers set state = 'closed', failures = 0, opened_at = null, retry_at = null,
    updated_at = clock_timestamp()
  where source = p_source
$function$;
CREATE OR REPLACE FUNCTION sync.claim_job(p_worker text, p_lease_seconds integer DEFAULT 60, p_connector text DEFAULT NULL::text)
 RETURNS SETOF sync.jobs
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with next as (
    select id from sync.jobs
    where ((status = 'queued' and (run_after is null or run_after <= clock_timestamp()))
        or (status = 'running' and lease_expires_at < clock_timestamp()))
      and (p_connector is null or connector = p_connector)
    order by created_at, id
    limit 1
    for update skip locked
  )
  update sync.jobs j
  set status = 'running', lease_owner = p_worker,
      lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), attempts = j.attempts + 1, run_after = null,
      started_at = coalesce(j.started_at, clock_timestamp()), updated_at = clock_timestamp()
  from next where j.id = next.id
  returning j.*
$function$;
CREATE OR REPLACE FUNCTION sync.claim_notifications(p_limit integer DEFAULT 20, p_lease_seconds integer DEFAULT 120, p_now timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS SETOF sync.notifications
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with due as (
    select id from sync.notifications
    where status = 'pending' and next_attempt_at <= coalesce(p_now, clock_timestamp())
    order by next_attempt_at, id
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update sync.notifications n
  set attempts = n.attempts + 1,
    next_attempt_at = coalesce(p_now, clock_timestamp()) + make_interval(secs => p_lease_seconds),
    updated_at = clock_timestamp()
  from due where n.id = due.id
  returning n.*
$function$;
CREATE OR REPLACE FUNCTION sync.claim_shard(p_worker text, p_lease_seconds integer DEFAULT 60, p_job_id bigint DEFAULT NULL::bigint, p_connector text DEFAULT NULL::text)
 RETURNS SETOF sync.job_shards
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with next as (
    select s.job_id, s.stream, s.shard from sync.job_shards s
    join sync.jobs j on j.id = s.job_id
    where (s.status = 'pending' or (s.status = 'running' and s.lease_expires_at < clock_timestamp()))
      and j.status in ('queued', 'running') and not j.cancel_requested
      and (p_job_id is null or s.job_id = p_job_id)
      and (p_connector is null or j.connector = p_connector)
    order by s.job_id, s.shard
    limit 1
    for update of s skip locked
  )
  update sync.job_shards s
  set status = 'running', lease_owner = p_worker,
      lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), attempts = s.attempts + 1,
      started_at = coalesce(s.started_at, clock_timestamp()), updated_at = clock_timestamp()
  from next where (s.job_id, s.stream, s.shard) = (next.job_id, next.stream, next.shard)
  returning s.*
$function$;
CREATE OR REPLACE FUNCTION sync.claim_webhooks(p_limit integer DEFAULT 50, p_visibility_seconds integer DEFAULT 60, p_ids bigint[] DEFAULT NULL::bigint[])
 RETURNS SETOF sync.webhook_inbox
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with next as (
    select w.id from sync.webhook_inbox w
    where (w.status = 'received' or (w.status = 'processing' and w.claimed_until < clock_timestamp()))
      and (p_ids is null or w.id = any (p_ids))
    order by w.received_at, w.id
    limit greatest(p_limit, 0)
    for update skip locked
  )
  update sync.webhook_inbox w
  set status = 'processing', attempts = w.attempts + 1,
      claimed_until = clock_timestamp() + make_interval(secs => p_visibility_seconds)
  from next where w.id = next.id
  returning w.*
$function$;
CREATE OR REPLACE FUNCTION sync.cleanup_old_sync_data(p_days_to_keep integer, p_batch_size integer DEFAULT 5000)
 RETURNS TABLE(table_name text, deleted bigint)
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_cutoff timestamptz := now() - make_interval(days => p_days_to_keep);
  v_round jsonb;
  v_total jsonb := '{"jobs": 0, "progress": 0, "webhook_inbox": 0, "webhook_dedup": 0, "failed_items": 0,
    "notifications": 0, "schedule_runs": 0}'::jsonb;
  v_key text;
begin
  perform sync._check_cleanup_args(p_days_to_keep, p_batch_size);
  loop
    v_round := sync._cleanup_round(v_cutoff, p_batch_size);
    for v_key in select jsonb_object_keys(v_total) loop
      v_total := jsonb_set(v_total, array[v_key], to_jsonb((v_total ->> v_key)::bigint + (v_round ->> v_key)::bigint));
    end loop;
    exit when not exists (select from jsonb_each_text(v_round) r where r.value::bigint >= p_batch_size);
  end loop;
  return query select t.key, t.value::bigint from jsonb_each_text(v_total) t order by t.key;
end
$function$;
CREATE OR REPLACE FUNCTION sync.cleanup_old_sync_data_round(p_batch_size integer DEFAULT 5000)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_days integer := coalesce((select s.retention_days from sync.notification_settings s), 30);
begin
  perform sync._check_cleanup_args(v_days, p_batch_size);
  return sync._cleanup_round(now() - make_interval(days => v_days), p_batch_size);
end
$function$;
CREATE OR REPLACE FUNCTION sync.close_failed_item(p_id bigint, p_resolution text)
 RETURNS sync.failed_items
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.failed_items;
begin
  if p_resolution not in ('resolved', 'dismissed') then
    raise exception 'Cannot close failed item %: "%" is not a resolution (resolved, dismissed)', p_id, p_resolution
      using errcode = 'SY422';
  end if;
  select * into v_row from sync.failed_items where id = p_id for update;
  if not found then
    raise exception 'Failed item % does not exist', p_id using errcode = 'SY404';
  end if;
  if v_row.resolved_at is not null then
    raise exception 'Cannot % failed item %: it was already % at %', case p_resolution when 'resolved' then 'resolve'
      else 'dismiss' end, p_id, v_row.resolution, v_row.resolved_at
      using errcode = 'SY409', detail = json_build_object('id', p_id, 'resolution', v_row.resolution)::text;
  end if;
  update sync.failed_items set resolved_at = clock_timestamp(), resolution = p_resolution where id = p_id
  returning * into v_row;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.commit_page(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_cursor text DEFAULT NULL::text, p_high_water_mark timestamp with time zone DEFAULT NULL::timestamp with time zone, p_total bigint DEFAULT NULL::bigint, p_failed integer DEFAULT 0, p_state jsonb DEFAULT NULL::jsonb, p_lease_seconds integer DEFAULT NULL::integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  perform sync._assert_lease(p_job_id, p_worker);
  perform sync.save_checkpoint(p_job_id, p_stream, p_cursor, p_high_water_mark, p_state);
  return sync.commit_page_progress(p_job_id, p_worker, p_stream, p_counts, p_done, p_total, p_failed,
    p_lease_seconds);
end
$function$;
CREATE OR REPLACE FUNCTION sync.commit_page_progress(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_total bigint DEFAULT NULL::bigint, p_failed integer DEFAULT 0, p_lease_seconds integer DEFAULT NULL::integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
  v_counts jsonb := coalesce(p_counts, jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0));
begin
  perform sync.report_progress(p_job_id, p_stream, p_done + p_failed, p_total, null,
    v_counts || jsonb_build_object('failed', p_failed));
  if p_lease_seconds is not null then
    update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
      heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
    where id = p_job_id;
    v_counts := v_counts || jsonb_build_object('cancel_requested', v_job.cancel_requested);
  end if;
  return v_counts;
end
$function$;
CREATE OR REPLACE FUNCTION sync.commit_shard_page(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_counts jsonb, p_done integer, p_cursor text, p_state jsonb DEFAULT NULL::jsonb, p_total bigint DEFAULT NULL::bigint, p_failed integer DEFAULT 0, p_lease_seconds integer DEFAULT 60)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_counts jsonb := coalesce(p_counts, jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0));
  v_total bigint;
  v_job sync.jobs;
begin
  perform sync._assert_shard_lease(p_job_id, p_stream, p_shard, p_worker);
  update sync.job_shards s set cursor = p_cursor, state = coalesce(p_state, s.state),
    done = s.done + p_done + p_failed, total = coalesce(p_total, s.total),
    inserted = s.inserted + coalesce((v_counts ->> 'inserted')::bigint, 0),
    updated = s.updated + coalesce((v_counts ->> 'updated')::bigint, 0),
    unchanged = s.unchanged + coalesce((v_counts ->> 'unchanged')::bigint, 0),
    stale = s.stale + coalesce((v_counts ->> 'stale')::bigint, 0),
    failed = s.failed + p_failed,
    lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where job_id = p_job_id and stream = p_stream and shard = p_shard;
  select case when count(*) = count(total) then sum(total) end into v_total
  from sync.job_shards where job_id = p_job_id and stream = p_stream;
  perform sync.report_progress(p_job_id, p_stream, p_done + p_failed, v_total, null,
    v_counts || jsonb_build_object('failed', p_failed));
  select * into v_job from sync.jobs where id = p_job_id;
  return v_counts || jsonb_build_object('cancel_requested', v_job.cancel_requested);
end
$function$;
CREATE OR REPLACE FUNCTION sync.cooldown_until(p_connector text, p_account text, p_streams text[], p_now timestamp with time zone DEFAULT now())
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select max(st.last_run_at + make_interval(secs => c.cooldown_seconds))
  from sync.stream_cooldowns c
  join sync.stream_status st on st.connector = c.connector and st.account = p_account and st.stream = c.stream
  where c.connector = p_connector and c.stream = any (p_streams) and c.cooldown_seconds > 0
  having max(st.last_run_at + make_interval(secs => c.cooldown_seconds)) > p_now
$function$;
CREATE OR REPLACE FUNCTION sync.copy_columns(p_target text)
 RETURNS TABLE(name text, type text)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  perform sync._merge_target(p_target);
  return query
    select a.attname::text, format_type(a.atttypid, a.atttypmod) from pg_attribute a
    where a.attrelid = p_target::regclass and a.attnum > 0 and not a.attisdropped
      and a.attname::text <> all (sync._bookkeeping_columns())
    order by a.attnum;
end
$function$;
CREATE OR REPLACE FUNCTION sync.copy_stage(p_target text, p_cols text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
  v_rel regclass;
begin
  v_t := sync._merge_target(p_target);
  v_rel := p_target::regclass;
  perform sync._check_columns(p_target,
    array(select attname::text from pg_attribute where attrelid = v_rel and attnum > 0 and not attisdropped),
    v_t.key_columns, p_cols, 1);
  if to_regclass('pg_temp._sync_copy') is not null then -- a second page in one transaction
    drop table pg_temp._sync_copy;
  end if;
  execute format('create temp table _sync_copy on commit drop as select %s from %s with no data',
    (select string_agg(format('%I', c), ', ') from unnest(p_cols) c), v_rel);
end
$function$;
CREATE OR REPLACE FUNCTION sync.create_job(p_connector text, p_streams text[], p_account text DEFAULT 'default'::text, p_mode text DEFAULT 'incremental'::text, p_options jsonb DEFAULT '{}'::jsonb, p_trigger text DEFAULT 'api'::text, p_requested_by text DEFAULT NULL::text)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_busy record;
  v_job sync.jobs;
begin
  if p_streams is null or cardinality(p_streams) = 0 then
    raise exception 'Cannot start sync for "%": no streams given', p_connector using errcode = 'SY422';
  end if;
  -- serialises concurrent starts for one connector account
  perform pg_advisory_xact_lock(hashtextextended('sync.jobs:' || p_connector || '/' || p_account, 0));
  select j.id, j.status, s.stream into v_busy
  from sync.jobs j, unnest(j.streams) s(stream)
  where j.connector = p_connector and j.account = p_account and j.status in ('queued', 'running')
    and s.stream = any (p_streams)
  order by j.id limit 1;
  if found then
    raise exception 'Cannot start sync for "%": a sync of stream "%" is already % (job %)',
      p_connector, v_busy.stream, v_busy.status, v_busy.id
      using errcode = 'SY409', detail = json_build_object('job_id', v_busy.id, 'stream', v_busy.stream)::text;
  end if;
  insert into sync.jobs (connector, account, streams, mode, options, trigger, requested_by)
  values (p_connector, p_account, p_streams, p_mode, coalesce(p_options, '{}'::jsonb), p_trigger, p_requested_by)
  returning * into v_job;
  insert into sync.progress (job_id, phase) select v_job.id, s from unnest(p_streams) s;
  return v_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync.cron_next_run(p_cron text, p_timezone text, p_after timestamp with time zone)
 RETURNS timestamp with time zone
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_f text[] := regexp_split_to_array(btrim(coalesce(p_cron, '')), '\s+');
  v_min integer[];
  v_hour integer[];
  v_dom integer[];
  v_mon integer[];
  v_dow integer[];
  v_either boolean;
  v_day date;
  v_best timestamptz;
  v_at timestamptz;
  v_h integer;
  v_m integer;
  v_day_ok boolean;
begin
  if cardinality(v_f) <> 5 or p_timezone is null or p_after is null then
    return null;
  end if;
  v_min := sync._cron_values(v_f[1], 0, 59);
  v_hour := sync._cron_values(v_f[2], 0, 23);
  v_dom := sync._cron_values(v_f[3], 1, 31);
  v_mon := sync._cron_values(v_f[4], 1, 12);
  v_dow := array(select distinct x % 7 from unnest(sync._cron_values(v_f[5], 0, 7)) x);
  if v_min is null or v_hour is null or v_dom is null or v_mon is null or sync._cron_values(v_f[5], 0, 7) is null then
    return null;
  end if;
  -- cron's rule: with both day fields restricted (neither starts with *), either one matching is enough
  v_either := left(v_f[3], 1) <> '*' and left(v_f[5], 1) <> '*';
  v_day := (p_after at time zone p_timezone)::date;
  for i in 0..(366 * 5) loop
    v_day_ok := extract(month from v_day)::integer = any (v_mon) and case when v_either
      then extract(day from v_day)::integer = any (v_dom) or extract(dow from v_day)::integer = any (v_dow)
      else extract(day from v_day)::integer = any (v_dom) and extract(dow from v_day)::integer = any (v_dow) end;
    if v_day_ok then
      v_best := null;
      foreach v_h in array v_hour loop
        foreach v_m in array v_min loop
          -- local wall-clock time -> instant; PostgreSQL resolves gaps and repeats as described above
          v_at := (v_day + make_time(v_h, v_m, 0)) at time zone p_timezone;
          if v_at > p_after and (v_best is null or v_at < v_best) then
            v_best := v_at;
          end if;
        end loop;
      end loop;
      if v_best is not null then
        return v_best;
      end if;
    end if;
    v_day := v_day + 1;
  end loop;
  return null;
end
$function$;
CREATE OR REPLACE FUNCTION sync.defer_job(p_job_id bigint, p_worker text, p_run_after timestamp with time zone, p_reason text, p_waiting_since timestamp with time zone)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
begin
  if p_run_after is null or p_waiting_since is null then
    raise exception 'Cannot defer job %: run_after and waiting_since are required', p_job_id using errcode = 'SY422';
  end if;
  perform sync._assert_lease(p_job_id, p_worker);
  update sync.jobs set status = 'queued', lease_owner = null, lease_expires_at = null, run_after = p_run_after,
    waiting_since = p_waiting_since, error = p_reason, updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync.defer_webhooks(p_ids bigint[], p_until timestamp with time zone, p_reason text)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with d as (
    update sync.webhook_inbox set status = 'processing', claimed_until = p_until, error = p_reason
    where id = any (p_ids) and status = 'processing' returning 1)
  select count(*)::integer from d
$function$;
CREATE OR REPLACE FUNCTION sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer DEFAULT 100, p_ids bigint[] DEFAULT NULL::bigint[], p_attempted_before timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS SETOF sync.failed_items
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select * from sync.failed_items f
  where f.connector = p_connector and f.account = p_account and f.stream = p_stream and f.resolved_at is null
    and (case when p_ids is null then f.next_retry_at <= clock_timestamp() else f.id = any (p_ids) end)
    and (p_attempted_before is null or f.last_attempt_at < p_attempted_before)
  order by f.next_retry_at, f.id
  limit p_limit
$function$;
CREATE OR REPLACE FUNCTION sync.enqueue_due_retries(p_now timestamp with time zone DEFAULT now())
 RETURNS SETOF sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_set sync.notification_settings;
  v_r record;
  v_streams text[];
  v_job sync.jobs;
begin
  select * into v_set from sync.notification_settings;
  if not coalesce(v_set.auto_retry, true) then
    return;
  end if;
  for v_r in
    select f.connector, f.account, array_agg(distinct f.stream order by f.stream) as streams
    from sync.failed_items f
    where f.resolved_at is null and not f.permanent and f.next_retry_at <= p_now
    group by 1, 2 order by 1, 2
  loop
    v_streams := array(select s from unnest(v_r.streams) s
      where not exists (select from sync.jobs j where j.connector = v_r.connector and j.account = v_r.account
          and j.status in ('queued', 'running') and s = any (j.streams))
        and sync.cooldown_until(v_r.connector, v_r.account, array[s], p_now) is null);
    continue when cardinality(v_streams) = 0;
    begin
      v_job := sync.create_job(v_r.connector, v_streams, v_r.account, 'retry',
        jsonb_build_object('max_items', coalesce(v_set.retry_batch_size, 200)), 'retry', 'ops-tick');
      return next v_job;
    exception when sqlstate 'SY409' then
      -- a job started between the check and here: the next tick retries
      null;
    end;
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync.enqueue_notification(p_kind text, p_source text, p_payload jsonb DEFAULT '{}'::jsonb)
 RETURNS sync.notifications
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_set sync.notification_settings;
  v_row sync.notifications;
  v_reason text;
begin
  if p_kind is null or p_kind not in ('job_failed', 'job_partial', 'error_rate', 'slow_run', 'stale_stream', 'retries_exhausted',
    'run_report', 'daily_summary') then
    raise exception 'Cannot queue notification: kind "%" is not one of job_failed, job_partial, error_rate, slow_run, stale_stream, retries_exhausted, run_report, daily_summary',
      coalesce(p_kind, '') using errcode = 'SY422';
  end if;
  select * into v_set from sync.notification_settings;
  -- serialises the rate-limit check for one (source, kind)
  perform pg_advisory_xact_lock(hashtextextended('sync.notifications:' || p_source || '/' || p_kind, 0));
  if not coalesce(v_set.enabled, true) then
    v_reason := 'notifications are disabled';
  elsif p_kind <> 'run_report' and exists (select from sync.notifications n where n.source = p_source and n.kind = p_kind and n.status <> 'suppressed'
      and n.created_at > now() - coalesce(v_set.rate_limit_window, interval '1 hour')) then
    v_reason := 'rate limited: one ' || p_kind || ' message per ' || coalesce(v_set.rate_limit_window, interval '1 hour')
      || ' for ' || p_source;
  end if;
  insert into sync.notifications (kind, source, payload, status, suppressed_reason, max_attempts)
  values (p_kind, p_source, coalesce(p_payload, '{}'::jsonb), case when v_reason is null then 'pending' else 'suppressed' end,
    v_reason, coalesce(v_set.max_attempts, 8))
  returning * into v_row;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.evaluate_alerts()
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_set sync.notification_settings;
  v_r record;
  v_n sync.notifications;
  v_counts jsonb := '{"error_rate": 0, "stale_stream": 0, "retries_exhausted": 0, "daily_summary": 0}'::jsonb;
begin
  select * into v_set from sync.notification_settings;
  for v_r in
    select j.connector, count(*) as runs, count(*) filter (where j.status = 'failed') as failed
    from sync.jobs j
    where j.finished_at >= now() - v_set.error_rate_window and j.status <> 'cancelled'
    group by j.connector
    having count(*) >= v_set.error_rate_min_runs
      and count(*) filter (where j.status = 'failed') >= v_set.error_rate_threshold * count(*)
  loop
    v_n := sync.enqueue_notification('error_rate', v_r.connector, jsonb_build_object('connector', v_r.connector,
      'runs', v_r.runs, 'failed', v_r.failed, 'rate', round(v_r.failed::numeric / v_r.runs, 4),
      'threshold', v_set.error_rate_threshold, 'window_minutes', extract(epoch from v_set.error_rate_window) / 60));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{error_rate}', to_jsonb((v_counts ->> 'error_rate')::integer + 1));
    end if;
  end loop;
  for v_r in
    select w.connector, w.account, w.stream, st.last_success_at, sync._stale_after(w.connector, w.stream) as threshold
    from (select distinct s.connector, s.account, x.stream, min(s.updated_at) over (partition by s.connector, s.account, x.stream) as since
          from sync.schedules s cross join unnest(s.streams) x(stream) where s.enabled) w
    left join sync.stream_status st on st.connector = w.connector and st.account = w.account and st.stream = w.stream
    where now() - coalesce(st.last_success_at, w.since) > sync._stale_after(w.connector, w.stream)
  loop
    v_n := sync.enqueue_notification('stale_stream', v_r.connector || '/' || v_r.account || '/' || v_r.stream,
      jsonb_build_object('connector', v_r.connector, 'account', v_r.account, 'stream', v_r.stream,
        'last_success_at', v_r.last_success_at,
        'age_seconds', extract(epoch from now() - v_r.last_success_at)::bigint,
        'stale_after_seconds', extract(epoch from v_r.threshold)::bigint));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{stale_stream}', to_jsonb((v_counts ->> 'stale_stream')::integer + 1));
    end if;
  end loop;
  v_counts := jsonb_set(v_counts, '{retries_exhausted}', to_jsonb(sync._alert_retries_exhausted()));
  if v_set.daily_summary and extract(hour from now() at time zone 'UTC') >= v_set.daily_summary_hour
    and not exists (select from sync.notifications n where n.kind = 'daily_summary'
      and n.created_at >= (now() at time zone 'UTC')::date at time zone 'UTC') then
    v_n := sync.enqueue_notification('daily_summary', 'syncline', jsonb_build_object(
      'day', (now() at time zone 'UTC')::date,
      'connectors', coalesce((select jsonb_agg(to_jsonb(s) - 'stream') from sync.get_sync_stats(1) s where s.stream is null), '[]'),
      'stale_streams', (select count(*) from sync.get_data_freshness() f where f.stale),
      'open_failed_items', (select count(*) from sync.failed_items f where f.resolved_at is null),
      'recovery', coalesce((select jsonb_agg(to_jsonb(r) - 'stream') from sync.get_recovery_stats(1) r where r.stream is null), '[]')));
    if v_n.status = 'pending' then
      v_counts := jsonb_set(v_counts, '{daily_summary}', '1');
    end if;
  end if;
  return v_counts;
end
$function$;
CREATE OR REPLACE FUNCTION sync.finish_job(p_job_id bigint, p_worker text, p_status text, p_error text DEFAULT NULL::text)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
  v_stats jsonb;
  v_status text := p_status;
begin
  if p_status not in ('succeeded', 'partial', 'failed', 'cancelled') then
    raise exception 'Cannot finish job %: "%" is not a final status (succeeded, partial, failed, cancelled)', p_job_id, p_status
      using errcode = 'SY422';
  end if;
  perform sync._assert_lease(p_job_id, p_worker);
  select jsonb_build_object(
      'records', coalesce(sum(done), 0), 'inserted', coalesce(sum(inserted), 0), 'updated', coalesce(sum(updated), 0),
      'unchanged', coalesce(sum(unchanged), 0), 'stale', coalesce(sum(stale), 0), 'failed', coalesce(sum(failed), 0),
      'sanitised', coalesce(sum(sanitised), 0),
      'streams', coalesce(jsonb_object_agg(phase, jsonb_build_object('done', done, 'inserted', inserted,
        'updated', updated, 'unchanged', unchanged, 'stale', stale, 'failed', failed, 'sanitised', sanitised,
        'status', case when v_status = 'failed' and status = 'pending' then 'not_run' else status end)
        || jsonb_strip_nulls(jsonb_build_object('completeness', completeness))), '{}'::jsonb))
  into v_stats from sync.progress where job_id = p_job_id;
  -- failed items, or a gap between what the source has and what landed (sync_completeness.sql)
  if v_status = 'succeeded' and ((v_stats ->> 'failed')::bigint > 0
      or exists (select from sync.failed_items where job_id = p_job_id and resolved_at is null)
      or exists (select from sync.progress where job_id = p_job_id and completeness ->> 'status' = 'gap')) then
    v_status := 'partial';
  end if;
  -- a phase the failed job never reached is not run, not failed (it has nothing to show)
  update sync.progress set status = case
      when v_status = 'cancelled' then 'cancelled'
      when v_status = 'failed' and status = 'pending' then 'not_run'
      when v_status = 'failed' then 'failed' else 'done' end,
      updated_at = clock_timestamp()
  where job_id = p_job_id and status in ('pending', 'running');
  update sync.jobs set status = v_status, error = p_error, stats = v_stats, finished_at = clock_timestamp(),
    lease_owner = null, lease_expires_at = null, updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync.finish_webhook(p_id bigint, p_status text, p_error text DEFAULT NULL::text, p_job_id bigint DEFAULT NULL::bigint)
 RETURNS sync.webhook_inbox
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.webhook_inbox;
begin
  if p_status is null or p_status not in ('processed', 'failed', 'ignored', 'received') then
    raise exception 'Cannot finish webhook %: "%" is not a status (processed, failed, ignored, received)', p_id, p_status
      using errcode = 'SY422';
  end if;
  update sync.webhook_inbox
  set status = p_status, error = p_error, job_id = coalesce(p_job_id, job_id), claimed_until = null,
      processed_at = case when p_status = 'received' then null else now() end
  where id = p_id
  returning * into v_row;
  if not found then
    raise exception 'Webhook % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.get_completeness()
 RETURNS SETOF sync.stream_completeness
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select * from sync.stream_completeness order by connector, account, stream
$function$;
CREATE OR REPLACE FUNCTION sync.get_data_freshness()
 RETURNS TABLE(connector text, account text, stream text, last_success_at timestamp with time zone, age_seconds bigint, last_run_at timestamp with time zone, last_status text, stale_after_seconds bigint, stale boolean)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select s.connector, s.account, s.stream, s.last_success_at,
    extract(epoch from now() - s.last_success_at)::bigint, s.last_run_at, s.last_status,
    extract(epoch from sync._stale_after(s.connector, s.stream))::bigint,
    s.last_success_at is null or now() - s.last_success_at > sync._stale_after(s.connector, s.stream)
  from sync.stream_status s
  order by 1, 2, 3
$function$;
CREATE OR REPLACE FUNCTION sync.get_failed_items_summary()
 RETURNS TABLE(connector text, stream text, error_class text, open bigint, resolved bigint, dismissed bigint, oldest_open_at timestamp with time zone, last_failure_at timestamp with time zone)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select f.connector, f.stream, f.error_class, count(*) filter (where f.resolved_at is null),
    count(*) filter (where f.resolution = 'resolved'), count(*) filter (where f.resolution = 'dismissed'),
    min(f.created_at) filter (where f.resolved_at is null), max(f.last_attempt_at)
  from sync.failed_items f
  group by 1, 2, 3
  order by 1, 2, 3
$function$;
CREATE OR REPLACE FUNCTION sync.get_notification_settings()
 RETURNS sync.notification_settings
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select * from sync.notification_settings
$function$;
CREATE OR REPLACE FUNCTION sync.get_promotion_root(p_plan text, p_root_id text)
 RETURNS sync.promotion_roots
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select * from sync.promotion_roots where plan = p_plan and root_id = p_root_id
$function$;
CREATE OR REPLACE FUNCTION sync.get_promotion_status(p_plan text, p_failures integer DEFAULT 20)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
 SET jit TO 'off'
AS $function$
declare
  v_plan sync.promotion_plans;
  v_roots jsonb;
  v_steps jsonb := '[]'::jsonb;
  v_orphans jsonb := '[]'::jsonb;
  v_step sync.promotion_steps;
  v_import bigint;
  v_prod bigint;
  v_active bigint;
  v_logged bigint;
  v_counts jsonb;
  v_n bigint;
  v_sample text[];
  v_r record;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'No promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select count(*) from %s', v_plan.root_table::regclass) into v_import;
  select jsonb_build_object('import', v_import,
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'),
      'pending', v_import - count(*),
      'percent_promoted', case when v_import > 0
        then round(100.0 * count(*) filter (where status = 'promoted') / v_import, 2) end)
    into v_roots from sync.promotion_roots where plan = p_plan;
  -- rows per step of the promoted roots, from their logs, in one pass
  select coalesce(jsonb_object_agg(step, n), '{}'::jsonb) into v_counts
  from (select e ->> 'step' as step, sum((e ->> 'count')::bigint) as n
        from sync.promotion_roots s, jsonb_array_elements(s.log) e
        where s.plan = p_plan and s.status = 'promoted' and e ? 'count' group by 1) c;
  for v_step in select * from sync.promotion_steps where plan = p_plan order by ordinal loop
    execute format('select count(*) from %s', v_step.source_table::regclass) into v_import;
    execute format('select count(*) from %s', v_step.target::regclass) into v_prod;
    v_active := null;
    if v_step.retire is not null then
      execute format('select count(*) from %1$s t where (%2$s) is distinct from (select %3$s from jsonb_populate_record(null::%1$s, $1) r)',
          v_step.target::regclass,
          (select string_agg(format('t.%I', c), ', ') from jsonb_object_keys(v_step.retire) c),
          (select string_agg(format('r.%I', c), ', ') from jsonb_object_keys(v_step.retire) c))
        into v_active using v_step.retire;
    end if;
    v_logged := (v_counts ->> v_step.name)::bigint;
    v_steps := v_steps || jsonb_build_object('step', v_step.name, 'source_table', v_step.source_table,
      'import_rows', v_import, 'target', v_step.target, 'production_rows', v_prod, 'active_rows', coalesce(v_active, v_prod),
      'rows_of_promoted_roots', case when v_step.tie_column is not null then coalesce(v_logged, 0) end);
    if v_step.tie_column is not null then
      execute format(
        'select count(*), (array_agg(t.%1$I::text order by t.%1$I::text))[1:10] from %2$s t
         where not exists (select from sync.promotion_roots s where s.plan = $1 and s.root_id = t.%1$I::text
           and s.status in (''promoted'', ''withdrawn''))', v_step.tie_column, v_step.target::regclass)
        into v_n, v_sample using p_plan;
      v_orphans := v_orphans || jsonb_build_object('check', v_step.target || ' rows without a promoted root',
        'layer', 'production', 'count', v_n, 'sample', coalesce(to_jsonb(v_sample), '[]'::jsonb));
    end if;
  end loop;
  if v_plan.orphans_fn is not null then
    for v_r in execute format('select * from %s()', sync._promotion_name('orphans_fn', v_plan.orphans_fn)) loop
      v_orphans := v_orphans || to_jsonb(v_r);
    end loop;
  end if;
  return jsonb_build_object('plan', p_plan, 'root_table', v_plan.root_table, 'roots', v_roots,
    'ineligible_by_reason', (select coalesce(jsonb_agg(jsonb_build_object('reason_code', reason_code, 'count', n,
        'example', example) order by n desc, reason_code), '[]'::jsonb)
      from (select reason_code, count(*) as n, min(reason) as example from sync.promotion_roots
            where plan = p_plan and status in ('ineligible', 'withdrawn') group by reason_code) x),
    'failed', (select coalesce(jsonb_agg(jsonb_build_object('root_id', root_id, 'step', failed_step, 'error', error,
        'updated_at', updated_at) order by updated_at desc, root_id), '[]'::jsonb)
      from (select * from sync.promotion_roots where plan = p_plan and status = 'failed'
            order by updated_at desc, root_id limit greatest(p_failures, 0)) f),
    'steps', v_steps, 'orphans', v_orphans,
    'orphan_total', (select coalesce(sum((o ->> 'count')::bigint) filter (where o ->> 'layer' = 'production'), 0)
      from jsonb_array_elements(v_orphans) o));
end
$function$;
CREATE OR REPLACE FUNCTION sync.get_recovery_stats(p_days_back integer DEFAULT 7)
 RETURNS TABLE(connector text, stream text, retried bigint, recovered bigint, still_failing bigint, given_up bigint, open bigint, retry_attempts bigint)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_since timestamptz;
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute recovery stats: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  v_since := now() - make_interval(days => p_days_back);
  return query
  select f.connector, f.stream,
    count(*) filter (where f.last_retry_at >= v_since),
    count(*) filter (where f.resolution = 'resolved' and f.retries > 0 and f.resolved_at >= v_since),
    count(*) filter (where f.resolved_at is null and not f.permanent and f.retries > 0),
    count(*) filter (where f.permanent and f.gave_up_at >= v_since),
    count(*) filter (where f.resolved_at is null),
    coalesce(sum(f.retries) filter (where f.last_retry_at >= v_since), 0)::bigint
  from sync.failed_items f
  where f.resolved_at is null or f.resolved_at >= v_since or f.last_retry_at >= v_since or f.gave_up_at >= v_since
  group by grouping sets ((f.connector), (f.connector, f.stream))
  order by 1, 2 nulls first;
end
$function$;
CREATE OR REPLACE FUNCTION sync.get_sync_performance_trends(p_days_back integer DEFAULT 30, p_connector text DEFAULT NULL::text)
 RETURNS TABLE(day date, connector text, runs bigint, succeeded bigint, failures bigint, partial bigint, avg_duration_seconds numeric, records bigint)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
 SET jit TO 'off'
AS $function$
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute sync trends: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  return query
  with agg as (
    select (j.finished_at at time zone 'UTC')::date as d, j.connector as c, count(*) as runs,
      count(*) filter (where j.status = 'succeeded') as ok, count(*) filter (where j.status = 'failed') as bad,
      count(*) filter (where j.status = 'partial') as part,
      avg(extract(epoch from j.finished_at - coalesce(j.started_at, j.created_at))) as secs,
      sum(coalesce((j.stats ->> 'records')::bigint, 0)) as recs
    from sync.jobs j
    where j.finished_at >= ((now() at time zone 'UTC')::date - (p_days_back - 1)) at time zone 'UTC'
      and j.mode <> 'retry' and (p_connector is null or j.connector = p_connector)
    group by 1, 2
  ), days as (
    select g::date as d from generate_series((now() at time zone 'UTC')::date - (p_days_back - 1),
      (now() at time zone 'UTC')::date, interval '1 day') g
  ), conns as (
    select distinct agg.c from agg union select p_connector where p_connector is not null
  )
  select days.d, conns.c, coalesce(agg.runs, 0), coalesce(agg.ok, 0), coalesce(agg.bad, 0), coalesce(agg.part, 0),
    round(agg.secs, 3), coalesce(agg.recs, 0)::bigint
  from days cross join conns left join agg on agg.d = days.d and agg.c = conns.c
  order by days.d, conns.c;
end
$function$;
CREATE OR REPLACE FUNCTION sync.get_sync_stats(p_days_back integer DEFAULT 7)
 RETURNS TABLE(connector text, stream text, runs bigint, succeeded bigint, partial bigint, failed bigint, cancelled bigint, success_rate numeric, avg_duration_seconds numeric, p95_duration_seconds numeric, avg_records numeric, total_records bigint, last_finished_at timestamp with time zone)
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
 SET plan_cache_mode TO 'force_custom_plan'
 SET jit TO 'off'
AS $function$
declare
  v_since timestamptz;
  v_connector text;
  v_stream text;
begin
  if p_days_back is null or p_days_back < 1 or p_days_back > 3650 then
    raise exception 'Cannot compute sync stats: days_back must be between 1 and 3650 (got %)', p_days_back
      using errcode = 'SY422';
  end if;
  v_since := now() - make_interval(days => p_days_back);
  -- connectors, then each connector's streams, in index order (= order by connector, stream nulls first)
  v_connector := (select min(r.connector) from sync.job_stream_runs r);
  while v_connector is not null loop
    v_stream := null;
    loop
      return query
      select v_connector, v_stream, count(*), count(*) filter (where r.status = 'succeeded'),
        count(*) filter (where r.status = 'partial'), count(*) filter (where r.status = 'failed'),
        count(*) filter (where r.status = 'cancelled'),
        round(count(*) filter (where r.status = 'succeeded')::numeric
          / nullif(count(*) filter (where r.status <> 'cancelled'), 0), 4),
        round(avg(r.duration_seconds), 3),
        round(percentile_cont(0.95) within group (order by r.duration_seconds)::numeric, 3),
        round(avg(r.records), 2), sum(r.records)::bigint, max(r.finished_at)
      from sync.job_stream_runs r
      where r.connector = v_connector and r.finished_at >= v_since
        and (case when v_stream is null then r.stream is null else r.stream = v_stream end)
      having count(*) > 0;
      v_stream := (select min(r.stream) from sync.job_stream_runs r where r.connector = v_connector
        and (v_stream is null or r.stream > v_stream));
      exit when v_stream is null;
    end loop;
    v_connector := (select min(r.connector) from sync.job_stream_runs r where r.connector > v_connector);
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync.heartbeat(p_job_id bigint, p_worker text, p_lease_seconds integer DEFAULT 60)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
begin
  update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where id = p_job_id;
  return v_job.cancel_requested;
end
$function$;
CREATE OR REPLACE FUNCTION sync.install(p_worker_url text, p_worker_secret text)
 RETURNS SETOF sync.install_step
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_before jsonb;
  v_after jsonb;
  v_job record;
  v_woken boolean;
begin
  if p_worker_url is null or p_worker_url !~ '^https://[^/\s]+/\S*$'
    and p_worker_url !~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/\S*$' then
    raise exception 'Cannot install: the worker URL "%" must be https:// (or http:// to this machine)',
      coalesce(p_worker_url, '') using errcode = 'SY422';
  end if;
  if p_worker_secret is null or length(p_worker_secret) < 32 then
    raise exception 'Cannot install: the worker secret must have at least 32 characters' using errcode = 'SY422';
  end if;
  return next sync._install_extension('pg_cron', 'pg_catalog');
  return next sync._install_extension('pg_net', 'extensions');
  return next sync._install_vault_secret('syncline_worker_url', p_worker_url);
  return next sync._install_vault_secret('syncline_worker_secret', p_worker_secret);
  if not sync._cron_available() then
    return next row('cron jobs', 'skipped', 'pg_cron is not available in this database; schedules are stored '
      || 'and nothing fires')::sync.install_step;
  else
    select coalesce(jsonb_object_agg(j.jobname, j.schedule || ' ' || j.command), '{}') into v_before
    from sync._install_cron_jobs() j;
    perform sync.install_ops_cron();
    select coalesce(jsonb_object_agg(j.jobname, j.schedule || ' ' || j.command), '{}') into v_after
    from sync._install_cron_jobs() j;
    for v_job in select j.jobname, j.schedule from sync._install_cron_jobs() j loop
      return next row('cron job ' || v_job.jobname,
        case when not v_before ? v_job.jobname then 'created'
          when v_before -> v_job.jobname = v_after -> v_job.jobname then 'unchanged' else 'updated' end,
        v_job.schedule)::sync.install_step;
    end loop;
  end if;
  v_woken := sync._wake_worker('install');
  return next row('worker wake-up', case when v_woken then 'ok' else 'skipped' end,
    (select w.reason from sync.wake_status w where w.id))::sync.install_step;
end
$function$;
CREATE OR REPLACE FUNCTION sync.install_ops_cron()
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_s sync.schedules;
  v_n integer := 0;
begin
  if not sync._cron_available() then
    return 0;
  end if;
  perform sync._cron_put('syncline:ops-tick', '* * * * *', 'select sync.ops_tick()');
  perform sync._cron_put('syncline:cleanup', '*/10 * * * *', 'select sync.cleanup_old_sync_data_round()');
  for v_s in select * from sync.schedules loop
    perform sync._sync_schedule_cron(v_s);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync.installed_schemas()
 RETURNS text[]
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select array['sync'] || coalesce(array_agg(distinct split_part(t.target, '.', 1) order by split_part(t.target, '.', 1))
    filter (where split_part(t.target, '.', 1) <> 'sync'), '{}')
  from sync.targets t
$function$;
CREATE OR REPLACE FUNCTION sync.list_schedules()
 RETURNS TABLE(id bigint, name text, connector text, account text, streams text[], cron text, mode text, options jsonb, enabled boolean, description text, last_run_at timestamp with time zone, last_outcome text, last_job_id bigint, cron_job_id bigint, cron_active boolean, timezone text, next_run_at timestamp with time zone, fired_by text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
begin
  if sync._cron_available() then
    return query execute
      'select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
         s.last_run_at, s.last_outcome, s.last_job_id, j.jobid, j.active, s.timezone, s.next_run_at,
         case when not s.enabled then null when s.timezone = ''UTC'' then ''pg_cron'' else ''ops_tick'' end
       from sync.schedules s left join cron.job j on j.jobname = ''syncline:'' || s.id order by s.id';
  else
    return query
      select s.id, s.name, s.connector, s.account, s.streams, s.cron, s.mode, s.options, s.enabled, s.description,
        s.last_run_at, s.last_outcome, s.last_job_id, null::bigint, null::boolean, s.timezone, s.next_run_at,
        case when not s.enabled then null when s.timezone = 'UTC' then 'pg_cron' else 'ops_tick' end
      from sync.schedules s order by s.id;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync.list_stream_cooldowns(p_now timestamp with time zone DEFAULT now())
 RETURNS TABLE(connector text, stream text, cooldown_seconds integer, account text, last_run_at timestamp with time zone, cooling_until timestamp with time zone, updated_at timestamp with time zone)
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select c.connector, c.stream, c.cooldown_seconds, st.account, st.last_run_at,
    case when st.last_run_at + make_interval(secs => c.cooldown_seconds) > p_now
      then st.last_run_at + make_interval(secs => c.cooldown_seconds) end,
    c.updated_at
  from sync.stream_cooldowns c
  left join sync.stream_status st on st.connector = c.connector and st.stream = c.stream
  order by 1, 2, 4
$function$;
CREATE OR REPLACE FUNCTION sync.mark_deleted(p_job_id bigint, p_worker text, p_target text, p_keys text[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_key text := sync._single_key(p_target);
  v_mode text := (select delete_mode from sync.targets where target = p_target);
  v_n integer;
begin
  perform sync._check_lease(p_job_id, p_worker);
  if coalesce(cardinality(p_keys), 0) = 0 then
    return 0;
  end if;
  if v_mode = 'hard' then
    execute format('delete from %s where %I::text = any ($1)', p_target::regclass, v_key) using p_keys;
  else
    execute format('update %s set _deleted_at = clock_timestamp(), _last_job_id = $2
      where %I::text = any ($1) and _deleted_at is null', p_target::regclass, v_key) using p_keys, p_job_id;
  end if;
  get diagnostics v_n = row_count;
  perform sync._assert_lease(p_job_id, p_worker);
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync.mark_failed_items_retried(p_ids bigint[])
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with r as (
    update sync.failed_items set retries = retries + 1, last_retry_at = clock_timestamp()
    where id = any (p_ids) and resolved_at is null returning 1)
  select count(*)::integer from r
$function$;
CREATE OR REPLACE FUNCTION sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[] DEFAULT '{}'::text[], p_now timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS sync.notifications
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.notifications;
begin
  update sync.notifications set
    status = case when attempts >= max_attempts then 'failed' else 'pending' end,
    next_attempt_at = coalesce(p_now, clock_timestamp()) + sync._notification_retry_delay(attempts),
    last_error = left(p_error, 2000), updated_at = clock_timestamp(),
    delivered_channels = array(select distinct c from unnest(delivered_channels || coalesce(p_delivered_channels, '{}')) c
      order by c)
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Notification % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.mark_notification_sent(p_id bigint, p_channels text[] DEFAULT '{}'::text[], p_now timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS sync.notifications
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.notifications;
begin
  update sync.notifications set status = 'sent', sent_at = coalesce(p_now, clock_timestamp()), updated_at = clock_timestamp(),
    last_error = null,
    delivered_channels = array(select distinct c from unnest(delivered_channels || coalesce(p_channels, '{}')) c order by c)
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Notification % does not exist', p_id using errcode = 'SY404';
  end if;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_copied(p_target text, p_cols text[], p_job_id bigint DEFAULT NULL::bigint, p_observed_at timestamp with time zone DEFAULT now())
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
  v_rel regclass;
  v_src text;
  v_n int;
  v_ins int;
  v_upd int;
  v_stale int := 0;
  v_dedupe boolean := false;
  v_stage constant text := 'pg_temp._sync_copy'; -- made by copy_stage in this transaction
begin
  v_t := sync._merge_target(p_target);
  v_rel := p_target::regclass;
  execute format('select count(*) from %s', v_stage) into v_n;
  if v_n = 0 then
    return jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0);
  end if;
  v_src := format('select %s, %s as _v from %s s',
    (select string_agg(format('s.%I', c), ', ') from unnest(p_cols) c),
    sync._merge_version(v_t.version_column, p_cols), v_stage);
  perform set_config('sync.merge_stale', 'f', true);
  begin
    execute sync._merge_statement(v_rel, v_t.key_columns, p_cols, v_src, false)
      into v_ins, v_upd using null::jsonb, p_observed_at, p_job_id;
  exception when cardinality_violation then -- the same key twice in one page: keep the newest of each
    v_dedupe := true;
  end;
  if v_dedupe then
    execute sync._merge_statement(v_rel, v_t.key_columns, p_cols, v_src, true)
      into v_ins, v_upd using null::jsonb, p_observed_at, p_job_id;
  end if;
  -- rows a dedupe dropped never reach the conflict check: they may be stale
  if v_ins + v_upd < v_n and (v_dedupe or current_setting('sync.merge_stale') = 't') then
    v_stale := sync._count_stale_in(v_rel, v_t.key_columns, p_cols, v_src, null, p_observed_at);
  end if;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_n - v_ins - v_upd - v_stale,
    'stale', v_stale);
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text DEFAULT NULL::text, p_high_water_mark timestamp with time zone DEFAULT NULL::timestamp with time zone, p_total bigint DEFAULT NULL::bigint, p_failed integer DEFAULT 0, p_state jsonb DEFAULT NULL::jsonb, p_lease_seconds integer DEFAULT NULL::integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  perform sync._check_lease(p_job_id, p_worker);
  return sync.commit_page(p_job_id, p_worker, p_stream,
    case when p_target is not null then sync.merge_rows(p_target, p_rows, p_job_id) end,
    coalesce(jsonb_array_length(p_rows), 0), p_cursor, p_high_water_mark, p_total, p_failed, p_state,
    p_lease_seconds);
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_page_progress(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_total bigint DEFAULT NULL::bigint, p_failed integer DEFAULT 0, p_lease_seconds integer DEFAULT NULL::integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  perform sync._check_lease(p_job_id, p_worker);
  return sync.commit_page_progress(p_job_id, p_worker, p_stream,
    case when p_target is not null then sync.merge_rows(p_target, p_rows, p_job_id) end,
    coalesce(jsonb_array_length(p_rows), 0), p_total, p_failed, p_lease_seconds);
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_rows(p_target text, p_rows jsonb, p_job_id bigint DEFAULT NULL::bigint, p_observed_at timestamp with time zone DEFAULT now())
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
  v_rel regclass;
  v_all text[];
  v_k0 text[];
  v_mode int;
  v_odd bigint;
  v_group record;
  v_res sync.merge_group_counts;
  v_ins int := 0;
  v_upd int := 0;
  v_stale int := 0;
  v_n int;
  v_bad record;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found then
    raise exception 'Cannot merge into "%": not a registered target (see sync.targets)', p_target using errcode = 'SY404';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception 'Cannot merge into "%": rows must be a JSON array, got %', p_target, coalesce(jsonb_typeof(p_rows), 'null')
      using errcode = 'SY422';
  end if;
  v_n := jsonb_array_length(p_rows);
  if v_n = 0 then
    return jsonb_build_object('inserted', 0, 'updated', 0, 'unchanged', 0, 'stale', 0);
  end if;
  -- rows read from a table arrive as a TOAST pointer; concatenating an empty array returns the
  -- detoasted value itself, so the rows are fetched and decompressed once, not at every use
  p_rows := p_rows || '[]'::jsonb;
  v_rel := p_target::regclass;
  v_all := array(select attname::text from pg_attribute where attrelid = v_rel and attnum > 0 and not attisdropped
    order by attnum);
  if jsonb_typeof(p_rows -> 0) = 'object' then
    v_k0 := array(select k from jsonb_object_keys(p_rows -> 0) k order by k);
  end if;
  -- fast path, one statement: every row is an object with exactly the first row's keys, all of them
  -- columns of the target, checked row by row inside the merge statement. Any row that fails the check (SY100), and any error the
  -- statement raises, sends the whole batch down the grouping path below, which reproduces the
  -- documented errors in their documented order; nothing of the fast attempt is kept.
  if v_k0 is not null and v_t.key_columns <@ v_k0 and v_k0 <@ v_all
     and not v_k0 && sync._bookkeeping_columns() then
    v_mode := 0;
    begin
      v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows,
        p_job_id, p_observed_at, false, true);
    exception
      when cardinality_violation then v_mode := 1; -- the same key twice in one batch
      when sqlstate 'SY100' or data_exception or integrity_constraint_violation then v_mode := 2;
    end;
    if v_mode = 1 then
      begin
        v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows,
          p_job_id, p_observed_at, true, true);
      exception
        when sqlstate 'SY100' or data_exception or integrity_constraint_violation then v_mode := 2;
      end;
    end if;
    if v_mode < 2 then
      if v_res.inserted + v_res.updated < v_n and v_res.maybe_stale then
        v_stale := sync._count_stale(v_rel, v_t.key_columns, v_t.version_column, v_k0, p_rows, p_observed_at);
      end if;
      return jsonb_build_object('inserted', v_res.inserted, 'updated', v_res.updated,
        'unchanged', v_n - v_res.inserted - v_res.updated - v_stale, 'stale', v_stale);
    end if;
  end if;
  -- grouping path: find the first row that breaks uniformity, if any
  select min(ord) into v_odd from jsonb_array_elements(p_rows) with ordinality e(j, ord)
  where not coalesce(jsonb_typeof(j) = 'object' and j ?& v_k0 and j - v_k0 = '{}'::jsonb, false);
  if v_odd is not null then
    select e.ord, jsonb_typeof(e.j) as kind into v_bad
    from jsonb_array_elements(p_rows) with ordinality e(j, ord) where jsonb_typeof(e.j) <> 'object' limit 1;
    if found then
      raise exception 'Cannot merge into "%": row % must be a JSON object, got %', p_target, v_bad.ord, v_bad.kind
        using errcode = 'SY422';
    end if;
  end if;

  for v_group in
    select v_k0 as cols, p_rows as rows, 1::bigint as first_row where v_odd is null
    union all
    select x.cols, jsonb_agg(x.j order by x.ord), min(x.ord)
    from (select e.j, e.ord, array(select k from jsonb_object_keys(e.j) k order by k) as cols
          from jsonb_array_elements(p_rows) with ordinality e(j, ord)) x
    where v_odd is not null
    group by x.cols
    order by 3 -- groups merge in the order of their first row, so a batch's outcome is reproducible
  loop
    perform sync._check_columns(p_target, v_all, v_t.key_columns, v_group.cols, v_group.first_row);
    begin
      v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows,
        p_job_id, p_observed_at, false);
    exception
      when cardinality_violation then -- the same key twice in one batch: keep the newest of each
        v_res := sync._merge_group(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows,
          p_job_id, p_observed_at, true);
      when not_null_violation then
        select e.ord into v_bad from jsonb_array_elements(v_group.rows) with ordinality e(j, ord)
        where exists (select from unnest(v_t.key_columns) k where e.j -> k = 'null'::jsonb) limit 1;
        if found then
          raise exception 'Cannot merge into "%": row % has a null key column', p_target, v_bad.ord using errcode = 'SY422';
        end if;
        raise;
    end;
    v_ins := v_ins + v_res.inserted;
    v_upd := v_upd + v_res.updated;
    if v_res.inserted + v_res.updated < jsonb_array_length(v_group.rows) and v_res.maybe_stale then
      v_stale := v_stale + sync._count_stale(v_rel, v_t.key_columns, v_t.version_column, v_group.cols, v_group.rows, p_observed_at);
    end if;
  end loop;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_n - v_ins - v_upd - v_stale, 'stale', v_stale);
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_rows_force(p_target text, p_rows jsonb, p_job_id bigint DEFAULT NULL::bigint, p_observed_at timestamp with time zone DEFAULT now())
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_t sync.targets;
  v_keys text;
  v_saved jsonb;
  v_counts jsonb;
begin
  select * into v_t from sync.targets where target = p_target;
  if not found or p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    return sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at); -- raises the documented error
  end if;
  v_keys := (select string_agg(format('%I', k), ', ') from unnest(v_t.key_columns) k);
  -- forget the stored versions of the batch's keys (merge_rows then treats every differing row as
  -- newer), remembering them so rows that turn out unchanged get theirs back
  execute format(
    'with k as (select distinct %1$s from jsonb_populate_recordset(null::%2$s, $1) s),
       old as (select %5$s, t._source_updated_at as _v from %2$s t join k on (%3$s) = (%4$s)
               where t._source_updated_at is not null),
       u as (update %2$s t set _source_updated_at = null from old k where (%3$s) = (%4$s))
     select coalesce(jsonb_agg(to_jsonb(old)), ''[]''::jsonb) from old',
    v_keys, p_target::regclass,
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('k.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k))
  into v_saved using p_rows;
  v_counts := sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at);
  execute format(
    'update %1$s t set _source_updated_at = (e.j ->> ''_v'')::timestamptz
     from jsonb_array_elements($1) e(j), jsonb_populate_record(null::%1$s, e.j) k
     where (%2$s) = (%3$s) and t._source_updated_at is null',
    p_target::regclass,
    (select string_agg(format('t.%I', k), ', ') from unnest(v_t.key_columns) k),
    (select string_agg(format('k.%I', k), ', ') from unnest(v_t.key_columns) k))
  using v_saved;
  return v_counts;
end
$function$;
CREATE OR REPLACE FUNCTION sync.merge_rows_isolating(p_target text, p_rows jsonb, p_job_id bigint DEFAULT NULL::bigint, p_observed_at timestamp with time zone DEFAULT now())
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_rel regclass;
  v_stack int[] := array[]::int[]; -- pairs (from, to), 0-based, inclusive, popped from the end
  v_from int;
  v_to int;
  v_mid int;
  v_res jsonb;
  v_ins bigint := 0;
  v_upd bigint := 0;
  v_unch bigint := 0;
  v_stale bigint := 0;
  v_rejected jsonb := '[]'::jsonb;
  v_state text;
  v_msg text;
  v_detail text;
  v_constraint text;
  v_column text;
  v_bad record;
begin
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0 then
    return sync.merge_rows(p_target, p_rows, p_job_id, p_observed_at); -- its own errors, or nothing to do
  end if;
  v_rel := to_regclass(p_target);
  v_stack := array[0, jsonb_array_length(p_rows) - 1];
  while cardinality(v_stack) > 0 loop
    v_from := v_stack[cardinality(v_stack) - 1];
    v_to := v_stack[cardinality(v_stack)];
    v_stack := v_stack[1:cardinality(v_stack) - 2];
    begin
      v_res := sync.merge_rows(p_target,
        case when v_from = 0 and v_to = jsonb_array_length(p_rows) - 1 then p_rows
          else jsonb_path_query_array(p_rows, format('$[%s to %s]', v_from, v_to)::jsonpath) end,
        p_job_id, p_observed_at);
      v_ins := v_ins + (v_res ->> 'inserted')::bigint;
      v_upd := v_upd + (v_res ->> 'updated')::bigint;
      v_unch := v_unch + (v_res ->> 'unchanged')::bigint;
      v_stale := v_stale + (v_res ->> 'stale')::bigint;
    exception when data_exception or integrity_constraint_violation or program_limit_exceeded
        or sqlstate 'SY422' then
      get stacked diagnostics v_state = returned_sqlstate, v_msg = message_text, v_detail = pg_exception_detail,
        v_constraint = constraint_name, v_column = column_name;
      if v_from < v_to then
        -- the first half is merged first, so rows land in page order
        v_mid := (v_from + v_to) / 2;
        v_stack := v_stack || array[v_mid + 1, v_to, v_from, v_mid];
      else
        v_bad := null;
        if v_column is null or v_column = '' then
          select * into v_bad from sync._rejected_column(v_rel, p_rows -> v_from);
        end if;
        v_rejected := v_rejected || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
          -- "row N" of a one-row call means nothing to a reader; "Failing row contains (...)" repeats
          -- the whole row (raw included) and says nothing the column and constraint do not
          'row', v_from + 1, 'sqlstate', v_state, 'message', regexp_replace(v_msg, ': row \d+ ', ': the row '),
          'detail', case when v_detail !~ '^(Failing row contains|Index row references)' then nullif(v_detail, '') end,
          'column', coalesce(nullif(v_column, ''), v_bad.col,
            sync._rejected_columns_of(v_rel, nullif(v_constraint, ''), v_msg)),
          'type', v_bad.col_type, 'constraint', nullif(v_constraint, ''))));
      end if;
    end;
  end loop;
  return jsonb_build_object('inserted', v_ins, 'updated', v_upd, 'unchanged', v_unch, 'stale', v_stale)
    || case when jsonb_array_length(v_rejected) > 0 then jsonb_build_object('rejected', v_rejected) else '{}' end;
end
$function$;
CREATE OR REPLACE FUNCTION sync.ops_tick(p_now timestamp with time zone DEFAULT now())
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_schedules integer;
  v_retries integer;
  v_alerts jsonb;
  v_due integer;
  v_woken boolean := false;
begin
  select count(*) into v_schedules from sync.run_due_schedules(p_now);
  select count(*) into v_retries from sync.enqueue_due_retries(p_now);
  v_alerts := sync.evaluate_alerts();
  select count(*) into v_due from sync.notifications where status = 'pending' and next_attempt_at <= p_now;
  if v_due > 0 or exists (select from sync.jobs where status = 'queued') then
    v_woken := sync._wake_worker('tick');
  end if;
  return v_alerts || jsonb_build_object('schedules_fired', v_schedules, 'retry_jobs', v_retries,
    'due_notifications', v_due, 'woke_worker', v_woken);
end
$function$;
CREATE OR REPLACE FUNCTION sync.plan_shards(p_job_id bigint, p_worker text, p_stream text, p_windows jsonb, p_planned_at timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_n integer;
begin
  perform sync._assert_lease(p_job_id, p_worker);
  select count(*) into v_n from sync.job_shards where job_id = p_job_id and stream = p_stream;
  if v_n > 0 then
    return v_n;
  end if;
  if jsonb_typeof(p_windows) is distinct from 'array' or jsonb_array_length(p_windows) not between 1 and 64 then
    raise exception 'Cannot shard stream "%" of job %: give 1 to 64 windows', p_stream, p_job_id using errcode = 'SY422';
  end if;
  insert into sync.job_shards (job_id, stream, shard, window_start, window_end, cursor, planned_at)
  select p_job_id, p_stream, (w.n - 1)::integer, (w.value ->> 'start')::timestamptz, (w.value ->> 'end')::timestamptz,
    w.value ->> 'cursor', p_planned_at
  from jsonb_array_elements(p_windows) with ordinality w(value, n);
  get diagnostics v_n = row_count;
  perform sync._wake_for_shards(p_job_id, v_n);
  return v_n;
end
$function$;
CREATE OR REPLACE FUNCTION sync.promote_affected(p_plan text, p_table text, p_keys text[], p_job_id bigint DEFAULT NULL::bigint, p_batch integer DEFAULT 500)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
 SET jit TO 'off'
AS $function$
declare
  v_plan sync.promotion_plans;
  v_ids text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
  v_from integer := 1;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  execute format('select array(select distinct root_id from %s($1, $2) where root_id is not null)',
      sync._promotion_name('affected_fn', v_plan.affected_fn))
    into v_ids using p_table, p_keys;
  while v_from <= coalesce(cardinality(v_ids), 0) loop
    v_res := sync.promote_roots(p_plan, v_ids[v_from:v_from + p_batch - 1], p_job_id);
    v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
      from jsonb_object_keys(v_res) k);
    v_from := v_from + p_batch;
  end loop;
  return v_total;
end
$function$;
CREATE OR REPLACE FUNCTION sync.promote_job_rows(p_plan text, p_job_id bigint, p_batch integer DEFAULT 500)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
 SET jit TO 'off'
AS $function$
declare
  v_t record;
  v_keys text[];
  v_total jsonb := '{}'::jsonb;
  v_res jsonb;
begin
  for v_t in
    select distinct t.target, t.key_columns[1] as key
    from sync.promotion_plans p
    join sync.targets t on t.target = p.root_table or t.target in (select s.source_table from sync.promotion_steps s
      where s.plan = p.name)
    where p.name = p_plan and cardinality(t.key_columns) = 1
  loop
    execute format('select array(select %I::text from %s where _last_job_id = $1)', v_t.key, v_t.target::regclass)
      into v_keys using p_job_id;
    if cardinality(v_keys) > 0 then
      v_res := sync.promote_affected(p_plan, v_t.target, v_keys, p_job_id, p_batch);
      v_total := (select coalesce(jsonb_object_agg(k, coalesce((v_total ->> k)::bigint, 0) + (v_res ->> k)::bigint), '{}')
        from jsonb_object_keys(v_res) k);
    end if;
  end loop;
  return v_total;
end
$function$;
CREATE OR REPLACE FUNCTION sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer DEFAULT 500, p_lease_seconds integer DEFAULT 60)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
 SET jit TO 'off'
AS $function$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
  v_plan sync.promotion_plans;
  v_cp sync.promotion_checkpoints;
  v_where text;
  v_ids text[];
  v_last_sort timestamptz;
  v_last_id text;
  v_total bigint;
  v_res jsonb;
  v_phase text := 'promote:' || p_plan;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_batch is null or p_batch < 1 or p_batch > 10000 then
    raise exception 'Cannot promote: batch size must be 1..10000, got %', p_batch using errcode = 'SY422';
  end if;
  select * into v_cp from sync.promotion_checkpoints where plan = p_plan and job_id = p_job_id;
  v_ids := case when v_job.options ? 'ids' then array(select jsonb_array_elements_text(v_job.options -> 'ids')) end;
  v_where := format('($1::timestamptz is null or r.%1$I >= $1) and ($2::timestamptz is null or r.%1$I < $2)
      and ($3::text[] is null or r.%2$I::text = any ($3))', v_plan.root_order, v_plan.root_key);
  if v_cp.plan is null then
    execute format('select count(*) from %s r where %s', v_plan.root_table::regclass, v_where)
      into v_total using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids;
    insert into sync.promotion_checkpoints (plan, job_id) values (p_plan, p_job_id);
    perform sync.report_progress(p_job_id, v_phase, 0, v_total, 'promoting ' || v_total || ' roots in source order');
  end if;
  execute format(
    'select array(select r.%2$I::text from %1$s r where %3$s
        and ($4::text is null or (r.%4$I, r.%2$I::text) > ($5, $4))
      order by r.%4$I, r.%2$I::text limit $6)',
    v_plan.root_table::regclass, v_plan.root_key, v_where, v_plan.root_order)
    into v_ids using (v_job.options ->> 'since')::timestamptz, (v_job.options ->> 'until')::timestamptz, v_ids,
      v_cp.last_root_id, v_cp.last_sort_at, p_batch;
  v_res := sync.promote_roots(p_plan, v_ids, p_job_id);
  if cardinality(v_ids) > 0 then
    execute format('select r.%2$I as sort_at, r.%3$I::text as id from %1$s r where r.%3$I::text = $1',
        v_plan.root_table::regclass, v_plan.root_order, v_plan.root_key)
      into v_last_sort, v_last_id using v_ids[cardinality(v_ids)];
    update sync.promotion_checkpoints set last_sort_at = v_last_sort, last_root_id = v_last_id, updated_at = now()
    where plan = p_plan and job_id = p_job_id;
  end if;
  perform sync.report_progress(p_job_id, v_phase, cardinality(v_ids), null,
    format('promoted %s, ineligible %s, failed %s, withdrawn %s, unchanged %s', v_res ->> 'promoted',
      v_res ->> 'ineligible', v_res ->> 'failed', v_res ->> 'withdrawn', v_res ->> 'unchanged'),
    jsonb_build_object('inserted', (v_res ->> 'promoted')::bigint, 'updated', (v_res ->> 'withdrawn')::bigint,
      'unchanged', (v_res ->> 'unchanged')::bigint + (v_res ->> 'ineligible')::bigint,
      'failed', (v_res ->> 'failed')::bigint));
  update sync.jobs set lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
    heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
  where id = p_job_id;
  return v_res || jsonb_build_object('done', cardinality(v_ids), 'finished', cardinality(v_ids) < p_batch,
    'cancel_requested', v_job.cancel_requested);
end
$function$;
CREATE OR REPLACE FUNCTION sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint DEFAULT NULL::bigint, p_force boolean DEFAULT false)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
 SET jit TO 'off'
AS $function$
declare
  v_plan sync.promotion_plans;
  v_steps sync.promotion_steps[];
  v_rows jsonb[] := '{}'::jsonb[];
  v_judged jsonb;
  v_eligible text[];
  v_withdraw text[];
  v_failed jsonb;
  v_good text[];
  v_counts jsonb;
  v_i integer;
  v_seen integer;
  v_res jsonb;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_ids is null or cardinality(p_ids) = 0 then
    return jsonb_build_object('promoted', 0, 'ineligible', 0, 'failed', 0, 'withdrawn', 0, 'unchanged', 0, 'missing', 0);
  end if;
  perform pg_advisory_xact_lock(hashtextextended('sync.promotion:' || p_plan, 0));
  v_steps := array(select s from sync.promotion_steps s where s.plan = p_plan order by s.ordinal);

  -- judge: pending roots with their verdict, in source order
  execute format(
    'select coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object(''prev'', s.status) order by c.sort_at, c.root_id)
       filter (where $2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version), ''[]''),
       count(*) filter (where not ($2 or s.root_id is null or s.status = ''failed'' or s.version is distinct from c.version)),
       count(*)
     from (select distinct on (root_id) * from %s($1)) c
     left join sync.promotion_roots s on s.plan = $3 and s.root_id = c.root_id',
    sync._promotion_name('check_fn', v_plan.check_fn))
    into v_judged, v_i, v_seen using p_ids, p_force, p_plan;
  v_counts := jsonb_build_object('unchanged', v_i,
    'missing', (select count(distinct x) from unnest(p_ids) x) - v_seen);
  v_eligible := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j where j ->> 'reason_code' is null);
  v_withdraw := array(select j ->> 'root_id' from jsonb_array_elements(v_judged) j
    where j ->> 'prev' in ('promoted', 'withdrawn') and j ->> 'reason_code' = any (v_plan.withdraw_reasons));

  -- compute every step's rows for the eligible roots; a row error fails its root at that step
  for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
    execute format('select coalesce(jsonb_agg(jsonb_build_object(''r'', root_id, ''row'', data, ''e'', error)), ''[]'')
      from %s($1)', sync._promotion_name('rows_fn', v_steps[v_i].rows_fn))
      into v_res using v_eligible;
    v_rows[v_i] := v_res;
  end loop;
  select coalesce(jsonb_object_agg(r, jsonb_build_object('step', step, 'error', e)), '{}') into v_failed
  from (
    select distinct on (x ->> 'r') x ->> 'r' as r, v_steps[i].name as step, x ->> 'e' as e
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    where x ->> 'e' is not null
    order by x ->> 'r', i
  ) f;
  v_good := array(select r from unnest(v_eligible) r where not v_failed ? r);

  -- write (bisecting on failure), then withdraw what became ineligible
  v_failed := v_failed || sync._promotion_write(v_steps, v_good, v_rows, p_job_id);
  for v_i in 1 .. coalesce(cardinality(v_steps), 0) loop
    perform sync._promotion_retire(v_steps[v_i], v_withdraw, '[]'::jsonb, p_job_id);
  end loop;

  -- record outcomes with their step logs
  with judged as (
    select j ->> 'root_id' as root_id, (j ->> 'sort_at')::timestamptz as sort_at, j ->> 'version' as version,
      j ->> 'reason_code' as reason_code, j ->> 'reason' as reason, j ->> 'prev' as prev
    from jsonb_array_elements(v_judged) j
  ),
  per_step as materialized (
    select x ->> 'r' as root_id, i, count(*) as n
    from generate_subscripts(v_rows, 1) i, jsonb_array_elements(v_rows[i]) x
    group by 1, 2
  ),
  outcome as materialized (
    select j.*,
      case when j.reason_code is not null and j.root_id = any (v_withdraw) then 'withdrawn'
           when j.reason_code is not null then 'ineligible'
           when v_failed ? j.root_id then 'failed' else 'promoted' end as status,
      v_failed -> j.root_id ->> 'step' as failed_step, v_failed -> j.root_id ->> 'error' as error,
      coalesce((select t.ordinal from unnest(v_steps) t where t.name = v_failed -> j.root_id ->> 'step'), 2147483647)
        as failed_ordinal
    from judged j
  ),
  -- the steps a judged-eligible root went through, each with its row count
  steps_done as materialized (
    select o.root_id, jsonb_agg(jsonb_build_object('step', s.name, 'ok', true, 'count', coalesce(ps.n, 0),
        'text', replace(s.label, '%', coalesce(ps.n, 0)::text)) order by s.ordinal) as entries
    from outcome o
    cross join unnest(v_steps) with ordinality s(plan, ordinal, name, source_table, target, rows_fn, tie_column,
      label, retire, i)
    left join per_step ps on ps.root_id = o.root_id and ps.i = s.i
    where o.reason_code is null and s.ordinal < o.failed_ordinal
    group by o.root_id
  ),
  logged as (
    select o.*, case
      when o.reason_code is not null then jsonb_build_array(
          jsonb_build_object('step', 'import', 'ok', true, 'text', v_plan.root_label || ' imported'),
          jsonb_build_object('step', 'eligibility', 'ok', false, 'code', o.reason_code, 'text', o.reason),
          jsonb_build_object('step', 'result', 'ok', o.status = 'withdrawn',
            'text', case when o.status = 'withdrawn' then 'withdrawn from production' else 'not promoted' end))
      else coalesce(d.entries, '[]'::jsonb)
        || case when o.failed_step is null
             then jsonb_build_array(jsonb_build_object('step', 'result', 'ok', true, 'text', 'promoted'))
             else jsonb_build_array(
               jsonb_build_object('step', o.failed_step, 'ok', false, 'text', o.error),
               jsonb_build_object('step', 'result', 'ok', false, 'text', 'not promoted')) end
      end as log
    from outcome o left join steps_done d on d.root_id = o.root_id
  ),
  saved as (
    insert into sync.promotion_roots as s (plan, root_id, sort_at, version, status, reason_code, reason, failed_step,
      error, log, job_id, promoted_at, updated_at)
    select p_plan, l.root_id, l.sort_at, l.version, l.status, l.reason_code, l.reason, l.failed_step, l.error, l.log,
      p_job_id, case when l.status = 'promoted' then now() end, now()
    from logged l
    on conflict (plan, root_id) do update set sort_at = excluded.sort_at, version = excluded.version,
      status = excluded.status, reason_code = excluded.reason_code, reason = excluded.reason,
      failed_step = excluded.failed_step, error = excluded.error, log = excluded.log, job_id = excluded.job_id,
      attempts = s.attempts + 1, promoted_at = coalesce(excluded.promoted_at, s.promoted_at), updated_at = now()
    returning s.status
  )
  select v_counts || jsonb_build_object(
      'promoted', count(*) filter (where status = 'promoted'),
      'ineligible', count(*) filter (where status = 'ineligible'),
      'failed', count(*) filter (where status = 'failed'),
      'withdrawn', count(*) filter (where status = 'withdrawn'))
    into v_res from saved;
  return v_res;
end
$function$;
CREATE OR REPLACE FUNCTION sync.rate_take(p_source text, p_windows jsonb, p_now timestamp with time zone DEFAULT NULL::timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_sent timestamptz[];
  v_n integer;
  v_at timestamptz;
  v_keep integer := 0;
  v_requests integer;
  v_ms double precision;
  v_window jsonb;
begin
  if jsonb_typeof(p_windows) is distinct from 'array' or jsonb_array_length(p_windows) = 0 then
    raise exception 'Cannot rate-limit "%": give one or more windows [{"requests", "windowMs"}]', p_source
      using errcode = 'SY422';
  end if;
  insert into sync.rate_limits (source) values (p_source) on conflict (source) do nothing;
  select r.sent into v_sent from sync.rate_limits r where r.source = p_source for update;
  v_n := cardinality(v_sent);
  v_at := greatest(v_now, v_sent[v_n]);
  for v_window in select value from jsonb_array_elements(p_windows) loop
    v_requests := (v_window ->> 'requests')::integer;
    v_ms := (v_window ->> 'windowMs')::double precision;
    if v_requests is null or v_requests < 1 or v_ms is null or v_ms <= 0 then
      raise exception 'Cannot rate-limit "%": window % must have requests >= 1 and windowMs > 0', p_source, v_window
        using errcode = 'SY422';
    end if;
    v_keep := greatest(v_keep, v_requests);
    -- the v_requests-th most recent reservation must have left the window first
    if v_n >= v_requests then
      v_at := greatest(v_at, v_sent[v_n - v_requests + 1] + make_interval(secs => v_ms / 1000));
    end if;
  end loop;
  update sync.rate_limits r set sent = v_sent[greatest(1, v_n + 2 - v_keep):v_n] || v_at,
    taken = r.taken + 1, updated_at = clock_timestamp()
  where r.source = p_source;
  return greatest(0, ceil(extract(epoch from v_at - v_now) * 1000))::integer;
end
$function$;
CREATE OR REPLACE FUNCTION sync.receive_webhook(p_provider text, p_event_id text, p_event_type text, p_account text DEFAULT 'default'::text, p_payload jsonb DEFAULT '{}'::jsonb, p_status text DEFAULT 'received'::text)
 RETURNS TABLE(id bigint, is_new boolean)
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_id bigint;
begin
  if coalesce(p_provider, '') = '' or coalesce(p_event_id, '') = '' then
    raise exception 'Cannot store webhook: provider and event id are required' using errcode = 'SY422';
  end if;
  if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
    raise exception 'Cannot store webhook % of "%": payload is not a JSON object', p_event_id, p_provider
      using errcode = 'SY422';
  end if;
  if p_status not in ('received', 'ignored') then
    raise exception 'Cannot store webhook % of "%": initial status "%" is not received or ignored',
      p_event_id, p_provider, p_status using errcode = 'SY422';
  end if;
  -- the event id is claimed first: a concurrent duplicate waits here, then finds it taken
  insert into sync.webhook_dedup (provider, event_id) values (p_provider, p_event_id) on conflict do nothing;
  if found then
    insert into sync.webhook_inbox (provider, event_id, event_type, account, payload, status, processed_at)
    values (p_provider, p_event_id, coalesce(nullif(p_event_type, ''), 'unknown'), coalesce(nullif(p_account, ''), 'default'),
      p_payload, p_status, case when p_status = 'ignored' then now() end)
    on conflict (provider, event_id) do nothing
    returning webhook_inbox.id into v_id;
    if v_id is not null then
      return query select v_id, true;
      return;
    end if;
  end if;
  -- a duplicate: the inbox row's id, or null when the cleanup has already removed it
  return query select (select w.id from sync.webhook_inbox w where w.provider = p_provider and w.event_id = p_event_id),
    false;
end
$function$;
CREATE OR REPLACE FUNCTION sync.record_completeness(p_job_id bigint, p_worker text, p_stream text, p_result jsonb)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs := sync._assert_lease(p_job_id, p_worker);
begin
  if p_result is null or p_result ->> 'status' not in ('complete', 'gap', 'unverified') then
    raise exception 'Cannot record completeness of "%": status must be complete, gap or unverified, got %',
      p_stream, coalesce(p_result ->> 'status', 'none') using errcode = 'SY422';
  end if;
  update sync.progress set completeness = p_result, updated_at = clock_timestamp()
  where job_id = p_job_id and phase = p_stream;
  insert into sync.stream_completeness as s (connector, account, stream, job_id, status, method, source_count,
    landed_count, missing_count, sample_ids, detail, checked_at)
  values (v_job.connector, v_job.account, p_stream, p_job_id, p_result ->> 'status', p_result ->> 'method',
    (p_result ->> 'source')::bigint, (p_result ->> 'landed')::bigint, (p_result ->> 'missing')::bigint,
    coalesce(array(select jsonb_array_elements_text(case when jsonb_typeof(p_result -> 'sampleIds') = 'array'
      then p_result -> 'sampleIds' else '[]'::jsonb end)), '{}'), p_result, clock_timestamp())
  on conflict (connector, account, stream) do update set job_id = excluded.job_id, status = excluded.status,
    method = excluded.method, source_count = excluded.source_count, landed_count = excluded.landed_count,
    missing_count = excluded.missing_count, sample_ids = excluded.sample_ids, detail = excluded.detail,
    checked_at = excluded.checked_at;
end
$function$;
CREATE OR REPLACE FUNCTION sync.record_failed_item(p_job_id bigint, p_stream text, p_item_key text, p_payload jsonb, p_error_class text, p_error text)
 RETURNS sync.failed_items
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.failed_items;
begin
  if length(p_item_key) > 500 then
    p_item_key := left(p_item_key, 400) || '…' || md5(p_item_key);
  end if;
  insert into sync.failed_items as f (job_id, connector, account, stream, item_key, payload, error_class, error, next_retry_at)
  select j.id, j.connector, j.account, p_stream, p_item_key, p_payload, p_error_class, p_error,
    clock_timestamp() + sync._retry_delay(1)
  from sync.jobs j where j.id = p_job_id
  on conflict (connector, account, stream, item_key) where resolved_at is null do update set
    job_id = excluded.job_id, payload = excluded.payload, error_class = excluded.error_class, error = excluded.error,
    attempts = f.attempts + 1, last_attempt_at = clock_timestamp(),
    next_retry_at = clock_timestamp() + sync._retry_delay(f.attempts + 1)
  returning * into v_row;
  if v_row.id is null then
    raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
  end if;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.record_job_step(p_job_id bigint, p_stream text, p_item_key text, p_step text, p_status text, p_detail jsonb DEFAULT '{}'::jsonb)
 RETURNS sync.job_steps
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.job_steps;
begin
  insert into sync.job_steps (job_id, stream, item_key, step, status, detail)
  values (p_job_id, p_stream, left(p_item_key, 500), p_step, p_status, coalesce(p_detail, '{}'::jsonb))
  returning * into v_row;
  return v_row;
exception when foreign_key_violation then
  raise exception 'Job % does not exist', p_job_id using errcode = 'SY404';
end
$function$;
CREATE OR REPLACE FUNCTION sync.register_integrity_check(p_name text, p_child_table text, p_child_column text, p_parent_table text, p_parent_column text, p_description text DEFAULT NULL::text)
 RETURNS sync.integrity_checks
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.integrity_checks;
begin
  if p_child_table !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' or p_parent_table !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'
    or p_child_column !~ '^[a-z_][a-z0-9_]*$' or p_parent_column !~ '^[a-z_][a-z0-9_]*$' then
    raise exception 'Cannot register integrity check "%": tables must be "schema.table" and columns plain names', p_name
      using errcode = 'SY422';
  end if;
  insert into sync.integrity_checks as c (name, child_table, child_column, parent_table, parent_column, description)
  values (p_name, p_child_table, p_child_column, p_parent_table, p_parent_column, p_description)
  on conflict (name) do update set child_table = excluded.child_table, child_column = excluded.child_column,
    parent_table = excluded.parent_table, parent_column = excluded.parent_column,
    description = coalesce(excluded.description, c.description)
  returning * into v_row;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.register_promotion_plan(p_name text, p_connector text, p_root_table text, p_root_key text, p_root_order text, p_root_label text, p_check_fn text, p_affected_fn text, p_orphans_fn text DEFAULT NULL::text, p_withdraw_reasons text[] DEFAULT '{}'::text[], p_description text DEFAULT NULL::text)
 RETURNS sync.promotion_plans
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_plan sync.promotion_plans;
begin
  if to_regclass(sync._promotion_name('root_table', p_root_table)) is null then
    raise exception 'Invalid promotion plan "%": root table % does not exist', p_name, p_root_table using errcode = 'SY422';
  end if;
  if to_regprocedure(sync._promotion_name('check_fn', p_check_fn) || '(text[])') is null then
    raise exception 'Invalid promotion plan "%": no function %(text[])', p_name, p_check_fn using errcode = 'SY422';
  end if;
  if to_regprocedure(sync._promotion_name('affected_fn', p_affected_fn) || '(text, text[])') is null then
    raise exception 'Invalid promotion plan "%": no function %(text, text[])', p_name, p_affected_fn using errcode = 'SY422';
  end if;
  if p_orphans_fn is not null and to_regprocedure(sync._promotion_name('orphans_fn', p_orphans_fn) || '()') is null then
    raise exception 'Invalid promotion plan "%": no function %()', p_name, p_orphans_fn using errcode = 'SY422';
  end if;
  insert into sync.promotion_plans as p (name, connector, root_table, root_key, root_order, root_label, check_fn,
    affected_fn, orphans_fn, withdraw_reasons, description)
  values (p_name, p_connector, p_root_table, p_root_key, p_root_order, p_root_label, p_check_fn, p_affected_fn, p_orphans_fn,
    coalesce(p_withdraw_reasons, '{}'), p_description)
  on conflict (name) do update set connector = excluded.connector, root_table = excluded.root_table, root_key = excluded.root_key,
    root_order = excluded.root_order, root_label = excluded.root_label, check_fn = excluded.check_fn,
    affected_fn = excluded.affected_fn, orphans_fn = excluded.orphans_fn,
    withdraw_reasons = excluded.withdraw_reasons, description = excluded.description
  returning * into v_plan;
  return v_plan;
end
$function$;
CREATE OR REPLACE FUNCTION sync.register_promotion_step(p_plan text, p_ordinal integer, p_name text, p_source_table text, p_target text, p_rows_fn text, p_tie_column text, p_label text, p_retire jsonb DEFAULT NULL::jsonb)
 RETURNS sync.promotion_steps
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_step sync.promotion_steps;
begin
  if to_regprocedure(sync._promotion_name('rows_fn', p_rows_fn) || '(text[])') is null then
    raise exception 'Invalid promotion step "%": no function %(text[])', p_name, p_rows_fn using errcode = 'SY422';
  end if;
  if not exists (select from sync.targets where target = p_target) then
    raise exception 'Invalid promotion step "%": % is not a registered merge target', p_name, p_target
      using errcode = 'SY422';
  end if;
  if p_tie_column is not null and not exists (select from pg_attribute
      where attrelid = p_target::regclass and attname = p_tie_column and attnum > 0 and not attisdropped) then
    raise exception 'Invalid promotion step "%": % has no column %', p_name, p_target, p_tie_column using errcode = 'SY422';
  end if;
  if p_retire is not null and p_tie_column is null then
    raise exception 'Invalid promotion step "%": retire needs a tie column', p_name using errcode = 'SY422';
  end if;
  insert into sync.promotion_steps as s (plan, ordinal, name, source_table, target, rows_fn, tie_column, label, retire)
  values (p_plan, p_ordinal, p_name, p_source_table, p_target, p_rows_fn, p_tie_column, p_label, p_retire)
  on conflict (plan, ordinal) do update set name = excluded.name, source_table = excluded.source_table,
    target = excluded.target, rows_fn = excluded.rows_fn, tie_column = excluded.tie_column, label = excluded.label,
    retire = excluded.retire
  returning * into v_step;
  return v_step;
end
$function$;
CREATE OR REPLACE FUNCTION sync.register_target(p_target text, p_key_columns text[], p_version_column text DEFAULT NULL::text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_rel regclass := to_regclass(p_target);
  v_col text;
  v_type text;
begin
  if v_rel is null or p_target !~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' then
    raise exception 'Cannot register target "%": no such table (use "schema.table")', p_target using errcode = '42P01';
  end if;
  foreach v_col in array p_key_columns || array_remove(array[p_version_column], null) loop
    if not exists (select from pg_attribute where attrelid = v_rel and attname = v_col and attnum > 0 and not attisdropped) then
      raise exception 'Cannot register target "%": column "%" does not exist', p_target, v_col using errcode = '42703';
    end if;
  end loop;
  if not exists (
    select from pg_index i
    where i.indrelid = v_rel and i.indisunique and i.indpred is null and i.indexprs is null
      and (select array_agg(a.attname::text order by a.attname) from pg_attribute a
           where a.attrelid = v_rel and a.attnum = any (i.indkey)) = (select array_agg(k order by k) from unnest(p_key_columns) k)
  ) then
    raise exception 'Cannot register target "%": key (%) has no unique index', p_target, array_to_string(p_key_columns, ', ')
      using errcode = '42P10';
  end if;
  if p_version_column is not null then
    select format_type(atttypid, atttypmod) into v_type from pg_attribute where attrelid = v_rel and attname = p_version_column;
    if v_type <> 'timestamp with time zone' then
      raise exception 'Cannot register target "%": version column "%" is %, not timestamptz', p_target, p_version_column, v_type
        using errcode = '42804';
    end if;
  end if;
  execute format(
    'alter table %s add column if not exists _first_synced_at timestamptz not null default now(),
       add column if not exists _last_synced_at timestamptz not null default now(),
       add column if not exists _source_updated_at timestamptz,
       add column if not exists _last_job_id bigint,
       add column if not exists _deleted_at timestamptz', v_rel);
  insert into sync.targets (target, key_columns, version_column)
  values (p_target, p_key_columns, p_version_column)
  on conflict (target) do update set key_columns = excluded.key_columns, version_column = excluded.version_column;
end
$function$;
CREATE OR REPLACE FUNCTION sync.release_job(p_job_id bigint, p_worker text)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job sync.jobs;
begin
  perform sync._assert_lease(p_job_id, p_worker);
  update sync.jobs set status = 'queued', lease_owner = null, lease_expires_at = null, waiting_since = null,
    updated_at = clock_timestamp()
  where id = p_job_id returning * into v_job;
  return v_job;
end
$function$;
CREATE OR REPLACE FUNCTION sync.release_shard(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_status text, p_error text DEFAULT NULL::text)
 RETURNS sync.job_shards
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_shard sync.job_shards;
begin
  if p_status not in ('done', 'failed', 'pending') then
    raise exception 'Cannot release shard % of job %: "%" is not done, failed or pending', p_shard, p_job_id, p_status
      using errcode = 'SY422';
  end if;
  perform sync._assert_shard_lease(p_job_id, p_stream, p_shard, p_worker);
  update sync.job_shards set status = p_status, error = p_error, lease_owner = null, lease_expires_at = null,
    finished_at = case when p_status = 'pending' then null else clock_timestamp() end, updated_at = clock_timestamp()
  where job_id = p_job_id and stream = p_stream and shard = p_shard
  returning * into v_shard;
  return v_shard;
end
$function$;
CREATE OR REPLACE FUNCTION sync.remove_schedule(p_id bigint)
 RETURNS sync.schedules
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_row sync.schedules;
begin
  delete from sync.schedules where id = p_id returning * into v_row;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  perform sync._cron_drop('syncline:' || p_id);
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.report_progress(p_job_id bigint, p_phase text, p_done_delta bigint DEFAULT 0, p_total bigint DEFAULT NULL::bigint, p_message text DEFAULT NULL::text, p_counts jsonb DEFAULT '{}'::jsonb, p_status text DEFAULT 'running'::text)
 RETURNS sync.progress
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.progress;
  v_now timestamptz := clock_timestamp();
begin
  -- one write per report (one row version, one announcement), figures computed from the new totals
  insert into sync.progress as p (job_id, phase, status, done, total, message, started_at,
    inserted, updated, unchanged, stale, failed, sanitised, percent, rate, eta_seconds)
  select p_job_id, p_phase, p_status, p_done_delta, p_total, p_message, v_now,
    coalesce((p_counts ->> 'inserted')::bigint, 0), coalesce((p_counts ->> 'updated')::bigint, 0),
    coalesce((p_counts ->> 'unchanged')::bigint, 0), coalesce((p_counts ->> 'stale')::bigint, 0),
    coalesce((p_counts ->> 'failed')::bigint, 0), coalesce((p_counts ->> 'sanitised')::bigint, 0),
    f.percent, f.rate, f.eta_seconds
  from sync._progress_figures(p_done_delta, p_total, v_now, v_now) f
  on conflict (job_id, phase) do update set
    status = p_status, done = p.done + p_done_delta, total = coalesce(p_total, p.total),
    message = coalesce(p_message, p.message), started_at = coalesce(p.started_at, v_now),
    inserted = p.inserted + coalesce((p_counts ->> 'inserted')::bigint, 0),
    updated = p.updated + coalesce((p_counts ->> 'updated')::bigint, 0),
    unchanged = p.unchanged + coalesce((p_counts ->> 'unchanged')::bigint, 0),
    stale = p.stale + coalesce((p_counts ->> 'stale')::bigint, 0),
    failed = p.failed + coalesce((p_counts ->> 'failed')::bigint, 0),
    sanitised = p.sanitised + coalesce((p_counts ->> 'sanitised')::bigint, 0),
    (percent, rate, eta_seconds) = (select f.percent, f.rate, f.eta_seconds
      from sync._progress_figures(p.done + p_done_delta, coalesce(p_total, p.total), coalesce(p.started_at, v_now), v_now) f),
    updated_at = v_now
  returning * into v_row;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.resolve_failed_items(p_ids bigint[], p_resolution text DEFAULT 'resolved'::text)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with r as (
    update sync.failed_items set resolved_at = clock_timestamp(), resolution = p_resolution
    where id = any (p_ids) and resolved_at is null returning 1)
  select count(*)::integer from r
$function$;
CREATE OR REPLACE FUNCTION sync.run_due_schedules(p_now timestamp with time zone DEFAULT now())
 RETURNS SETOF sync.schedule_runs
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_s sync.schedules;
  v_run sync.schedule_runs;
begin
  for v_s in
    select * from sync.schedules s
    where s.enabled and s.timezone <> 'UTC' and s.next_run_at <= p_now
    order by s.next_run_at, s.id
    for update skip locked
  loop
    begin
      v_run := sync.run_schedule(v_s.id);
      return next v_run;
    exception when others then
      raise warning 'syncline: schedule % (%) could not run: %', v_s.id, v_s.name, sqlerrm;
    end;
    update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, p_now) where id = v_s.id;
  end loop;
end
$function$;
CREATE OR REPLACE FUNCTION sync.run_schedule(p_id bigint)
 RETURNS sync.schedule_runs
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_s sync.schedules;
  v_run sync.schedule_runs;
  v_job sync.jobs;
  v_options jsonb;
  v_streams text[];
begin
  select * into v_s from sync.schedules where id = p_id for update;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  if not v_s.enabled then
    insert into sync.schedule_runs (schedule_id, outcome, reason) values (p_id, 'skipped', 'schedule is disabled')
    returning * into v_run;
    return v_run;
  end if;
  update sync.schedules set next_run_at = sync.cron_next_run(cron, timezone, now()) where id = p_id;
  -- options.lookback_hours travels with the job: the runner re-reads from the earlier of the
  -- stream's high-water mark and now - look-back, so a run after a pause misses nothing
  v_options := v_s.options || jsonb_build_object('schedule_id', v_s.id, 'schedule', v_s.name);
  v_streams := v_s.streams;
  if v_s.mode = 'retry' then
    v_streams := array(select distinct f.stream from sync.failed_items f
      where f.connector = v_s.connector and f.account = v_s.account and f.stream = any (v_s.streams)
        and f.resolved_at is null and not f.permanent and f.next_retry_at <= now() order by 1);
    if cardinality(v_streams) = 0 then
      insert into sync.schedule_runs (schedule_id, outcome, reason)
      values (p_id, 'skipped', 'no failed items are due for a retry') returning * into v_run;
      update sync.schedules set last_run_at = now(), last_outcome = 'skipped' where id = p_id;
      return v_run;
    end if;
  end if;
  begin
    v_job := sync.create_job(v_s.connector, v_streams, v_s.account, v_s.mode, v_options, 'schedule',
      'schedule:' || v_s.name);
  exception when sqlstate 'SY409' then
    insert into sync.schedule_runs (schedule_id, outcome, reason) values (p_id, 'skipped', sqlerrm)
    returning * into v_run;
    update sync.schedules set last_run_at = now(), last_outcome = 'skipped' where id = p_id;
    return v_run;
  end;
  insert into sync.schedule_runs (schedule_id, outcome, job_id) values (p_id, 'enqueued', v_job.id)
  returning * into v_run;
  update sync.schedules set last_run_at = now(), last_outcome = 'enqueued', last_job_id = v_job.id where id = p_id;
  perform sync._wake_worker('schedule', v_job.id);
  return v_run;
end
$function$;
CREATE OR REPLACE FUNCTION sync.save_checkpoint(p_job_id bigint, p_stream text, p_cursor text, p_high_water_mark timestamp with time zone DEFAULT NULL::timestamp with time zone, p_state jsonb DEFAULT NULL::jsonb)
 RETURNS void
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  insert into sync.checkpoints as c (connector, account, stream, cursor, high_water_mark, state, job_id, updated_at)
  select j.connector, j.account, p_stream, p_cursor, p_high_water_mark, coalesce(p_state, '{}'::jsonb), j.id, clock_timestamp()
  from sync.jobs j where j.id = p_job_id
  on conflict (connector, account, stream) do update set
    cursor = excluded.cursor,
    high_water_mark = greatest(c.high_water_mark, excluded.high_water_mark),
    state = coalesce(p_state, c.state), job_id = excluded.job_id, updated_at = excluded.updated_at
$function$;
CREATE OR REPLACE FUNCTION sync.schema_version()
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select max(v.version) from sync.schema_versions v
$function$;
CREATE OR REPLACE FUNCTION sync.set_delete_mode(p_target text, p_mode text)
 RETURNS sync.targets
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.targets;
begin
  if p_mode is null or p_mode not in ('soft', 'hard') then
    raise exception 'Cannot set delete mode of "%": "%" is not soft or hard', p_target, p_mode using errcode = 'SY422';
  end if;
  update sync.targets set delete_mode = p_mode where target = p_target returning * into v_row;
  if not found then
    raise exception 'Cannot set delete mode of "%": not a registered target (see sync.targets)', p_target
      using errcode = 'SY404';
  end if;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.set_schedule_enabled(p_id bigint, p_enabled boolean)
 RETURNS sync.schedules
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_row sync.schedules;
begin
  update sync.schedules set enabled = coalesce(p_enabled, false), updated_at = now(),
    next_run_at = case when coalesce(p_enabled, false) then sync.cron_next_run(cron, timezone, now()) end
  where id = p_id returning * into v_row;
  if not found then
    raise exception 'Schedule % does not exist', p_id using errcode = 'SY404';
  end if;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.set_stream_cooldown(p_connector text, p_stream text, p_seconds integer)
 RETURNS sync.stream_cooldowns
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_row sync.stream_cooldowns;
begin
  if p_connector is null or p_connector !~ '^[a-z][a-z0-9_-]{0,62}$' then
    raise exception 'Cannot set cool-down: "%" is not a connector name', coalesce(p_connector, '') using errcode = 'SY422';
  end if;
  if p_stream is null or length(p_stream) not between 1 and 200 then
    raise exception 'Cannot set cool-down of "%": a stream name is required', p_connector using errcode = 'SY422';
  end if;
  if p_seconds is null or p_seconds not between 0 and 86400 then
    raise exception 'Cannot set cool-down of "%/%": seconds must be between 0 and 86400 (got %)', p_connector, p_stream,
      coalesce(p_seconds::text, 'null') using errcode = 'SY422';
  end if;
  insert into sync.stream_cooldowns as c (connector, stream, cooldown_seconds) values (p_connector, p_stream, p_seconds)
  on conflict (connector, stream) do update set cooldown_seconds = excluded.cooldown_seconds, updated_at = now()
  returning * into v_row;
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.start_promotion(p_plan text, p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_ids text[] DEFAULT NULL::text[], p_trigger text DEFAULT 'api'::text, p_requested_by text DEFAULT NULL::text, p_batch_size integer DEFAULT 500)
 RETURNS sync.jobs
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_plan sync.promotion_plans;
begin
  select * into v_plan from sync.promotion_plans where name = p_plan;
  if not found then
    raise exception 'Cannot promote: no promotion plan "%"', p_plan using errcode = 'SY404';
  end if;
  if p_since is not null and p_until is not null and p_since >= p_until then
    raise exception 'Cannot promote with "%": since (%) is not before until (%)', p_plan, p_since, p_until
      using errcode = 'SY422';
  end if;
  if p_ids is not null and cardinality(p_ids) = 0 then
    raise exception 'Cannot promote with "%": ids is empty (omit it to promote every pending root)', p_plan
      using errcode = 'SY422';
  end if;
  if p_batch_size is null or p_batch_size < 1 or p_batch_size > 10000 then
    raise exception 'Cannot promote with "%": batch size must be 1..10000, got %', p_plan, p_batch_size
      using errcode = 'SY422';
  end if;
  return sync.create_job(v_plan.connector, array['promote:' || p_plan], 'default', 'promote',
    jsonb_strip_nulls(jsonb_build_object('plan', p_plan, 'since', p_since, 'until', p_until, 'ids', to_jsonb(p_ids),
      'batchSize', p_batch_size)),
    p_trigger, p_requested_by);
end
$function$;
CREATE OR REPLACE FUNCTION sync.target_keys(p_target text, p_deleted boolean DEFAULT false)
 RETURNS SETOF text
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  return query execute format('select %I::text from %s where (_deleted_at is not null) = $1',
    sync._single_key(p_target), p_target::regclass) using p_deleted;
end
$function$;
CREATE OR REPLACE FUNCTION sync.uninstall()
 RETURNS SETOF sync.install_step
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_job record;
  v_n integer;
begin
  if sync._cron_available() then
    for v_job in select j.jobname from sync._install_cron_jobs() j loop
      perform sync._cron_drop(v_job.jobname);
      return next row('cron job ' || v_job.jobname, 'removed', null)::sync.install_step;
    end loop;
  else
    return next row('cron jobs', 'skipped', 'pg_cron is not available in this database')::sync.install_step;
  end if;
  if to_regclass('vault.secrets') is null then
    return next row('vault secrets', 'skipped', 'Vault (supabase_vault) is not installed here')::sync.install_step;
  else
    execute 'delete from vault.secrets where name in (''syncline_worker_url'', ''syncline_worker_secret'')';
    get diagnostics v_n = row_count;
    return next row('vault secrets', case when v_n > 0 then 'removed' else 'unchanged' end,
      v_n || ' secret(s)')::sync.install_step;
  end if;
end
$function$;
CREATE OR REPLACE FUNCTION sync.update_notification_settings(p_changes jsonb)
 RETURNS sync.notification_settings
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_cur sync.notification_settings;
  v_new sync.notification_settings;
  v_key text;
  v_entry record;
begin
  if p_changes is null or jsonb_typeof(p_changes) <> 'object' then
    raise exception 'Cannot update notification settings: changes must be a JSON object' using errcode = 'SY422';
  end if;
  for v_key in select jsonb_object_keys(p_changes) loop
    if v_key in ('id', 'updated_at') or not exists (select from pg_attribute
        where attrelid = 'sync.notification_settings'::regclass and attname = v_key and attnum > 0 and not attisdropped) then
      raise exception 'Cannot update notification settings: unknown setting "%"', v_key using errcode = 'SY422';
    end if;
  end loop;
  -- checked here, naming the setting, rather than by the table's constraints (a bare 23514)
  foreach v_key in array array['error_rate_window', 'stale_after', 'rate_limit_window'] loop
    if p_changes ? v_key then
      perform sync._check_setting_interval(v_key, p_changes ->> v_key, v_key = 'rate_limit_window');
    end if;
  end loop;
  if p_changes ? 'stale_after_by_stream' then
    if jsonb_typeof(p_changes -> 'stale_after_by_stream') <> 'object' then
      raise exception 'Cannot update notification settings: stale_after_by_stream must be an object such as {"square/orders": "26 hours"}'
        using errcode = 'SY422';
    end if;
    for v_entry in select * from jsonb_each(p_changes -> 'stale_after_by_stream') loop
      perform sync._check_setting_interval(format('stale_after_by_stream[%s]', v_entry.key),
        case when jsonb_typeof(v_entry.value) = 'string' then v_entry.value #>> '{}' end);
    end loop;
  end if;
  foreach v_key in array array['slack_webhook_url', 'email_api_url'] loop
    if jsonb_typeof(p_changes -> v_key) = 'string' and not sync._is_delivery_url(p_changes ->> v_key) then
      raise exception 'Cannot update notification settings: % must be an https: URL (http: only to localhost), got "%"',
        v_key, left(p_changes ->> v_key, 80) using errcode = 'SY422';
    end if;
  end loop;
  select * into v_cur from sync.notification_settings for update;
  v_new := jsonb_populate_record(v_cur, p_changes);
  update sync.notification_settings set enabled = v_new.enabled, slack_webhook_url = v_new.slack_webhook_url,
    email_provider = v_new.email_provider, email_api_url = v_new.email_api_url, email_from = v_new.email_from,
    email_to = v_new.email_to, error_rate_threshold = v_new.error_rate_threshold,
    error_rate_window = v_new.error_rate_window, error_rate_min_runs = v_new.error_rate_min_runs,
    slow_run_factor = v_new.slow_run_factor, slow_run_min_runs = v_new.slow_run_min_runs,
    slow_run_min_seconds = v_new.slow_run_min_seconds, stale_after = v_new.stale_after,
    stale_after_by_stream = v_new.stale_after_by_stream, rate_limit_window = v_new.rate_limit_window,
    daily_summary = v_new.daily_summary, daily_summary_hour = v_new.daily_summary_hour,
    retention_days = v_new.retention_days, max_attempts = v_new.max_attempts, run_reports = v_new.run_reports,
    auto_retry = v_new.auto_retry, retry_batch_size = v_new.retry_batch_size,
    failed_item_max_attempts = v_new.failed_item_max_attempts, updated_at = now()
  returning * into v_new;
  return v_new;
end
$function$;
CREATE OR REPLACE FUNCTION sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text, p_mode text DEFAULT 'incremental'::text, p_options jsonb DEFAULT '{}'::jsonb, p_enabled boolean DEFAULT true, p_account text DEFAULT 'default'::text, p_description text DEFAULT NULL::text, p_timezone text DEFAULT 'UTC'::text)
 RETURNS sync.schedules
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
declare
  v_row sync.schedules;
  v_lookback jsonb := p_options -> 'lookback_hours';
  v_tz text := coalesce(p_timezone, 'UTC');
begin
  if p_name is null or p_name !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' then
    raise exception 'Cannot save schedule "%": the name must be 1-63 lowercase letters, digits, ".", "_" or "-"',
      coalesce(p_name, '') using errcode = 'SY422';
  end if;
  if p_connector is null or p_connector !~ '^[a-z][a-z0-9_-]{0,62}$' then
    raise exception 'Cannot save schedule "%": "%" is not a connector name', p_name, coalesce(p_connector, '')
      using errcode = 'SY422';
  end if;
  if p_streams is null or cardinality(p_streams) = 0 then
    raise exception 'Cannot save schedule "%": no streams given', p_name using errcode = 'SY422';
  end if;
  if sync._cron_schedule_error(btrim(p_cron)) is not null then
    raise exception 'Cannot save schedule "%": "%" is not a valid cron expression (minute hour day-of-month month day-of-week, UTC)',
      p_name, coalesce(p_cron, '') using errcode = 'SY422';
  end if;
  if p_mode is null or p_mode not in ('full', 'incremental', 'retry', 'reconcile') then
    raise exception 'Cannot save schedule "%": mode "%" must be "full", "incremental", "retry" or "reconcile"', p_name,
      coalesce(p_mode, '') using errcode = 'SY422';
  end if;
  if not sync._valid_timezone(v_tz) then
    raise exception 'Cannot save schedule "%": "%" is not a time zone (an IANA name such as Europe/Dublin, or UTC)',
      p_name, v_tz using errcode = 'SY422';
  end if;
  if v_tz <> 'UTC' and sync.cron_next_run(p_cron, v_tz, now()) is null then
    raise exception 'Cannot save schedule "%": "%" in time zone % needs numeric cron fields (numbers, *, ranges, steps, lists) that match a date',
      p_name, btrim(p_cron), v_tz using errcode = 'SY422';
  end if;
  if p_options is null or jsonb_typeof(p_options) <> 'object' then
    raise exception 'Cannot save schedule "%": options must be a JSON object', p_name using errcode = 'SY422';
  end if;
  if v_lookback is not null and (jsonb_typeof(v_lookback) <> 'number' or (v_lookback)::numeric <= 0) then
    raise exception 'Cannot save schedule "%": options.lookback_hours must be a positive number (got %)', p_name, v_lookback
      using errcode = 'SY422';
  end if;
  -- a reconcile reads whole id listings (as POST /jobs refuses since/until/dryRun for it)
  if p_mode = 'reconcile' and p_options ?| array['lookback_hours', 'since', 'until', 'dryRun', 'records'] then
    raise exception 'Cannot save schedule "%": a reconcile reads whole id listings, so options.% does not apply to it',
      p_name, (select k from jsonb_object_keys(p_options) k
        where k in ('lookback_hours', 'since', 'until', 'dryRun', 'records') order by k limit 1)
      using errcode = 'SY422';
  end if;
  insert into sync.schedules as s (name, connector, account, streams, cron, mode, options, enabled, description,
    timezone, next_run_at)
  values (p_name, p_connector, coalesce(p_account, 'default'), p_streams, btrim(p_cron), p_mode, p_options,
    coalesce(p_enabled, true), p_description, v_tz,
    case when coalesce(p_enabled, true) then sync.cron_next_run(btrim(p_cron), v_tz, now()) end)
  on conflict (name) do update set connector = excluded.connector, account = excluded.account,
    streams = excluded.streams, cron = excluded.cron, mode = excluded.mode, options = excluded.options,
    enabled = excluded.enabled, description = coalesce(excluded.description, s.description),
    timezone = excluded.timezone, next_run_at = excluded.next_run_at, updated_at = now()
  returning * into v_row;
  perform sync._sync_schedule_cron(v_row);
  return v_row;
end
$function$;
CREATE OR REPLACE FUNCTION sync.webhook_dedup_window()
 RETURNS interval
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select interval '7 days'
$function$;

-- defaults that call Syncline's functions, sequence owners

-- 3. converge: column types, defaults and NOT NULL where an earlier state differs
alter table sync.targets alter column "delete_mode" set not null;
alter table sync.progress alter column "sanitised" set not null;
alter table sync.failed_items alter column "retries" set not null;
alter table sync.failed_items alter column "permanent" set not null;
alter table square.locations alter column "id" set not null;
alter table square.locations alter column "raw" set not null;
alter table square.locations alter column "_first_synced_at" set not null;
alter table square.locations alter column "_last_synced_at" set not null;
alter table square.customers alter column "id" set not null;
alter table square.customers alter column "raw" set not null;
alter table square.customers alter column "_first_synced_at" set not null;
alter table square.customers alter column "_last_synced_at" set not null;
alter table square.catalog_categories alter column "id" set not null;
alter table square.catalog_categories alter column "is_deleted" set not null;
alter table square.catalog_categories alter column "raw" set not null;
alter table square.catalog_categories alter column "_first_synced_at" set not null;
alter table square.catalog_categories alter column "_last_synced_at" set not null;
alter table square.catalog_items alter column "id" set not null;
alter table square.catalog_items alter column "is_deleted" set not null;
alter table square.catalog_items alter column "raw" set not null;
alter table square.catalog_items alter column "_first_synced_at" set not null;
alter table square.catalog_items alter column "_last_synced_at" set not null;
alter table square.catalog_variations alter column "id" set not null;
alter table square.catalog_variations alter column "is_deleted" set not null;
alter table square.catalog_variations alter column "raw" set not null;
alter table square.catalog_variations alter column "_first_synced_at" set not null;
alter table square.catalog_variations alter column "_last_synced_at" set not null;
alter table square.orders alter column "id" set not null;
alter table square.orders alter column "location_id" set not null;
alter table square.orders alter column "raw" set not null;
alter table square.orders alter column "_first_synced_at" set not null;
alter table square.orders alter column "_last_synced_at" set not null;
alter table square.payments alter column "id" set not null;
alter table square.payments alter column "raw" set not null;
alter table square.payments alter column "_first_synced_at" set not null;
alter table square.payments alter column "_last_synced_at" set not null;
alter table square.inventory_counts alter column "catalog_object_id" set not null;
alter table square.inventory_counts alter column "location_id" set not null;
alter table square.inventory_counts alter column "state" set not null;
alter table square.inventory_counts alter column "raw" set not null;
alter table square.inventory_counts alter column "_first_synced_at" set not null;
alter table square.inventory_counts alter column "_last_synced_at" set not null;
alter table sync.webhook_dedup alter column "provider" set not null;
alter table sync.webhook_dedup alter column "event_id" set not null;
alter table sync.webhook_dedup alter column "first_seen_at" set not null;
alter table highlevel.products alter column "id" set not null;
alter table highlevel.products alter column "raw" set not null;
alter table highlevel.products alter column "_first_synced_at" set not null;
alter table highlevel.products alter column "_last_synced_at" set not null;
alter table highlevel.prices alter column "id" set not null;
alter table highlevel.prices alter column "product_id" set not null;
alter table highlevel.prices alter column "raw" set not null;
alter table highlevel.prices alter column "_first_synced_at" set not null;
alter table highlevel.prices alter column "_last_synced_at" set not null;
alter table highlevel.orders alter column "id" set not null;
alter table highlevel.orders alter column "items" set not null;
alter table highlevel.orders alter column "raw" set not null;
alter table highlevel.orders alter column "_first_synced_at" set not null;
alter table highlevel.orders alter column "_last_synced_at" set not null;
alter table highlevel.contacts alter column "id" set not null;
alter table highlevel.contacts alter column "raw" set not null;
alter table highlevel.contacts alter column "_first_synced_at" set not null;
alter table highlevel.contacts alter column "_last_synced_at" set not null;
alter table sync.schedules alter column "name" set not null;
alter table sync.schedules alter column "connector" set not null;
alter table sync.schedules alter column "account" set not null;
alter table sync.schedules alter column "streams" set not null;
alter table sync.schedules alter column "cron" set not null;
alter table sync.schedules alter column "mode" set not null;
alter table sync.schedules alter column "options" set not null;
alter table sync.schedules alter column "enabled" set not null;
alter table sync.schedules alter column "timezone" set not null;
alter table sync.schedules alter column "created_at" set not null;
alter table sync.schedules alter column "updated_at" set not null;
alter table sync.schedule_runs alter column "schedule_id" set not null;
alter table sync.schedule_runs alter column "outcome" set not null;
alter table sync.schedule_runs alter column "ran_at" set not null;
alter table sync.wake_status alter column "id" set not null;
alter table sync.wake_status alter column "ok" set not null;
alter table sync.wake_status alter column "reason" set not null;
alter table sync.wake_status alter column "changed_at" set not null;
alter table sync.stream_status alter column "connector" set not null;
alter table sync.stream_status alter column "account" set not null;
alter table sync.stream_status alter column "stream" set not null;
alter table sync.job_stream_runs alter column "job_id" set not null;
alter table sync.job_stream_runs alter column "connector" set not null;
alter table sync.job_stream_runs alter column "account" set not null;
alter table sync.job_stream_runs alter column "status" set not null;
alter table sync.job_stream_runs alter column "duration_seconds" set not null;
alter table sync.job_stream_runs alter column "records" set not null;
alter table sync.job_stream_runs alter column "finished_at" set not null;
alter table sync.integrity_checks alter column "name" set not null;
alter table sync.integrity_checks alter column "child_table" set not null;
alter table sync.integrity_checks alter column "child_column" set not null;
alter table sync.integrity_checks alter column "parent_table" set not null;
alter table sync.integrity_checks alter column "parent_column" set not null;
alter table sync.integrity_checks alter column "enabled" set not null;
alter table sync.integrity_checks alter column "created_at" set not null;
alter table sync.notification_settings alter column "id" set not null;
alter table sync.notification_settings alter column "enabled" set not null;
alter table sync.notification_settings alter column "email_to" set not null;
alter table sync.notification_settings alter column "error_rate_threshold" set not null;
alter table sync.notification_settings alter column "error_rate_window" set not null;
alter table sync.notification_settings alter column "error_rate_min_runs" set not null;
alter table sync.notification_settings alter column "slow_run_factor" set not null;
alter table sync.notification_settings alter column "slow_run_min_runs" set not null;
alter table sync.notification_settings alter column "slow_run_min_seconds" set not null;
alter table sync.notification_settings alter column "stale_after" set not null;
alter table sync.notification_settings alter column "stale_after_by_stream" set not null;
alter table sync.notification_settings alter column "rate_limit_window" set not null;
alter table sync.notification_settings alter column "daily_summary" set default true;
alter table sync.notification_settings alter column "daily_summary" set not null;
alter table sync.notification_settings alter column "daily_summary_hour" set not null;
alter table sync.notification_settings alter column "retention_days" set not null;
alter table sync.notification_settings alter column "max_attempts" set not null;
alter table sync.notification_settings alter column "run_reports" set not null;
alter table sync.notification_settings alter column "auto_retry" set not null;
alter table sync.notification_settings alter column "retry_batch_size" set not null;
alter table sync.notification_settings alter column "failed_item_max_attempts" set not null;
alter table sync.notification_settings alter column "updated_at" set not null;
alter table sync.notifications alter column "kind" set not null;
alter table sync.notifications alter column "source" set not null;
alter table sync.notifications alter column "payload" set not null;
alter table sync.notifications alter column "status" set not null;
alter table sync.notifications alter column "attempts" set not null;
alter table sync.notifications alter column "max_attempts" set not null;
alter table sync.notifications alter column "next_attempt_at" set not null;
alter table sync.notifications alter column "delivered_channels" set not null;
alter table sync.notifications alter column "created_at" set not null;
alter table sync.notifications alter column "updated_at" set not null;
alter table sync.circuit_breakers alter column "source" set not null;
alter table sync.circuit_breakers alter column "state" set not null;
alter table sync.circuit_breakers alter column "failures" set not null;
alter table sync.circuit_breakers alter column "updated_at" set not null;
alter table bubble.records alter column "type" set not null;
alter table bubble.records alter column "id" set not null;
alter table bubble.records alter column "raw" set not null;
alter table bubble.records alter column "_first_synced_at" set not null;
alter table bubble.records alter column "_last_synced_at" set not null;
alter table sync.job_steps alter column "job_id" set not null;
alter table sync.job_steps alter column "stream" set not null;
alter table sync.job_steps alter column "item_key" set not null;
alter table sync.job_steps alter column "step" set not null;
alter table sync.job_steps alter column "status" set not null;
alter table sync.job_steps alter column "detail" set not null;
alter table sync.job_steps alter column "at" set not null;
alter table irelandpay.merchants alter column "mid" set not null;
alter table irelandpay.merchants alter column "raw" set not null;
alter table irelandpay.merchants alter column "_first_synced_at" set not null;
alter table irelandpay.merchants alter column "_last_synced_at" set not null;
alter table irelandpay.transactions alter column "id" set not null;
alter table irelandpay.transactions alter column "raw" set not null;
alter table irelandpay.transactions alter column "_first_synced_at" set not null;
alter table irelandpay.transactions alter column "_last_synced_at" set not null;
alter table irelandpay.residuals alter column "mid" set not null;
alter table irelandpay.residuals alter column "period" set not null;
alter table irelandpay.residuals alter column "raw" set not null;
alter table irelandpay.residuals alter column "_first_synced_at" set not null;
alter table irelandpay.residuals alter column "_last_synced_at" set not null;
alter table sync.promotion_plans alter column "name" set not null;
alter table sync.promotion_plans alter column "connector" set not null;
alter table sync.promotion_plans alter column "root_table" set not null;
alter table sync.promotion_plans alter column "root_key" set not null;
alter table sync.promotion_plans alter column "root_order" set not null;
alter table sync.promotion_plans alter column "root_label" set not null;
alter table sync.promotion_plans alter column "check_fn" set not null;
alter table sync.promotion_plans alter column "affected_fn" set not null;
alter table sync.promotion_plans alter column "withdraw_reasons" set not null;
alter table sync.promotion_plans alter column "created_at" set not null;
alter table sync.promotion_steps alter column "plan" set not null;
alter table sync.promotion_steps alter column "ordinal" set not null;
alter table sync.promotion_steps alter column "name" set not null;
alter table sync.promotion_steps alter column "source_table" set not null;
alter table sync.promotion_steps alter column "target" set not null;
alter table sync.promotion_steps alter column "rows_fn" set not null;
alter table sync.promotion_steps alter column "label" set not null;
alter table sync.promotion_roots alter column "plan" set not null;
alter table sync.promotion_roots alter column "root_id" set not null;
alter table sync.promotion_roots alter column "status" set not null;
alter table sync.promotion_roots alter column "log" set not null;
alter table sync.promotion_roots alter column "attempts" set not null;
alter table sync.promotion_roots alter column "updated_at" set not null;
alter table sync.promotion_checkpoints alter column "plan" set not null;
alter table sync.promotion_checkpoints alter column "job_id" set not null;
alter table sync.promotion_checkpoints alter column "updated_at" set not null;
alter table events.payments alter column "id" set not null;
alter table events.payments alter column "refunded_amount" set not null;
alter table events.payments alter column "_first_synced_at" set not null;
alter table events.payments alter column "_last_synced_at" set not null;
alter table events.customers alter column "customer_key" set not null;
alter table events.customers alter column "source" set not null;
alter table events.customers alter column "_first_synced_at" set not null;
alter table events.customers alter column "_last_synced_at" set not null;
alter table events.registrations alter column "id" set not null;
alter table events.registrations alter column "payment_id" set not null;
alter table events.registrations alter column "status" set not null;
alter table events.registrations alter column "refunded_amount" set not null;
alter table events.registrations alter column "_first_synced_at" set not null;
alter table events.registrations alter column "_last_synced_at" set not null;
alter table events.attendees alter column "id" set not null;
alter table events.attendees alter column "registration_id" set not null;
alter table events.attendees alter column "payment_id" set not null;
alter table events.attendees alter column "attendee_key" set not null;
alter table events.attendees alter column "source" set not null;
alter table events.attendees alter column "_first_synced_at" set not null;
alter table events.attendees alter column "_last_synced_at" set not null;
alter table events.contacts alter column "id" set not null;
alter table events.contacts alter column "email" set not null;
alter table events.contacts alter column "_first_synced_at" set not null;
alter table events.contacts alter column "_last_synced_at" set not null;
alter table events.tickets alter column "id" set not null;
alter table events.tickets alter column "code" set not null;
alter table events.tickets alter column "registration_id" set not null;
alter table events.tickets alter column "payment_id" set not null;
alter table events.tickets alter column "line_item_uid" set not null;
alter table events.tickets alter column "unit" set not null;
alter table events.tickets alter column "status" set not null;
alter table events.tickets alter column "_first_synced_at" set not null;
alter table events.tickets alter column "_last_synced_at" set not null;
alter table bubble.agent alter column "id" set not null;
alter table bubble.agent alter column "modified_date" set not null;
alter table bubble.agent alter column "raw" set not null;
alter table bubble.agent alter column "_first_synced_at" set not null;
alter table bubble.agent alter column "_last_synced_at" set not null;
alter table bubble.customer alter column "id" set not null;
alter table bubble.customer alter column "modified_date" set not null;
alter table bubble.customer alter column "raw" set not null;
alter table bubble.customer alter column "_first_synced_at" set not null;
alter table bubble.customer alter column "_last_synced_at" set not null;
alter table bubble."user" alter column "id" set not null;
alter table bubble."user" alter column "modified_date" set not null;
alter table bubble."user" alter column "raw" set not null;
alter table bubble."user" alter column "_first_synced_at" set not null;
alter table bubble."user" alter column "_last_synced_at" set not null;
alter table bubble.invoice alter column "id" set not null;
alter table bubble.invoice alter column "modified_date" set not null;
alter table bubble.invoice alter column "raw" set not null;
alter table bubble.invoice alter column "_first_synced_at" set not null;
alter table bubble.invoice alter column "_last_synced_at" set not null;
alter table bubble.payment alter column "id" set not null;
alter table bubble.payment alter column "modified_date" set not null;
alter table bubble.payment alter column "raw" set not null;
alter table bubble.payment alter column "_first_synced_at" set not null;
alter table bubble.payment alter column "_last_synced_at" set not null;
alter table bubble.submitted_payment alter column "id" set not null;
alter table bubble.submitted_payment alter column "modified_date" set not null;
alter table bubble.submitted_payment alter column "raw" set not null;
alter table bubble.submitted_payment alter column "_first_synced_at" set not null;
alter table bubble.submitted_payment alter column "_last_synced_at" set not null;
alter table bubble.invoice_item alter column "id" set not null;
alter table bubble.invoice_item alter column "modified_date" set not null;
alter table bubble.invoice_item alter column "raw" set not null;
alter table bubble.invoice_item alter column "_first_synced_at" set not null;
alter table bubble.invoice_item alter column "_last_synced_at" set not null;
alter table bubble.seda_registration alter column "id" set not null;
alter table bubble.seda_registration alter column "modified_date" set not null;
alter table bubble.seda_registration alter column "raw" set not null;
alter table bubble.seda_registration alter column "_first_synced_at" set not null;
alter table bubble.seda_registration alter column "_last_synced_at" set not null;
alter table bubble.sync_steps alter column "job_id" set not null;
alter table bubble.sync_steps alter column "root_type" set not null;
alter table bubble.sync_steps alter column "root_id" set not null;
alter table bubble.sync_steps alter column "seq" set not null;
alter table bubble.sync_steps alter column "action" set not null;
alter table bubble.sync_steps alter column "status" set not null;
alter table bubble.sync_steps alter column "at" set not null;
alter table sync.stream_cooldowns alter column "connector" set not null;
alter table sync.stream_cooldowns alter column "stream" set not null;
alter table sync.stream_cooldowns alter column "cooldown_seconds" set not null;
alter table sync.stream_cooldowns alter column "updated_at" set not null;
alter table sync.install_state alter column "key" set not null;
alter table sync.install_state alter column "value" set not null;
alter table sync.install_state alter column "updated_at" set not null;
alter table sync.stream_completeness alter column "connector" set not null;
alter table sync.stream_completeness alter column "account" set not null;
alter table sync.stream_completeness alter column "stream" set not null;
alter table sync.stream_completeness alter column "status" set not null;
alter table sync.stream_completeness alter column "sample_ids" set not null;
alter table sync.stream_completeness alter column "detail" set not null;
alter table sync.stream_completeness alter column "checked_at" set not null;
alter table sync.rate_limits alter column "source" set not null;
alter table sync.rate_limits alter column "sent" set not null;
alter table sync.rate_limits alter column "taken" set not null;
alter table sync.rate_limits alter column "updated_at" set not null;
alter table sync.job_http_stats alter column "job_id" set not null;
alter table sync.job_http_stats alter column "source" set not null;
alter table sync.job_http_stats alter column "requests" set not null;
alter table sync.job_http_stats alter column "retries" set not null;
alter table sync.job_http_stats alter column "failures" set not null;
alter table sync.job_http_stats alter column "rate_limited_ms" set not null;
alter table sync.job_http_stats alter column "circuit_rejections" set not null;
alter table sync.job_http_stats alter column "updated_at" set not null;
alter table highlevel.ticket_types alter column "product_id" set not null;
alter table highlevel.ticket_types alter column "ticket_type" set not null;
alter table highlevel.ticket_types alter column "active" set not null;
alter table highlevel.ticket_types alter column "created_at" set not null;
alter table highlevel.tickets alter column "id" set not null;
alter table highlevel.tickets alter column "order_id" set not null;
alter table highlevel.tickets alter column "ticket_type" set not null;
alter table highlevel.tickets alter column "seq" set not null;
alter table highlevel.tickets alter column "code" set not null;
alter table highlevel.tickets alter column "status" set not null;
alter table highlevel.tickets alter column "created_at" set not null;
alter table sync.job_shards alter column "job_id" set not null;
alter table sync.job_shards alter column "stream" set not null;
alter table sync.job_shards alter column "shard" set not null;
alter table sync.job_shards alter column "status" set not null;
alter table sync.job_shards alter column "state" set not null;
alter table sync.job_shards alter column "attempts" set not null;
alter table sync.job_shards alter column "done" set not null;
alter table sync.job_shards alter column "inserted" set not null;
alter table sync.job_shards alter column "updated" set not null;
alter table sync.job_shards alter column "unchanged" set not null;
alter table sync.job_shards alter column "stale" set not null;
alter table sync.job_shards alter column "failed" set not null;
alter table sync.job_shards alter column "planned_at" set not null;
alter table sync.job_shards alter column "updated_at" set not null;
alter table sync.schema_versions alter column "version" set not null;
alter table sync.schema_versions alter column "applied_at" set not null;

-- constraints (foreign keys last), indexes
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble."user"') and conname = 'user_id_check') then execute 'alter table bubble."user" add constraint "user_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble."user"') and conname = 'user_pkey') then execute 'alter table bubble."user" add constraint "user_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.agent') and conname = 'agent_id_check') then execute 'alter table bubble.agent add constraint "agent_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.agent') and conname = 'agent_pkey') then execute 'alter table bubble.agent add constraint "agent_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.customer') and conname = 'customer_id_check') then execute 'alter table bubble.customer add constraint "customer_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.customer') and conname = 'customer_pkey') then execute 'alter table bubble.customer add constraint "customer_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.invoice') and conname = 'invoice_id_check') then execute 'alter table bubble.invoice add constraint "invoice_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.invoice') and conname = 'invoice_pkey') then execute 'alter table bubble.invoice add constraint "invoice_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.invoice_item') and conname = 'invoice_item_id_check') then execute 'alter table bubble.invoice_item add constraint "invoice_item_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.invoice_item') and conname = 'invoice_item_pkey') then execute 'alter table bubble.invoice_item add constraint "invoice_item_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.payment') and conname = 'payment_id_check') then execute 'alter table bubble.payment add constraint "payment_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.payment') and conname = 'payment_pkey') then execute 'alter table bubble.payment add constraint "payment_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.records') and conname = 'records_id_check') then execute 'alter table bubble.records add constraint "records_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.records') and conname = 'records_pkey') then execute 'alter table bubble.records add constraint "records_pkey" PRIMARY KEY (type, id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.records') and conname = 'records_type_check') then execute 'alter table bubble.records add constraint "records_type_check" CHECK ((type <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.seda_registration') and conname = 'seda_registration_id_check') then execute 'alter table bubble.seda_registration add constraint "seda_registration_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.seda_registration') and conname = 'seda_registration_pkey') then execute 'alter table bubble.seda_registration add constraint "seda_registration_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.submitted_payment') and conname = 'submitted_payment_id_check') then execute 'alter table bubble.submitted_payment add constraint "submitted_payment_id_check" CHECK ((id <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.submitted_payment') and conname = 'submitted_payment_pkey') then execute 'alter table bubble.submitted_payment add constraint "submitted_payment_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.sync_steps') and conname = 'sync_steps_pkey') then execute 'alter table bubble.sync_steps add constraint "sync_steps_pkey" PRIMARY KEY (job_id, root_type, root_id, seq)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.sync_steps') and conname = 'sync_steps_status_check') then execute 'alter table bubble.sync_steps add constraint "sync_steps_status_check" CHECK ((status = ANY (ARRAY[''success''::text, ''warning''::text, ''error''::text, ''synced''::text, ''skipped''::text, ''failed''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.attendees') and conname = 'attendees_pkey') then execute 'alter table events.attendees add constraint "attendees_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.attendees') and conname = 'attendees_registration_id_attendee_key_key') then execute 'alter table events.attendees add constraint "attendees_registration_id_attendee_key_key" UNIQUE (registration_id, attendee_key)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.attendees') and conname = 'attendees_source_check') then execute 'alter table events.attendees add constraint "attendees_source_check" CHECK ((source = ANY (ARRAY[''line_item_metadata''::text, ''fulfillment_recipient''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.contacts') and conname = 'contacts_email_key') then execute 'alter table events.contacts add constraint "contacts_email_key" UNIQUE (email)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.contacts') and conname = 'contacts_pkey') then execute 'alter table events.contacts add constraint "contacts_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.customers') and conname = 'customers_pkey') then execute 'alter table events.customers add constraint "customers_pkey" PRIMARY KEY (customer_key)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.customers') and conname = 'customers_source_check') then execute 'alter table events.customers add constraint "customers_source_check" CHECK ((source = ANY (ARRAY[''square_customer''::text, ''payment_buyer''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.payments') and conname = 'payments_pkey') then execute 'alter table events.payments add constraint "payments_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.registrations') and conname = 'registrations_pkey') then execute 'alter table events.registrations add constraint "registrations_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.registrations') and conname = 'registrations_status_check') then execute 'alter table events.registrations add constraint "registrations_status_check" CHECK ((status = ANY (ARRAY[''active''::text, ''cancelled''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_code_key') then execute 'alter table events.tickets add constraint "tickets_code_key" UNIQUE (code)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_pkey') then execute 'alter table events.tickets add constraint "tickets_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_registration_id_line_item_uid_unit_key') then execute 'alter table events.tickets add constraint "tickets_registration_id_line_item_uid_unit_key" UNIQUE (registration_id, line_item_uid, unit)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_status_check') then execute 'alter table events.tickets add constraint "tickets_status_check" CHECK ((status = ANY (ARRAY[''valid''::text, ''cancelled''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_unit_check') then execute 'alter table events.tickets add constraint "tickets_unit_check" CHECK ((unit >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.contacts') and conname = 'contacts_pkey') then execute 'alter table highlevel.contacts add constraint "contacts_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.orders') and conname = 'orders_items_check') then execute 'alter table highlevel.orders add constraint "orders_items_check" CHECK ((jsonb_typeof(items) = ''array''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.orders') and conname = 'orders_pkey') then execute 'alter table highlevel.orders add constraint "orders_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.prices') and conname = 'prices_pkey') then execute 'alter table highlevel.prices add constraint "prices_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.products') and conname = 'products_pkey') then execute 'alter table highlevel.products add constraint "products_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.ticket_types') and conname = 'ticket_types_pkey') then execute 'alter table highlevel.ticket_types add constraint "ticket_types_pkey" PRIMARY KEY (product_id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.ticket_types') and conname = 'ticket_types_ticket_type_check') then execute 'alter table highlevel.ticket_types add constraint "ticket_types_ticket_type_check" CHECK ((ticket_type <> ''''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_check') then execute 'alter table highlevel.tickets add constraint "tickets_check" CHECK (((status = ''void''::text) = (voided_at IS NOT NULL)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_code_key') then execute 'alter table highlevel.tickets add constraint "tickets_code_key" UNIQUE (code)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_order_id_ticket_type_seq_key') then execute 'alter table highlevel.tickets add constraint "tickets_order_id_ticket_type_seq_key" UNIQUE (order_id, ticket_type, seq)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_pkey') then execute 'alter table highlevel.tickets add constraint "tickets_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_seq_check') then execute 'alter table highlevel.tickets add constraint "tickets_seq_check" CHECK ((seq >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('highlevel.tickets') and conname = 'tickets_status_check') then execute 'alter table highlevel.tickets add constraint "tickets_status_check" CHECK ((status = ANY (ARRAY[''live''::text, ''void''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('irelandpay.merchants') and conname = 'merchants_pkey') then execute 'alter table irelandpay.merchants add constraint "merchants_pkey" PRIMARY KEY (mid)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('irelandpay.residuals') and conname = 'residuals_pkey') then execute 'alter table irelandpay.residuals add constraint "residuals_pkey" PRIMARY KEY (mid, period)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('irelandpay.transactions') and conname = 'transactions_pkey') then execute 'alter table irelandpay.transactions add constraint "transactions_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.catalog_categories') and conname = 'catalog_categories_pkey') then execute 'alter table square.catalog_categories add constraint "catalog_categories_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.catalog_items') and conname = 'catalog_items_pkey') then execute 'alter table square.catalog_items add constraint "catalog_items_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.catalog_variations') and conname = 'catalog_variations_pkey') then execute 'alter table square.catalog_variations add constraint "catalog_variations_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.customers') and conname = 'customers_pkey') then execute 'alter table square.customers add constraint "customers_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.inventory_counts') and conname = 'inventory_counts_pkey') then execute 'alter table square.inventory_counts add constraint "inventory_counts_pkey" PRIMARY KEY (catalog_object_id, location_id, state)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.locations') and conname = 'locations_pkey') then execute 'alter table square.locations add constraint "locations_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.orders') and conname = 'orders_pkey') then execute 'alter table square.orders add constraint "orders_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('square.payments') and conname = 'payments_pkey') then execute 'alter table square.payments add constraint "payments_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.checkpoints') and conname = 'checkpoints_pkey') then execute 'alter table sync.checkpoints add constraint "checkpoints_pkey" PRIMARY KEY (connector, account, stream)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.circuit_breakers') and conname = 'circuit_breakers_failures_check') then execute 'alter table sync.circuit_breakers add constraint "circuit_breakers_failures_check" CHECK ((failures >= 0))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.circuit_breakers') and conname = 'circuit_breakers_pkey') then execute 'alter table sync.circuit_breakers add constraint "circuit_breakers_pkey" PRIMARY KEY (source)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.circuit_breakers') and conname = 'circuit_breakers_source_check') then execute 'alter table sync.circuit_breakers add constraint "circuit_breakers_source_check" CHECK (((length(source) >= 1) AND (length(source) <= 200)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.circuit_breakers') and conname = 'circuit_breakers_state_check') then execute 'alter table sync.circuit_breakers add constraint "circuit_breakers_state_check" CHECK ((state = ANY (ARRAY[''closed''::text, ''open''::text, ''half_open''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_attempts_check') then execute 'alter table sync.failed_items add constraint "failed_items_attempts_check" CHECK ((attempts >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_check') then execute 'alter table sync.failed_items add constraint "failed_items_check" CHECK (((resolved_at IS NULL) = (resolution IS NULL)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_error_class_check') then execute 'alter table sync.failed_items add constraint "failed_items_error_class_check" CHECK ((error_class = ANY (ARRAY[''validation''::text, ''http''::text, ''merge''::text, ''transform''::text, ''unknown''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_pkey') then execute 'alter table sync.failed_items add constraint "failed_items_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_resolution_check') then execute 'alter table sync.failed_items add constraint "failed_items_resolution_check" CHECK ((resolution = ANY (ARRAY[''resolved''::text, ''dismissed''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.install_state') and conname = 'install_state_pkey') then execute 'alter table sync.install_state add constraint "install_state_pkey" PRIMARY KEY (key)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_child_column_check') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_child_column_check" CHECK ((child_column ~ ''^[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_child_table_check') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_child_table_check" CHECK ((child_table ~ ''^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_name_check') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_name_check" CHECK ((name ~ ''^[a-z0-9][a-z0-9_.-]{0,62}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_parent_column_check') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_parent_column_check" CHECK ((parent_column ~ ''^[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_parent_table_check') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_parent_table_check" CHECK ((parent_table ~ ''^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.integrity_checks') and conname = 'integrity_checks_pkey') then execute 'alter table sync.integrity_checks add constraint "integrity_checks_pkey" PRIMARY KEY (name)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_http_stats') and conname = 'job_http_stats_pkey') then execute 'alter table sync.job_http_stats add constraint "job_http_stats_pkey" PRIMARY KEY (job_id, source)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_check') then execute 'alter table sync.job_shards add constraint "job_shards_check" CHECK (((window_start IS NULL) OR (window_end IS NULL) OR (window_start < window_end)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_check1') then execute 'alter table sync.job_shards add constraint "job_shards_check1" CHECK (((status = ANY (ARRAY[''done''::text, ''failed''::text, ''cancelled''::text])) = (finished_at IS NOT NULL)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_pkey') then execute 'alter table sync.job_shards add constraint "job_shards_pkey" PRIMARY KEY (job_id, stream, shard)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_shard_check') then execute 'alter table sync.job_shards add constraint "job_shards_shard_check" CHECK ((shard >= 0))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_state_check') then execute 'alter table sync.job_shards add constraint "job_shards_state_check" CHECK ((jsonb_typeof(state) = ''object''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_status_check') then execute 'alter table sync.job_shards add constraint "job_shards_status_check" CHECK ((status = ANY (ARRAY[''pending''::text, ''running''::text, ''done''::text, ''failed''::text, ''cancelled''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_steps') and conname = 'job_steps_detail_check') then execute 'alter table sync.job_steps add constraint "job_steps_detail_check" CHECK ((jsonb_typeof(detail) = ''object''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_steps') and conname = 'job_steps_pkey') then execute 'alter table sync.job_steps add constraint "job_steps_pkey" PRIMARY KEY (job_id, seq)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_steps') and conname = 'job_steps_status_check') then execute 'alter table sync.job_steps add constraint "job_steps_status_check" CHECK ((status ~ ''^[a-z][a-z_]{0,40}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_steps') and conname = 'job_steps_step_check') then execute 'alter table sync.job_steps add constraint "job_steps_step_check" CHECK ((step ~ ''^[a-z][a-z_]{0,40}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_account_check') then execute 'alter table sync.jobs add constraint "jobs_account_check" CHECK (((length(account) >= 1) AND (length(account) <= 200)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_check') then execute 'alter table sync.jobs add constraint "jobs_check" CHECK (((status = ANY (ARRAY[''succeeded''::text, ''partial''::text, ''failed''::text, ''cancelled''::text])) = (finished_at IS NOT NULL)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_connector_check') then execute 'alter table sync.jobs add constraint "jobs_connector_check" CHECK ((connector ~ ''^[a-z][a-z0-9_-]{0,62}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_mode_check') then execute 'alter table sync.jobs add constraint "jobs_mode_check" CHECK ((mode = ANY (ARRAY[''full''::text, ''incremental''::text, ''single''::text, ''retry''::text, ''promote''::text, ''reconcile''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_options_check') then execute 'alter table sync.jobs add constraint "jobs_options_check" CHECK ((jsonb_typeof(options) = ''object''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_pkey') then execute 'alter table sync.jobs add constraint "jobs_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_status_check') then execute 'alter table sync.jobs add constraint "jobs_status_check" CHECK ((status = ANY (ARRAY[''queued''::text, ''running''::text, ''succeeded''::text, ''partial''::text, ''failed''::text, ''cancelled''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_streams_check') then execute 'alter table sync.jobs add constraint "jobs_streams_check" CHECK ((cardinality(streams) >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.jobs') and conname = 'jobs_trigger_check') then execute 'alter table sync.jobs add constraint "jobs_trigger_check" CHECK ((trigger = ANY (ARRAY[''manual''::text, ''api''::text, ''cli''::text, ''schedule''::text, ''webhook''::text, ''retry''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_daily_summary_hour_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_daily_summary_hour_check" CHECK (((daily_summary_hour >= 0) AND (daily_summary_hour <= 23)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_email_api_url_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_email_api_url_check" CHECK (sync._is_delivery_url(email_api_url))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_email_provider_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_email_provider_check" CHECK ((email_provider = ANY (ARRAY[''resend''::text, ''postmark''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_error_rate_min_runs_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_error_rate_min_runs_check" CHECK ((error_rate_min_runs >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_error_rate_threshold_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_error_rate_threshold_check" CHECK (((error_rate_threshold > (0)::numeric) AND (error_rate_threshold <= (1)::numeric)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_error_rate_window_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_error_rate_window_check" CHECK ((error_rate_window > ''00:00:00''::interval))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_failed_item_max_attempts_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_failed_item_max_attempts_check" CHECK (((failed_item_max_attempts >= 1) AND (failed_item_max_attempts <= 100)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_id_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_id_check" CHECK (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_max_attempts_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_max_attempts_check" CHECK (((max_attempts >= 1) AND (max_attempts <= 50)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_pkey') then execute 'alter table sync.notification_settings add constraint "notification_settings_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_rate_limit_window_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_rate_limit_window_check" CHECK ((rate_limit_window >= ''00:00:00''::interval))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_retention_days_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_retention_days_check" CHECK ((retention_days >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_retry_batch_size_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_retry_batch_size_check" CHECK (((retry_batch_size >= 1) AND (retry_batch_size <= 10000)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_slack_webhook_url_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_slack_webhook_url_check" CHECK (sync._is_delivery_url(slack_webhook_url))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_slow_run_factor_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_slow_run_factor_check" CHECK ((slow_run_factor > (1)::numeric))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_slow_run_min_runs_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_slow_run_min_runs_check" CHECK ((slow_run_min_runs >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_slow_run_min_seconds_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_slow_run_min_seconds_check" CHECK ((slow_run_min_seconds >= 0))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_stale_after_by_stream_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_stale_after_by_stream_check" CHECK ((jsonb_typeof(stale_after_by_stream) = ''object''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notification_settings') and conname = 'notification_settings_stale_after_check') then execute 'alter table sync.notification_settings add constraint "notification_settings_stale_after_check" CHECK ((stale_after > ''00:00:00''::interval))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notifications') and conname = 'notifications_kind_check') then execute 'alter table sync.notifications add constraint "notifications_kind_check" CHECK ((kind = ANY (ARRAY[''job_failed''::text, ''job_partial''::text, ''error_rate''::text, ''slow_run''::text, ''stale_stream''::text, ''retries_exhausted''::text, ''run_report''::text, ''daily_summary''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notifications') and conname = 'notifications_pkey') then execute 'alter table sync.notifications add constraint "notifications_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.notifications') and conname = 'notifications_status_check') then execute 'alter table sync.notifications add constraint "notifications_status_check" CHECK ((status = ANY (ARRAY[''pending''::text, ''sent''::text, ''failed''::text, ''suppressed''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_completeness_check') then execute 'alter table sync.progress add constraint "progress_completeness_check" CHECK (((completeness IS NULL) OR ((completeness ->> ''status''::text) = ANY (ARRAY[''complete''::text, ''gap''::text, ''unverified''::text]))))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_done_check') then execute 'alter table sync.progress add constraint "progress_done_check" CHECK ((done >= 0))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_percent_check') then execute 'alter table sync.progress add constraint "progress_percent_check" CHECK (((percent >= (0)::numeric) AND (percent <= (100)::numeric)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_pkey') then execute 'alter table sync.progress add constraint "progress_pkey" PRIMARY KEY (job_id, phase)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_status_check') then execute 'alter table sync.progress add constraint "progress_status_check" CHECK ((status = ANY (ARRAY[''pending''::text, ''running''::text, ''done''::text, ''failed''::text, ''skipped''::text, ''cancelled''::text, ''not_run''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_total_check') then execute 'alter table sync.progress add constraint "progress_total_check" CHECK ((total >= 0))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_checkpoints') and conname = 'promotion_checkpoints_pkey') then execute 'alter table sync.promotion_checkpoints add constraint "promotion_checkpoints_pkey" PRIMARY KEY (plan, job_id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_plans') and conname = 'promotion_plans_name_check') then execute 'alter table sync.promotion_plans add constraint "promotion_plans_name_check" CHECK ((name ~ ''^[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_plans') and conname = 'promotion_plans_pkey') then execute 'alter table sync.promotion_plans add constraint "promotion_plans_pkey" PRIMARY KEY (name)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_roots') and conname = 'promotion_roots_pkey') then execute 'alter table sync.promotion_roots add constraint "promotion_roots_pkey" PRIMARY KEY (plan, root_id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_roots') and conname = 'promotion_roots_status_check') then execute 'alter table sync.promotion_roots add constraint "promotion_roots_status_check" CHECK ((status = ANY (ARRAY[''promoted''::text, ''ineligible''::text, ''failed''::text, ''withdrawn''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_name_check') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_name_check" CHECK ((name ~ ''^[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_ordinal_check') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_ordinal_check" CHECK ((ordinal >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_pkey') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_pkey" PRIMARY KEY (plan, ordinal)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_plan_name_key') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_plan_name_key" UNIQUE (plan, name)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_retire_check') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_retire_check" CHECK (((retire IS NULL) OR (jsonb_typeof(retire) = ''object''::text)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.rate_limits') and conname = 'rate_limits_pkey') then execute 'alter table sync.rate_limits add constraint "rate_limits_pkey" PRIMARY KEY (source)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.rate_limits') and conname = 'rate_limits_source_check') then execute 'alter table sync.rate_limits add constraint "rate_limits_source_check" CHECK (((length(source) >= 1) AND (length(source) <= 200)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedule_runs') and conname = 'schedule_runs_outcome_check') then execute 'alter table sync.schedule_runs add constraint "schedule_runs_outcome_check" CHECK ((outcome = ANY (ARRAY[''enqueued''::text, ''skipped''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedule_runs') and conname = 'schedule_runs_pkey') then execute 'alter table sync.schedule_runs add constraint "schedule_runs_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_account_check') then execute 'alter table sync.schedules add constraint "schedules_account_check" CHECK (((length(account) >= 1) AND (length(account) <= 200)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_connector_check') then execute 'alter table sync.schedules add constraint "schedules_connector_check" CHECK ((connector ~ ''^[a-z][a-z0-9_-]{0,62}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_cron_check') then execute 'alter table sync.schedules add constraint "schedules_cron_check" CHECK (sync._valid_cron(cron))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_last_outcome_check') then execute 'alter table sync.schedules add constraint "schedules_last_outcome_check" CHECK ((last_outcome = ANY (ARRAY[''enqueued''::text, ''skipped''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_mode_check') then execute 'alter table sync.schedules add constraint "schedules_mode_check" CHECK ((mode = ANY (ARRAY[''full''::text, ''incremental''::text, ''retry''::text, ''reconcile''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_name_check') then execute 'alter table sync.schedules add constraint "schedules_name_check" CHECK ((name ~ ''^[a-z0-9][a-z0-9_.-]{0,62}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_name_key') then execute 'alter table sync.schedules add constraint "schedules_name_key" UNIQUE (name)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_options_check') then execute 'alter table sync.schedules add constraint "schedules_options_check" CHECK ((jsonb_typeof(options) = ''object''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_pkey') then execute 'alter table sync.schedules add constraint "schedules_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_streams_check') then execute 'alter table sync.schedules add constraint "schedules_streams_check" CHECK ((cardinality(streams) >= 1))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedules') and conname = 'schedules_timezone_check') then execute 'alter table sync.schedules add constraint "schedules_timezone_check" CHECK (sync._valid_timezone(timezone))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schema_versions') and conname = 'schema_versions_pkey') then execute 'alter table sync.schema_versions add constraint "schema_versions_pkey" PRIMARY KEY (version)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schema_versions') and conname = 'schema_versions_version_check') then execute 'alter table sync.schema_versions add constraint "schema_versions_version_check" CHECK ((version ~ ''^[0-9]{14}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_completeness') and conname = 'stream_completeness_pkey') then execute 'alter table sync.stream_completeness add constraint "stream_completeness_pkey" PRIMARY KEY (connector, account, stream)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_completeness') and conname = 'stream_completeness_status_check') then execute 'alter table sync.stream_completeness add constraint "stream_completeness_status_check" CHECK ((status = ANY (ARRAY[''complete''::text, ''gap''::text, ''unverified''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_cooldowns') and conname = 'stream_cooldowns_connector_check') then execute 'alter table sync.stream_cooldowns add constraint "stream_cooldowns_connector_check" CHECK ((connector ~ ''^[a-z][a-z0-9_-]{0,62}$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_cooldowns') and conname = 'stream_cooldowns_cooldown_seconds_check') then execute 'alter table sync.stream_cooldowns add constraint "stream_cooldowns_cooldown_seconds_check" CHECK (((cooldown_seconds >= 0) AND (cooldown_seconds <= 86400)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_cooldowns') and conname = 'stream_cooldowns_pkey') then execute 'alter table sync.stream_cooldowns add constraint "stream_cooldowns_pkey" PRIMARY KEY (connector, stream)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_cooldowns') and conname = 'stream_cooldowns_stream_check') then execute 'alter table sync.stream_cooldowns add constraint "stream_cooldowns_stream_check" CHECK (((length(stream) >= 1) AND (length(stream) <= 200)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.stream_status') and conname = 'stream_status_pkey') then execute 'alter table sync.stream_status add constraint "stream_status_pkey" PRIMARY KEY (connector, account, stream)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.targets') and conname = 'targets_delete_mode_check') then execute 'alter table sync.targets add constraint "targets_delete_mode_check" CHECK ((delete_mode = ANY (ARRAY[''soft''::text, ''hard''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.targets') and conname = 'targets_key_columns_check') then execute 'alter table sync.targets add constraint "targets_key_columns_check" CHECK (((cardinality(key_columns) >= 1) AND (cardinality(key_columns) <= 8)))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.targets') and conname = 'targets_pkey') then execute 'alter table sync.targets add constraint "targets_pkey" PRIMARY KEY (target)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.targets') and conname = 'targets_target_check') then execute 'alter table sync.targets add constraint "targets_target_check" CHECK ((target ~ ''^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$''::text))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.wake_status') and conname = 'wake_status_id_check') then execute 'alter table sync.wake_status add constraint "wake_status_id_check" CHECK (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.wake_status') and conname = 'wake_status_pkey') then execute 'alter table sync.wake_status add constraint "wake_status_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.webhook_dedup') and conname = 'webhook_dedup_pkey') then execute 'alter table sync.webhook_dedup add constraint "webhook_dedup_pkey" PRIMARY KEY (provider, event_id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.webhook_inbox') and conname = 'webhook_inbox_pkey') then execute 'alter table sync.webhook_inbox add constraint "webhook_inbox_pkey" PRIMARY KEY (id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.webhook_inbox') and conname = 'webhook_inbox_provider_event_id_key') then execute 'alter table sync.webhook_inbox add constraint "webhook_inbox_provider_event_id_key" UNIQUE (provider, event_id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.webhook_inbox') and conname = 'webhook_inbox_status_check') then execute 'alter table sync.webhook_inbox add constraint "webhook_inbox_status_check" CHECK ((status = ANY (ARRAY[''received''::text, ''processing''::text, ''processed''::text, ''failed''::text, ''ignored''::text])))'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('bubble.sync_steps') and conname = 'sync_steps_job_id_fkey') then execute 'alter table bubble.sync_steps add constraint "sync_steps_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.attendees') and conname = 'attendees_registration_id_fkey') then execute 'alter table events.attendees add constraint "attendees_registration_id_fkey" FOREIGN KEY (registration_id) REFERENCES events.registrations(id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.registrations') and conname = 'registrations_payment_id_fkey') then execute 'alter table events.registrations add constraint "registrations_payment_id_fkey" FOREIGN KEY (payment_id) REFERENCES events.payments(id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_registration_id_attendee_key_fkey') then execute 'alter table events.tickets add constraint "tickets_registration_id_attendee_key_fkey" FOREIGN KEY (registration_id, attendee_key) REFERENCES events.attendees(registration_id, attendee_key)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('events.tickets') and conname = 'tickets_registration_id_fkey') then execute 'alter table events.tickets add constraint "tickets_registration_id_fkey" FOREIGN KEY (registration_id) REFERENCES events.registrations(id)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.checkpoints') and conname = 'checkpoints_job_id_fkey') then execute 'alter table sync.checkpoints add constraint "checkpoints_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE SET NULL'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.failed_items') and conname = 'failed_items_job_id_fkey') then execute 'alter table sync.failed_items add constraint "failed_items_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE SET NULL'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_http_stats') and conname = 'job_http_stats_job_id_fkey') then execute 'alter table sync.job_http_stats add constraint "job_http_stats_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_shards') and conname = 'job_shards_job_id_fkey') then execute 'alter table sync.job_shards add constraint "job_shards_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_steps') and conname = 'job_steps_job_id_fkey') then execute 'alter table sync.job_steps add constraint "job_steps_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.job_stream_runs') and conname = 'job_stream_runs_job_id_fkey') then execute 'alter table sync.job_stream_runs add constraint "job_stream_runs_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.progress') and conname = 'progress_job_id_fkey') then execute 'alter table sync.progress add constraint "progress_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_checkpoints') and conname = 'promotion_checkpoints_job_id_fkey') then execute 'alter table sync.promotion_checkpoints add constraint "promotion_checkpoints_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_checkpoints') and conname = 'promotion_checkpoints_plan_fkey') then execute 'alter table sync.promotion_checkpoints add constraint "promotion_checkpoints_plan_fkey" FOREIGN KEY (plan) REFERENCES sync.promotion_plans(name) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_roots') and conname = 'promotion_roots_plan_fkey') then execute 'alter table sync.promotion_roots add constraint "promotion_roots_plan_fkey" FOREIGN KEY (plan) REFERENCES sync.promotion_plans(name) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_plan_fkey') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_plan_fkey" FOREIGN KEY (plan) REFERENCES sync.promotion_plans(name) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.promotion_steps') and conname = 'promotion_steps_target_fkey') then execute 'alter table sync.promotion_steps add constraint "promotion_steps_target_fkey" FOREIGN KEY (target) REFERENCES sync.targets(target)'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.schedule_runs') and conname = 'schedule_runs_schedule_id_fkey') then execute 'alter table sync.schedule_runs add constraint "schedule_runs_schedule_id_fkey" FOREIGN KEY (schedule_id) REFERENCES sync.schedules(id) ON DELETE CASCADE'; end if; end $r$;
do $r$ begin if not exists (select 1 from pg_constraint where conrelid = to_regclass('sync.webhook_inbox') and conname = 'webhook_inbox_job_id_fkey') then execute 'alter table sync.webhook_inbox add constraint "webhook_inbox_job_id_fkey" FOREIGN KEY (job_id) REFERENCES sync.jobs(id) ON DELETE SET NULL'; end if; end $r$;
CREATE INDEX IF NOT EXISTS agent_modified_date_idx ON bubble.agent USING btree (modified_date);
CREATE INDEX IF NOT EXISTS customer_modified_date_idx ON bubble.customer USING btree (modified_date);
CREATE INDEX IF NOT EXISTS invoice_agent_idx ON bubble.invoice USING btree (agent);
CREATE INDEX IF NOT EXISTS invoice_created_by_idx ON bubble.invoice USING btree (created_by);
CREATE INDEX IF NOT EXISTS invoice_customer_idx ON bubble.invoice USING btree (customer);
CREATE INDEX IF NOT EXISTS invoice_item_invoice_idx ON bubble.invoice_item USING btree (invoice);
CREATE INDEX IF NOT EXISTS invoice_item_modified_date_idx ON bubble.invoice_item USING btree (modified_date);
CREATE INDEX IF NOT EXISTS invoice_items_idx ON bubble.invoice USING gin (items);
CREATE INDEX IF NOT EXISTS invoice_modified_date_idx ON bubble.invoice USING btree (modified_date);
CREATE INDEX IF NOT EXISTS invoice_payments_idx ON bubble.invoice USING gin (payments);
CREATE INDEX IF NOT EXISTS invoice_seda_registration_idx ON bubble.invoice USING btree (seda_registration);
CREATE INDEX IF NOT EXISTS invoice_submitted_payments_idx ON bubble.invoice USING gin (submitted_payments);
CREATE INDEX IF NOT EXISTS payment_invoice_idx ON bubble.payment USING btree (invoice);
CREATE INDEX IF NOT EXISTS payment_modified_date_idx ON bubble.payment USING btree (modified_date);
CREATE INDEX IF NOT EXISTS records_type_modified_at_idx ON bubble.records USING btree (type, modified_at);
CREATE INDEX IF NOT EXISTS seda_registration_deposit_payment_idx ON bubble.seda_registration USING btree (deposit_payment);
CREATE INDEX IF NOT EXISTS seda_registration_linked_customer_idx ON bubble.seda_registration USING btree (linked_customer);
CREATE INDEX IF NOT EXISTS seda_registration_linked_invoice_idx ON bubble.seda_registration USING gin (linked_invoice);
CREATE INDEX IF NOT EXISTS seda_registration_modified_date_idx ON bubble.seda_registration USING btree (modified_date);
CREATE INDEX IF NOT EXISTS submitted_payment_invoice_idx ON bubble.submitted_payment USING btree (invoice);
CREATE INDEX IF NOT EXISTS submitted_payment_modified_date_idx ON bubble.submitted_payment USING btree (modified_date);
CREATE INDEX IF NOT EXISTS submitted_payment_submitted_by_idx ON bubble.submitted_payment USING btree (submitted_by);
CREATE INDEX IF NOT EXISTS sync_steps_outcome_idx ON bubble.sync_steps USING btree (job_id, status) WHERE (action = 'outcome'::text);
CREATE INDEX IF NOT EXISTS user_agent_idx ON bubble."user" USING btree (agent);
CREATE INDEX IF NOT EXISTS user_customer_idx ON bubble."user" USING btree (customer);
CREATE INDEX IF NOT EXISTS user_modified_date_idx ON bubble."user" USING btree (modified_date);
CREATE INDEX IF NOT EXISTS attendees_payment_idx ON events.attendees USING btree (payment_id);
CREATE INDEX IF NOT EXISTS registrations_customer_idx ON events.registrations USING btree (customer_key);
CREATE INDEX IF NOT EXISTS registrations_payment_idx ON events.registrations USING btree (payment_id);
CREATE INDEX IF NOT EXISTS tickets_payment_idx ON events.tickets USING btree (payment_id);
CREATE INDEX IF NOT EXISTS contacts_email_idx ON highlevel.contacts USING btree (lower(email));
CREATE INDEX IF NOT EXISTS contacts_updated_at_idx ON highlevel.contacts USING btree (updated_at);
CREATE INDEX IF NOT EXISTS orders_contact_idx ON highlevel.orders USING btree (contact_id);
CREATE INDEX IF NOT EXISTS orders_updated_at_idx ON highlevel.orders USING btree (updated_at);
CREATE INDEX IF NOT EXISTS prices_product_idx ON highlevel.prices USING btree (product_id);
CREATE INDEX IF NOT EXISTS products_name_idx ON highlevel.products USING btree (name);
CREATE INDEX IF NOT EXISTS products_updated_at_idx ON highlevel.products USING btree (updated_at);
CREATE INDEX IF NOT EXISTS tickets_order_idx ON highlevel.tickets USING btree (order_id);
CREATE INDEX IF NOT EXISTS merchants_modified_idx ON irelandpay.merchants USING btree (modified);
CREATE INDEX IF NOT EXISTS transactions_date_idx ON irelandpay.transactions USING btree (date);
CREATE INDEX IF NOT EXISTS transactions_mid_idx ON irelandpay.transactions USING btree (mid);
CREATE INDEX IF NOT EXISTS catalog_categories_updated_at_idx ON square.catalog_categories USING btree (updated_at);
CREATE INDEX IF NOT EXISTS catalog_items_category_idx ON square.catalog_items USING btree (category_id);
CREATE INDEX IF NOT EXISTS catalog_items_updated_at_idx ON square.catalog_items USING btree (updated_at);
CREATE INDEX IF NOT EXISTS catalog_variations_item_idx ON square.catalog_variations USING btree (item_id);
CREATE INDEX IF NOT EXISTS catalog_variations_sku_idx ON square.catalog_variations USING btree (sku);
CREATE INDEX IF NOT EXISTS catalog_variations_updated_at_idx ON square.catalog_variations USING btree (updated_at);
CREATE INDEX IF NOT EXISTS customers_email_idx ON square.customers USING btree (lower(email_address));
CREATE INDEX IF NOT EXISTS customers_updated_at_idx ON square.customers USING btree (updated_at);
CREATE INDEX IF NOT EXISTS inventory_counts_location_idx ON square.inventory_counts USING btree (location_id, state);
CREATE INDEX IF NOT EXISTS inventory_counts_updated_at_idx ON square.inventory_counts USING btree (updated_at);
CREATE INDEX IF NOT EXISTS orders_customer_idx ON square.orders USING btree (customer_id, created_at DESC) WHERE (customer_id IS NOT NULL);
CREATE INDEX IF NOT EXISTS orders_location_created_idx ON square.orders USING btree (location_id, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_state_idx ON square.orders USING btree (state, location_id);
CREATE INDEX IF NOT EXISTS orders_updated_at_idx ON square.orders USING btree (updated_at);
CREATE INDEX IF NOT EXISTS payments_customer_idx ON square.payments USING btree (customer_id, created_at DESC) WHERE (customer_id IS NOT NULL);
CREATE INDEX IF NOT EXISTS payments_location_created_idx ON square.payments USING btree (location_id, created_at DESC);
CREATE INDEX IF NOT EXISTS payments_order_idx ON square.payments USING btree (order_id);
CREATE INDEX IF NOT EXISTS payments_updated_at_idx ON square.payments USING btree (updated_at);
CREATE INDEX IF NOT EXISTS checkpoints_job_idx ON sync.checkpoints USING btree (job_id) WHERE (job_id IS NOT NULL);
CREATE INDEX IF NOT EXISTS failed_items_due_idx ON sync.failed_items USING btree (next_retry_at) WHERE (resolved_at IS NULL);
CREATE INDEX IF NOT EXISTS failed_items_gave_up_idx ON sync.failed_items USING btree (gave_up_at) WHERE permanent;
CREATE INDEX IF NOT EXISTS failed_items_job_idx ON sync.failed_items USING btree (job_id);
CREATE UNIQUE INDEX IF NOT EXISTS failed_items_open_key ON sync.failed_items USING btree (connector, account, stream, item_key) WHERE (resolved_at IS NULL);
CREATE INDEX IF NOT EXISTS failed_items_resolved_idx ON sync.failed_items USING btree (resolved_at) WHERE (resolved_at IS NOT NULL);
CREATE INDEX IF NOT EXISTS failed_items_retried_idx ON sync.failed_items USING btree (last_retry_at) WHERE (last_retry_at IS NOT NULL);
CREATE INDEX IF NOT EXISTS job_shards_claim_idx ON sync.job_shards USING btree (job_id, shard) WHERE (status = ANY (ARRAY['pending'::text, 'running'::text]));
CREATE UNIQUE INDEX IF NOT EXISTS job_stream_runs_job_idx ON sync.job_stream_runs USING btree (job_id, stream) NULLS NOT DISTINCT;
CREATE INDEX IF NOT EXISTS job_stream_runs_window_idx ON sync.job_stream_runs USING btree (connector, stream, finished_at) INCLUDE (status, duration_seconds, records);
CREATE INDEX IF NOT EXISTS jobs_active_idx ON sync.jobs USING btree (connector, account) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));
CREATE INDEX IF NOT EXISTS jobs_claim_idx ON sync.jobs USING btree (created_at, id) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));
CREATE INDEX IF NOT EXISTS jobs_created_idx ON sync.jobs USING btree (created_at);
CREATE INDEX IF NOT EXISTS jobs_finished_idx ON sync.jobs USING btree (finished_at) WHERE (finished_at IS NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_history_idx ON sync.jobs USING btree (connector, created_at DESC);
CREATE INDEX IF NOT EXISTS jobs_recent_success_idx ON sync.jobs USING btree (connector, account, finished_at DESC) WHERE (status = ANY (ARRAY['succeeded'::text, 'partial'::text]));
CREATE INDEX IF NOT EXISTS notifications_created_idx ON sync.notifications USING btree (created_at);
CREATE INDEX IF NOT EXISTS notifications_due_idx ON sync.notifications USING btree (next_attempt_at, id) WHERE (status = 'pending'::text);
CREATE INDEX IF NOT EXISTS notifications_rate_idx ON sync.notifications USING btree (source, kind, created_at DESC) WHERE (status <> 'suppressed'::text);
CREATE INDEX IF NOT EXISTS promotion_roots_job_idx ON sync.promotion_roots USING btree (job_id);
CREATE INDEX IF NOT EXISTS promotion_roots_status_idx ON sync.promotion_roots USING btree (plan, status, reason_code);
CREATE INDEX IF NOT EXISTS schedule_runs_ran_idx ON sync.schedule_runs USING btree (ran_at);
CREATE INDEX IF NOT EXISTS schedule_runs_schedule_idx ON sync.schedule_runs USING btree (schedule_id, ran_at DESC);
CREATE INDEX IF NOT EXISTS schedules_due_idx ON sync.schedules USING btree (next_run_at) WHERE (enabled AND (timezone <> 'UTC'::text));
CREATE INDEX IF NOT EXISTS webhook_dedup_seen_idx ON sync.webhook_dedup USING btree (first_seen_at);
CREATE INDEX IF NOT EXISTS webhook_inbox_job_idx ON sync.webhook_inbox USING btree (job_id) WHERE (job_id IS NOT NULL);
CREATE INDEX IF NOT EXISTS webhook_inbox_pending_idx ON sync.webhook_inbox USING btree (received_at) WHERE (status = ANY (ARRAY['received'::text, 'processing'::text]));
CREATE INDEX IF NOT EXISTS webhook_inbox_processed_idx ON sync.webhook_inbox USING btree (processed_at) WHERE (processed_at IS NOT NULL);

-- views (each after those it reads), their indexes, triggers, policies, row level security
do $r$ begin if to_regclass('irelandpay.merchant_month_metrics') is null then execute 'create materialized view irelandpay.merchant_month_metrics as
WITH tx AS (
         SELECT t.mid,
            (date_trunc(''month''::text, (t.date AT TIME ZONE ''UTC''::text)))::date AS month,
            count(*) FILTER (WHERE (t.type = ''sale''::text)) AS transaction_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''sale''::text)), (0)::numeric) AS volume,
            count(*) FILTER (WHERE (t.type = ''refund''::text)) AS refund_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''refund''::text)), (0)::numeric) AS refund_amount,
            count(*) FILTER (WHERE (t.type = ''chargeback''::text)) AS chargeback_count,
            COALESCE(sum(t.amount) FILTER (WHERE (t.type = ''chargeback''::text)), (0)::numeric) AS chargeback_amount
           FROM irelandpay.transactions t
          WHERE ((t.mid IS NOT NULL) AND (t.date IS NOT NULL))
          GROUP BY t.mid, ((date_trunc(''month''::text, (t.date AT TIME ZONE ''UTC''::text)))::date)
        ), res AS (
         SELECT r.mid,
            (date_trunc(''month''::text, (r.period)::timestamp with time zone))::date AS month,
            sum(r.sales_amount) AS residual_sales_amount,
            sum(r.income) AS residual_income,
            sum(r.expense) AS residual_expense,
            sum(r.net) AS residual_net,
            sum(r.agent_net) AS residual_agent_net
           FROM irelandpay.residuals r
          GROUP BY r.mid, ((date_trunc(''month''::text, (r.period)::timestamp with time zone))::date)
        )
 SELECT COALESCE(tx.mid, res.mid) AS mid,
    COALESCE(tx.month, res.month) AS month,
    (COALESCE(tx.transaction_count, (0)::bigint))::integer AS transaction_count,
    round(COALESCE(tx.volume, (0)::numeric), 2) AS volume,
    round((tx.volume / (NULLIF(tx.transaction_count, 0))::numeric), 2) AS average_ticket,
    (COALESCE(tx.refund_count, (0)::bigint))::integer AS refund_count,
    round(COALESCE(tx.refund_amount, (0)::numeric), 2) AS refund_amount,
    (COALESCE(tx.chargeback_count, (0)::bigint))::integer AS chargeback_count,
    round(COALESCE(tx.chargeback_amount, (0)::numeric), 2) AS chargeback_amount,
    round(((COALESCE(tx.volume, (0)::numeric) - COALESCE(tx.refund_amount, (0)::numeric)) - COALESCE(tx.chargeback_amount, (0)::numeric)), 2) AS net_volume,
    res.residual_sales_amount,
    res.residual_income,
    res.residual_expense,
    res.residual_net,
    res.residual_agent_net
   FROM (tx
     FULL JOIN res ON (((res.mid = tx.mid) AND (res.month = tx.month))))'; end if; end $r$;
do $r$ begin if to_regclass('highlevel.ticket_products') is null then execute 'create view highlevel.ticket_products with (security_invoker=true) as
SELECT COALESCE(t.product_id, p.id) AS product_id,
    p.name,
    p.available_in_store,
    t.ticket_type AS override_ticket_type,
    t.active AS override_active,
    COALESCE(t.ticket_type, COALESCE(t.product_id, p.id)) AS ticket_type,
    COALESCE(t.active, p.available_in_store, true) AS issues_tickets,
        CASE
            WHEN (t.product_id IS NOT NULL) THEN ''override''::text
            ELSE ''highlevel''::text
        END AS decided_by
   FROM (highlevel.products p
     FULL JOIN highlevel.ticket_types t ON ((t.product_id = p.id)))'; end if; end $r$;
CREATE UNIQUE INDEX IF NOT EXISTS merchant_month_metrics_key ON irelandpay.merchant_month_metrics USING btree (mid, month);
CREATE OR REPLACE FUNCTION irelandpay.merchant_metrics(p_mid text DEFAULT NULL::text, p_from date DEFAULT NULL::date, p_to date DEFAULT NULL::date)
 RETURNS SETOF irelandpay.merchant_month_metrics
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select m.* from irelandpay.merchant_month_metrics m
  where (p_mid is null or m.mid = p_mid)
    and (p_from is null or m.month >= date_trunc('month', p_from)::date)
    and (p_to is null or m.month <= date_trunc('month', p_to)::date)
  order by m.mid, m.month;
$function$;
CREATE TRIGGER orders_reconcile_insert AFTER INSERT ON highlevel.orders REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._orders_reconcile();
CREATE TRIGGER orders_reconcile_update AFTER UPDATE ON highlevel.orders REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._orders_reconcile();
CREATE TRIGGER products_reconcile_insert AFTER INSERT ON highlevel.products REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._product_change_reconcile();
CREATE TRIGGER products_reconcile_update AFTER UPDATE ON highlevel.products REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._product_change_reconcile();
CREATE TRIGGER ticket_types_reconcile_delete AFTER DELETE ON highlevel.ticket_types REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION highlevel._product_change_reconcile();
CREATE TRIGGER ticket_types_reconcile_insert AFTER INSERT ON highlevel.ticket_types REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._product_change_reconcile();
CREATE TRIGGER ticket_types_reconcile_update AFTER UPDATE ON highlevel.ticket_types REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION highlevel._product_change_reconcile();
CREATE TRIGGER tickets_job_step AFTER INSERT OR UPDATE OF status ON highlevel.tickets FOR EACH ROW EXECUTE FUNCTION sync._ticket_step();
CREATE TRIGGER failed_items_give_up BEFORE INSERT OR UPDATE OF attempts, next_retry_at ON sync.failed_items FOR EACH ROW EXECUTE FUNCTION sync._on_failed_item_attempt();
CREATE TRIGGER job_steps_announce AFTER INSERT ON sync.job_steps FOR EACH ROW EXECUTE FUNCTION sync._announce();
CREATE TRIGGER irelandpay_refresh_metrics AFTER UPDATE OF status ON sync.jobs FOR EACH ROW WHEN (((new.connector = 'irelandpay'::text) AND (new.status = ANY (ARRAY['succeeded'::text, 'partial'::text])) AND (old.status IS DISTINCT FROM new.status) AND (NOT COALESCE(((new.options ->> 'dryRun'::text))::boolean, false)))) EXECUTE FUNCTION irelandpay._refresh_after_sync();
CREATE TRIGGER jobs_announce AFTER INSERT OR UPDATE OF status, cancel_requested ON sync.jobs FOR EACH ROW EXECUTE FUNCTION sync._announce();
CREATE TRIGGER jobs_close_shards AFTER UPDATE OF status ON sync.jobs FOR EACH ROW WHEN (((new.finished_at IS NOT NULL) AND (old.finished_at IS NULL))) EXECUTE FUNCTION sync._close_job_shards();
CREATE TRIGGER jobs_ops_finished AFTER UPDATE OF status ON sync.jobs FOR EACH ROW WHEN (((new.finished_at IS NOT NULL) AND (old.finished_at IS NULL))) EXECUTE FUNCTION sync._on_job_finished();
CREATE TRIGGER jobs_stream_runs_insert AFTER INSERT ON sync.jobs FOR EACH ROW WHEN ((new.finished_at IS NOT NULL)) EXECUTE FUNCTION sync._on_job_stream_runs();
CREATE TRIGGER jobs_stream_runs_update AFTER UPDATE OF connector, account, status, stats, created_at, started_at, finished_at ON sync.jobs FOR EACH ROW WHEN ((((new.finished_at IS NOT NULL) OR (old.finished_at IS NOT NULL)) AND (((((((new.connector IS DISTINCT FROM old.connector) OR (new.account IS DISTINCT FROM old.account)) OR (new.status IS DISTINCT FROM old.status)) OR (new.stats IS DISTINCT FROM old.stats)) OR (new.created_at IS DISTINCT FROM old.created_at)) OR (new.started_at IS DISTINCT FROM old.started_at)) OR (new.finished_at IS DISTINCT FROM old.finished_at)))) EXECUTE FUNCTION sync._on_job_stream_runs();
CREATE TRIGGER progress_announce AFTER INSERT OR UPDATE ON sync.progress FOR EACH ROW EXECUTE FUNCTION sync._announce();
create policy "syncline admins receive sync broadcasts" on realtime.messages as permissive for select to "authenticated" using (((( SELECT realtime.topic() AS topic) ~~ 'sync:%'::text) AND (extension = 'broadcast'::text) AND ((COALESCE(((( SELECT auth.jwt() AS jwt) -> 'app_metadata'::text) ->> 'role'::text), ''::text) = 'admin'::text) OR COALESCE((((( SELECT auth.jwt() AS jwt) -> 'app_metadata'::text) ->> 'syncline_admin'::text))::boolean, false))));
alter table sync.targets enable row level security;
alter table sync.targets no force row level security;
alter table sync.jobs enable row level security;
alter table sync.jobs no force row level security;
alter table sync.progress enable row level security;
alter table sync.progress no force row level security;
alter table sync.checkpoints enable row level security;
alter table sync.checkpoints no force row level security;
alter table sync.failed_items enable row level security;
alter table sync.failed_items no force row level security;
alter table sync.webhook_inbox enable row level security;
alter table sync.webhook_inbox no force row level security;
alter table square.locations enable row level security;
alter table square.locations no force row level security;
alter table square.customers enable row level security;
alter table square.customers no force row level security;
alter table square.catalog_categories enable row level security;
alter table square.catalog_categories no force row level security;
alter table square.catalog_items enable row level security;
alter table square.catalog_items no force row level security;
alter table square.catalog_variations enable row level security;
alter table square.catalog_variations no force row level security;
alter table square.orders enable row level security;
alter table square.orders no force row level security;
alter table square.payments enable row level security;
alter table square.payments no force row level security;
alter table square.inventory_counts enable row level security;
alter table square.inventory_counts no force row level security;
alter table sync.webhook_dedup enable row level security;
alter table sync.webhook_dedup no force row level security;
alter table highlevel.products enable row level security;
alter table highlevel.products no force row level security;
alter table highlevel.prices enable row level security;
alter table highlevel.prices no force row level security;
alter table highlevel.orders enable row level security;
alter table highlevel.orders no force row level security;
alter table highlevel.contacts enable row level security;
alter table highlevel.contacts no force row level security;
alter table sync.schedules enable row level security;
alter table sync.schedules no force row level security;
alter table sync.schedule_runs enable row level security;
alter table sync.schedule_runs no force row level security;
alter table sync.wake_status enable row level security;
alter table sync.wake_status no force row level security;
alter table sync.stream_status enable row level security;
alter table sync.stream_status no force row level security;
alter table sync.job_stream_runs enable row level security;
alter table sync.job_stream_runs no force row level security;
alter table sync.integrity_checks enable row level security;
alter table sync.integrity_checks no force row level security;
alter table sync.notification_settings enable row level security;
alter table sync.notification_settings no force row level security;
alter table sync.notifications enable row level security;
alter table sync.notifications no force row level security;
alter table sync.circuit_breakers enable row level security;
alter table sync.circuit_breakers no force row level security;
alter table bubble.records enable row level security;
alter table bubble.records no force row level security;
alter table sync.job_steps enable row level security;
alter table sync.job_steps no force row level security;
alter table irelandpay.merchants enable row level security;
alter table irelandpay.merchants no force row level security;
alter table irelandpay.transactions enable row level security;
alter table irelandpay.transactions no force row level security;
alter table irelandpay.residuals enable row level security;
alter table irelandpay.residuals no force row level security;
alter table sync.promotion_plans enable row level security;
alter table sync.promotion_plans no force row level security;
alter table sync.promotion_steps enable row level security;
alter table sync.promotion_steps no force row level security;
alter table sync.promotion_roots enable row level security;
alter table sync.promotion_roots no force row level security;
alter table sync.promotion_checkpoints enable row level security;
alter table sync.promotion_checkpoints no force row level security;
alter table events.payments enable row level security;
alter table events.payments no force row level security;
alter table events.customers enable row level security;
alter table events.customers no force row level security;
alter table events.registrations enable row level security;
alter table events.registrations no force row level security;
alter table events.attendees enable row level security;
alter table events.attendees no force row level security;
alter table events.contacts enable row level security;
alter table events.contacts no force row level security;
alter table events.tickets enable row level security;
alter table events.tickets no force row level security;
alter table bubble.agent enable row level security;
alter table bubble.agent no force row level security;
alter table bubble.customer enable row level security;
alter table bubble.customer no force row level security;
alter table bubble."user" enable row level security;
alter table bubble."user" no force row level security;
alter table bubble.invoice enable row level security;
alter table bubble.invoice no force row level security;
alter table bubble.payment enable row level security;
alter table bubble.payment no force row level security;
alter table bubble.submitted_payment enable row level security;
alter table bubble.submitted_payment no force row level security;
alter table bubble.invoice_item enable row level security;
alter table bubble.invoice_item no force row level security;
alter table bubble.seda_registration enable row level security;
alter table bubble.seda_registration no force row level security;
alter table bubble.sync_steps enable row level security;
alter table bubble.sync_steps no force row level security;
alter table sync.stream_cooldowns enable row level security;
alter table sync.stream_cooldowns no force row level security;
alter table sync.install_state enable row level security;
alter table sync.install_state no force row level security;
alter table sync.stream_completeness enable row level security;
alter table sync.stream_completeness no force row level security;
alter table sync.rate_limits enable row level security;
alter table sync.rate_limits no force row level security;
alter table sync.job_http_stats enable row level security;
alter table sync.job_http_stats no force row level security;
alter table highlevel.ticket_types enable row level security;
alter table highlevel.ticket_types no force row level security;
alter table highlevel.tickets enable row level security;
alter table highlevel.tickets no force row level security;
alter table sync.job_shards enable row level security;
alter table sync.job_shards no force row level security;
alter table sync.schema_versions enable row level security;
alter table sync.schema_versions no force row level security;

-- comments
comment on schema "bubble" is null;
comment on schema "events" is null;
comment on schema "highlevel" is null;
comment on schema "irelandpay" is null;
comment on schema "square" is null;
comment on schema "sync" is null;
comment on table sync.targets is 'Tables sync.merge_rows may write: "schema.table", its key and source version column.';
comment on table sync.jobs is 'One sync run of some streams of a connector account; queued and running jobs are active.';
comment on table sync.progress is 'Live progress per job and phase; changes are broadcast (Realtime when present, pg_notify always).';
comment on table sync.checkpoints is null;
comment on table sync.failed_items is null;
comment on table sync.webhook_inbox is null;
comment on table square.locations is 'Square locations (GET /v2/locations); updated_at is null: Square does not report one.';
comment on table square.customers is null;
comment on table square.catalog_categories is null;
comment on table square.catalog_items is null;
comment on table square.catalog_variations is null;
comment on table square.orders is null;
comment on table square.payments is null;
comment on table square.inventory_counts is null;
comment on table sync.webhook_dedup is 'Event ids of webhook deliveries, kept at least sync.webhook_dedup_window() (7 days): the replay guard that outlives the inbox retention.';
comment on table highlevel.products is null;
comment on table highlevel.prices is null;
comment on table highlevel.orders is null;
comment on table highlevel.contacts is null;
comment on table sync.schedules is 'Recurring syncs. An enabled UTC schedule has a pg_cron job "syncline:<id>" running sync.run_schedule(<id>); a schedule in another time zone is fired by sync.ops_tick when next_run_at is due. options.lookback_hours makes an incremental run re-read that many hours (job option "since"); mode retry re-attempts the due failed items of its streams; mode reconcile lists the source''s ids, re-fetches the missing and marks rows gone at the source deleted.';
comment on table sync.schedule_runs is null;
comment on table sync.wake_status is null;
comment on table sync.stream_status is null;
comment on table sync.job_stream_runs is null;
comment on table sync.integrity_checks is null;
comment on table sync.notification_settings is null;
comment on table sync.notifications is null;
comment on table sync.circuit_breakers is 'One circuit breaker per external source (e.g. "square/default"), shared by all workers.';
comment on table bubble.records is null;
comment on table sync.job_steps is 'Per-record steps of single-record syncs (fetched, merged, ticket issued/voided ...), broadcast live.';
comment on table irelandpay.merchants is null;
comment on table irelandpay.transactions is null;
comment on table irelandpay.residuals is null;
comment on table sync.promotion_plans is 'Promotion plans: check_fn(text[]) -> (root_id, sort_at, version, reason_code, reason) judges roots (reason_code null: eligible); affected_fn(table, keys) -> root_id finds roots of imported rows; roots ineligible for a withdraw reason after promotion are withdrawn (retire values applied).';
comment on table sync.promotion_steps is null;
comment on table sync.promotion_roots is null;
comment on table sync.promotion_checkpoints is null;
comment on table events.payments is null;
comment on table events.customers is null;
comment on table events.registrations is null;
comment on table events.attendees is null;
comment on table events.contacts is null;
comment on table events.tickets is null;
comment on table bubble.agent is null;
comment on table bubble.customer is null;
comment on table bubble."user" is null;
comment on table bubble.invoice is null;
comment on table bubble.payment is null;
comment on table bubble.submitted_payment is null;
comment on table bubble.invoice_item is null;
comment on table bubble.seda_registration is null;
comment on table bubble.sync_steps is null;
comment on table sync.stream_cooldowns is 'Minimum seconds between the end of a run of a stream and the next automatic (webhook, retry) run of it.';
comment on table sync.install_state is null;
comment on table sync.stream_completeness is null;
comment on table sync.rate_limits is 'Reserved request times per external source, shared by all workers; see sync.rate_take.';
comment on table sync.job_http_stats is 'Requests, retries and failures a job sent to each source, summed over its invocations.';
comment on table highlevel.ticket_types is 'Overrides of HighLevel''s product state: active rows issue tickets of ticket_type even when the product is off sale, inactive rows never issue; products without a row follow available_in_store.';
comment on table highlevel.tickets is null;
comment on table sync.job_shards is 'Time windows of one stream of a job, read in parallel by several workers; see sync.claim_shard.';
comment on table sync.schema_versions is null;
comment on column sync.jobs."run_after" is 'A deferred job is not claimed before this time (the time its source named).';
comment on column sync.jobs."waiting_since" is 'When the source of a deferred job last answered well (429s and outages since).';
comment on column square.orders."should_move_to_production" is 'Operator hold: false keeps the payments of this order out of production (events.*). Never written by a sync.';
comment on column square.payments."should_move_to_production" is 'Operator hold: false keeps this payment and its chain out of production (events.*). Never written by a sync.';
comment on view highlevel.ticket_products is 'Effective ticket products: the override (ticket_types) wins, else HighLevel''s available_in_store.';
comment on materialized view irelandpay.merchant_month_metrics is 'Per merchant and month (UTC): sales, volume, average ticket, refunds, chargebacks, residual totals. Refreshed after every irelandpay sync.';

-- seed rows a fresh install has (never overwriting a row the team changed)
update sync.notification_settings t set ("id", "slack_webhook_url", "email_provider", "email_api_url", "email_from", "email_to", "error_rate_threshold", "error_rate_window", "error_rate_min_runs", "slow_run_factor", "slow_run_min_runs", "slow_run_min_seconds", "stale_after", "stale_after_by_stream", "rate_limit_window", "daily_summary", "daily_summary_hour", "retention_days", "max_attempts", "run_reports", "auto_retry", "retry_batch_size", "failed_item_max_attempts") = row ('true'::boolean, null, null, null, null, '{}'::text[], '0.5'::numeric, '01:00:00'::interval, '3'::integer, '3'::numeric, '5'::integer, '60'::integer, '26:00:00'::interval, '{}'::jsonb, '01:00:00'::interval, 'true'::boolean, '8'::integer, '30'::integer, '8'::integer, 'false'::boolean, 'true'::boolean, '200'::integer, '12'::integer)
  where jsonb_build_object('id', t."id", 'email_to', t."email_to", 'email_from', t."email_from", 'stale_after', t."stale_after", 'max_attempts', t."max_attempts", 'daily_summary', t."daily_summary", 'email_api_url', t."email_api_url", 'email_provider', t."email_provider", 'retention_days', t."retention_days", 'slow_run_factor', t."slow_run_factor", 'error_rate_window', t."error_rate_window", 'rate_limit_window', t."rate_limit_window", 'slack_webhook_url', t."slack_webhook_url", 'slow_run_min_runs', t."slow_run_min_runs", 'daily_summary_hour', t."daily_summary_hour", 'error_rate_min_runs', t."error_rate_min_runs", 'error_rate_threshold', t."error_rate_threshold", 'slow_run_min_seconds', t."slow_run_min_seconds", 'stale_after_by_stream', t."stale_after_by_stream") = '{"id":true,"email_to":[],"email_from":null,"stale_after":"26:00:00","max_attempts":8,"daily_summary":false,"email_api_url":null,"email_provider":null,"retention_days":30,"slow_run_factor":3,"error_rate_window":"01:00:00","rate_limit_window":"01:00:00","slack_webhook_url":null,"slow_run_min_runs":5,"daily_summary_hour":8,"error_rate_min_runs":3,"error_rate_threshold":0.5,"slow_run_min_seconds":60,"stale_after_by_stream":{}}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('highlevel-twice-daily'::text, 'highlevel'::text, 'default'::text, '{products,prices,contacts,orders}'::text[], '0 11,19 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'UTC'::text, 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 11,19 * * *","mode":"incremental","name":"highlevel-twice-daily","account":"default","options":{"lookback_hours":24},"streams":["products","contacts","orders"],"connector":"highlevel","description":"HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('square-catalog-daily'::text, 'square'::text, 'default'::text, '{catalog_items,catalog_categories,catalog_variations,locations}'::text[], '0 2 * * *'::text, 'full'::text, '{}'::jsonb, 'UTC'::text, 'Square catalog, categories and locations daily at 02:00 UTC, full'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 2 * * *","mode":"full","name":"square-catalog-daily","account":"default","options":{},"streams":["catalog","categories","locations"],"connector":"square","description":"Square catalog, categories and locations daily at 02:00 UTC, full"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('square-inventory-daily'::text, 'square'::text, 'default'::text, '{inventory_counts}'::text[], '0 2 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'UTC'::text, 'Square inventory daily at 02:00 UTC, re-reading the last 24 hours'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 2 * * *","mode":"incremental","name":"square-inventory-daily","account":"default","options":{"lookback_hours":24},"streams":["inventory"],"connector":"square","description":"Square inventory daily at 02:00 UTC, re-reading the last 24 hours"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('square-orders-daily'::text, 'square'::text, 'default'::text, '{orders}'::text[], '0 2 * * *'::text, 'incremental'::text, '{"lookback_hours": 168}'::jsonb, 'UTC'::text, 'Square orders daily at 02:00 UTC, re-reading the last 7 days'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 2 * * *","mode":"incremental","name":"square-orders-daily","account":"default","options":{"lookback_hours":168},"streams":["orders"],"connector":"square","description":"Square orders daily at 02:00 UTC, re-reading the last 7 days"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('square-catalog-daily'::text, 'square'::text, 'default'::text, '{catalog_items,catalog_categories,catalog_variations,locations}'::text[], '0 2 * * *'::text, 'full'::text, '{}'::jsonb, 'UTC'::text, 'Square catalog, categories and locations daily at 02:00 UTC, full'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 2 * * *","mode":"full","name":"square-catalog-daily","account":"default","options":{},"streams":["catalog_items","catalog_categories","catalog_variations","locations"],"connector":"square","description":"Square catalog, categories and locations daily at 02:00 UTC, full"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('square-inventory-daily'::text, 'square'::text, 'default'::text, '{inventory_counts}'::text[], '0 2 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'UTC'::text, 'Square inventory daily at 02:00 UTC, re-reading the last 24 hours'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'connector', t."connector", 'description', t."description") = '{"cron":"0 2 * * *","mode":"incremental","name":"square-inventory-daily","account":"default","options":{"lookback_hours":24},"streams":["inventory_counts"],"connector":"square","description":"Square inventory daily at 02:00 UTC, re-reading the last 24 hours"}'::jsonb;
update sync.schedules t set ("name", "connector", "account", "streams", "cron", "mode", "options", "timezone", "description") = row ('highlevel-twice-daily'::text, 'highlevel'::text, 'default'::text, '{products,prices,contacts,orders}'::text[], '0 11,19 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'UTC'::text, 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours'::text)
  where jsonb_build_object('cron', t."cron", 'mode', t."mode", 'name', t."name", 'account', t."account", 'options', t."options", 'streams', t."streams", 'timezone', t."timezone", 'connector', t."connector", 'description', t."description") = '{"cron":"0 11,19 * * *","mode":"incremental","name":"highlevel-twice-daily","account":"default","options":{"lookback_hours":24},"streams":["products","contacts","orders"],"timezone":"UTC","connector":"highlevel","description":"HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.catalog_categories'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.catalog_categories","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.catalog_items'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.catalog_items","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.catalog_variations'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.catalog_variations","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.customers'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.customers","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.inventory_counts'::text, '{catalog_object_id,location_id,state}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.inventory_counts","key_columns":["catalog_object_id","location_id","state"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.locations'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.locations","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.orders'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.orders","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('square.payments'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"square.payments","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('highlevel.contacts'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"highlevel.contacts","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('highlevel.orders'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"highlevel.orders","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('highlevel.products'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"highlevel.products","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.records'::text, '{type,id}'::text[], 'modified_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.records","key_columns":["type","id"],"version_column":"modified_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('irelandpay.merchants'::text, '{mid}'::text[], 'modified'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"irelandpay.merchants","key_columns":["mid"],"version_column":"modified"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('irelandpay.residuals'::text, '{mid,period}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"irelandpay.residuals","key_columns":["mid","period"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('irelandpay.transactions'::text, '{id}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"irelandpay.transactions","key_columns":["id"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.attendees'::text, '{registration_id,attendee_key}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.attendees","key_columns":["registration_id","attendee_key"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.contacts'::text, '{email}'::text[], 'source_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.contacts","key_columns":["email"],"version_column":"source_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.customers'::text, '{customer_key}'::text[], 'source_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.customers","key_columns":["customer_key"],"version_column":"source_at"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.payments'::text, '{id}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.payments","key_columns":["id"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.registrations'::text, '{id}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.registrations","key_columns":["id"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('events.tickets'::text, '{registration_id,line_item_uid,unit}'::text[], null, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"events.tickets","key_columns":["registration_id","line_item_uid","unit"],"version_column":null}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.agent'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.agent","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.customer'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.customer","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.invoice'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.invoice","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.invoice_item'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.invoice_item","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.payment'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.payment","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.seda_registration'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.seda_registration","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.submitted_payment'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.submitted_payment","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('bubble.user'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"bubble.user","key_columns":["id"],"version_column":"modified_date"}'::jsonb;
update sync.targets t set ("target", "key_columns", "version_column", "delete_mode") = row ('highlevel.prices'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
  where jsonb_build_object('target', t."target", 'key_columns', t."key_columns", 'version_column', t."version_column") = '{"target":"highlevel.prices","key_columns":["id"],"version_column":"updated_at"}'::jsonb;
insert into sync.targets ("target", "key_columns", "version_column", "delete_mode") values
  ('bubble.agent'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.customer'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.invoice'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.invoice_item'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.payment'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.records'::text, '{type,id}'::text[], 'modified_at'::text, 'soft'::text),
  ('bubble.seda_registration'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.submitted_payment'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('bubble.user'::text, '{id}'::text[], 'modified_date'::text, 'soft'::text),
  ('events.attendees'::text, '{registration_id,attendee_key}'::text[], null, 'soft'::text),
  ('events.contacts'::text, '{email}'::text[], 'source_at'::text, 'soft'::text),
  ('events.customers'::text, '{customer_key}'::text[], 'source_at'::text, 'soft'::text),
  ('events.payments'::text, '{id}'::text[], null, 'soft'::text),
  ('events.registrations'::text, '{id}'::text[], null, 'soft'::text),
  ('events.tickets'::text, '{registration_id,line_item_uid,unit}'::text[], null, 'soft'::text),
  ('highlevel.contacts'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('highlevel.orders'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('highlevel.prices'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('highlevel.products'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('irelandpay.merchants'::text, '{mid}'::text[], 'modified'::text, 'soft'::text),
  ('irelandpay.residuals'::text, '{mid,period}'::text[], null, 'soft'::text),
  ('irelandpay.transactions'::text, '{id}'::text[], null, 'soft'::text),
  ('square.catalog_categories'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.catalog_items'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.catalog_variations'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.customers'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.inventory_counts'::text, '{catalog_object_id,location_id,state}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.locations'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.orders'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text),
  ('square.payments'::text, '{id}'::text[], 'updated_at'::text, 'soft'::text)
on conflict do nothing;
insert into sync.schedules ("name", "connector", "account", "streams", "cron", "mode", "options", "enabled", "timezone", "next_run_at", "description", "last_run_at", "last_outcome", "last_job_id") overriding system value values
  ('highlevel-twice-daily'::text, 'highlevel'::text, 'default'::text, '{products,prices,contacts,orders}'::text[], '0 11,19 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'false'::boolean, 'UTC'::text, null, 'HighLevel at 11:00 and 19:00 UTC, re-reading the last 24 hours'::text, null, null, null),
  ('irelandpay-evening'::text, 'irelandpay'::text, 'default'::text, '{merchants,transactions,residuals}'::text[], '0 19 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'false'::boolean, 'Europe/Dublin'::text, null, 'Ireland Pay at 19:00 Irish time (Europe/Dublin), re-reading the last 24 hours'::text, null, null, null),
  ('irelandpay-morning'::text, 'irelandpay'::text, 'default'::text, '{merchants,transactions,residuals}'::text[], '0 11 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'false'::boolean, 'Europe/Dublin'::text, null, 'Ireland Pay at 11:00 Irish time (Europe/Dublin), re-reading the last 24 hours'::text, null, null, null),
  ('square-catalog-daily'::text, 'square'::text, 'default'::text, '{catalog_items,catalog_categories,catalog_variations,locations}'::text[], '0 2 * * *'::text, 'full'::text, '{}'::jsonb, 'false'::boolean, 'UTC'::text, null, 'Square catalog, categories and locations daily at 02:00 UTC, full'::text, null, null, null),
  ('square-inventory-daily'::text, 'square'::text, 'default'::text, '{inventory_counts}'::text[], '0 2 * * *'::text, 'incremental'::text, '{"lookback_hours": 24}'::jsonb, 'false'::boolean, 'UTC'::text, null, 'Square inventory daily at 02:00 UTC, re-reading the last 24 hours'::text, null, null, null),
  ('square-orders-daily'::text, 'square'::text, 'default'::text, '{orders}'::text[], '0 2 * * *'::text, 'incremental'::text, '{"lookback_hours": 168}'::jsonb, 'false'::boolean, 'UTC'::text, null, 'Square orders daily at 02:00 UTC, re-reading the last 7 days'::text, null, null, null)
on conflict do nothing;
insert into sync.integrity_checks ("name", "child_table", "child_column", "parent_table", "parent_column", "enabled", "description") values
  ('highlevel-tickets-without-order'::text, 'highlevel.tickets'::text, 'order_id'::text, 'highlevel.orders'::text, 'id'::text, 'true'::boolean, 'Tickets whose HighLevel order is missing'::text)
on conflict do nothing;
insert into sync.notification_settings ("id", "enabled", "slack_webhook_url", "email_provider", "email_api_url", "email_from", "email_to", "error_rate_threshold", "error_rate_window", "error_rate_min_runs", "slow_run_factor", "slow_run_min_runs", "slow_run_min_seconds", "stale_after", "stale_after_by_stream", "rate_limit_window", "daily_summary", "daily_summary_hour", "retention_days", "max_attempts", "run_reports", "auto_retry", "retry_batch_size", "failed_item_max_attempts") values
  ('true'::boolean, 'true'::boolean, null, null, null, null, '{}'::text[], '0.5'::numeric, '01:00:00'::interval, '3'::integer, '3'::numeric, '5'::integer, '60'::integer, '26:00:00'::interval, '{}'::jsonb, '01:00:00'::interval, 'true'::boolean, '8'::integer, '30'::integer, '8'::integer, 'false'::boolean, 'true'::boolean, '200'::integer, '12'::integer)
on conflict do nothing;
insert into sync.promotion_plans ("name", "connector", "root_table", "root_key", "root_order", "root_label", "check_fn", "affected_fn", "orphans_fn", "withdraw_reasons", "description") values
  ('square_event_sales'::text, 'square'::text, 'square.payments'::text, 'id'::text, 'created_at'::text, 'payment'::text, 'events.square_check'::text, 'events.square_affected'::text, 'events.square_orphans'::text, '{hold,not_completed,refunded,no_registration,registration_cancelled,no_tickets}'::text[], 'Square event sales: each completed payment with its order (registration), booking contact, attendees, contacts and tickets'::text)
on conflict do nothing;
insert into sync.promotion_steps ("plan", "ordinal", "name", "source_table", "target", "rows_fn", "tie_column", "label", "retire") values
  ('square_event_sales'::text, '1'::integer, 'payment'::text, 'square.payments'::text, 'events.payments'::text, 'events.square_payment_rows'::text, 'id'::text, 'payment imported'::text, null),
  ('square_event_sales'::text, '2'::integer, 'registration'::text, 'square.orders'::text, 'events.registrations'::text, 'events.square_registration_rows'::text, 'payment_id'::text, 'registration found'::text, '{"status": "cancelled"}'::jsonb),
  ('square_event_sales'::text, '3'::integer, 'customer'::text, 'square.customers'::text, 'events.customers'::text, 'events.square_customer_rows'::text, null, 'booking contact'::text, null),
  ('square_event_sales'::text, '4'::integer, 'attendees'::text, 'square.orders'::text, 'events.attendees'::text, 'events.square_attendee_rows'::text, 'payment_id'::text, '% attendees'::text, null),
  ('square_event_sales'::text, '5'::integer, 'contacts'::text, 'square.orders'::text, 'events.contacts'::text, 'events.square_contact_rows'::text, null, '% contacts'::text, null),
  ('square_event_sales'::text, '6'::integer, 'tickets'::text, 'square.orders'::text, 'events.tickets'::text, 'events.square_ticket_rows'::text, 'payment_id'::text, '% tickets'::text, '{"status": "cancelled"}'::jsonb)
on conflict do nothing;
insert into sync.schema_versions ("version") values
  ('20261207130000'::text),
  ('20261208100000'::text)
on conflict do nothing;

-- 4. grants: every object's privileges as a fresh install has them
revoke all on schema "bubble" from public, anon, authenticated, service_role;
grant usage on schema "bubble" to "service_role";
revoke all on schema "events" from public, anon, authenticated, service_role;
grant usage on schema "events" to "service_role";
revoke all on schema "highlevel" from public, anon, authenticated, service_role;
grant usage on schema "highlevel" to "service_role";
revoke all on schema "irelandpay" from public, anon, authenticated, service_role;
grant usage on schema "irelandpay" to "service_role";
revoke all on schema "square" from public, anon, authenticated, service_role;
grant usage on schema "square" to "service_role";
revoke all on schema "sync" from public, anon, authenticated, service_role;
grant usage on schema "sync" to "service_role";
revoke all on table sync.targets from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.targets to "service_role";
revoke all on table sync.jobs from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.jobs to "service_role";
revoke all on table sync.progress from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.progress to "service_role";
revoke all on table sync.checkpoints from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.checkpoints to "service_role";
revoke all on table sync.failed_items from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.failed_items to "service_role";
revoke all on table sync.webhook_inbox from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.webhook_inbox to "service_role";
revoke all on table square.locations from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.locations to "service_role";
revoke all on table square.customers from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.customers to "service_role";
revoke all on table square.catalog_categories from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.catalog_categories to "service_role";
revoke all on table square.catalog_items from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.catalog_items to "service_role";
revoke all on table square.catalog_variations from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.catalog_variations to "service_role";
revoke all on table square.orders from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.orders to "service_role";
revoke all on table square.payments from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.payments to "service_role";
revoke all on table square.inventory_counts from public, anon, authenticated, service_role;
grant insert, select, update, delete on table square.inventory_counts to "service_role";
revoke all on table sync.webhook_dedup from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.webhook_dedup to "service_role";
revoke all on table highlevel.products from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.products to "service_role";
revoke all on table highlevel.prices from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.prices to "service_role";
revoke all on table highlevel.orders from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.orders to "service_role";
revoke all on table highlevel.contacts from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.contacts to "service_role";
revoke all on table sync.schedules from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.schedules to "service_role";
revoke all on table sync.schedule_runs from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.schedule_runs to "service_role";
revoke all on table sync.wake_status from public, anon, authenticated, service_role;
grant select on table sync.wake_status to "service_role";
revoke all on table sync.stream_status from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.stream_status to "service_role";
revoke all on table sync.job_stream_runs from public, anon, authenticated, service_role;
grant insert, select, delete on table sync.job_stream_runs to "service_role";
revoke all on table sync.integrity_checks from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.integrity_checks to "service_role";
revoke all on table sync.notification_settings from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.notification_settings to "service_role";
revoke all on table sync.notifications from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.notifications to "service_role";
revoke all on table sync.circuit_breakers from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.circuit_breakers to "service_role";
revoke all on table bubble.records from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.records to "service_role";
revoke all on table sync.job_steps from public, anon, authenticated, service_role;
grant insert, select on table sync.job_steps to "service_role";
revoke all on table irelandpay.merchants from public, anon, authenticated, service_role;
grant insert, select, update, delete on table irelandpay.merchants to "service_role";
revoke all on table irelandpay.transactions from public, anon, authenticated, service_role;
grant insert, select, update, delete on table irelandpay.transactions to "service_role";
revoke all on table irelandpay.residuals from public, anon, authenticated, service_role;
grant insert, select, update, delete on table irelandpay.residuals to "service_role";
revoke all on table sync.promotion_plans from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.promotion_plans to "service_role";
revoke all on table sync.promotion_steps from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.promotion_steps to "service_role";
revoke all on table sync.promotion_roots from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.promotion_roots to "service_role";
revoke all on table sync.promotion_checkpoints from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.promotion_checkpoints to "service_role";
revoke all on table events.payments from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.payments to "service_role";
revoke all on table events.customers from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.customers to "service_role";
revoke all on table events.registrations from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.registrations to "service_role";
revoke all on table events.attendees from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.attendees to "service_role";
revoke all on table events.contacts from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.contacts to "service_role";
revoke all on table events.tickets from public, anon, authenticated, service_role;
grant insert, select, update, delete on table events.tickets to "service_role";
revoke all on table bubble.agent from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.agent to "service_role";
revoke all on table bubble.customer from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.customer to "service_role";
revoke all on table bubble."user" from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble."user" to "service_role";
revoke all on table bubble.invoice from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.invoice to "service_role";
revoke all on table bubble.payment from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.payment to "service_role";
revoke all on table bubble.submitted_payment from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.submitted_payment to "service_role";
revoke all on table bubble.invoice_item from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.invoice_item to "service_role";
revoke all on table bubble.seda_registration from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.seda_registration to "service_role";
revoke all on table bubble.sync_steps from public, anon, authenticated, service_role;
grant insert, select, update, delete on table bubble.sync_steps to "service_role";
revoke all on table sync.stream_cooldowns from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.stream_cooldowns to "service_role";
revoke all on table sync.install_state from public, anon, authenticated, service_role;
revoke all on table sync.stream_completeness from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.stream_completeness to "service_role";
revoke all on table sync.rate_limits from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.rate_limits to "service_role";
revoke all on table sync.job_http_stats from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.job_http_stats to "service_role";
revoke all on table highlevel.ticket_types from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.ticket_types to "service_role";
revoke all on table highlevel.tickets from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.tickets to "service_role";
revoke all on table sync.job_shards from public, anon, authenticated, service_role;
grant insert, select, update, delete on table sync.job_shards to "service_role";
revoke all on table sync.schema_versions from public, anon, authenticated, service_role;
grant select on table sync.schema_versions to "service_role";
revoke all on table highlevel.ticket_products from public, anon, authenticated, service_role;
grant insert, select, update, delete on table highlevel.ticket_products to "service_role";
revoke all on table irelandpay.merchant_month_metrics from public, anon, authenticated, service_role;
grant select on table irelandpay.merchant_month_metrics to "service_role";
revoke all on sequence sync.failed_items_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.failed_items_id_seq to "service_role";
revoke all on sequence sync.job_steps_seq_seq from public, anon, authenticated, service_role;
revoke all on sequence sync.jobs_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.jobs_id_seq to "service_role";
revoke all on sequence sync.notifications_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.notifications_id_seq to "service_role";
revoke all on sequence sync.schedule_runs_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.schedule_runs_id_seq to "service_role";
revoke all on sequence sync.schedules_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.schedules_id_seq to "service_role";
revoke all on sequence sync.webhook_inbox_id_seq from public, anon, authenticated, service_role;
grant select, usage on sequence sync.webhook_inbox_id_seq to "service_role";
revoke all on function bubble.patch_links() from public, anon, authenticated, service_role;
grant execute on function bubble.patch_links() to "service_role";
revoke all on function events._square_booking(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events._square_booking(p_ids text[]) to "service_role";
revoke all on function events._square_lines(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events._square_lines(p_ids text[]) to "service_role";
revoke all on function events.square_affected(p_table text, p_keys text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_affected(p_table text, p_keys text[]) to "service_role";
revoke all on function events.square_attendee_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_attendee_rows(p_ids text[]) to "service_role";
revoke all on function events.square_check(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_check(p_ids text[]) to "service_role";
revoke all on function events.square_contact_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_contact_rows(p_ids text[]) to "service_role";
revoke all on function events.square_customer_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_customer_rows(p_ids text[]) to "service_role";
revoke all on function events.square_orphans() from public, anon, authenticated, service_role;
grant execute on function events.square_orphans() to "service_role";
revoke all on function events.square_payment_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_payment_rows(p_ids text[]) to "service_role";
revoke all on function events.square_registration_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_registration_rows(p_ids text[]) to "service_role";
revoke all on function events.square_ticket_rows(p_ids text[]) from public, anon, authenticated, service_role;
grant execute on function events.square_ticket_rows(p_ids text[]) to "service_role";
revoke all on function highlevel._orders_reconcile() from public, anon, authenticated, service_role;
grant execute on function highlevel._orders_reconcile() to "service_role";
revoke all on function highlevel._product_change_reconcile() from public, anon, authenticated, service_role;
grant execute on function highlevel._product_change_reconcile() to "service_role";
revoke all on function highlevel._wanted_tickets(p_order_ids text[]) from public, anon, authenticated, service_role;
grant execute on function highlevel._wanted_tickets(p_order_ids text[]) to "service_role";
revoke all on function highlevel.item_product_id(p_item jsonb) from public, anon, authenticated, service_role;
grant execute on function highlevel.item_product_id(p_item jsonb) to "service_role";
revoke all on function highlevel.item_qty(p_item jsonb) from public, anon, authenticated, service_role;
grant execute on function highlevel.item_qty(p_item jsonb) to "service_role";
revoke all on function highlevel.reconcile_product_tickets(p_product_ids text[]) from public, anon, authenticated, service_role;
grant execute on function highlevel.reconcile_product_tickets(p_product_ids text[]) to "service_role";
revoke all on function highlevel.reconcile_tickets(p_order_ids text[]) from public, anon, authenticated, service_role;
grant execute on function highlevel.reconcile_tickets(p_order_ids text[]) to "service_role";
revoke all on function irelandpay._refresh_after_sync() from public, anon, authenticated, service_role;
revoke all on function irelandpay.merchant_metrics(p_mid text, p_from date, p_to date) from public, anon, authenticated, service_role;
grant execute on function irelandpay.merchant_metrics(p_mid text, p_from date, p_to date) to "service_role";
revoke all on function irelandpay.refresh_metrics() from public, anon, authenticated, service_role;
grant execute on function irelandpay.refresh_metrics() to "service_role";
revoke all on function sync._alert_retries_exhausted() from public, anon, authenticated, service_role;
grant execute on function sync._alert_retries_exhausted() to "service_role";
revoke all on function sync._announce() from public, anon, authenticated, service_role;
revoke all on function sync._assert_lease(p_job_id bigint, p_worker text) from public, anon, authenticated, service_role;
grant execute on function sync._assert_lease(p_job_id bigint, p_worker text) to "service_role";
revoke all on function sync._assert_shard_lease(p_job_id bigint, p_stream text, p_shard integer, p_worker text) from public, anon, authenticated, service_role;
grant execute on function sync._assert_shard_lease(p_job_id bigint, p_stream text, p_shard integer, p_worker text) to "service_role";
revoke all on function sync._bookkeeping_columns() from public, anon, authenticated, service_role;
grant execute on function sync._bookkeeping_columns() to "service_role";
revoke all on function sync._broadcast(p_payload jsonb, p_event text, p_topic text) from public, anon, authenticated, service_role;
revoke all on function sync._check_cleanup_args(p_days_to_keep integer, p_batch_size integer) from public, anon, authenticated, service_role;
grant execute on function sync._check_cleanup_args(p_days_to_keep integer, p_batch_size integer) to "service_role";
revoke all on function sync._check_columns(p_target text, p_all text[], p_keys text[], p_cols text[], p_row bigint) from public, anon, authenticated, service_role;
grant execute on function sync._check_columns(p_target text, p_all text[], p_keys text[], p_cols text[], p_row bigint) to "service_role";
revoke all on function sync._check_lease(p_job_id bigint, p_worker text) from public, anon, authenticated, service_role;
grant execute on function sync._check_lease(p_job_id bigint, p_worker text) to "service_role";
revoke all on function sync._check_setting_interval(p_setting text, p_value text, p_allow_zero boolean) from public, anon, authenticated, service_role;
grant execute on function sync._check_setting_interval(p_setting text, p_value text, p_allow_zero boolean) to "service_role";
revoke all on function sync._cleanup_round(p_cutoff timestamp with time zone, p_batch_size integer) from public, anon, authenticated, service_role;
grant execute on function sync._cleanup_round(p_cutoff timestamp with time zone, p_batch_size integer) to "service_role";
revoke all on function sync._close_job_shards() from public, anon, authenticated, service_role;
grant execute on function sync._close_job_shards() to "service_role";
revoke all on function sync._count_stale(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync._count_stale(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync._count_stale_in(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_rows jsonb, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync._count_stale_in(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_rows jsonb, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync._cron_available() from public, anon, authenticated, service_role;
revoke all on function sync._cron_char(p_text text, p_pos integer) from public, anon, authenticated, service_role;
grant execute on function sync._cron_char(p_text text, p_pos integer) to "service_role";
revoke all on function sync._cron_drop(p_job_name text) from public, anon, authenticated, service_role;
revoke all on function sync._cron_entry_valid(p_text text) from public, anon, authenticated, service_role;
grant execute on function sync._cron_entry_valid(p_text text) to "service_role";
revoke all on function sync._cron_number(p_text text, p_pos integer, p_names text[], p_low integer, OUT value bigint, OUT next_pos integer) from public, anon, authenticated, service_role;
grant execute on function sync._cron_number(p_text text, p_pos integer, p_names text[], p_low integer, OUT value bigint, OUT next_pos integer) to "service_role";
revoke all on function sync._cron_put(p_job_name text, p_cron text, p_command text) from public, anon, authenticated, service_role;
revoke all on function sync._cron_schedule_error(p_cron text) from public, anon, authenticated, service_role;
revoke all on function sync._cron_seconds_valid(p_text text) from public, anon, authenticated, service_role;
grant execute on function sync._cron_seconds_valid(p_text text) to "service_role";
revoke all on function sync._cron_values(p_field text, p_lo integer, p_hi integer) from public, anon, authenticated, service_role;
grant execute on function sync._cron_values(p_field text, p_lo integer, p_hi integer) to "service_role";
revoke all on function sync._install_cron_jobs() from public, anon, authenticated, service_role;
revoke all on function sync._install_extension(p_name text, p_schema text) from public, anon, authenticated, service_role;
revoke all on function sync._install_vault_secret(p_name text, p_value text) from public, anon, authenticated, service_role;
revoke all on function sync._is_delivery_url(p_url text) from public, anon, authenticated, service_role;
grant execute on function sync._is_delivery_url(p_url text) to "service_role";
revoke all on function sync._job_event(p_job sync.jobs) from public, anon, authenticated, service_role;
revoke all on function sync._job_stream_rows(p_job_ids bigint[]) from public, anon, authenticated, service_role;
grant execute on function sync._job_stream_rows(p_job_ids bigint[]) to "service_role";
revoke all on function sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean) from public, anon, authenticated, service_role;
grant execute on function sync._merge_group(p_rel regclass, p_keys text[], p_version text, p_cols text[], p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone, p_dedupe boolean, p_check boolean) to "service_role";
revoke all on function sync._merge_not_uniform() from public, anon, authenticated, service_role;
grant execute on function sync._merge_not_uniform() to "service_role";
revoke all on function sync._merge_statement(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_dedupe boolean) from public, anon, authenticated, service_role;
grant execute on function sync._merge_statement(p_rel regclass, p_keys text[], p_cols text[], p_src text, p_dedupe boolean) to "service_role";
revoke all on function sync._merge_target(p_target text) from public, anon, authenticated, service_role;
grant execute on function sync._merge_target(p_target text) to "service_role";
revoke all on function sync._merge_version(p_version text, p_cols text[]) from public, anon, authenticated, service_role;
grant execute on function sync._merge_version(p_version text, p_cols text[]) to "service_role";
revoke all on function sync._note_wake(p_ok boolean, p_reason text) from public, anon, authenticated, service_role;
revoke all on function sync._notification_retry_delay(p_attempts integer) from public, anon, authenticated, service_role;
grant execute on function sync._notification_retry_delay(p_attempts integer) to "service_role";
revoke all on function sync._on_failed_item_attempt() from public, anon, authenticated, service_role;
grant execute on function sync._on_failed_item_attempt() to "service_role";
revoke all on function sync._on_job_finished() from public, anon, authenticated, service_role;
revoke all on function sync._on_job_stream_runs() from public, anon, authenticated, service_role;
grant execute on function sync._on_job_stream_runs() to "service_role";
revoke all on function sync._progress_figures(p_done bigint, p_total bigint, p_started_at timestamp with time zone, p_now timestamp with time zone, OUT percent numeric, OUT rate numeric, OUT eta_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync._progress_figures(p_done bigint, p_total bigint, p_started_at timestamp with time zone, p_now timestamp with time zone, OUT percent numeric, OUT rate numeric, OUT eta_seconds integer) to "service_role";
revoke all on function sync._promotion_name(p_what text, p_name text) from public, anon, authenticated, service_role;
grant execute on function sync._promotion_name(p_what text, p_name text) to "service_role";
revoke all on function sync._promotion_retire(p_step sync.promotion_steps, p_roots text[], p_rows jsonb, p_job_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync._promotion_retire(p_step sync.promotion_steps, p_roots text[], p_rows jsonb, p_job_id bigint) to "service_role";
revoke all on function sync._promotion_write(p_steps sync.promotion_steps[], p_roots text[], p_rows jsonb[], p_job_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync._promotion_write(p_steps sync.promotion_steps[], p_roots text[], p_rows jsonb[], p_job_id bigint) to "service_role";
revoke all on function sync._refuse_unless_held(p_job sync.jobs, p_job_id bigint, p_worker text) from public, anon, authenticated, service_role;
grant execute on function sync._refuse_unless_held(p_job sync.jobs, p_job_id bigint, p_worker text) to "service_role";
revoke all on function sync._rejected_column(p_rel regclass, p_row jsonb, OUT col text, OUT col_type text) from public, anon, authenticated, service_role;
grant execute on function sync._rejected_column(p_rel regclass, p_row jsonb, OUT col text, OUT col_type text) to "service_role";
revoke all on function sync._rejected_columns_of(p_rel regclass, p_constraint text, p_message text) from public, anon, authenticated, service_role;
grant execute on function sync._rejected_columns_of(p_rel regclass, p_constraint text, p_message text) to "service_role";
revoke all on function sync._retry_delay(p_attempts integer) from public, anon, authenticated, service_role;
grant execute on function sync._retry_delay(p_attempts integer) to "service_role";
revoke all on function sync._single_key(p_target text) from public, anon, authenticated, service_role;
grant execute on function sync._single_key(p_target text) to "service_role";
revoke all on function sync._stale_after(p_connector text, p_stream text) from public, anon, authenticated, service_role;
grant execute on function sync._stale_after(p_connector text, p_stream text) to "service_role";
revoke all on function sync._sync_schedule_cron(p_schedule sync.schedules) from public, anon, authenticated, service_role;
revoke all on function sync._ticket_step() from public, anon, authenticated, service_role;
revoke all on function sync._valid_cron(p_expr text) from public, anon, authenticated, service_role;
grant execute on function sync._valid_cron(p_expr text) to "service_role";
revoke all on function sync._valid_timezone(p_timezone text) from public, anon, authenticated, service_role;
grant execute on function sync._valid_timezone(p_timezone text) to "service_role";
revoke all on function sync._wake_for_shards(p_job_id bigint, p_shards integer) from public, anon, authenticated, service_role;
grant execute on function sync._wake_for_shards(p_job_id bigint, p_shards integer) to "service_role";
revoke all on function sync._wake_worker(p_reason text, p_job_id bigint) from public, anon, authenticated, service_role;
revoke all on function sync.add_http_stats(p_job_id bigint, p_source text, p_delta jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.add_http_stats(p_job_id bigint, p_source text, p_delta jsonb) to "service_role";
revoke all on function sync.backfill_job_stream_runs() from public, anon, authenticated, service_role;
revoke all on function sync.cancel_job(p_job_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync.cancel_job(p_job_id bigint) to "service_role";
revoke all on function sync.check_integrity() from public, anon, authenticated, service_role;
grant execute on function sync.check_integrity() to "service_role";
revoke all on function sync.circuit_allow(p_source text, p_probe_ms integer, OUT allowed boolean, OUT state text, OUT failures integer, OUT retry_in_ms integer) from public, anon, authenticated, service_role;
grant execute on function sync.circuit_allow(p_source text, p_probe_ms integer, OUT allowed boolean, OUT state text, OUT failures integer, OUT retry_in_ms integer) to "service_role";
revoke all on function sync.circuit_record(p_source text, p_success boolean, p_threshold integer, p_cooldown_ms integer, p_error text) from public, anon, authenticated, service_role;
grant execute on function sync.circuit_record(p_source text, p_success boolean, p_threshold integer, p_cooldown_ms integer, p_error text) to "service_role";
revoke all on function sync.circuit_reset(p_source text) from public, anon, authenticated, service_role;
grant execute on function sync.circuit_reset(p_source text) to "service_role";
revoke all on function sync.claim_job(p_worker text, p_lease_seconds integer, p_connector text) from public, anon, authenticated, service_role;
grant execute on function sync.claim_job(p_worker text, p_lease_seconds integer, p_connector text) to "service_role";
revoke all on function sync.claim_notifications(p_limit integer, p_lease_seconds integer, p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.claim_notifications(p_limit integer, p_lease_seconds integer, p_now timestamp with time zone) to "service_role";
revoke all on function sync.claim_shard(p_worker text, p_lease_seconds integer, p_job_id bigint, p_connector text) from public, anon, authenticated, service_role;
grant execute on function sync.claim_shard(p_worker text, p_lease_seconds integer, p_job_id bigint, p_connector text) to "service_role";
revoke all on function sync.claim_webhooks(p_limit integer, p_visibility_seconds integer, p_ids bigint[]) from public, anon, authenticated, service_role;
grant execute on function sync.claim_webhooks(p_limit integer, p_visibility_seconds integer, p_ids bigint[]) to "service_role";
revoke all on function sync.cleanup_old_sync_data(p_days_to_keep integer, p_batch_size integer) from public, anon, authenticated, service_role;
grant execute on function sync.cleanup_old_sync_data(p_days_to_keep integer, p_batch_size integer) to "service_role";
revoke all on function sync.cleanup_old_sync_data_round(p_batch_size integer) from public, anon, authenticated, service_role;
grant execute on function sync.cleanup_old_sync_data_round(p_batch_size integer) to "service_role";
revoke all on function sync.close_failed_item(p_id bigint, p_resolution text) from public, anon, authenticated, service_role;
grant execute on function sync.close_failed_item(p_id bigint, p_resolution text) to "service_role";
revoke all on function sync.commit_page(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_state jsonb, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.commit_page(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_state jsonb, p_lease_seconds integer) to "service_role";
revoke all on function sync.commit_page_progress(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_total bigint, p_failed integer, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.commit_page_progress(p_job_id bigint, p_worker text, p_stream text, p_counts jsonb, p_done integer, p_total bigint, p_failed integer, p_lease_seconds integer) to "service_role";
revoke all on function sync.commit_shard_page(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_counts jsonb, p_done integer, p_cursor text, p_state jsonb, p_total bigint, p_failed integer, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.commit_shard_page(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_counts jsonb, p_done integer, p_cursor text, p_state jsonb, p_total bigint, p_failed integer, p_lease_seconds integer) to "service_role";
revoke all on function sync.cooldown_until(p_connector text, p_account text, p_streams text[], p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.cooldown_until(p_connector text, p_account text, p_streams text[], p_now timestamp with time zone) to "service_role";
revoke all on function sync.copy_columns(p_target text) from public, anon, authenticated, service_role;
grant execute on function sync.copy_columns(p_target text) to "service_role";
revoke all on function sync.copy_stage(p_target text, p_cols text[]) from public, anon, authenticated, service_role;
grant execute on function sync.copy_stage(p_target text, p_cols text[]) to "service_role";
revoke all on function sync.create_job(p_connector text, p_streams text[], p_account text, p_mode text, p_options jsonb, p_trigger text, p_requested_by text) from public, anon, authenticated, service_role;
grant execute on function sync.create_job(p_connector text, p_streams text[], p_account text, p_mode text, p_options jsonb, p_trigger text, p_requested_by text) to "service_role";
revoke all on function sync.cron_next_run(p_cron text, p_timezone text, p_after timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.cron_next_run(p_cron text, p_timezone text, p_after timestamp with time zone) to "service_role";
revoke all on function sync.defer_job(p_job_id bigint, p_worker text, p_run_after timestamp with time zone, p_reason text, p_waiting_since timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.defer_job(p_job_id bigint, p_worker text, p_run_after timestamp with time zone, p_reason text, p_waiting_since timestamp with time zone) to "service_role";
revoke all on function sync.defer_webhooks(p_ids bigint[], p_until timestamp with time zone, p_reason text) from public, anon, authenticated, service_role;
grant execute on function sync.defer_webhooks(p_ids bigint[], p_until timestamp with time zone, p_reason text) to "service_role";
revoke all on function sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer, p_ids bigint[], p_attempted_before timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.due_failed_items(p_connector text, p_account text, p_stream text, p_limit integer, p_ids bigint[], p_attempted_before timestamp with time zone) to "service_role";
revoke all on function sync.enqueue_due_retries(p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.enqueue_due_retries(p_now timestamp with time zone) to "service_role";
revoke all on function sync.enqueue_notification(p_kind text, p_source text, p_payload jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.enqueue_notification(p_kind text, p_source text, p_payload jsonb) to "service_role";
revoke all on function sync.evaluate_alerts() from public, anon, authenticated, service_role;
grant execute on function sync.evaluate_alerts() to "service_role";
revoke all on function sync.finish_job(p_job_id bigint, p_worker text, p_status text, p_error text) from public, anon, authenticated, service_role;
grant execute on function sync.finish_job(p_job_id bigint, p_worker text, p_status text, p_error text) to "service_role";
revoke all on function sync.finish_webhook(p_id bigint, p_status text, p_error text, p_job_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync.finish_webhook(p_id bigint, p_status text, p_error text, p_job_id bigint) to "service_role";
revoke all on function sync.get_completeness() from public, anon, authenticated, service_role;
grant execute on function sync.get_completeness() to "service_role";
revoke all on function sync.get_data_freshness() from public, anon, authenticated, service_role;
grant execute on function sync.get_data_freshness() to "service_role";
revoke all on function sync.get_failed_items_summary() from public, anon, authenticated, service_role;
grant execute on function sync.get_failed_items_summary() to "service_role";
revoke all on function sync.get_notification_settings() from public, anon, authenticated, service_role;
grant execute on function sync.get_notification_settings() to "service_role";
revoke all on function sync.get_promotion_root(p_plan text, p_root_id text) from public, anon, authenticated, service_role;
grant execute on function sync.get_promotion_root(p_plan text, p_root_id text) to "service_role";
revoke all on function sync.get_promotion_status(p_plan text, p_failures integer) from public, anon, authenticated, service_role;
grant execute on function sync.get_promotion_status(p_plan text, p_failures integer) to "service_role";
revoke all on function sync.get_recovery_stats(p_days_back integer) from public, anon, authenticated, service_role;
grant execute on function sync.get_recovery_stats(p_days_back integer) to "service_role";
revoke all on function sync.get_sync_performance_trends(p_days_back integer, p_connector text) from public, anon, authenticated, service_role;
grant execute on function sync.get_sync_performance_trends(p_days_back integer, p_connector text) to "service_role";
revoke all on function sync.get_sync_stats(p_days_back integer) from public, anon, authenticated, service_role;
grant execute on function sync.get_sync_stats(p_days_back integer) to "service_role";
revoke all on function sync.heartbeat(p_job_id bigint, p_worker text, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.heartbeat(p_job_id bigint, p_worker text, p_lease_seconds integer) to "service_role";
revoke all on function sync.install(p_worker_url text, p_worker_secret text) from public, anon, authenticated, service_role;
revoke all on function sync.install_ops_cron() from public, anon, authenticated, service_role;
revoke all on function sync.installed_schemas() from public, anon, authenticated, service_role;
revoke all on function sync.list_schedules() from public, anon, authenticated, service_role;
grant execute on function sync.list_schedules() to "service_role";
revoke all on function sync.list_stream_cooldowns(p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.list_stream_cooldowns(p_now timestamp with time zone) to "service_role";
revoke all on function sync.mark_deleted(p_job_id bigint, p_worker text, p_target text, p_keys text[]) from public, anon, authenticated, service_role;
grant execute on function sync.mark_deleted(p_job_id bigint, p_worker text, p_target text, p_keys text[]) to "service_role";
revoke all on function sync.mark_failed_items_retried(p_ids bigint[]) from public, anon, authenticated, service_role;
grant execute on function sync.mark_failed_items_retried(p_ids bigint[]) to "service_role";
revoke all on function sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[], p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.mark_notification_failed(p_id bigint, p_error text, p_delivered_channels text[], p_now timestamp with time zone) to "service_role";
revoke all on function sync.mark_notification_sent(p_id bigint, p_channels text[], p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.mark_notification_sent(p_id bigint, p_channels text[], p_now timestamp with time zone) to "service_role";
revoke all on function sync.merge_copied(p_target text, p_cols text[], p_job_id bigint, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.merge_copied(p_target text, p_cols text[], p_job_id bigint, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_state jsonb, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.merge_page(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_cursor text, p_high_water_mark timestamp with time zone, p_total bigint, p_failed integer, p_state jsonb, p_lease_seconds integer) to "service_role";
revoke all on function sync.merge_page_progress(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_total bigint, p_failed integer, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.merge_page_progress(p_job_id bigint, p_worker text, p_stream text, p_target text, p_rows jsonb, p_total bigint, p_failed integer, p_lease_seconds integer) to "service_role";
revoke all on function sync.merge_rows(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.merge_rows(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync.merge_rows_force(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.merge_rows_force(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync.merge_rows_isolating(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.merge_rows_isolating(p_target text, p_rows jsonb, p_job_id bigint, p_observed_at timestamp with time zone) to "service_role";
revoke all on function sync.ops_tick(p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.ops_tick(p_now timestamp with time zone) to "service_role";
revoke all on function sync.plan_shards(p_job_id bigint, p_worker text, p_stream text, p_windows jsonb, p_planned_at timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.plan_shards(p_job_id bigint, p_worker text, p_stream text, p_windows jsonb, p_planned_at timestamp with time zone) to "service_role";
revoke all on function sync.promote_affected(p_plan text, p_table text, p_keys text[], p_job_id bigint, p_batch integer) from public, anon, authenticated, service_role;
grant execute on function sync.promote_affected(p_plan text, p_table text, p_keys text[], p_job_id bigint, p_batch integer) to "service_role";
revoke all on function sync.promote_job_rows(p_plan text, p_job_id bigint, p_batch integer) from public, anon, authenticated, service_role;
grant execute on function sync.promote_job_rows(p_plan text, p_job_id bigint, p_batch integer) to "service_role";
revoke all on function sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer, p_lease_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.promote_next(p_job_id bigint, p_worker text, p_plan text, p_batch integer, p_lease_seconds integer) to "service_role";
revoke all on function sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint, p_force boolean) from public, anon, authenticated, service_role;
grant execute on function sync.promote_roots(p_plan text, p_ids text[], p_job_id bigint, p_force boolean) to "service_role";
revoke all on function sync.rate_take(p_source text, p_windows jsonb, p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.rate_take(p_source text, p_windows jsonb, p_now timestamp with time zone) to "service_role";
revoke all on function sync.receive_webhook(p_provider text, p_event_id text, p_event_type text, p_account text, p_payload jsonb, p_status text) from public, anon, authenticated, service_role;
grant execute on function sync.receive_webhook(p_provider text, p_event_id text, p_event_type text, p_account text, p_payload jsonb, p_status text) to "service_role";
revoke all on function sync.record_completeness(p_job_id bigint, p_worker text, p_stream text, p_result jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.record_completeness(p_job_id bigint, p_worker text, p_stream text, p_result jsonb) to "service_role";
revoke all on function sync.record_failed_item(p_job_id bigint, p_stream text, p_item_key text, p_payload jsonb, p_error_class text, p_error text) from public, anon, authenticated, service_role;
grant execute on function sync.record_failed_item(p_job_id bigint, p_stream text, p_item_key text, p_payload jsonb, p_error_class text, p_error text) to "service_role";
revoke all on function sync.record_job_step(p_job_id bigint, p_stream text, p_item_key text, p_step text, p_status text, p_detail jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.record_job_step(p_job_id bigint, p_stream text, p_item_key text, p_step text, p_status text, p_detail jsonb) to "service_role";
revoke all on function sync.register_integrity_check(p_name text, p_child_table text, p_child_column text, p_parent_table text, p_parent_column text, p_description text) from public, anon, authenticated, service_role;
grant execute on function sync.register_integrity_check(p_name text, p_child_table text, p_child_column text, p_parent_table text, p_parent_column text, p_description text) to "service_role";
revoke all on function sync.register_promotion_plan(p_name text, p_connector text, p_root_table text, p_root_key text, p_root_order text, p_root_label text, p_check_fn text, p_affected_fn text, p_orphans_fn text, p_withdraw_reasons text[], p_description text) from public, anon, authenticated, service_role;
revoke all on function sync.register_promotion_step(p_plan text, p_ordinal integer, p_name text, p_source_table text, p_target text, p_rows_fn text, p_tie_column text, p_label text, p_retire jsonb) from public, anon, authenticated, service_role;
revoke all on function sync.register_target(p_target text, p_key_columns text[], p_version_column text) from public, anon, authenticated, service_role;
revoke all on function sync.release_job(p_job_id bigint, p_worker text) from public, anon, authenticated, service_role;
grant execute on function sync.release_job(p_job_id bigint, p_worker text) to "service_role";
revoke all on function sync.release_shard(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_status text, p_error text) from public, anon, authenticated, service_role;
grant execute on function sync.release_shard(p_job_id bigint, p_stream text, p_shard integer, p_worker text, p_status text, p_error text) to "service_role";
revoke all on function sync.remove_schedule(p_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync.remove_schedule(p_id bigint) to "service_role";
revoke all on function sync.report_progress(p_job_id bigint, p_phase text, p_done_delta bigint, p_total bigint, p_message text, p_counts jsonb, p_status text) from public, anon, authenticated, service_role;
grant execute on function sync.report_progress(p_job_id bigint, p_phase text, p_done_delta bigint, p_total bigint, p_message text, p_counts jsonb, p_status text) to "service_role";
revoke all on function sync.resolve_failed_items(p_ids bigint[], p_resolution text) from public, anon, authenticated, service_role;
grant execute on function sync.resolve_failed_items(p_ids bigint[], p_resolution text) to "service_role";
revoke all on function sync.run_due_schedules(p_now timestamp with time zone) from public, anon, authenticated, service_role;
grant execute on function sync.run_due_schedules(p_now timestamp with time zone) to "service_role";
revoke all on function sync.run_schedule(p_id bigint) from public, anon, authenticated, service_role;
grant execute on function sync.run_schedule(p_id bigint) to "service_role";
revoke all on function sync.save_checkpoint(p_job_id bigint, p_stream text, p_cursor text, p_high_water_mark timestamp with time zone, p_state jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.save_checkpoint(p_job_id bigint, p_stream text, p_cursor text, p_high_water_mark timestamp with time zone, p_state jsonb) to "service_role";
revoke all on function sync.schema_version() from public, anon, authenticated, service_role;
grant execute on function sync.schema_version() to "service_role";
revoke all on function sync.set_delete_mode(p_target text, p_mode text) from public, anon, authenticated, service_role;
grant execute on function sync.set_delete_mode(p_target text, p_mode text) to "service_role";
revoke all on function sync.set_schedule_enabled(p_id bigint, p_enabled boolean) from public, anon, authenticated, service_role;
grant execute on function sync.set_schedule_enabled(p_id bigint, p_enabled boolean) to "service_role";
revoke all on function sync.set_stream_cooldown(p_connector text, p_stream text, p_seconds integer) from public, anon, authenticated, service_role;
grant execute on function sync.set_stream_cooldown(p_connector text, p_stream text, p_seconds integer) to "service_role";
revoke all on function sync.start_promotion(p_plan text, p_since timestamp with time zone, p_until timestamp with time zone, p_ids text[], p_trigger text, p_requested_by text, p_batch_size integer) from public, anon, authenticated, service_role;
grant execute on function sync.start_promotion(p_plan text, p_since timestamp with time zone, p_until timestamp with time zone, p_ids text[], p_trigger text, p_requested_by text, p_batch_size integer) to "service_role";
revoke all on function sync.target_keys(p_target text, p_deleted boolean) from public, anon, authenticated, service_role;
grant execute on function sync.target_keys(p_target text, p_deleted boolean) to "service_role";
revoke all on function sync.uninstall() from public, anon, authenticated, service_role;
revoke all on function sync.update_notification_settings(p_changes jsonb) from public, anon, authenticated, service_role;
grant execute on function sync.update_notification_settings(p_changes jsonb) to "service_role";
revoke all on function sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text, p_mode text, p_options jsonb, p_enabled boolean, p_account text, p_description text, p_timezone text) from public, anon, authenticated, service_role;
grant execute on function sync.upsert_schedule(p_name text, p_connector text, p_streams text[], p_cron text, p_mode text, p_options jsonb, p_enabled boolean, p_account text, p_description text, p_timezone text) to "service_role";
revoke all on function sync.webhook_dedup_window() from public, anon, authenticated, service_role;
grant execute on function sync.webhook_dedup_window() to "service_role";

reset check_function_bodies;
insert into sync.schema_versions (version) values ('20261209000000');
