// Typed wrappers over the operations RPCs (sql/sync_schedules.sql, sync_stats.sql,
// sync_notifications.sql, sync_retention.sql, sync_cron.sql) and zod schemas for their inputs, so the API and CLI
// only validate and call. SY404/SY422 become NotFoundError/ValidationError.
import type postgres from "postgres";
import { z } from "zod";
import { fromRow, rpc } from "../engine/postgres/mod.ts";

type Sql = postgres.Sql;
type Row = Record<string, unknown>;

// what pg_cron accepts is decided in the database (sync._valid_cron, a port of pg_cron's parser)
const cronExpr = z.string().trim().min(1).max(200).describe(
  'a pg_cron schedule in UTC: "0 2 * * MON-FRI", "@daily", "30 seconds"',
);

export const ScheduleInput = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/),
  connector: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
  account: z.string().min(1).max(200).default("default"),
  streams: z.array(z.string().min(1)).min(1),
  cron: cronExpr,
  /** reconcile: list the source's ids, re-fetch the missing, mark rows gone at the source deleted */
  mode: z.enum(["full", "incremental", "retry", "reconcile"]).default("incremental"),
  options: z.object({ lookback_hours: z.number().positive().optional() }).catchall(z.unknown()).default({}),
  enabled: z.boolean().default(true),
  description: z.string().max(500).nullish(),
  /** IANA zone the cron expression is read in (checked against pg_timezone_names) */
  timezone: z.string().min(1).max(64).default("UTC"),
});
export type ScheduleInput = z.input<typeof ScheduleInput>;

export const DaysBack = z.coerce.number().int().min(1).max(3650);
export const CleanupInput = z.object({
  days_to_keep: z.coerce.number().int().min(1),
  batch_size: z.coerce.number().int().min(1).max(100000).default(5000),
});
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
/** Where notifications may be posted: https, or http to this machine (sync._is_delivery_url agrees). */
export function isDeliveryUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK_HOST.test(u.hostname));
  } catch {
    return false;
  }
}
const deliveryUrl = z.string().max(2000).refine(
  isDeliveryUrl,
  "must be an https: URL (http: only to localhost, 127.0.0.1 or [::1])",
);

export const NotificationSettingsPatch = z.object({
  enabled: z.boolean(),
  slack_webhook_url: deliveryUrl.nullable(),
  email_provider: z.enum(["resend", "postmark"]).nullable(),
  email_api_url: deliveryUrl.nullable(),
  email_from: z.string().nullable(),
  email_to: z.array(z.string().email()),
  error_rate_threshold: z.number().gt(0).max(1),
  error_rate_window: z.string().describe("a Postgres interval, e.g. '1 hour'"),
  error_rate_min_runs: z.number().int().min(1),
  slow_run_factor: z.number().gt(1),
  slow_run_min_runs: z.number().int().min(1),
  slow_run_min_seconds: z.number().int().min(0),
  stale_after: z.string(),
  stale_after_by_stream: z.record(z.string(), z.string()).describe('{"square/orders": "26 hours"}'),
  rate_limit_window: z.string(),
  daily_summary: z.boolean(),
  daily_summary_hour: z.number().int().min(0).max(23),
  retention_days: z.number().int().min(1),
  max_attempts: z.number().int().min(1).max(50),
  run_reports: z.boolean(),
  auto_retry: z.boolean(),
  retry_batch_size: z.number().int().min(1).max(10000),
  failed_item_max_attempts: z.number().int().min(1).max(100),
}).partial().strict();
export const CooldownInput = z.object({ seconds: z.number().int().min(0).max(86400) }).strict();
/** The ops tick takes no input: it runs at the database's now() (a simulated clock is for SQL tests only). */
export const TickInput = z.object({}).strict();
export type NotificationSettingsPatch = z.infer<typeof NotificationSettingsPatch>;

/** bigint → number, numeric strings of the named columns → number (rpc.ts). */
const plain = <T>(row: Row, numeric: Iterable<string> = []): T => fromRow<T>(row, new Set(numeric));

const ids = ["id", "last_job_id", "cron_job_id", "job_id", "schedule_id", "attempts", "max_attempts"];
const counts = [
  "runs",
  "succeeded",
  "partial",
  "failed",
  "cancelled",
  "failures",
  "records",
  "total_records",
  "open",
  "retried",
  "recovered",
  "still_failing",
  "given_up",
  "retry_attempts",
];
const stats = ["success_rate", "avg_duration_seconds", "p95_duration_seconds", "avg_records"];

export const ops = {
  upsertSchedule: (sql: Sql, input: ScheduleInput) =>
    rpc(async () => {
      const s = ScheduleInput.parse(input);
      const [row] =
        await sql`select * from sync.upsert_schedule(${s.name}, ${s.connector}, ${s.streams}::text[],
        ${s.cron}, ${s.mode}, ${sql.json(s.options as postgres.JSONValue)}, ${s.enabled}, ${s.account},
        ${s.description ?? null}, ${s.timezone})`;
      return plain<Row>(row, ids);
    }),
  setScheduleEnabled: (sql: Sql, id: number, enabled: boolean) =>
    rpc(async () =>
      plain<Row>((await sql`select * from sync.set_schedule_enabled(${id}, ${enabled})`)[0], ids)
    ),
  removeSchedule: (sql: Sql, id: number) =>
    rpc(async () => plain<Row>((await sql`select * from sync.remove_schedule(${id})`)[0], ids)),
  listSchedules: (sql: Sql) =>
    rpc(async () => (await sql`select * from sync.list_schedules()`).map((r) => plain<Row>(r, ids))),
  /** Fires a schedule now (what pg_cron does): outcome 'enqueued' with job_id, or 'skipped' with reason. */
  runSchedule: (sql: Sql, id: number) =>
    rpc(async () => plain<Row>((await sql`select * from sync.run_schedule(${id})`)[0], ids)),
  getSyncStats: (sql: Sql, daysBack: number) =>
    rpc(async () =>
      (await sql`select * from sync.get_sync_stats(${DaysBack.parse(daysBack)})`).map((r) =>
        plain<Row>(r, [...counts, ...stats])
      )
    ),
  getPerformanceTrends: (sql: Sql, daysBack: number, connector: string | null = null) =>
    rpc(async () =>
      (await sql`select * from sync.get_sync_performance_trends(${DaysBack.parse(daysBack)}, ${connector})`)
        .map((r) => plain<Row>(r, [...counts, ...stats]))
    ),
  getFailedItemsSummary: (sql: Sql) =>
    rpc(async () =>
      (await sql`select * from sync.get_failed_items_summary()`).map((r) =>
        plain<Row>(r, ["open", "resolved", "dismissed"])
      )
    ),
  getDataFreshness: (sql: Sql) =>
    rpc(async () =>
      (await sql`select * from sync.get_data_freshness()`).map((r) =>
        plain<Row>(r, ["age_seconds", "stale_after_seconds"])
      )
    ),
  checkIntegrity: (sql: Sql) =>
    rpc(async () =>
      (await sql`select * from sync.check_integrity()`).map((r) => plain<Row>(r, ["orphan_count"]))
    ),
  /** Deletes old sync bookkeeping; returns { table: rows deleted }. */
  cleanupOldSyncData: (sql: Sql, input: z.input<typeof CleanupInput>) =>
    rpc(async () => {
      const c = CleanupInput.parse(input);
      const rows = await sql`select * from sync.cleanup_old_sync_data(${c.days_to_keep}, ${c.batch_size})`;
      return Object.fromEntries(rows.map((r) => [r.table_name as string, Number(r.deleted)]));
    }),
  getNotificationSettings: (sql: Sql) =>
    rpc(async () => plain<Row>((await sql`select * from sync.get_notification_settings()`)[0])),
  updateNotificationSettings: (sql: Sql, patch: NotificationSettingsPatch) =>
    rpc(async () => {
      const p = NotificationSettingsPatch.parse(patch);
      return plain<Row>(
        (await sql`select * from sync.update_notification_settings(${sql.json(p as postgres.JSONValue)})`)[0],
      );
    }),
  /** Retried / recovered / still failing / given up failed items per connector (stream null) and stream. */
  getRecoveryStats: (sql: Sql, daysBack: number) =>
    rpc(async () =>
      (await sql`select * from sync.get_recovery_stats(${DaysBack.parse(daysBack)})`).map((r) =>
        plain<Row>(r, counts)
      )
    ),
  listCooldowns: (sql: Sql) =>
    rpc(async () => (await sql`select * from sync.list_stream_cooldowns()`).map((r) => plain<Row>(r))),
  setCooldown: (sql: Sql, connector: string, stream: string, seconds: number) =>
    rpc(async () =>
      plain<Row>((await sql`select * from sync.set_stream_cooldown(${connector}, ${stream}, ${seconds})`)[0])
    ),
  /** When the next automatic run of these streams may start (their cool-down), or null now. */
  cooldownUntil: (sql: Sql, connector: string, account: string, streams: string[]) =>
    rpc(async () => {
      const [r] =
        await sql`select sync.cooldown_until(${connector}, ${account}, ${streams}::text[]) as until`;
      return r.until ? new Date(r.until) : null;
    }),
  /** Sets claimed inbox rows aside until `until` (a stream's cool-down); returns how many. */
  deferWebhooks: (sql: Sql, ids: number[], until: Date, reason: string) =>
    rpc(async () =>
      Number(
        (await sql`select sync.defer_webhooks(${ids}::bigint[], ${until}::timestamptz, ${reason}) as n`)[0].n,
      )
    ),
  /** One ops tick (what pg_cron runs every minute): due zoned schedules, retry jobs, alert rules. */
  opsTick: (sql: Sql) =>
    rpc(async () => (await sql`select sync.ops_tick() as r`)[0].r as Record<string, unknown>),
  evaluateAlerts: (sql: Sql) =>
    rpc(async () => (await sql`select sync.evaluate_alerts() as r`)[0].r as Record<string, number>),
};
