// Rendered notifications: the run report, partial and give-up alerts and the daily summary as
// plain text, HTML (email) and Slack Block Kit, with hostile values escaped and Slack's limits kept.
import assert from "node:assert/strict";
import {
  emailRequest,
  formatNotification,
  type OutboxNotification,
  slackBody,
} from "../../functions/_shared/notify/format.ts";
import { clip, renderHtml, slackBlocks } from "../../functions/_shared/notify/mod.ts";

const n = (kind: OutboxNotification["kind"], payload: Record<string, unknown>): OutboxNotification => ({
  id: 1,
  kind,
  source: "square/default",
  payload,
  attempts: 1,
  delivered_channels: [],
  created_at: "2026-11-22T02:00:00Z",
});

const report = n("run_report", {
  job_id: 42,
  connector: "square",
  account: "default",
  streams: ["orders", "payments"],
  trigger: "schedule",
  mode: "incremental",
  records: 12345,
  duration_seconds: 123.4,
  rate_per_second: 100,
  per_stream: {
    orders: { done: 12000, inserted: 10, updated: 25, unchanged: 11965, stale: 0, failed: 0 },
    payments: { done: 345, inserted: 5, updated: 0, unchanged: 340, stale: 0, failed: 0 },
  },
});

Deno.test("a run report reads records, duration, rate and changes per stream in plain text", () => {
  const m = formatNotification(report);
  assert.equal(m.title, "Sync succeeded: square (orders, payments)");
  assert.equal(
    m.text,
    [
      "Job 42 for square/default (incremental, trigger schedule) synced 12,345 records in 2 min 3 s.",
      "",
      "Records: 12,345\nDuration: 2 min 3 s\nRate: 100 records/s\nMode: incremental\nTrigger: schedule",
      "",
      "Changes per stream:",
      "stream    records  inserted  updated  unchanged  stale  failed",
      "orders     12,000        10       25     11,965      0       0",
      "payments      345         5        0        340      0       0",
    ].join("\n"),
  );
});

Deno.test("a run report in Slack is a header, the summary, five fields and the table as a code block", () => {
  const body = slackBody(formatNotification(report));
  assert.match(body.text, /^Sync succeeded: square \(orders, payments\)\nJob 42/);
  const blocks = body.blocks as Record<string, unknown>[];
  assert.deepEqual(blocks.map((b) => b.type), ["header", "section", "section", "section"]);
  assert.deepEqual(blocks[0], {
    type: "header",
    text: { type: "plain_text", text: "Sync succeeded: square (orders, payments)" },
  });
  const fields = blocks[2].fields as { type: string; text: string }[];
  assert.deepEqual(fields.map((f) => f.text), [
    "*Records*\n12,345",
    "*Duration*\n2 min 3 s",
    "*Rate*\n100 records/s",
    "*Mode*\nincremental",
    "*Trigger*\nschedule",
  ]);
  const table = (blocks[3].text as { text: string }).text;
  assert.equal(
    table,
    "*Changes per stream*\n```stream    records  inserted  updated  unchanged  stale  failed\n" +
      "orders     12,000        10       25     11,965      0       0\n" +
      "payments      345         5        0        340      0       0```",
  );
});

Deno.test("a run report e-mail has an HTML table per stream and the same text part", () => {
  const msg = formatNotification(report);
  const req = emailRequest("postmark", msg, "ops@x.test", ["a@x.test"], "server-token");
  const html = String(req.body.HtmlBody);
  assert.match(html, /^<!doctype html>\n<html><head><meta charset="utf-8"><title>Sync succeeded/);
  assert.match(html, /<h3[^>]*>Changes per stream<\/h3>/);
  assert.match(html, /<td[^>]*>orders<\/td><td[^>]*>12,000<\/td><td[^>]*>10<\/td><td[^>]*>25<\/td>/);
  assert.match(html, /<th[^>]*>Rate<\/th><td[^>]*>100 records\/s<\/td>/);
  assert.equal(req.body.TextBody, msg.text);
  assert.equal(req.body.Subject, "Sync succeeded: square (orders, payments)");
});

Deno.test("a partial alert lists the count and the first errors; more are counted", () => {
  const m = formatNotification(n("job_partial", {
    job_id: 7,
    connector: "square",
    account: "default",
    streams: ["orders"],
    trigger: "webhook",
    records: 1200,
    failed: 7,
    duration_seconds: 65,
    first_errors: [
      {
        stream: "orders",
        item_key: "o-1",
        error_class: "validation",
        error: "total_money.amount: expected number",
      },
      { stream: "orders", item_key: "o-2", error_class: "merge", error: "value too long" },
    ],
  }));
  assert.equal(m.title, "Sync partly failed: square (orders)");
  assert.equal(
    m.text,
    [
      "Job 7 for square/default (streams orders, trigger webhook) finished with 7 failed records of 1,200 after " +
      "1 min 5 s; the other records landed.",
      "",
      "First errors:\n- orders o-1 (validation): total_money.amount: expected number\n" +
      "- orders o-2 (merge): value too long\n… and 5 more",
      "",
      "Failed records are retried automatically with backoff; list them with: sync failed --connector square",
    ].join("\n"),
  );
});

Deno.test("a give-up alert names the records and how to retry them by hand", () => {
  const m = formatNotification(n("retries_exhausted", {
    connector: "highlevel",
    account: "loc-1",
    count: 1,
    max_attempts: 12,
    items: [{ stream: "orders", item_key: "ord_9", attempts: 12, error: "HTTP 404" }],
  }));
  assert.equal(m.title, "Gave up retrying 1 failed record: highlevel");
  assert.match(
    m.text,
    /^1 failed record of highlevel\/loc-1 failed 12 times and will not be retried automatically\./,
  );
  assert.match(m.text, /- orders ord_9 \(12 attempts\): HTTP 404/);
  assert.match(m.text, /sync failed retry highlevel --ids/);
});

Deno.test("hostile values: HTML and Slack control characters are escaped, NUL and lone surrogates cleaned", () => {
  const evil = '<script>alert("x")</script> & <@U123> \u0000 \uD800 done';
  const m = formatNotification(n("job_failed", {
    job_id: 1,
    connector: "square",
    streams: ["orders"],
    error: evil,
  }));
  const html = renderHtml(m.message!);
  assert.ok(!html.includes("<script>"), "no live markup");
  assert.ok(
    html.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;@U123&gt;  \uFFFD done"),
  );
  const section = (slackBlocks(m.message!)[1] as { text: { text: string } }).text.text;
  assert.ok(
    section.endsWith('&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;@U123&gt;  \uFFFD done'),
    section,
  );
  assert.ok(!JSON.stringify(slackBody(m)).includes("\\u0000"));
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(m.text));
});

Deno.test("Slack limits: header 150, section 3,000, fields 10 x 2,000, never half an emoji", () => {
  const long = "😀".repeat(5000);
  const blocks = slackBlocks({
    title: long,
    summary: long,
    facts: Array.from({ length: 14 }, (_, i) => [`k${i}`, long] as [string, string]),
    tables: [{ caption: "t", columns: ["a"], rows: Array.from({ length: 2000 }, () => ["row-value"]) }],
    lists: [{ caption: "l", items: [long] }],
  });
  const h = (blocks[0] as { text: { text: string } }).text.text;
  assert.equal(Array.from(h).length, 150);
  assert.ok(h.endsWith("…") && !/[\uD800-\uDBFF]…$/.test(h), "cut between code points");
  for (const b of blocks.slice(1) as { text?: { text: string }; fields?: { text: string }[] }[]) {
    if (b.text) {
      assert.ok(Array.from(b.text.text).length <= 3000, `section of ${Array.from(b.text.text).length}`);
    }
    if (b.fields) {
      assert.equal(b.fields.length, 10);
      for (const f of b.fields) assert.ok(Array.from(f.text).length <= 2000);
    }
  }
  assert.equal(clip("abc", 5), "abc");
});

Deno.test("the daily summary carries runs per connector and failed-item recovery in every format", () => {
  const m = formatNotification(n("daily_summary", {
    day: "2026-11-29",
    connectors: [{
      connector: "highlevel",
      runs: 2,
      success_rate: 0.5,
      partial: 1,
      failed: 0,
      total_records: 40,
    }],
    stale_streams: 1,
    open_failed_items: 3,
    recovery: [{ connector: "highlevel", retried: 4, recovered: 3, still_failing: 1, given_up: 0, open: 3 }],
  }));
  assert.match(
    m.text,
    /^2 runs in the last 24 hours: 0 failed, 1 partial\. Stale streams: 1\. Open failed items: 3\./,
  );
  assert.ok(
    m.text.includes("Failed-item recovery:\nconnector  retried  recovered  still failing  given up  open\n"),
  );
  assert.ok(m.text.endsWith("highlevel        4          3              1         0     3"), m.text);
  assert.match(renderHtml(m.message!), /<th[^>]*>still failing<\/th>/);
  assert.equal(slackBlocks(m.message!).filter((b) => b.type === "section").length, 3);
});
