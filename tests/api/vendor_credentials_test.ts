// Vendor credentials stay with the vendor, end to end through the API and the worker: a vendor
// redirecting to another origin fails the job (the other origin never sees the key), and a
// vendor error echoing the key leaves it nowhere (tables, broadcasts, notifications, answers, logs).
import assert from "node:assert/strict";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { startFakeIrelandPay } from "../fakes/irelandpay/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { apiClient } from "./_app.ts";

// a configured key that no token pattern would catch: only its being configured redacts it
const KEY = "ip-7Hq2vX9LmK4rT8wZ3nB6";

/** A server recording the x-api-key of every request it receives. */
function otherOrigin() {
  const keys: (string | null)[] = [];
  const s = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    keys.push(req.headers.get("x-api-key"));
    return Response.json({ data: [], links: { next: null }, meta: {} });
  });
  return { url: `http://127.0.0.1:${(s.addr as Deno.NetAddr).port}`, keys, close: () => s.shutdown() };
}

const config = (baseUrl: string) => ({
  apiKey: KEY,
  baseUrl,
  pageSize: 2,
  rateLimitRequests: 0,
  httpBaseDelayMs: 1,
  httpMaxDelayMs: 5,
});

Deno.test("a vendor redirecting page 2 to another origin fails the job naming it; the other origin never gets the key", async () => {
  const other = otherOrigin();
  const fake = startFakeIrelandPay({
    seed: 3,
    merchants: 6,
    perMonth: 1,
    apiKey: KEY,
    intercept: (url) =>
      url.pathname.endsWith("/merchants") && url.searchParams.get("page") === "2"
        ? new Response(null, { status: 302, headers: { location: `${other.url}/api/v1/merchants?page=2` } })
        : null,
  });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors: { irelandpay: irelandpayConnector },
      connectorConfig: () => config(fake.url),
    });
    const started = await call("POST", "/sync/jobs", { connector: "irelandpay", streams: ["merchants"] });
    assert.equal(started.status, 202);
    await work();
    const { body } = await call("GET", `/sync/jobs/${started.body.job.id}`);
    assert.equal(body.job.status, "failed", body.job.error);
    assert.match(
      body.job.error,
      /redirect 302 to another origin \(http:\/\/127\.0\.0\.1:\d+\) refused: the request's credentials are only sent to http:\/\/127\.0\.0\.1:\d+/,
    );
    assert.deepEqual(other.keys, [], "the other origin received no request");
  } finally {
    await fake.close();
    await other.close();
  }
});

Deno.test("a vendor error echoing the key leaves it nowhere: jobs, progress, failed items, steps, circuits, Realtime, notifications, API answers, logs", async () => {
  // the key as is, URL-encoded, and a JWT: a literal secret, and a token-shaped text
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ2ZW5kb3ItdXNlciJ9.c2lnbmF0dXJlLW9mLXRoZS12ZW5kb3I";
  const echo = (what: string) =>
    `${what}: API key ${KEY} is not valid (sent ${encodeURIComponent(KEY)}; session ${jwt})`;
  const fake = startFakeIrelandPay({
    seed: 5,
    merchants: 4,
    perMonth: 1,
    apiKey: KEY,
    intercept: (url) =>
      url.pathname.endsWith("/api/v1/merchants")
        ? Response.json({ message: echo("Unauthenticated") }, { status: 401 })
        : /\/transactions\/[^/]+$/.test(url.pathname)
        ? Response.json({ message: echo("Forbidden") }, { status: 403 })
        : url.pathname.includes("/residuals/")
        ? new Response(echo("Service Unavailable"), { status: 503 })
        : null,
  });
  await using db = await createTestDatabase();
  const logs: string[] = [];
  try {
    const { call, work } = await apiClient({
      sql: db.sql,
      connectors: { irelandpay: irelandpayConnector },
      connectorConfig: () => ({ ...config(fake.url), httpMaxAttempts: 2 }),
      log: (line) => logs.push(line),
    });
    const listing = await call("POST", "/sync/jobs", { connector: "irelandpay", streams: ["merchants"] });
    const single = await call("POST", "/sync/jobs", {
      connector: "irelandpay",
      records: { transactions: ["t-1", "t-2"] },
    });
    const residuals = await call("POST", "/sync/jobs", {
      connector: "irelandpay",
      streams: ["residuals"],
      since: "2026-01-01",
    });
    await work();
    const ids = [listing, single, residuals].map((r) => r.body.job.id);
    const answers: unknown[] = [];
    for (const id of ids) {
      answers.push(
        (await call("GET", `/sync/jobs/${id}`)).body,
        (await call("GET", `/sync/jobs/${id}/steps`)).body,
      );
    }
    for (
      const path of [
        "/sync/jobs",
        "/sync/failed-items?connector=irelandpay",
        "/sync/circuits",
        "/sync/notifications/deliveries",
      ]
    ) {
      answers.push((await call("GET", path)).body);
    }
    const shown = answers[0] as { job: { status: string; error: string } };
    assert.equal(shown.job.status, "failed");
    assert.match(shown.job.error, /answered 401: .*API key \[redacted\] is not valid/);
    assert.equal((answers[2] as { job: { status: string } }).job.status, "partial");

    // every path was taken: a job error, failed items, steps, a circuit error, broadcasts, notifications
    const [{ n: failed }] = await db.sql`select count(*)::int as n from sync.failed_items`;
    assert.equal(failed, 2);
    const [{ n: circuits }] = await db
      .sql`select count(*)::int as n from sync.circuit_breakers where last_error is not null`;
    assert.ok(circuits >= 1, "a circuit error was stored");
    const [{ n: broadcasts }] = await db
      .sql`select count(*)::int as n from realtime.messages where payload::text like '%[redacted]%'`;
    assert.ok(broadcasts >= 1, "the error was broadcast");
    const [{ n: notes }] = await db
      .sql`select count(*)::int as n from sync.notifications where kind = 'job_failed'`;
    assert.ok(notes >= 1, "a job_failed notification was queued");

    const leaks = [KEY, encodeURIComponent(KEY), jwt];
    const tables = await db.sql<{ t: string }[]>`select format('%I.%I', table_schema, table_name) as t
      from information_schema.tables where table_schema in ('sync', 'realtime') and table_type = 'BASE TABLE'`;
    for (const { t } of tables) {
      for (const leak of leaks) {
        const [{ n }] = await db.sql.unsafe(
          `select count(*)::int as n from ${t} x where strpos(x::text, $1) > 0`,
          [leak],
        );
        assert.equal(n, 0, `${t} holds ${leak}`);
      }
    }
    const text = JSON.stringify(answers) + logs.join("\n");
    for (const leak of leaks) assert.ok(!text.includes(leak), `an answer or log line holds ${leak}`);
    assert.ok(logs.some((l) => l.includes("[redacted]")), "the failure was logged, redacted");
  } finally {
    await fake.close();
  }
});
