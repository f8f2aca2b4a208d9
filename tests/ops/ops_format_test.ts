// Pure formatting of notifications for Slack and email.
import assert from "node:assert/strict";
import {
  emailRequest,
  formatDuration,
  formatNotification,
  type OutboxNotification,
  slackBody,
} from "../../functions/_shared/notify/format.ts";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";

const base = {
  id: 1,
  source: "square/default",
  attempts: 1,
  delivered_channels: [],
  created_at: "2026-11-22T02:00:00Z",
};
const n = (kind: OutboxNotification["kind"], payload: Record<string, unknown>): OutboxNotification => ({
  ...base,
  kind,
  payload,
});

Deno.test("durations read as seconds, minutes or hours", () => {
  assert.equal(formatDuration(42), "42 s");
  assert.equal(formatDuration(185), "3 min 5 s");
  assert.equal(formatDuration(7800), "2 h 10 min");
  assert.equal(formatDuration(null), "?");
});

Deno.test("job_failed names the job, streams, duration and error", () => {
  const m = formatNotification(n("job_failed", {
    job_id: 7,
    connector: "square",
    account: "default",
    streams: ["orders", "catalog"],
    trigger: "schedule",
    duration_seconds: 65,
    error: "HTTP 401",
  }));
  assert.equal(m.title, "Sync failed: square (orders, catalog)");
  assert.equal(
    m.text,
    "Job 7 for square/default (streams orders, catalog, trigger schedule) failed after 1 min 5 s: HTTP 401",
  );
});

Deno.test("job_failed says what happened and what to do when Syncline has words for the error", () => {
  const error = 'square: POST https://connect.squareup.com/v2/orders/search answered 401: {"errors":[{' +
    '"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}';
  const note = n("job_failed", {
    job_id: 7,
    connector: "square",
    streams: ["orders"],
    trigger: "schedule",
    duration_seconds: 3,
    error,
  });
  const m = formatNotification(note, (name) => (name === "square" ? squareConnector.operator : undefined));
  assert.deepEqual(m.message?.facts, [
    ["What happened", "Square refused the access token"],
    ["What to do", "set SQUARE_ACCESS_TOKEN or re-authorise the account"],
  ]);
  assert.match(m.text, /What to do: set SQUARE_ACCESS_TOKEN or re-authorise the account/);
  assert.match(
    m.text,
    /failed after 3 s: square: POST .* answered 401/,
    "the raw error stays in the summary",
  );
  assert.match(JSON.stringify(slackBody(m).blocks), /Square refused the access token/);
});

Deno.test("error_rate, slow_run, stale_stream and daily_summary read well", () => {
  assert.equal(
    formatNotification(
      n("error_rate", {
        connector: "square",
        runs: 4,
        failed: 3,
        rate: 0.75,
        threshold: 0.5,
        window_minutes: 60,
      }),
    )
      .text,
    "3 of 4 square runs failed in the last 60 minutes (75%, threshold 50%).",
  );
  assert.match(
    formatNotification(
      n("slow_run", { job_id: 9, duration_seconds: 900, factor: 3, previous_runs: 20, p95_seconds: 120 }),
    ).text,
    /^Job 9 took 15 min 0 s, more than 3x the p95 of its last 20 runs \(2 min 0 s/,
  );
  assert.match(
    formatNotification(
      n("stale_stream", { connector: "square", stream: "orders", stale_after_seconds: 93600 }),
    ).text,
    /has never synced successfully; the threshold is 26 h 0 min\.$/,
  );
  const summary = formatNotification(n("daily_summary", {
    day: "2026-11-22",
    connectors: [{
      connector: "square",
      runs: 5,
      success_rate: 0.8,
      failed: 1,
      partial: 0,
      p95_duration_seconds: 30,
      total_records: 120,
    }],
    stale_streams: 0,
    open_failed_items: 2,
  }));
  assert.equal(summary.title, "Syncline daily summary 2026-11-22");
  assert.equal(
    summary.text,
    [
      "5 runs in the last 24 hours: 1 failed, 0 partial. Stale streams: 0. Open failed items: 2.",
      "",
      "Runs per connector:",
      "connector  runs  succeeded  partial  failed   p95  records",
      "square        5        80%        0       1  30 s      120",
    ].join("\n"),
  );
});

Deno.test("Slack body carries text and blocks; email bodies follow Resend and Postmark", () => {
  const msg = { title: "T", text: "body" };
  assert.deepEqual(slackBody(msg).text, "T\nbody");
  const resend = emailRequest("resend", msg, "f@x", ["a@x", "b@x"], "k");
  assert.deepEqual(resend.headers, { Authorization: "Bearer k" });
  assert.deepEqual(Object.keys(resend.body), ["from", "to", "subject", "html", "text"]);
  assert.deepEqual([resend.body.to, resend.body.subject, resend.body.text], [["a@x", "b@x"], "T", "body"]);
  assert.match(String(resend.body.html), /<h2[^>]*>T<\/h2>\n<p>body<\/p>/);
  const pm = emailRequest("postmark", msg, "f@x", ["a@x", "b@x"], "k");
  assert.equal(pm.headers["X-Postmark-Server-Token"], "k");
  assert.equal(pm.body.To, "a@x,b@x");
  assert.deepEqual(Object.keys(pm.body), ["From", "To", "Subject", "HtmlBody", "TextBody", "MessageStream"]);
});
