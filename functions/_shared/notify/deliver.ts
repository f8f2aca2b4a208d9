// Delivers the notification outbox: claims due messages (SKIP LOCKED, with a lease), posts each
// to every configured channel not yet reached, and marks it sent or failed (the database retries
// with backoff: 30 s, 1 min, 2 min ... up to max_attempts). Safe to run from several workers.
// Every post goes through net/pinned_post.ts: https to public addresses only (checked after resolving,
// and connected to as checked), no redirects; a failure says only the status and a short redacted reason.
import { type NotifySecrets, notifySecrets } from "../config.ts";
import type postgres from "postgres";
import { pinnedPost } from "../net/pinned_post.ts";
import type { Resolver, TargetPolicy } from "../net/target.ts";
import { capText, createRedactor, type Redactor, safeErrorText } from "../redact.ts";
import {
  defaultEmailApiUrl,
  EMAIL_ENDPOINTS,
  type EmailProvider,
  emailRequest,
  formatNotification,
  isEmailEndpoint,
  type OperatorHelpOf,
  type OutboxNotification,
  slackBody,
} from "./format.ts";
import { clean } from "./message.ts";

type Sql = postgres.Sql;

export interface EmailSettings {
  provider: EmailProvider;
  apiUrl?: string | null;
  apiKey: string;
  from: string;
  to: string[];
  /** Why the key is not sent (a URL saved through the API that is not the provider's endpoint). */
  refused?: string;
}

export interface NotifySettings {
  slackWebhookUrl?: string | null;
  email?: EmailSettings | null;
  /** messages claimed per call (default 20) */
  batchSize?: number;
  /** per request timeout (default 10 s) */
  timeoutMs?: number;
  /** where a post may connect: the local-development switch and the resolver (default: public https only) */
  targets?: TargetPolicy;
  /** each connector's help, so a failed job's message says what happened and what to do (failures.ts) */
  operatorHelp?: OperatorHelpOf;
}

/** What the API's notification routes are given (AppDeps.notify): the environment's settings, a resolver. */
export interface NotifyDeps {
  /** SYNCLINE_SLACK_WEBHOOK_URL, SYNCLINE_EMAIL_API_*, SYNCLINE_ALLOW_LOCAL_URLS (default: read per call) */
  env?: () => NotifySecrets;
  /** host name -> addresses (default: the system resolver) */
  resolve?: Resolver;
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

/** The channels these settings can reach. */
export function configuredChannels(settings: NotifySettings): string[] {
  const out: string[] = [];
  if (settings.slackWebhookUrl) out.push("slack");
  if (settings.email?.apiKey && settings.email.from && settings.email.to.length > 0) out.push("email");
  return out;
}

/** The secrets of these settings, for redacting what a channel answers. */
const redactorFor = (settings: NotifySettings): Redactor =>
  createRedactor([settings.email?.apiKey, settings.slackWebhookUrl]);

/**
 * A few words of a failed answer: a Slack error code ("channel_not_found") or the message field of a
 * JSON error (Resend, Postmark), redacted and at most 120 characters; nothing else of the body.
 */
export function shortReason(body: string, contentType: string | null, redact: Redactor): string {
  const text = body.trim();
  if (/^[a-z][a-z0-9_]{2,60}$/.test(text)) return text;
  if (!/json/i.test(contentType ?? "") && !text.startsWith("{")) return "";
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const nested = j.error && typeof j.error === "object"
      ? (j.error as Record<string, unknown>).message
      : j.error;
    const said = [j.message, j.Message, nested, j.name].find((v) => typeof v === "string" && v.trim());
    return said ? capText(redact(clean(String(said))).replace(/\s+/g, " ").trim(), 120) : "";
  } catch {
    return "";
  }
}

async function post(
  label: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  settings: NotifySettings,
): Promise<void> {
  const redact = redactorFor(settings);
  let answer;
  try {
    answer = await pinnedPost(url, {
      headers,
      body,
      timeoutMs: settings.timeoutMs ?? 10_000,
      policy: settings.targets ?? {},
      label,
    });
  } catch (err) {
    throw new Error(safeErrorText((err as Error)?.message ?? String(err), redact, 300));
  }
  const { status, host } = answer;
  if (status >= 200 && status < 300) return;
  if (status >= 300 && status < 400) {
    throw new Error(`HTTP ${status} from ${host} (redirects are not followed)`);
  }
  const reason = shortReason(answer.body, answer.headers.get("content-type"), redact);
  throw new Error(`HTTP ${status} from ${host}${reason ? `: ${reason}` : ""}`);
}

/** Sends one message to one channel; throws on a non-2xx answer, a refused target or a network error. */
export async function sendToChannel(
  channel: string,
  n: OutboxNotification,
  settings: NotifySettings,
): Promise<void> {
  const msg = formatNotification(n, settings.operatorHelp);
  if (channel === "slack" && settings.slackWebhookUrl) {
    return await post("slack_webhook_url", settings.slackWebhookUrl, {}, slackBody(msg), settings);
  }
  if (channel === "email" && settings.email) {
    const e = settings.email;
    if (e.refused) throw new Error(e.refused);
    const req = emailRequest(e.provider, msg, e.from, e.to, e.apiKey);
    return await post(
      "email_api_url",
      e.apiUrl || defaultEmailApiUrl[e.provider],
      req.headers,
      req.body,
      settings,
    );
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
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, results: [] };
  const channels = configuredChannels(settings);
  if (channels.length === 0) return report;
  const redact = redactorFor(settings);
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
        await sendToChannel(channel, n, settings);
        done.push(channel);
      } catch (err) {
        errors.push(
          `${channel}: ${safeErrorText(err instanceof Error ? err.message : String(err), redact, 500)}`,
        );
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
 * Settings from sync.notification_settings plus the function's environment: SYNCLINE_SLACK_WEBHOOK_URL
 * (overrides the table), SYNCLINE_EMAIL_API_KEY (never stored in the database), SYNCLINE_EMAIL_API_URL
 * and SYNCLINE_ALLOW_LOCAL_URLS. The key goes to the provider's documented endpoint, or to
 * SYNCLINE_EMAIL_API_URL; a stored email_api_url that is neither refuses the e-mail channel.
 */
export async function loadNotifySettings(
  sql: Sql,
  secrets: NotifySecrets = notifySecrets(),
  opts: { resolve?: Resolver } = {},
): Promise<NotifySettings> {
  const [row] = await sql`select * from sync.get_notification_settings()`;
  const apiKey = secrets.emailApiKey;
  const provider = (row?.email_provider ?? null) as EmailProvider | null;
  let email: EmailSettings | null = null;
  if (provider && apiKey) {
    const stored = (row.email_api_url ?? null) as string | null;
    const refused = !secrets.emailApiUrl && stored && !isEmailEndpoint(stored, provider)
      ? `email_api_url ${hostOf(stored)} is not ${provider}'s API endpoint (${
        EMAIL_ENDPOINTS[provider].join(", ")
      }): the e-mail API key goes only there or to SYNCLINE_EMAIL_API_URL set in the function's environment`
      : undefined;
    email = {
      provider,
      apiUrl: secrets.emailApiUrl || (refused ? null : stored) || defaultEmailApiUrl[provider],
      apiKey,
      from: row.email_from ?? "",
      to: row.email_to ?? [],
      ...(refused ? { refused } : {}),
    };
  }
  return {
    slackWebhookUrl: secrets.slackWebhookUrl || row?.slack_webhook_url || null,
    email,
    targets: { allowLocal: secrets.allowLocalUrls, resolve: opts.resolve },
  };
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
};
