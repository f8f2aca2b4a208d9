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
