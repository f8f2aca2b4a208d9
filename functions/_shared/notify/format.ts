// Pure formatting of outbox notifications into a structured message (message.ts) with its plain
// text, and into the bodies a Slack-compatible incoming webhook (Block Kit) and the HTTP email
// APIs (Resend, Postmark: HTML and text) expect.
import { clean, clip, type Message } from "./message.ts";
import { renderHtml, renderText, slackBlocks } from "./render.ts";
import { explainError, type OperatorHelp } from "../failures.ts";

export type NotificationKind =
  | "job_failed"
  | "job_partial"
  | "error_rate"
  | "slow_run"
  | "stale_stream"
  | "retries_exhausted"
  | "run_report"
  | "daily_summary";

/** A row of sync.notifications as the deliverer sees it. */
export interface OutboxNotification {
  id: number;
  kind: NotificationKind;
  source: string;
  payload: Record<string, unknown>;
  attempts: number;
  delivered_channels: string[];
  created_at: string | Date;
}

export interface FormattedMessage {
  title: string;
  /** plain text (email text part, Slack fallback) */
  text: string;
  /** the structured message behind the text, for HTML and Block Kit */
  message?: Message;
}

const str = (
  v: unknown,
  fallback = "?",
) => (v === null || v === undefined || v === "" ? fallback : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : str(v));
/** 12345 -> "12,345"; anything else as it is. */
export const count = (v: unknown) => {
  const n = Number(v);
  return v === null || v === undefined || v === "" || !Number.isFinite(n)
    ? str(v)
    : n.toLocaleString("en-US");
};
const rows = (v: unknown) => (Array.isArray(v) ? v as Record<string, unknown>[] : []);

/** Seconds as "42 s", "3 min 5 s" or "2 h 10 min". */
export function formatDuration(seconds: unknown): string {
  const s = seconds === null || seconds === undefined || seconds === "" ? NaN : Number(seconds);
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

const percent = (v: unknown) => `${Math.round(Number(v) * 1000) / 10}%`;

/** A connector's help for putting its failures to an operator (Connector.operator), by name. */
export type OperatorHelpOf = (connector: string) => OperatorHelp | undefined;

/** What happened and what to do, as facts, when Syncline has words for the error (failures.ts). */
function failureFacts(p: Record<string, unknown>, help?: OperatorHelpOf): [string, string][] | undefined {
  if (typeof p.error !== "string" || typeof p.connector !== "string") return undefined;
  const f = explainError(p.connector, p.error, help?.(p.connector));
  return f.kind === "unexpected" ? undefined : [["What happened", f.what], ["What to do", f.todo]];
}

/** The structured message of one notification; the same words go to every channel. */
export function describeNotification(n: OutboxNotification, help?: OperatorHelpOf): Message {
  const p = n.payload ?? {};
  switch (n.kind) {
    case "job_failed":
      return {
        facts: failureFacts(p, help),
        title: `Sync failed: ${str(p.connector)} (${list(p.streams)})`,
        summary: `Job ${str(p.job_id)} for ${str(p.connector)}/${str(p.account, "default")} (streams ${
          list(p.streams)
        }, trigger ${str(p.trigger)}) failed after ${formatDuration(p.duration_seconds)}: ${
          str(p.error, "no error message")
        }`,
      };
    case "job_partial": {
      const errors = rows(p.first_errors);
      return {
        title: `Sync partly failed: ${str(p.connector)} (${list(p.streams)})`,
        summary: `Job ${str(p.job_id)} for ${str(p.connector)}/${str(p.account, "default")} (streams ${
          list(p.streams)
        }, trigger ${str(p.trigger)}) finished with ${count(p.failed)} failed record${
          Number(p.failed) === 1 ? "" : "s"
        } of ${count(p.records)} after ${formatDuration(p.duration_seconds)}; the other records landed.`,
        lists: errors.length
          ? [{
            caption: "First errors",
            items: errors.map((e) =>
              `${str(e.stream)} ${str(e.item_key)} (${str(e.error_class)}): ${str(e.error)}`
            ),
            more: Math.max(Number(p.failed) - errors.length, 0) || undefined,
          }]
          : undefined,
        footer:
          "Failed records are retried automatically with backoff; list them with: sync failed --connector " +
          str(p.connector),
      };
    }
    case "run_report": {
      const streams = Object.entries((p.per_stream ?? {}) as Record<string, Record<string, unknown>>);
      return {
        title: `Sync succeeded: ${str(p.connector)} (${list(p.streams)})`,
        summary: `Job ${str(p.job_id)} for ${str(p.connector)}/${str(p.account, "default")} (${
          str(p.mode)
        }, trigger ${str(p.trigger)}) synced ${count(p.records)} records in ${
          formatDuration(p.duration_seconds)
        }.`,
        facts: [
          ["Records", count(p.records)],
          ["Duration", formatDuration(p.duration_seconds)],
          [
            "Rate",
            p.rate_per_second === null || p.rate_per_second === undefined
              ? "?"
              : `${count(p.rate_per_second)} records/s`,
          ],
          ["Mode", str(p.mode)],
          ["Trigger", str(p.trigger)],
        ],
        tables: streams.length
          ? [{
            caption: "Changes per stream",
            columns: ["stream", "records", "inserted", "updated", "unchanged", "stale", "failed"],
            rows: streams.map(([name, s]) => [
              name,
              count(s.done ?? 0),
              count(s.inserted ?? 0),
              count(s.updated ?? 0),
              count(s.unchanged ?? 0),
              count(s.stale ?? 0),
              count(s.failed ?? 0),
            ]),
          }]
          : undefined,
      };
    }
    case "error_rate":
      return {
        title: `High sync error rate: ${str(p.connector)}`,
        summary: `${str(p.failed)} of ${str(p.runs)} ${str(p.connector)} runs failed in the last ${
          str(p.window_minutes)
        } minutes (${percent(p.rate)}, threshold ${percent(p.threshold)}).`,
      };
    case "slow_run":
      return {
        title: `Slow sync: ${str(p.connector)} (${list(p.streams)})`,
        summary: `Job ${str(p.job_id)} took ${formatDuration(p.duration_seconds)}, more than ${
          str(p.factor)
        }x the p95 of its last ${str(p.previous_runs)} runs (${formatDuration(p.p95_seconds)}; average ${
          formatDuration(p.avg_seconds)
        }).`,
      };
    case "stale_stream":
      return {
        title: `Stale data: ${str(p.connector)}/${str(p.stream)}`,
        summary: p.last_success_at
          ? `${str(p.connector)}/${str(p.account, "default")} stream ${
            str(p.stream)
          } last synced successfully ${formatDuration(p.age_seconds)} ago (at ${
            str(p.last_success_at)
          }); the threshold is ${formatDuration(p.stale_after_seconds)}.`
          : `${str(p.connector)}/${str(p.account, "default")} stream ${
            str(p.stream)
          } has never synced successfully; the threshold is ${formatDuration(p.stale_after_seconds)}.`,
      };
    case "retries_exhausted": {
      const items = rows(p.items);
      const n = Number(p.count);
      return {
        title: `Gave up retrying ${count(p.count)} failed record${n === 1 ? "" : "s"}: ${str(p.connector)}`,
        summary: `${count(p.count)} failed record${n === 1 ? "" : "s"} of ${str(p.connector)}/${
          str(p.account, "default")
        } failed ${str(p.max_attempts)} times and will not be retried automatically.`,
        lists: items.length
          ? [{
            caption: "Records given up",
            items: items.map((i) =>
              `${str(i.stream)} ${str(i.item_key)} (${str(i.attempts)} attempts): ${str(i.error)}`
            ),
            more: Math.max(n - items.length, 0) || undefined,
          }]
          : undefined,
        footer: "They stay in failed items: fix the source and retry them by id (sync failed retry " +
          `${str(p.connector)} --ids …), or dismiss them.`,
      };
    }
    case "daily_summary": {
      const conns = rows(p.connectors);
      const recovery = rows(p.recovery);
      const total = (k: string) => conns.reduce((a, r) => a + (Number(r[k]) || 0), 0);
      const tables = [];
      if (conns.length) {
        tables.push({
          caption: "Runs per connector",
          columns: ["connector", "runs", "succeeded", "partial", "failed", "p95", "records"],
          rows: conns.map((r) => [
            str(r.connector),
            count(r.runs),
            percent(r.success_rate ?? 0),
            count(r.partial ?? 0),
            count(r.failed ?? 0),
            formatDuration(r.p95_duration_seconds),
            count(r.total_records),
          ]),
        });
      }
      if (recovery.length) {
        tables.push({
          caption: "Failed-item recovery",
          columns: ["connector", "retried", "recovered", "still failing", "given up", "open"],
          rows: recovery.map((r) => [
            str(r.connector),
            count(r.retried),
            count(r.recovered),
            count(r.still_failing),
            count(r.given_up),
            count(r.open),
          ]),
        });
      }
      return {
        title: `Syncline daily summary ${str(p.day)}`,
        summary:
          (conns.length
            ? `${count(total("runs"))} runs in the last 24 hours: ${count(total("failed"))} failed, ${
              count(total("partial"))
            } partial.`
            : "No sync runs in the last 24 hours.") +
          ` Stale streams: ${str(p.stale_streams, "0")}. Open failed items: ${
            str(p.open_failed_items, "0")
          }.`,
        tables: tables.length ? tables : undefined,
      };
    }
    default:
      return { title: `Syncline: ${String(n.kind)} (${n.source})`, summary: JSON.stringify(p) };
  }
}

/** Title, plain text and structured message of one notification. */
export function formatNotification(n: OutboxNotification, help?: OperatorHelpOf): FormattedMessage {
  const message = describeNotification(n, help);
  return { title: clean(message.title), text: renderText(message), message };
}

/** Body for a Slack-compatible incoming webhook: `text` always (fallback and notifications), Block Kit `blocks`. */
export function slackBody(msg: FormattedMessage): { text: string; blocks: unknown[] } {
  const message = msg.message ?? { title: msg.title, summary: msg.text };
  return { text: clip(`${msg.title}\n${msg.text}`, 40_000), blocks: slackBlocks(message) };
}

export type EmailProvider = "resend" | "postmark";

export interface EmailRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * Request for an HTTP email API, with an HTML and a text part: Resend (`POST /emails`, Bearer
 * key; from, to, subject, html, text) or Postmark (`POST /email`, X-Postmark-Server-Token; From,
 * To, Subject, HtmlBody, TextBody, MessageStream).
 */
export function emailRequest(
  provider: EmailProvider,
  msg: FormattedMessage,
  from: string,
  to: string[],
  apiKey: string,
): EmailRequest {
  const html = renderHtml(msg.message ?? { title: msg.title, summary: msg.text });
  if (provider === "postmark") {
    return {
      headers: { "X-Postmark-Server-Token": apiKey, "Accept": "application/json" },
      body: {
        From: from,
        To: to.join(","),
        Subject: msg.title,
        HtmlBody: html,
        TextBody: msg.text,
        MessageStream: "outbound",
      },
    };
  }
  return {
    headers: { "Authorization": `Bearer ${apiKey}` },
    body: { from, to, subject: msg.title, html, text: msg.text },
  };
}

/**
 * Where each provider's API key may go: its documented sending endpoint (Resend: POST
 * https://api.resend.com/emails; Postmark: POST https://api.postmarkapp.com/email). Another URL only from
 * the function's environment (SYNCLINE_EMAIL_API_URL), never from settings saved through the API.
 */
export const EMAIL_ENDPOINTS: Record<EmailProvider, readonly string[]> = {
  resend: ["https://api.resend.com/emails"],
  postmark: ["https://api.postmarkapp.com/email"],
};

export const defaultEmailApiUrl: Record<EmailProvider, string> = {
  resend: EMAIL_ENDPOINTS.resend[0],
  postmark: EMAIL_ENDPOINTS.postmark[0],
};

/** Whether the URL is one of the provider's documented endpoints (any provider's when none is named). */
export function isEmailEndpoint(url: string, provider: EmailProvider | null): boolean {
  const lists = provider ? [EMAIL_ENDPOINTS[provider]] : Object.values(EMAIL_ENDPOINTS);
  return lists.some((l) => l.includes(url.replace(/\/+$/, "")));
}
