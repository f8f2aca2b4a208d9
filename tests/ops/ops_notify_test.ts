// Delivers outbox notifications to a local receiving server: body, retry after a 500, rate limit.
import assert from "node:assert/strict";
import { createTestDatabase, type Sql } from "../_support/db.ts";
import { deliverPendingNotifications, type NotifySettings } from "../../functions/_shared/notify/mod.ts";

/** The receivers are on this machine: the local-development switch (SYNCLINE_ALLOW_LOCAL_URLS). */
const targets = { allowLocal: true };

interface Received {
  path: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A receiving server on a free port; `answer` decides each response's status. */
function receiver(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    received.push({ path: new URL(req.url).pathname, headers: req.headers, body: await req.json() });
    const status = answer(received.length);
    return new Response(status < 300 ? "ok" : "boom", { status });
  });
  return {
    received,
    url: `http://127.0.0.1:${server.addr.port}`,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

async function failJob(sql: Sql, connector: string, error: string) {
  const [job] =
    await sql`select id from sync.create_job(${connector}, array['orders'], 'default', 'incremental')`;
  await sql`select sync.claim_job('w1')`;
  await sql`select sync.finish_job(${job.id}, 'w1', 'failed', ${error})`;
}

Deno.test("a failed job reaches a Slack-compatible webhook with its error", async () => {
  await using db = await createTestDatabase();
  await using rx = receiver();
  await failJob(db.sql, "square", "Square answered 401 UNAUTHORIZED");
  const settings: NotifySettings = { slackWebhookUrl: `${rx.url}/slack`, targets };
  const report = await deliverPendingNotifications(db.sql, settings);
  assert.equal(report.sent, 1);
  assert.equal(rx.received.length, 1);
  const body = rx.received[0].body as { text: string; blocks: { type: string }[] };
  assert.match(body.text, /^Sync failed: square \(orders\)/);
  assert.match(body.text, /Square answered 401 UNAUTHORIZED/);
  assert.deepEqual(body.blocks.map((b) => b.type), ["header", "section"]);
  const [row] = await db.sql`select status, delivered_channels from sync.notifications`;
  assert.deepEqual([row.status, row.delivered_channels], ["sent", ["slack"]]);
  assert.equal((await deliverPendingNotifications(db.sql, settings)).claimed, 0, "nothing is sent twice");
});

Deno.test("a delivery answered with 500 is retried and then sent", async () => {
  await using db = await createTestDatabase();
  await using rx = receiver((n) => (n === 1 ? 500 : 200));
  await failJob(db.sql, "square", "boom");
  const settings: NotifySettings = { slackWebhookUrl: `${rx.url}/slack`, targets };
  const first = await deliverPendingNotifications(db.sql, settings);
  assert.equal(first.results[0].status, "retry");
  assert.match(first.results[0].error ?? "", /HTTP 500/);
  const [waiting] = await db.sql`select status, extract(epoch from next_attempt_at - now())::int as wait
    from sync.notifications`;
  assert.equal(waiting.status, "pending");
  assert.ok(waiting.wait >= 25 && waiting.wait <= 31, `retry in ~30 s, got ${waiting.wait}`);
  assert.equal((await deliverPendingNotifications(db.sql, settings)).claimed, 0, "not before its backoff");
  await db.sql`update sync.notifications set next_attempt_at = now()`;
  const second = await deliverPendingNotifications(db.sql, settings);
  assert.equal(second.sent, 1);
  assert.equal(rx.received.length, 2);
  const [row] = await db.sql`select status, attempts from sync.notifications`;
  assert.deepEqual([row.status, Number(row.attempts)], ["sent", 2]);
});

Deno.test("rate limiting: a second failure in the window is suppressed, not delivered", async () => {
  await using db = await createTestDatabase();
  await using rx = receiver();
  await failJob(db.sql, "square", "first");
  await failJob(db.sql, "square", "second");
  await failJob(db.sql, "highlevel", "other source");
  const report = await deliverPendingNotifications(db.sql, { slackWebhookUrl: `${rx.url}/slack`, targets });
  assert.equal(report.sent, 2);
  const texts = rx.received.map((r) => String(r.body.text));
  assert.ok(texts.some((t) => t.includes("first")) && texts.some((t) => t.includes("other source")));
  assert.ok(!texts.some((t) => t.includes("second")));
  const rows = await db.sql`select status, count(*)::int as n from sync.notifications group by 1 order by 1`;
  assert.deepEqual(rows.map((r) => [r.status, r.n]), [["sent", 2], ["suppressed", 1]]);
});

Deno.test("email goes to a Resend-compatible API with a bearer key; a channel that worked is not repeated", async () => {
  await using db = await createTestDatabase();
  await using slack = receiver();
  await using mail = receiver((n) => (n === 1 ? 503 : 200));
  await failJob(db.sql, "square", "boom");
  const settings: NotifySettings = {
    slackWebhookUrl: `${slack.url}/slack`,
    targets,
    email: {
      provider: "resend",
      apiUrl: `${mail.url}/emails`,
      apiKey: "re_test",
      from: "ops@x.test",
      to: ["a@x.test"],
    },
  };
  const first = await deliverPendingNotifications(db.sql, settings);
  assert.deepEqual(first.results[0].channels, ["slack"]);
  await db.sql`update sync.notifications set next_attempt_at = now()`;
  await deliverPendingNotifications(db.sql, settings);
  assert.equal(slack.received.length, 1, "slack got it once");
  assert.equal(mail.received.length, 2);
  assert.equal(mail.received[1].headers.get("authorization"), "Bearer re_test");
  assert.deepEqual(mail.received[1].body.to, ["a@x.test"]);
  assert.match(String(mail.received[1].body.subject), /^Sync failed: square/);
  const [row] = await db.sql`select status, delivered_channels from sync.notifications`;
  assert.deepEqual([row.status, row.delivered_channels], ["sent", ["email", "slack"]]);
});
