// Pure formatting of outbox notifications into a title and plain text, and into the bodies a
// Slack-compatible incoming webhook and the HTTP email APIs (Resend, Postmark) expect.

export type NotificationKind = "job_failed" | "error_rate" | "slow_run" | "stale_stream" | "daily_summary";

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
  text: string;
}

const str = (
  v: unknown,
  fallback = "?",
) => (v === null || v === undefined || v === "" ? fallback : String(v));
const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : str(v));

/** Seconds as "42 s", "3 min 5 s" or "2 h 10 min". */
export function formatDuration(seconds: unknown): string {
  const s = seconds === null || seconds === undefined || seconds === "" ? NaN : Number(seconds);
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

const percent = (v: unknown) => `${Math.round(Number(v) * 1000) / 10}%`;

/** Title and text of one notification; the same words go to every channel. */
export function formatNotification(n: OutboxNotification): FormattedMessage {
  const p = n.payload ?? {};
  switch (n.kind) {
    case "job_failed":
      return {
        title: `Sync failed: ${str(p.connector)} (${list(p.streams)})`,
        text: `Job ${str(p.job_id)} for ${str(p.connector)}/${str(p.account, "default")} (streams ${
          list(p.streams)
        }, trigger ${str(p.trigger)}) failed after ${formatDuration(p.duration_seconds)}: ${
          str(p.error, "no error message")
        }`,
      };
    case "error_rate":
      return {
        title: `High sync error rate: ${str(p.connector)}`,
        text: `${str(p.failed)} of ${str(p.runs)} ${str(p.connector)} runs failed in the last ${
          str(p.window_minutes)
        } minutes (${percent(p.rate)}, threshold ${percent(p.threshold)}).`,
      };
    case "slow_run":
      return {
        title: `Slow sync: ${str(p.connector)} (${list(p.streams)})`,
        text: `Job ${str(p.job_id)} took ${formatDuration(p.duration_seconds)}, more than ${
          str(p.factor)
        }x the p95 of its last ${str(p.previous_runs)} runs (${formatDuration(p.p95_seconds)}; average ${
          formatDuration(p.avg_seconds)
        }).`,
      };
    case "stale_stream":
      return {
        title: `Stale data: ${str(p.connector)}/${str(p.stream)}`,
        text: p.last_success_at
          ? `${str(p.connector)}/${str(p.account, "default")} stream ${
            str(p.stream)
          } last synced successfully ${formatDuration(p.age_seconds)} ago (at ${
            str(p.last_success_at)
          }); the threshold is ${formatDuration(p.stale_after_seconds)}.`
          : `${str(p.connector)}/${str(p.account, "default")} stream ${
            str(p.stream)
          } has never synced successfully; the threshold is ${formatDuration(p.stale_after_seconds)}.`,
      };
    case "daily_summary": {
      const rows = Array.isArray(p.connectors) ? p.connectors as Record<string, unknown>[] : [];
      const lines = rows.map((r) =>
        `${str(r.connector)}: ${str(r.runs)} runs, ${percent(r.success_rate ?? 0)} succeeded, ${
          str(r.failed)
        } failed, p95 ${formatDuration(r.p95_duration_seconds)}, ${str(r.total_records)} records`
      );
      return {
        title: `Syncline daily summary ${str(p.day)}`,
        text: [
          ...(lines.length ? lines : ["No sync runs in the last 24 hours."]),
          `Stale streams: ${str(p.stale_streams, "0")}. Open failed items: ${str(p.open_failed_items, "0")}.`,
        ].join("\n"),
      };
    }
    default:
      return { title: `Syncline: ${String(n.kind)} (${n.source})`, text: JSON.stringify(p) };
  }
}

/** Body for a Slack-compatible incoming webhook: `text` always (fallback), `blocks` for Slack. */
export function slackBody(msg: FormattedMessage): { text: string; blocks: unknown[] } {
  return {
    text: `${msg.title}\n${msg.text}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: msg.title.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: msg.text.slice(0, 3000) } },
    ],
  };
}

export type EmailProvider = "resend" | "postmark";

export interface EmailRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Request for an HTTP email API: Resend (Bearer key) or Postmark (server token header). */
export function emailRequest(
  provider: EmailProvider,
  msg: FormattedMessage,
  from: string,
  to: string[],
  apiKey: string,
): EmailRequest {
  if (provider === "postmark") {
    return {
      headers: { "X-Postmark-Server-Token": apiKey, "Accept": "application/json" },
      body: {
        From: from,
        To: to.join(","),
        Subject: msg.title,
        TextBody: msg.text,
        MessageStream: "outbound",
      },
    };
  }
  return {
    headers: { "Authorization": `Bearer ${apiKey}` },
    body: { from, to, subject: msg.title, text: msg.text },
  };
}

export const defaultEmailApiUrl: Record<EmailProvider, string> = {
  resend: "https://api.resend.com/emails",
  postmark: "https://api.postmarkapp.com/email",
};
