// Refusals that used to be 500s or to pass and fail later: bodies over the admin limit (read no
// further than the limit), too many record ids, streams a connector lacks, cron syntax pg_cron
// takes, unsafe notification URLs, negative intervals.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";

/** The admin routes' body limit (DEFAULT_MAX_BODY_BYTES of functions/sync/app.ts). */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A body of `total` bytes produced lazily; `pulled()` says how much the server read. */
function lazyBody(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, pulled: () => sent };
}

Deno.test("every admin route refuses a body over the limit with 413, reading no more than the limit", async () => {
  await using t = await testApp(makeWidgets(1));
  const routes = t.app.routes.filter((r) =>
    ["POST", "PATCH", "PUT", "DELETE"].includes(r.method) && !r.path.includes("/webhooks/")
  );
  const seen = new Set<string>();
  for (const r of routes) {
    const path = r.path.replace(/:[a-z_]+/, "1");
    if (seen.has(`${r.method} ${path}`)) continue;
    seen.add(`${r.method} ${path}`);
    const body = lazyBody(DEFAULT_MAX_BODY_BYTES * 2);
    const res = await t.app.request(path, {
      method: r.method,
      headers: { "content-type": "application/json", authorization: `Bearer ${await adminToken()}` },
      body: body.stream,
    });
    assert.equal(res.status, 413, `${r.method} ${path}`);
    assert.equal((await res.json()).error.code, "payload_too_large");
    assert.ok(
      body.pulled() <= DEFAULT_MAX_BODY_BYTES + 4 * 64 * 1024,
      `${r.method} ${path} read ${body.pulled()} bytes`,
    );
  }
  assert.ok(seen.size >= 10, `expected every write route, saw ${seen.size}`);
});

Deno.test("a 150 MB POST /jobs is refused with 413 after reading about 1 MiB (declared or streamed)", async () => {
  await using t = await testApp(makeWidgets(1));
  const streamed = lazyBody(150 * 1024 * 1024);
  const res = await t.app.request("/sync/jobs", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await adminToken()}` },
    body: streamed.stream,
  });
  assert.equal(res.status, 413);
  assert.ok(streamed.pulled() < 2 * 1024 * 1024, `read ${streamed.pulled()} bytes`);
  const declared = await t.app.request("/sync/jobs", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "content-length": String(150 * 1024 * 1024),
      authorization: `Bearer ${await adminToken()}`,
    },
    body: "{}",
  });
  assert.equal(declared.status, 413);
  assert.match((await declared.json()).error.message, /over the 1048576-byte limit/);
});

Deno.test("a job carries at most 1,000 record ids", async () => {
  await using t = await testApp(makeWidgets(1));
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`);
  const tooMany = await t.call("POST", "/sync/jobs", {
    connector: "widgets",
    records: { widgets: ids(1001) },
  });
  assert.equal(tooMany.status, 422);
  assert.match(tooMany.body.error.message, /records: at most 1000 record ids per job/);
  const ok = await t.call("POST", "/sync/jobs", { connector: "widgets", records: { widgets: ids(1000) } });
  assert.equal(ok.status, 202, JSON.stringify(ok.body));
});

Deno.test("schedules accept only the connector's streams and every cron form pg_cron accepts", async () => {
  await using t = await testApp(makeWidgets(1));
  const schedule = (name: string, streams: string[], cron: string) =>
    t.call("POST", "/sync/schedules", { name, connector: "widgets", streams, cron });
  const typo = await schedule("typo", ["orderz"], "0 2 * * *");
  assert.equal(typo.status, 422);
  assert.match(
    typo.body.error.message,
    /^Cannot save schedule "typo": Unknown stream "orderz" for connector "widgets" \(streams: widgets\)$/,
  );
  for (const cron of ["0 2 * * MON-FRI", "@daily", "30 4 1 jan-mar *", "*/15 8-18 * * 1-5"]) {
    const res = await schedule(`ok-${cron.length}`, ["widgets"], cron);
    assert.equal(res.status, 201, `${cron}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.schedule.cron, cron);
  }
  const bad = await schedule("bad", ["widgets"], "61 2 * * *");
  assert.equal(bad.status, 422);
  assert.match(bad.body.error.message, /"61 2 \* \* \*" is not a valid cron expression/);
});

Deno.test("notification settings: https only (http to loopback), intervals above zero, each named", async () => {
  // hooks.slack.example resolves to a public address; 127.0.0.1 and http: under the local-development switch
  const resolve = () => Promise.resolve(["93.184.216.34"]);
  const env = { slackWebhookUrl: null, emailApiKey: null, emailApiUrl: null, allowLocalUrls: true };
  await using t = await testApp(makeWidgets(1), { notify: { env: () => env, resolve } });
  const patch = (body: unknown) => t.call("PATCH", "/sync/notifications/settings", body);
  for (
    const url of [
      "file:///etc/passwd",
      "javascript:alert(1)",
      "http://hooks.example.com/x",
      "ftp://x.example",
    ]
  ) {
    const res = await patch({ slack_webhook_url: url });
    assert.equal(res.status, 422, url);
    assert.match(res.body.error.message, /slack_webhook_url: must be an https: URL/);
  }
  assert.equal((await patch({ slack_webhook_url: "http://127.0.0.1:9999/hook" })).status, 200);
  assert.equal((await patch({ slack_webhook_url: "https://hooks.slack.example/T0/B0/X" })).status, 200);
  const negative = await patch({ error_rate_window: "-1 hour" });
  assert.equal(negative.status, 422);
  assert.equal(
    negative.body.error.message,
    'Cannot update notification settings: error_rate_window must be more than zero, got "-1 hour"',
  );
  const perStream = await patch({ stale_after_by_stream: { "widgets/widgets": "-1 day" } });
  assert.equal(perStream.status, 422);
  assert.match(
    perStream.body.error.message,
    /stale_after_by_stream\[widgets\/widgets\] must be more than zero/,
  );
});
