import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp, WORKER_SECRET } from "./_app.ts";

Deno.test("starting a sync needs an admin JWT: 401 without, 403 for a non-admin", async () => {
  await using t = await testApp(makeWidgets(3));
  const none = await t.app.request("/sync/jobs", { method: "POST", body: "{}" });
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error.code, "unauthorized");
  const userToken = await adminToken({});
  const user = await t.call("POST", "/sync/jobs", { connector: "widgets" }, {
    authorization: `Bearer ${userToken}`,
  });
  assert.equal(user.status, 403);
  assert.match(user.body.error.message, /not a Syncline admin/);
  const forged = await t.call("POST", "/sync/jobs", { connector: "widgets" }, {
    authorization: "Bearer a.b.c",
  });
  assert.equal(forged.status, 401);
});

Deno.test("bad input names the problem: 400 for broken JSON, 422 for unknown fields, connectors and streams", async () => {
  await using t = await testApp(makeWidgets(3));
  const broken = await t.call("POST", "/sync/jobs", "{not json");
  assert.equal(broken.status, 400);
  assert.match(broken.body.error.message, /not valid JSON/);
  const unknownField = await t.call("POST", "/sync/jobs", { connector: "widgets", strems: ["x"] });
  assert.equal(unknownField.status, 422);
  assert.match(unknownField.body.error.message, /strems/);
  const unknownConnector = await t.call("POST", "/sync/jobs", { connector: "nope" });
  assert.equal(unknownConnector.status, 422);
  assert.equal(unknownConnector.body.error.message, 'Unknown connector "nope" (available: widgets)');
  const unknownStream = await t.call("POST", "/sync/jobs", { connector: "widgets", streams: ["gadgets"] });
  assert.equal(unknownStream.status, 422);
  assert.match(unknownStream.body.error.message, /Unknown stream "gadgets"/);
  const badDate = await t.call("POST", "/sync/jobs", { connector: "widgets", since: "yesterday" });
  assert.equal(badDate.status, 422);
  assert.match(badDate.body.error.message, /since: must be an ISO date/);
  const badId = await t.call("GET", "/sync/jobs/abc");
  assert.equal(badId.status, 422);
  const missing = await t.call("GET", "/sync/jobs/999999");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.message, "Job 999999 does not exist");
});

Deno.test("a sync runs end to end: 202, the worker merges every page, progress and stats are recorded", async () => {
  await using t = await testApp(makeWidgets(35), { pageSize: 10 });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  assert.equal(started.status, 202);
  const id = started.body.job.id;
  assert.equal(started.body.job.status, "queued");
  const second = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  assert.equal(second.status, 409);
  assert.equal(
    second.body.error.message,
    `Cannot start sync for "widgets": a sync of stream "widgets" is already queued (job ${id})`,
  );
  const worked = await t.work();
  assert.equal(worked.status, 200);
  assert.deepEqual(worked.body.outcomes, [{ jobId: id, status: "succeeded" }]);
  const shown = await t.call("GET", `/sync/jobs/${id}`);
  assert.equal(shown.body.job.status, "succeeded");
  assert.equal(shown.body.job.stats.inserted, 35);
  const [p] = shown.body.progress;
  assert.equal(p.status, "done");
  assert.equal(Number(p.done), 35);
  assert.equal(Number(p.total), 35);
  const [{ n }] = await t.db.sql`select count(*)::int as n from public.widgets`;
  assert.equal(n, 35);
  const history = await t.call("GET", "/sync/jobs?connector=widgets&status=succeeded");
  assert.deepEqual(history.body.jobs.map((j: { id: number }) => j.id), [id]);
});

Deno.test("local-only columns survive a re-sync and a re-run changes nothing", async () => {
  const source = makeWidgets(5);
  await using t = await testApp(source);
  await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  await t.db.sql`update public.widgets set local_note = 'VIP' where id = 'w2'`;
  source[1].name = "renamed";
  source[1].updated_at = "2026-02-01T00:00:00Z";
  const again = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${again.body.job.id}`);
  assert.equal(shown.body.job.stats.updated, 1);
  assert.equal(shown.body.job.stats.unchanged, 4);
  const [w2] = await t.db.sql`select name, local_note from public.widgets where id = 'w2'`;
  assert.deepEqual({ ...w2 }, { name: "renamed", local_note: "VIP" });
});

Deno.test("an incremental sync reads only what changed since the checkpoint", async () => {
  const source = makeWidgets(20).map((w, i) => ({
    ...w,
    updated_at: `2026-01-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
  }));
  await using t = await testApp(source);
  await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const [cp] = await t.db.sql`select high_water_mark from sync.checkpoints where stream = 'widgets'`;
  assert.equal(cp.high_water_mark.toISOString(), "2026-01-20T00:00:00.000Z");
  source[3].updated_at = source[7].updated_at = "2026-03-01T00:00:00Z";
  source[3].name = source[7].name = "changed";
  const inc = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${inc.body.job.id}`);
  // the boundary is inclusive: the record at the high-water mark is read again, unchanged
  assert.equal(shown.body.job.stats.records, 3);
  assert.equal(shown.body.job.stats.updated, 2);
  assert.equal(shown.body.job.stats.unchanged, 1);
});

Deno.test("a spent budget leaves the job queued and the next invocation continues from the checkpoint", async () => {
  await using t = await testApp(makeWidgets(50), { pageSize: 5 });
  const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  let rounds = 0;
  while (rounds < 200) {
    rounds++;
    const worked = await t.work(1_000);
    const status = worked.body.outcomes[0]?.status;
    if (status !== "yielded") break;
  }
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded");
  assert.equal(shown.body.job.stats.inserted, 50);
  assert.equal(shown.body.job.stats.records, 50, "no page was merged twice");
});

Deno.test("dry run reports what would change and writes nothing", async () => {
  await using t = await testApp(makeWidgets(12));
  const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full", dryRun: true });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded");
  assert.equal(shown.body.job.stats.inserted, 12);
  const [{ n }] = await t.db.sql`select count(*)::int as n from public.widgets`;
  assert.equal(n, 0);
  const [{ c }] = await t.db.sql`select count(*)::int as c from sync.checkpoints`;
  assert.equal(c, 0);
});

Deno.test("cancel: a queued job at once, a finished one is a 409", async () => {
  await using t = await testApp(makeWidgets(3));
  const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  const cancelled = await t.call("POST", `/sync/jobs/${body.job.id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.job.status, "cancelled");
  const again = await t.call("POST", `/sync/jobs/${body.job.id}/cancel`);
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /already finished \(cancelled\)/);
});

Deno.test("single-record sync re-fetches just the named records", async () => {
  const source = makeWidgets(10);
  await using t = await testApp(source);
  const { body } = await t.call("POST", "/sync/jobs", {
    connector: "widgets",
    records: { widgets: ["w3", "w9", "gone"] },
  });
  assert.equal(body.job.mode, "single");
  await t.work();
  const rows = await t.db.sql`select id from public.widgets order by id`;
  assert.deepEqual(rows.map((r) => r.id), ["w3", "w9"]);
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.match(shown.body.progress[0].message, /1 of 3 records no longer exist/);
});

Deno.test("a single-record job that runs out of budget goes on after the ids it handled", async () => {
  const fetched: string[] = [];
  const ids = ["w1", "gone-1", "w2", "forbidden-1", "w3", "w4", "gone-2", "w5"];
  await using t = await testApp(makeWidgets(6), {
    budgetMs: 300, // about three ids per invocation
    onFetchOne: async (id) => {
      fetched.push(id);
      await new Promise((r) => setTimeout(r, 100));
    },
  });
  const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", records: { widgets: ids } });
  let rounds = 0;
  while (rounds++ < 50) {
    const worked = await t.work();
    if (worked.body.outcomes[0]?.status !== "yielded") break;
  }
  assert.ok(rounds > 2, `the budget ran out only ${rounds - 1} times`);
  assert.deepEqual(fetched, ids, "every id fetched once, in order");
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.equal(shown.body.job.status, "partial", "the refused id is a failed item");
  const [p] = shown.body.progress;
  assert.deepEqual([p.done, p.inserted, p.failed, p.total], [8, 5, 1, 8]);
  assert.match(p.message, /^2 of 8 records no longer exist at the source$/);
});

Deno.test("the worker endpoint refuses a wrong secret; health and openapi are public", async () => {
  await using t = await testApp([]);
  const wrong = await t.app.request("/sync/worker", {
    method: "POST",
    headers: { "x-syncline-worker-secret": "nope" },
  });
  assert.equal(wrong.status, 401);
  const health = await t.app.request("/sync/health");
  assert.equal(health.status, 200);
  assert.equal((await health.json()).database, "up");
  const doc = await (await t.app.request("/sync/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  assert.ok(doc.paths["/sync/jobs"].post);
  const unknown = await t.app.request("/sync/nothing-here");
  assert.equal(unknown.status, 404);
});

Deno.test("connectors lists streams in dependency order, and CORS lets the dashboard call the API", async () => {
  await using t = await testApp([]);
  const { status, body } = await t.call("GET", "/sync/connectors");
  assert.equal(status, 200);
  assert.deepEqual(body.connectors[0].streams.map((s: { name: string }) => s.name), ["widgets"]);
  const preflight = await t.app.request("/sync/jobs", {
    method: "OPTIONS",
    headers: { origin: "http://127.0.0.1:8000", "access-control-request-method": "POST" },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
});

Deno.test("the worker endpoint accepts the worker secret as a bearer token (pg_net from Vault)", async () => {
  await using t = await testApp(makeWidgets(2));
  await t.call("POST", "/sync/jobs", { connector: "widgets" });
  const res = await t.app.request("/sync/worker", {
    method: "POST",
    headers: { authorization: `Bearer ${WORKER_SECRET}` },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).outcomes[0].status, "succeeded");
  const wrong = await t.app.request("/sync/worker", {
    method: "POST",
    headers: { authorization: "Bearer nope" },
  });
  assert.equal(wrong.status, 401);
});

Deno.test("every route the app serves is described in the OpenAPI document", async () => {
  await using t = await testApp([]);
  const doc = await (await t.app.request("/sync/openapi.json")).json();
  const missing = t.app.routes
    .filter((r) => r.method !== "ALL" && r.method !== "OPTIONS")
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:([a-z_]+)/g, "{$1}") }))
    .filter((r) => !doc.paths[r.path]?.[r.method])
    .map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...new Set(missing)], []);
});

Deno.test("cancelling a running job stops it at the next page; what was merged stays", async () => {
  let cancelAt: (() => Promise<unknown>) | null = null;
  await using t = await testApp(makeWidgets(100), {
    pageSize: 10,
    onPage: async (cursor) => {
      if (cursor === "30" && cancelAt) await cancelAt();
    },
  });
  const { body } = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  cancelAt = () => t.call("POST", `/sync/jobs/${body.job.id}/cancel`);
  const worked = await t.work();
  assert.equal(worked.body.outcomes[0].status, "cancelled");
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.equal(shown.body.job.status, "cancelled");
  assert.equal(shown.body.progress[0].status, "cancelled");
  const [{ n }] = await t.db.sql`select count(*)::int as n from public.widgets`;
  // pages before the cancel landed (the page being read while it was asked may land too)
  assert.ok(n >= 30 && n <= 50, `expected 30..50 rows, got ${n}`);
  assert.equal(Number(shown.body.job.stats.records), n);
});

Deno.test("a single record the API refuses for good becomes a failed item; the others land and the job is partial", async () => {
  await using t = await testApp(makeWidgets(5));
  const { body } = await t.call("POST", "/sync/jobs", {
    connector: "widgets",
    records: { widgets: ["w1", "forbidden-7", "w2"] },
  });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${body.job.id}`);
  assert.equal(shown.body.job.status, "partial");
  assert.equal(shown.body.job.stats.failed, 1);
  const rows = await t.db.sql`select id from public.widgets order by id`;
  assert.deepEqual(rows.map((r) => r.id), ["w1", "w2"]);
  const [item] = await t.db.sql`select item_key, error_class, error from sync.failed_items`;
  assert.equal(item.item_key, "forbidden-7");
  assert.equal(item.error_class, "http");
  assert.match(item.error, /^widgets record "forbidden-7": .*403/);
});
