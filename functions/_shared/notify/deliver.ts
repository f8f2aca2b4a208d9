// Delivers the notification outbox: claims due messages (SKIP LOCKED, with a lease), posts each
// to every configured channel not yet reached, and marks it sent or failed (the database retries
// with backoff: 30 s, 1 min, 2 min ... up to max_attempts). Safe to run from several workers.
import { type NotifySecrets, notifySecrets } from "../config.ts";
import type postgres from "postgres";
import {
  defaultEmailApiUrl,
  type EmailProvider,
  emailRequest,
  formatNotification,
  type OutboxNotification,
  slackBody,
} from "./format.ts";

type Sql = postgres.Sql;

export interface EmailSettings {
  provider: EmailProvider;
  apiUrl?: string | null;
  apiKey: string;
  from: string;
  to: string[];
}

export interface NotifySettings {
  slackWebhookUrl?: string | null;
  email?: EmailSettings | null;
  /** messages claimed per call (default 20) */
  batchSize?: number;
  /** per request timeout (default 10 s) */
  timeoutMs?: number;
}

export interface DeliveryResult {
  id: number;
  kind: string;
  status: "sent" | "retry" | "failed";
  channels: string[];
  error?: string;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  failed: number;
  results: DeliveryResult[];
}

type Fetch = typeof fetch;

/** The channels these settings can reach. */
export function configuredChannels(settings: NotifySettings): string[] {
  const out: string[] = [];
  if (settings.slackWebhookUrl) out.push("slack");
  if (settings.email?.apiKey && settings.email.from && settings.email.to.length > 0) out.push("email");
  return out;
}

async function post(
  fetchImpl: Fetch,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
) {
  const res = await fetchImpl(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}: ${text.slice(0, 200)}`);
}

/** Sends one message to one channel; throws on a non-2xx answer or a network error. */
export async function sendToChannel(
  channel: string,
  n: OutboxNotification,
  settings: NotifySettings,
  fetchImpl: Fetch = fetch,
): Promise<void> {
  const msg = formatNotification(n);
  const timeout = settings.timeoutMs ?? 10_000;
  if (channel === "slack" && settings.slackWebhookUrl) {
    return await post(fetchImpl, settings.slackWebhookUrl, {}, slackBody(msg), timeout);
  }
  if (channel === "email" && settings.email) {
    const e = settings.email;
    const req = emailRequest(e.provider, msg, e.from, e.to, e.apiKey);
    return await post(fetchImpl, e.apiUrl || defaultEmailApiUrl[e.provider], req.headers, req.body, timeout);
  }
  throw new Error(`channel "${channel}" is not configured`);
}

const toNotification = (row: Record<string, unknown>): OutboxNotification => ({
  ...(row as unknown as OutboxNotification),
  id: Number(row.id),
  attempts: Number(row.attempts),
  delivered_channels: (row.delivered_channels as string[] | null) ?? [],
});

export interface DeliverOptions {
  /** the clock the outbox reads (due, backoff, sent_at); default the database's clock */
  now?: () => Date;
}

/**
 * Claims due notifications and delivers them. With no channel configured nothing is claimed
 * (the messages wait in the outbox). Returns what happened to each claimed message.
 */
export async function deliverPendingNotifications(
  sql: Sql,
  settings: NotifySettings,
  fetchImpl: Fetch = fetch,
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, results: [] };
  const channels = configuredChannels(settings);
  if (channels.length === 0) return report;
  const now = () => options.now?.() ?? null;
  const rows = await sql`select * from sync.claim_notifications(${
    settings.batchSize ?? 20
  }, 120, ${now()}::timestamptz)`;
  report.claimed = rows.length;
  for (const row of rows) {
    const n = toNotification(row);
    const todo = channels.filter((c) => !n.delivered_channels.includes(c));
    const done: string[] = [];
    const errors: string[] = [];
    for (const channel of todo) {
      try {
        await sendToChannel(channel, n, settings, fetchImpl);
        done.push(channel);
      } catch (err) {
        errors.push(`${channel}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (errors.length === 0) {
      await sql`select sync.mark_notification_sent(${n.id}, ${done}::text[], ${now()}::timestamptz)`;
      report.sent++;
      report.results.push({ id: n.id, kind: n.kind, status: "sent", channels: done });
    } else {
      const [marked] = await sql`select (sync.mark_notification_failed(${n.id}, ${
        errors.join("; ")
      }, ${done}::text[], ${now()}::timestamptz)).status`;
      report.failed++;
      report.results.push({
        id: n.id,
        kind: n.kind,
        status: marked.status === "failed" ? "failed" : "retry",
        channels: done,
        error: errors.join("; "),
      });
    }
  }
  return report;
}

/**
 * Settings from sync.notification_settings plus the Edge Function's secrets:
 * SYNCLINE_SLACK_WEBHOOK_URL (overrides the table) and SYNCLINE_EMAIL_API_KEY (never stored in
 * the database).
 */
export async function loadNotifySettings(
  sql: Sql,
  secrets: NotifySecrets = notifySecrets(),
): Promise<NotifySettings> {
  const [row] = await sql`select * from sync.get_notification_settings()`;
  const apiKey = secrets.emailApiKey;
  return {
    slackWebhookUrl: secrets.slackWebhookUrl || row?.slack_webhook_url || null,
    email: row?.email_provider && apiKey
      ? {
        provider: row.email_provider as EmailProvider,
        apiUrl: row.email_api_url,
        apiKey,
        from: row.email_from ?? "",
        to: row.email_to ?? [],
      }
      : null,
  };
}
