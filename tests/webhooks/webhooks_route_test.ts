// POST /sync/webhooks/:connector through app.request: verification, refusals, duplicates,
// ignored events, and processing into single-record jobs.
import assert from "node:assert/strict";
import { processInbox } from "../../functions/_shared/webhooks/process.ts";
import { highlevelEvent, signHighLevelBody } from "../fakes/highlevel/mod.ts";
import { BUBBLE_SECRET, highlevelKeys, inboxCount, squareEvent, squareRequest, testApp } from "./_app.ts";

Deno.test("a signed Square webhook is stored once and acknowledged; a redelivery answers duplicate", async () => {
  await using t = await testApp();
  const body = JSON.stringify(squareEvent("payment.updated", "PAY1", "evt-1"));
  const first = await t.app.request(await squareRequest(body));
  assert.equal(first.status, 202);
  const ack = await first.json();
  assert.equal(ack.received, true);
  const again = await t.app.request(await squareRequest(body));
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), { received: true, duplicate: true, id: ack.id });
  const rows = await t.sql`select provider, event_id, event_type, status from sync.webhook_inbox`;
  assert.deepEqual(rows.map((r) => ({ ...r })), [
    { provider: "square", event_id: "evt-1", event_type: "payment.updated", status: "received" },
  ]);
});

Deno.test("a Square retry hours after the event is accepted (Square retries for 72 h); its replay is a no-op", async () => {
  const now = Date.parse("2026-05-01T10:00:00Z");
  await using t = await testApp({ now: () => now });
  // the endpoint was down: Square's retry 5 hours later still carries the event's created_at
  const late = JSON.stringify(squareEvent("payment.updated", "PAY9", "evt-late", "2026-05-01T05:00:00Z"));
  const retry = await t.app.request(await squareRequest(late));
  assert.equal(retry.status, 202, await retry.clone().text());
  const replay = await t.app.request(await squareRequest(late));
  assert.equal(replay.status, 200);
  assert.equal((await replay.json()).duplicate, true);
  // beyond Square's retry horizon (72 h) a delivery is refused as a possible replay
  const old = JSON.stringify(squareEvent("payment.updated", "PAY9", "evt-old", "2026-04-28T08:00:00Z"));
  const refused = await t.app.request(await squareRequest(old));
  assert.equal(refused.status, 401);
  assert.match((await refused.json()).error.message, /created_at .* older than 262800 s/);
  assert.equal(await inboxCount(t.sql), 1);
});

Deno.test("webhook refusals are 4xx naming the problem and store nothing", async () => {
  const now = Date.parse("2026-05-01T10:00:00Z");
  await using t = await testApp({ now: () => now });
  const fresh = new Date(now - 1000).toISOString();
  const body = JSON.stringify(squareEvent("payment.updated", "PAY1", "evt-1", fresh));
  const cases: [string, Request, number, string][] = [
    ["wrong key", await squareRequest(body, "other-key"), 401, "invalid_signature"],
    [
      "tampered body",
      new Request("http://localhost/sync/webhooks/square", {
        method: "POST",
        headers: { ...Object.fromEntries((await squareRequest(body)).headers) },
        body: body.replace("PAY1", "PAY2"),
      }),
      401,
      "invalid_signature",
    ],
    [
      "stale",
      await squareRequest(
        // Square's retries last 72 hours: older than that is refused
        JSON.stringify(squareEvent("payment.updated", "P", "e-old", "2026-04-28T08:59:00Z")),
      ),
      401,
      "stale_timestamp",
    ],
    [
      "future",
      await squareRequest(
        JSON.stringify(squareEvent("payment.updated", "P", "e-new", "2026-05-01T10:30:00Z")),
      ),
      401,
      "future_timestamp",
    ],
    ["not JSON", await squareRequest("{nope"), 400, "invalid_json"],
    [
      "schema",
      await squareRequest(JSON.stringify({ type: "payment.updated", created_at: fresh })),
      400,
      "invalid_payload",
    ],
    [
      "content type",
      await squareRequest(body, undefined, { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
    ],
    ["too large", await squareRequest(" ".repeat(300 * 1024) + body), 413, "payload_too_large"],
    [
      "unknown connector",
      new Request("http://localhost/sync/webhooks/nope", { method: "POST", body: "{}" }),
      404,
      "not_found",
    ],
  ];
  for (const [what, req, status, code] of cases) {
    const res = await t.app.request(req);
    const json = await res.json();
    assert.equal(res.status, status, `${what}: ${JSON.stringify(json)}`);
    assert.equal(json.error.code, code, what);
    assert.ok(json.error.message.length > 10, what);
  }
  assert.equal(await inboxCount(t.sql), 0);
});

Deno.test("HighLevel deliveries verify with Ed25519 (not legacy RSA by default); stale timestamp refused", async () => {
  await using t = await testApp();
  const keys = await highlevelKeys();
  const send = async (event: Record<string, unknown>, opts: { legacy?: boolean } = {}) => {
    const body = JSON.stringify(event);
    return await t.app.request("/sync/webhooks/highlevel", {
      method: "POST",
      headers: { "content-type": "application/json", ...(await signHighLevelBody(keys, body, opts)) },
      body,
    });
  };
  assert.equal((await send(highlevelEvent("OrderCreate", { _id: "o1" }, { webhookId: "w1" }))).status, 202);
  // the legacy RSA header only with HIGHLEVEL_WEBHOOK_LEGACY_RSA (webhooks_highlevel_legacy_test.ts)
  assert.equal(
    (await send(highlevelEvent("ContactUpdate", { id: "c1" }, { webhookId: "w2" }), { legacy: true })).status,
    401,
  );
  const stale = await send(
    highlevelEvent("OrderCreate", { _id: "o1" }, {
      webhookId: "w3",
      timestamp: new Date(Date.now() - 600_000).toISOString(),
    }),
  );
  assert.equal(stale.status, 401);
  assert.match((await stale.json()).error.message, /timestamp .* older than 300 s/);
  const ignored = await send(highlevelEvent("AppointmentCreate", { id: "a1" }, { webhookId: "w4" }));
  assert.equal(ignored.status, 202);
  assert.equal((await ignored.json()).ignored, true);
  const rows = await t.sql`select event_id, status from sync.webhook_inbox order by id`;
  assert.deepEqual(rows.map((r) => `${r.event_id}:${r.status}`), [
    "w1:received",
    "w4:ignored",
  ]);
});

Deno.test("Bubble webhooks need the shared secret; event id from x-event-id", async () => {
  await using t = await testApp();
  const body = JSON.stringify({ type: "thing.changed" });
  const req = (secret: string) =>
    new Request("http://localhost/sync/webhooks/bubble", {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": secret, "x-event-id": "b-1" },
      body,
    });
  assert.equal((await t.app.request(req("wrong"))).status, 401);
  assert.equal((await t.app.request(req(BUBBLE_SECRET))).status, 202);
  assert.equal((await t.app.request(req(BUBBLE_SECRET))).status, 200);
  assert.equal(await inboxCount(t.sql), 1);
});

Deno.test("processInbox batches events into one single-record job per stream and defers a busy stream", async () => {
  await using t = await testApp();
  for (const [i, id] of ["PAY1", "PAY2", "PAY1"].entries()) {
    await t.app.request(await squareRequest(JSON.stringify(squareEvent("payment.updated", id, `p-${i}`))));
  }
  await t.app.request(
    await squareRequest(JSON.stringify(squareEvent("catalog.version.updated", "CV1", "cat-1"))),
  );
  await t.app.request(await squareRequest(JSON.stringify(squareEvent("labor.shift.created", "S1", "x-1"))));
  const deps = {
    sql: t.sql,
    connectors: (await import("../../functions/_shared/connectors/registry.ts")).connectors,
    connectorConfig: () => ({}),
  };
  const s1 = await processInbox(deps);
  assert.deepEqual({ ...s1, jobs: s1.jobs.length }, {
    claimed: 4,
    processed: 4,
    ignored: 0,
    deferred: 0,
    failed: 0,
    jobs: 2,
  });
  const jobs = await t.sql`select streams, mode, options, trigger from sync.jobs order by id`;
  assert.deepEqual(jobs.map((j) => ({ ...j })), [
    {
      streams: ["payments"],
      mode: "single",
      options: { records: { payments: ["PAY1", "PAY2"] } },
      trigger: "webhook",
    },
    {
      streams: ["catalog_categories", "catalog_items", "catalog_variations"],
      mode: "incremental",
      options: {},
      trigger: "webhook",
    },
  ]);
  // the payments job is still queued: a new payment event waits, stays "received"
  await t.app.request(await squareRequest(JSON.stringify(squareEvent("payment.created", "PAY3", "p-9"))));
  const s2 = await processInbox(deps);
  assert.equal(s2.deferred, 1);
  const [row] = await t.sql`select status, error from sync.webhook_inbox where event_id = 'p-9'`;
  assert.equal(row.status, "received");
  assert.match(row.error, /already queued \(job \d+\)/);
  const statuses = await t.sql`select status, count(*)::int n from sync.webhook_inbox group by 1 order by 1`;
  assert.deepEqual(statuses.map((r) => `${r.status}:${r.n}`), ["ignored:1", "processed:4", "received:1"]);
});
