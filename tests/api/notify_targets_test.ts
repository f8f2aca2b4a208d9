// Notification targets (issue 25, items 4-6): URLs that reach this machine, private networks or cloud
// metadata are refused when saved and again when sending (after resolving the host); delivery follows
// no redirect and reports only the status and a short redacted reason; the e-mail API key goes only to
// the provider's documented endpoint or to SYNCLINE_EMAIL_API_URL from the function's environment.
import assert from "node:assert/strict";
import type { NotifySecrets } from "../../functions/_shared/config.ts";
import { deliverPendingNotifications, loadNotifySettings } from "../../functions/_shared/notify/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

const ENV: NotifySecrets = {
  slackWebhookUrl: null,
  emailApiKey: null,
  emailApiUrl: null,
  allowLocalUrls: false,
};
const LOCAL_DEV: NotifySecrets = { ...ENV, allowLocalUrls: true };

/** A receiving server on 127.0.0.1; `answer` makes each response. */
function receiver(answer: (req: Request) => Response = () => new Response("ok")) {
  const hits: { path: string; headers: Headers; body: string }[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    hits.push({ path: new URL(req.url).pathname, headers: req.headers, body: await req.text() });
    return answer(req);
  });
  return {
    hits,
    url: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("notification URLs that reach internal addresses are refused when saved, naming the setting", async () => {
  await using t = await testApp(makeWidgets(1), { notify: { env: () => ENV } });
  const internal = [
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
    "https://metadata.google.internal/",
    "https://127.0.0.1:8443/",
    "https://0.0.0.0:8443/",
    "https://2130706433:8443/",
    "https://localhost:8443/",
    "https://[::1]:8443/",
    "https://10.0.0.8/hook",
    "http://127.0.0.1:9999/hook",
  ];
  for (const url of internal) {
    const res = await t.call("PATCH", "/sync/notifications/settings", { slack_webhook_url: url });
    assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.error.message, /^Cannot save notification settings: slack_webhook_url: /, url);
    assert.match(res.body.error.message, /refused|must be https/, url);
  }
  const [row] = await t.db.sql`select slack_webhook_url from sync.notification_settings`;
  assert.equal(row.slack_webhook_url, null, "nothing was saved");
});

Deno.test("a stored internal notification URL is never connected to by the test send or the outbox", async () => {
  await using rx = receiver();
  await using t = await testApp(makeWidgets(1), { notify: { env: () => ENV } });
  // written around the API (an old row, or SQL by hand): the delivery checks again
  await t.db.sql`update sync.notification_settings set slack_webhook_url = ${`${rx.url}/hook`}`;
  const test = await t.call("POST", "/sync/notifications/test");
  assert.equal(test.status, 200);
  assert.equal(test.body.results[0].ok, false);
  assert.match(
    test.body.results[0].error,
    /must be https: \(http: only for local development: SYNCLINE_ALLOW_LOCAL_URLS/,
  );
  await t.db
    .sql`update sync.notification_settings set slack_webhook_url = ${`https://127.0.0.1:${rx.port}/hook`}`;
  const again = await t.call("POST", "/sync/notifications/test");
  assert.match(again.body.results[0].error, /127\.0\.0\.1 is a loopback address .*refused/);
  await t.db.sql`select sync.enqueue_notification('job_failed', 'widgets/default', '{}')`;
  const report = await deliverPendingNotifications(t.db.sql, await loadNotifySettings(t.db.sql, ENV));
  assert.equal(report.results[0].status, "retry");
  assert.equal(rx.hits.length, 0, "no request reached the internal address");
});

Deno.test("notification delivery follows no redirect and reports only the status and a short redacted reason", async () => {
  await using elsewhere = receiver();
  await using rx = receiver((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/moved") {
      return new Response(null, { status: 307, headers: { location: `${elsewhere.url}/steal` } });
    }
    if (path === "/slack-error") return new Response("channel_not_found", { status: 404 });
    return new Response("INTERNAL-ONLY-BODY secret=hunter2 token=abc123", { status: 500 });
  });
  await using t = await testApp(makeWidgets(1), { notify: { env: () => LOCAL_DEV } });
  const send = async (path: string) => {
    await t.db.sql`update sync.notification_settings set slack_webhook_url = ${`${rx.url}${path}`}`;
    const res = await t.call("POST", "/sync/notifications/test");
    assert.equal(res.status, 200);
    return res.body.results[0] as { channel: string; ok: boolean; error: string };
  };
  const moved = await send("/moved");
  assert.equal(moved.ok, false);
  assert.equal(moved.error, "HTTP 307 from 127.0.0.1 (redirects are not followed)");
  assert.equal(elsewhere.hits.length, 0, "the redirect was not followed");
  const boom = await send("/boom");
  assert.equal(boom.error, "HTTP 500 from 127.0.0.1");
  assert.equal((await send("/slack-error")).error, "HTTP 404 from 127.0.0.1: channel_not_found");

  await t.db.sql`select sync.enqueue_notification('job_failed', 'widgets/default', '{}')`;
  await t.db.sql`update sync.notification_settings set slack_webhook_url = ${`${rx.url}/boom`}`;
  const report = await deliverPendingNotifications(t.db.sql, await loadNotifySettings(t.db.sql, LOCAL_DEV));
  assert.equal(report.results[0].error, "slack: HTTP 500 from 127.0.0.1");
  const [row] = await t.db.sql`select last_error from sync.notifications`;
  assert.equal(row.last_error, "slack: HTTP 500 from 127.0.0.1");
  const deliveries = await t.call("GET", "/sync/notifications/deliveries");
  assert.ok(!JSON.stringify(deliveries.body).includes("INTERNAL-ONLY-BODY"));
  assert.ok(!JSON.stringify(deliveries.body).includes("hunter2"));
});

Deno.test("the e-mail API key goes only to the provider's endpoint or SYNCLINE_EMAIL_API_URL, never a URL set through the API", async () => {
  await using mail = receiver(() => Response.json({ id: "m1" }));
  const KEY = "re_TESTONLY_email_key_123456";
  let env: NotifySecrets = { ...LOCAL_DEV, emailApiKey: KEY };
  await using t = await testApp(makeWidgets(1), { notify: { env: () => env } });
  const patch = (body: unknown) => t.call("PATCH", "/sync/notifications/settings", body);
  const refused = await patch({
    email_provider: "resend",
    email_api_url: "https://mail-relay.example.net/emails",
    email_from: "ops@example.com",
    email_to: ["a@example.com"],
  });
  assert.equal(refused.status, 422, JSON.stringify(refused.body));
  assert.match(
    refused.body.error.message,
    /email_api_url: .*https:\/\/api\.resend\.com\/emails.*SYNCLINE_EMAIL_API_URL/,
  );
  const ok = await patch({
    email_provider: "resend",
    email_api_url: "https://api.resend.com/emails",
    email_from: "ops@example.com",
    email_to: ["a@example.com"],
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));

  // a URL written around the API gets neither the key nor a request
  await t.db.sql`update sync.notification_settings set email_api_url = ${`${mail.url}/emails`}`;
  const test = await t.call("POST", "/sync/notifications/test");
  const email = test.body.results.find((r: { channel: string }) => r.channel === "email");
  assert.equal(email.ok, false);
  assert.match(email.error, /not resend's API endpoint .*SYNCLINE_EMAIL_API_URL/);
  assert.equal(mail.hits.length, 0);

  // the function's environment may name another endpoint (a relay): the key goes there
  env = { ...env, emailApiUrl: `${mail.url}/relay` };
  const viaEnv = await t.call("POST", "/sync/notifications/test");
  assert.deepEqual(viaEnv.body.results, [{ channel: "email", ok: true }]);
  assert.equal(mail.hits.length, 1);
  assert.equal(mail.hits[0].path, "/relay");
  assert.equal(mail.hits[0].headers.get("authorization"), `Bearer ${KEY}`);
});
