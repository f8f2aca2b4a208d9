// JSON-body routes read JSON only: a body sent as text/plain, a form or with no content type is a 415
// naming what was sent (README used to promise it while POST /sync/jobs answered 202), and nothing is done.
import assert from "node:assert/strict";
import { makeWidgets, testApp, WORKER_SECRET } from "./_app.ts";

/** Every route whose body is JSON (jsonBody in functions/sync/routes/), with a body it would accept. */
const JSON_ROUTES: [method: string, path: string, body: unknown][] = [
  ["POST", "/sync/jobs", { connector: "widgets", mode: "full" }],
  ["POST", "/sync/worker", { budgetMs: 1000 }],
  ["POST", "/sync/failed-items/retry", { connector: "widgets" }],
  ["PUT", "/sync/highlevel/ticket-products/p1", { active: true }],
  ["POST", "/sync/promotions/square_event_sales/jobs", {}],
  ["PUT", "/sync/cooldowns/widgets/widgets", { seconds: 60 }],
  ["POST", "/sync/ops/tick", {}],
  ["POST", "/sync/schedules", { name: "n", connector: "widgets", streams: ["widgets"], cron: "0 2 * * *" }],
  ["POST", "/sync/cleanup", { days: 30 }],
  ["PATCH", "/sync/notifications/settings", { run_reports: true }],
];

Deno.test("POST /sync/jobs with content-type text/plain is a 415 naming it, and queues no job", async () => {
  await using t = await testApp(makeWidgets(3));
  const res = await t.call("POST", "/sync/jobs", JSON.stringify({ connector: "widgets" }), {
    "content-type": "text/plain;charset=UTF-8",
  });
  assert.equal(res.status, 415);
  assert.equal(res.body.error.code, "unsupported_media_type");
  assert.equal(
    res.body.error.message,
    'Request body is sent as "text/plain"; send it as JSON with content-type: application/json',
  );
  const [{ n }] = await t.db.sql`select count(*)::int as n from sync.jobs`;
  assert.equal(n, 0);
});

Deno.test("every JSON-body route refuses text/plain, a form and a missing content type with 415", async () => {
  await using t = await testApp(makeWidgets(3));
  for (const [method, path, body] of JSON_ROUTES) {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
      const res = await t.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${t.token}`,
          "x-syncline-worker-secret": WORKER_SECRET,
          ...(type ? { "content-type": type } : {}),
        },
        // a Uint8Array body gets no content type of its own (a string would be sent as text/plain)
        body: new TextEncoder().encode(JSON.stringify(body)),
      });
      const json = await res.json();
      assert.equal(res.status, 415, `${method} ${path} as "${type}": ${JSON.stringify(json)}`);
      assert.equal(json.error.code, "unsupported_media_type");
      assert.ok(json.error.message.includes(type || "(no content type)"), json.error.message);
    }
  }
});

Deno.test("JSON with a charset, a +json type, and an empty body without a type are still read", async () => {
  await using t = await testApp(makeWidgets(3));
  const charset = await t.call("PUT", "/sync/cooldowns/widgets/widgets", { seconds: 60 }, {
    "content-type": "application/json; charset=utf-8",
  });
  assert.equal(charset.status, 200, JSON.stringify(charset.body));
  const plusJson = await t.call("PATCH", "/sync/notifications/settings", { run_reports: true }, {
    "content-type": "application/merge-patch+json",
  });
  assert.equal(plusJson.status, 200, JSON.stringify(plusJson.body));
  const empty = await t.app.request("/sync/ops/tick", {
    method: "POST",
    headers: { authorization: `Bearer ${t.token}` },
  });
  assert.equal(empty.status, 200, await empty.text());
});
