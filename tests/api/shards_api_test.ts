// Starting a sharded read: what the API accepts and refuses, what a job shows, and the CLI's --shards.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { adminToken, apiClient, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

Deno.test("POST /jobs refuses shards where they cannot apply, naming why", async () => {
  const fake = startFakeSquare({ seed: 3, orders: 10 });
  await using db = await createTestDatabase();
  try {
    const { call } = await apiClient({
      sql: db.sql,
      connectors,
      connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url }),
    });
    const refused = async (body: Record<string, unknown>, pattern: RegExp) => {
      const res = await call("POST", "/sync/jobs", { connector: "square", ...body });
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.match(res.body.error.message, pattern);
    };
    await refused({ streams: ["orders"], shards: 4 }, /does not apply to an incremental sync without since/);
    await refused({ streams: ["orders"], mode: "reconcile", shards: 4 }, /does not apply to a reconcile/);
    await refused(
      { streams: ["orders"], mode: "full", dryRun: true, shards: 4 },
      /does not apply to dry runs/,
    );
    await refused({ records: { orders: ["o1"] }, mode: "full", shards: 2 }, /single-record syncs/);
    await refused(
      { streams: ["orders", "customers"], mode: "full", shards: 4 },
      /Cannot shard square stream "customers": its API cannot read a time window \(shardable: orders\)/,
    );
    for (const shards of [0, 65, 2.5, "4"]) {
      const res = await call("POST", "/sync/jobs", { connector: "square", mode: "full", shards });
      assert.equal(res.status, 422, `shards ${JSON.stringify(shards)}: ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body.error), /shards/);
    }
    // a historical read, or all streams (the shardable ones are split, the rest read whole)
    const historical = await call("POST", "/sync/jobs", {
      connector: "square",
      streams: ["orders"],
      since: "2026-01-01",
      shards: 3,
    });
    assert.equal(historical.status, 202, JSON.stringify(historical.body));
    assert.equal(historical.body.job.options.shards, 3);
    const listed = await call("GET", "/sync/connectors");
    const square = listed.body.connectors.find((c: { name: string }) => c.name === "square");
    assert.deepEqual(
      square.streams.filter((s: { shardable: boolean }) => s.shardable).map((s: { name: string }) => s.name),
      ["orders"],
    );
  } finally {
    await fake.close();
  }
});

Deno.test("one worker alone reads every shard; GET /jobs/:id shows them with their figures", async () => {
  const fake = startFakeSquare({ seed: 4, orders: 700, locations: 2 });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors,
      connectorConfig: () => ({
        accessToken: FAKE_SQUARE_TOKEN,
        baseUrl: fake.url,
        rateLimitRequests: 0,
        pageSize: 100,
      }),
    });
    const started = await call("POST", "/sync/jobs", {
      connector: "square",
      streams: ["orders"],
      mode: "full",
      shards: 3,
    });
    assert.equal(started.status, 202);
    await work();
    const shown = await call("GET", `/sync/jobs/${started.body.job.id}`);
    assert.equal(shown.body.job.status, "succeeded", shown.body.job.error);
    assert.equal(shown.body.shards.length, 3);
    assert.deepEqual(shown.body.shards.map((s: { status: string }) => s.status), ["done", "done", "done"]);
    const read = shown.body.shards.reduce((n: number, s: { done: number }) => n + s.done, 0);
    assert.equal(shown.body.progress[0].done, read);
    assert.equal(shown.body.job.stats.streams.orders.inserted, 700);
    const [{ n }] = await db.sql`select count(*)::int as n from square.orders`;
    assert.equal(n, 700);
    // the shards start from the location list the planner's probe resolved: one ListLocations for
    // the read (not one per shard), one for the catch-up after it, one per window of the completeness
    // id walk
    assert.equal(fake.state.requests["GET /v2/locations"], 1 + 1 + 3);
    // the sharded read left a high-water mark: an incremental read after it gets exactly the changes
    const touched = fake.state.touch("orders", 5);
    const inc = await call("POST", "/sync/jobs", { connector: "square", streams: ["orders"] });
    await work();
    const incShown = await call("GET", `/sync/jobs/${inc.body.job.id}`);
    assert.equal(incShown.body.job.status, "succeeded", incShown.body.job.error);
    assert.equal(incShown.body.job.stats.streams.orders.updated, touched.length);
    assert.equal(incShown.body.job.stats.streams.orders.inserted, 0);
  } finally {
    await fake.close();
  }
});

Deno.test({
  name: "CLI: --shards N starts a sharded read; a bad N is a usage error (exit 2)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(3));
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    try {
      const bad = await cli(api, token, "widgets", "--full", "--shards", "many");
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--shards takes a positive whole number, got "many"/);
      // the widgets listing cannot read a time window: the API's refusal is a usage error too
      const refused = await cli(api, token, "widgets", "--full", "--shards", "4", "--no-follow");
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /Cannot shard widgets stream "widgets"/);
      const one = await cli(api, token, "widgets", "--full", "--shards", "1", "--no-follow");
      assert.equal(one.code, 0, one.stderr);
      // "sync show" of a sharded job lists its shards (a job read in 2 shards by hand here)
      const [job] = await t.db.sql`select * from sync.create_job('widgets', array['x'], 'default', 'full',
        '{"shards": 2}')`;
      await t.db.sql`update sync.jobs set status = 'running', lease_owner = 'w', started_at = now(),
        lease_expires_at = now() + interval '1 minute' where id = ${job.id}`;
      await t.db.sql`select sync.plan_shards(${job.id}, 'w', 'x', ${
        t.db.sql.json([{ start: null, end: "2026-01-01T00:00:00Z" }, {
          start: "2026-01-01T00:00:00Z",
          end: null,
        }])
      }, now())`;
      const shown = await cli(api, token, "show", String(job.id));
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /^shards \(time windows read by several workers at once\):$/m);
      assert.match(shown.stdout, /^ {2}x#0 \(start\) \.\. 2026-01-01T00:00:00Z {2}pending +0 read/m);
      assert.match(shown.stdout, /^ {2}x#1 2026-01-01T00:00:00Z \.\. \(now\) {2}pending/m);
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test("a sharded read of an empty listing: one shard, nothing read, the job succeeds", async () => {
  const fake = startFakeSquare({ seed: 5, orders: 0, locations: 1 });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors,
      connectorConfig: () => ({ accessToken: FAKE_SQUARE_TOKEN, baseUrl: fake.url, rateLimitRequests: 0 }),
    });
    const started = await call("POST", "/sync/jobs", {
      connector: "square",
      streams: ["orders"],
      mode: "full",
      shards: 4,
    });
    await work();
    const shown = await call("GET", `/sync/jobs/${started.body.job.id}`);
    assert.equal(shown.body.job.status, "succeeded", shown.body.job.error);
    assert.deepEqual(
      shown.body.shards.map((s: { window_start: unknown; window_end: unknown; done: number }) => [
        s.window_start,
        s.window_end,
        s.done,
      ]),
      [[null, null, 0]],
    );
  } finally {
    await fake.close();
  }
});

Deno.test(
  "a sharded read of hostile records: broken ones become failed items, NUL and lone surrogates are sanitised, deep JSON and unicode land, each order once",
  async () => {
    const fake = startFakeSquare({ seed: 6, orders: 900, locations: 2 });
    await using db = await createTestDatabase();
    try {
      const broken = fake.state.malform("orders", 3);
      const keys = fake.state.keys("orders").filter((k) => !broken.includes(k));
      const dirty = fake.state.edit("orders", keys.slice(100, 102), (r) => {
        r.reference_id = "nul\u0000here \ud800 lone ☃ 🎟";
        r.metadata = {
          deep: JSON.parse("[".repeat(40) + "1" + "]".repeat(40)),
          big: "123456789012345678901234567890",
        };
      });
      const { call, work } = await apiClient({
        sql: db.sql,
        connectors,
        connectorConfig: () => ({
          accessToken: FAKE_SQUARE_TOKEN,
          baseUrl: fake.url,
          rateLimitRequests: 0,
          pageSize: 50,
          // the dirty orders were edited just before the read: no clock margin, so the catch-up does
          // not read (and sanitise) them a second time
          catchUpMarginMs: 0,
        }),
      });
      const started = await call("POST", "/sync/jobs", {
        connector: "square",
        streams: ["orders"],
        mode: "full",
        shards: 4,
      });
      await work();
      const shown = await call("GET", `/sync/jobs/${started.body.job.id}`);
      assert.equal(shown.body.job.status, "partial", shown.body.job.error);
      const s = shown.body.job.stats.streams.orders;
      assert.equal(s.failed, 3);
      assert.equal(s.sanitised, 2);
      assert.equal(s.inserted, 897);
      const [{ n, distinct }] = await db
        .sql`select count(*)::int as n, count(distinct id)::int as distinct from square.orders`;
      assert.deepEqual([n, distinct], [897, 897]);
      const rows = await db.sql`select reference_id from square.orders where id = any(${dirty}) order by id`;
      assert.deepEqual(rows.map((r) => r.reference_id), [
        "nulhere \ufffd lone ☃ 🎟",
        "nulhere \ufffd lone ☃ 🎟",
      ]);
      const failed = await db
        .sql`select item_key from sync.failed_items where job_id = ${started.body.job.id} order by item_key`;
      assert.deepEqual(failed.map((f) => f.item_key), [...broken].sort());
    } finally {
      await fake.close();
    }
  },
);
