// The promotion routes' edges: admin only, bad input is a 4xx naming the problem, never a 500.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";

Deno.test("promotion routes: auth, validation and not-found answers", async () => {
  await using t = await testApp(makeWidgets(1));
  const anon = await t.app.request("/sync/promotions");
  assert.equal(anon.status, 401);
  const viewer = await t.app.request("/sync/promotions", {
    headers: { authorization: `Bearer ${await adminToken({ role: "viewer" })}` },
  });
  assert.equal(viewer.status, 403);

  const plans = await t.call("GET", "/sync/promotions");
  assert.equal(plans.status, 200);
  const plan = plans.body.plans.find((p: { name: string }) => p.name === "square_event_sales");
  assert.deepEqual(
    plan.steps.map((s: { name: string }) => s.name),
    ["payment", "registration", "customer", "attendees", "contacts", "tickets"],
  );

  const cases: [string, string, unknown, number, RegExp][] = [
    [
      "POST",
      "/sync/promotions/square_event_sales/jobs",
      { since: "yesterday-ish" },
      422,
      /since: must be an ISO date/,
    ],
    ["POST", "/sync/promotions/square_event_sales/jobs", { colour: "blue" }, 422, /colour/],
    ["POST", "/sync/promotions/square_event_sales/jobs", { ids: [] }, 422, /ids/],
    ["POST", "/sync/promotions/square_event_sales/jobs", { batchSize: 0 }, 422, /batchSize/],
    [
      "POST",
      "/sync/promotions/square_event_sales/jobs",
      { since: "2026-02-01", until: "2026-01-01" },
      422,
      /"since" \(2026-02-01\) is not before "until"/,
    ],
    ["POST", "/sync/promotions/square_event_sales/jobs", "{not json", 400, /not valid JSON/],
    ["POST", "/sync/promotions/Bad-Name/jobs", {}, 422, /plan name/],
    [
      "POST",
      "/sync/promotions/no_such_plan/jobs",
      {},
      404,
      /No promotion plan "no_such_plan"|no promotion plan/,
    ],
    ["GET", "/sync/promotions/square_event_sales/roots?status=sideways", undefined, 422, /status/],
    ["GET", "/sync/promotions/square_event_sales/roots?limit=0", undefined, 422, /limit/],
    ["GET", "/sync/promotions/no_such_plan/roots/P1", undefined, 404, /No promotion plan "no_such_plan"/],
    ["GET", "/sync/promotions/square_event_sales/status?failures=-1", undefined, 422, /failures/],
  ];
  for (const [method, path, body, status, message] of cases) {
    const res = await t.call(method, path, body);
    assert.equal(
      res.status,
      status,
      `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
    );
    assert.match(res.body.error.message, message);
  }

  const started = await t.call("POST", "/sync/promotions/square_event_sales/jobs", { ids: ["P1"] });
  assert.equal(started.status, 202);
  assert.equal(started.body.job.mode, "promote");
  const again = await t.call("POST", "/sync/promotions/square_event_sales/jobs", {});
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /already queued/);
  const roots = await t.call("GET", "/sync/promotions/square_event_sales/roots");
  assert.deepEqual(roots.body, { roots: [], next: null });
});
