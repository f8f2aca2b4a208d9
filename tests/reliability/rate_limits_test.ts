// Rate limiting is the vendor asking to wait, not an error (issue 26.2): a storm of 429s, with or
// without Retry-After, is waited out and never opens the circuit; a wait past the run's budget
// yields the job to its vendor's time; an outage opens the circuit and the job continues by itself
// once it closes; only the give-up time (giveUpAfterMs) ends a job that keeps waiting.
import assert from "node:assert/strict";
import { irelandpayConnector } from "../../functions/_shared/connectors/irelandpay/mod.ts";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { FAKE_IRELANDPAY_KEY, startFakeIrelandPay } from "../fakes/irelandpay/mod.ts";
import { injectOutage } from "../fakes/square/faults.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase, type Sql } from "../_support/db.ts";
import { fakeConfig, jobStatus, tableFigures } from "./_support.ts";

const FINAL = ["succeeded", "partial", "failed", "cancelled"];

/** A worker in process that keeps polling (as scripts/worker.ts does) until the job has finished. */
async function workUntilFinished(
  url: string,
  jobId: number,
  connectors: Record<string, Connector>,
  config: Record<string, unknown>,
  opts: { budgetMs?: number; timeoutMs?: number } = {},
): Promise<{ outcomes: JobOutcome[]; status: string; error: string | null; ms: number }> {
  const sql = connect(url, 2);
  const t0 = Date.now();
  const outcomes: JobOutcome[] = [];
  try {
    for (;;) {
      outcomes.push(
        ...await runUntilIdle({
          sql,
          connectors,
          connectorConfig: () => config,
          workerId: "storm-worker",
        }, { budgetMs: opts.budgetMs ?? 60_000 }),
      );
      const s = await jobStatus(sql, jobId);
      if (FINAL.includes(s.status)) {
        return { outcomes, status: s.status, error: s.error, ms: Date.now() - t0 };
      }
      if (Date.now() - t0 > (opts.timeoutMs ?? 60_000)) {
        throw new Error(`job ${jobId} still ${s.status} after ${Date.now() - t0} ms: ${s.error}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function circuit(sql: Sql, source: string) {
  const [cb] = await sql`select state, failures from sync.circuit_breakers where source = ${source}`;
  return cb as { state: string; failures: number } | undefined;
}

for (const retryAfter of [true, false]) {
  Deno.test(`8 consecutive 429s ${retryAfter ? "with" : "without"} Retry-After: the job waits, the circuit stays closed, the job succeeds`, async () => {
    await using tdb = await createTestDatabase();
    const fake = startFakeSquare({ seed: 31, locations: 1, orders: 600 });
    try {
      let limited = 0;
      let pages = 0;
      // the storm starts on the second page of orders
      fake.state.fault = (_req, route) => {
        if (route !== "POST /v2/orders/search" || ++pages < 2 || limited >= 8) return undefined;
        limited++;
        return new Response(
          JSON.stringify({ errors: [{ category: "RATE_LIMIT_ERROR", code: "RATE_LIMITED" }] }),
          { status: 429, headers: retryAfter ? { "retry-after": "0.2" } : {} },
        );
      };
      const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
      // five ordinary attempts and a circuit threshold of 3: 8 429s exceed both
      const config = fakeConfig(fake.url, { pageSize: 100, httpMaxAttempts: 5, circuitFailureThreshold: 3 });
      const run = await workUntilFinished(tdb.url, job.id, { square: squareConnector }, config);
      assert.equal(limited, 8);
      assert.equal(run.status, "succeeded", run.error ?? "");
      assert.equal((await tableFigures(tdb.sql, "square.orders")).distinct, 600);
      assert.notEqual((await circuit(tdb.sql, "square/default"))?.state, "open");
      const [row] = await tdb.sql`select attempts from sync.jobs where id = ${job.id}`;
      assert.equal(row.attempts, 1, "waited within the run, no new attempt");
    } finally {
      await fake.close();
    }
  });
}

Deno.test("a Retry-After past the run's budget yields the job until the vendor's time; it resumes from its checkpoint", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 32, locations: 1, orders: 500 });
  try {
    let pages = 0;
    let limitedAt = 0;
    fake.state.fault = (_req, route) => {
      if (route !== "POST /v2/orders/search" || ++pages !== 3) return undefined;
      limitedAt = Date.now();
      return new Response('{"errors":[{"code":"RATE_LIMITED"}]}', {
        status: 429,
        headers: { "retry-after": "2" },
      });
    };
    const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const config = fakeConfig(fake.url, {
      pageSize: 100,
      httpMaxRetryAfterMs: 1_000,
      completenessIds: false,
    });
    const run = await workUntilFinished(tdb.url, job.id, { square: squareConnector }, config);
    assert.equal(run.status, "succeeded", run.error ?? "");
    assert.ok(run.outcomes.some((o) => o.status === "yielded"), JSON.stringify(run.outcomes));
    const [row] = await tdb.sql`select attempts, run_after, error from sync.jobs where id = ${job.id}`;
    assert.equal(row.attempts, 2, "claimed again after the wait");
    assert.equal(row.error, null);
    assert.ok(run.ms >= 1_900, `resumed after ${run.ms} ms, before the vendor's 2 s`);
    assert.ok(limitedAt > 0);
    // 5 pages of 100, the page that answered 429, at most the one read ahead of the checkpoint and
    // the full read's catch-up (a restart from the start would read 2 more)
    assert.ok(pages <= 7 + 1, `${pages} page requests`);
    assert.equal((await tableFigures(tdb.sql, "square.orders")).distinct, 500);
  } finally {
    await fake.close();
  }
});

Deno.test("continuous 429s past the give-up time end the job failed with the reason", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 33, locations: 1, orders: 200 });
  try {
    fake.state.fault = () => new Response('{"errors":[{"code":"RATE_LIMITED"}]}', { status: 429 });
    const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const config = fakeConfig(fake.url, { giveUpAfterMs: 1_500, httpMaxRetryAfterMs: 300 });
    const run = await workUntilFinished(tdb.url, job.id, { square: squareConnector }, config);
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /rate limited \(429\).*gave up after 1\.5 s of waiting \(giveUpAfterMs\)/);
    assert.ok(run.ms >= 1_400, `gave up after ${run.ms} ms`);
    assert.notEqual((await circuit(tdb.sql, "square/default"))?.state, "open");
  } finally {
    await fake.close();
  }
});

Deno.test("a declarative connector at a 25 requests/s limit answering 429: no open circuit, the job succeeds", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeIrelandPay({ seed: 5, merchants: 8, perMonth: 5 });
  // Stripe's test-mode limit in front of the fake: more than 25 requests in a second answer 429
  const arrivals: number[] = [];
  let refused = 0;
  const proxy = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const t = performance.now();
    while (arrivals.length > 0 && arrivals[0] <= t - 1000) arrivals.shift();
    if (arrivals.length >= 25) {
      refused++;
      return new Response('{"message":"Too Many Attempts."}', { status: 429 });
    }
    arrivals.push(t);
    const url = new URL(req.url);
    const res = await fetch(new URL(url.pathname + url.search, fake.url), { headers: req.headers });
    // the fake's next-page links point at the fake: through the proxy instead
    const body = (await res.text()).replaceAll(new URL(fake.url).origin, url.origin);
    return new Response(body, { status: res.status, headers: { "content-type": "application/json" } });
  });
  try {
    const job = await db.createJob(tdb.sql, {
      connector: "irelandpay",
      streams: ["merchants", "transactions"],
      mode: "incremental",
      options: { since: "2024-01-01T00:00:00.000Z" },
    });
    const config = {
      apiKey: FAKE_IRELANDPAY_KEY,
      baseUrl: `http://127.0.0.1:${proxy.addr.port}/api/v1`,
      pageSize: 3,
      rateLimitRequests: 0,
      httpBaseDelayMs: 50,
      circuitFailureThreshold: 3,
    };
    const run = await workUntilFinished(tdb.url, job.id, { irelandpay: irelandpayConnector }, config, {
      timeoutMs: 120_000,
    });
    assert.ok(refused >= 3, `only ${refused} requests were refused`);
    assert.equal(run.status, "succeeded", run.error ?? "");
    assert.doesNotMatch(run.error ?? "", /circuit breaker is open/);
    assert.notEqual((await circuit(tdb.sql, "irelandpay/default"))?.state, "open");
  } finally {
    await proxy.shutdown();
    await fake.close();
  }
});

Deno.test("an outage opens the circuit; the job waits and continues by itself once the circuit closes", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeSquare({ seed: 34, locations: 1, orders: 1_000 });
  try {
    let outage: ReturnType<typeof injectOutage> | undefined;
    let pages = 0;
    fake.state.fault = (_req, route) => {
      if (route === "POST /v2/orders/search" && ++pages === 3) {
        outage = injectOutage(fake.state);
        setTimeout(() => outage!.end(), 1_500);
      }
      return undefined;
    };
    const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const config = fakeConfig(fake.url, {
      pageSize: 100,
      circuitFailureThreshold: 4,
      circuitCooldownMs: 500,
    });
    const run = await workUntilFinished(tdb.url, job.id, { square: squareConnector }, config);
    assert.equal(run.status, "succeeded", run.error ?? "");
    assert.ok(outage && outage.requests >= 4, `${outage?.requests} requests into the outage`);
    assert.ok(outage!.requests <= 12, `sent ${outage!.requests} requests into a 1.5 s outage`);
    assert.ok(run.outcomes.some((o) => o.status === "yielded"), JSON.stringify(run.outcomes));
    assert.equal((await circuit(tdb.sql, "square/default"))?.state, "closed");
    assert.equal((await tableFigures(tdb.sql, "square.orders")).distinct, 1_000);
  } finally {
    await fake.close();
  }
});
