// PostgreSQL restarted while the API process (functions/sync/index.ts) runs a sync through
// POST /sync/worker: the process survives, answers again once the database is back, and the job
// finishes with every record. The cluster is a throwaway one whose socket lives under /tmp.
import assert from "node:assert/strict";
import postgres from "postgres";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { freePort, startThrowawayCluster } from "./pg_cluster.ts";
import { jobStatus, ROOT, tableFigures, waitFor } from "./_support.ts";

const SECRET = "restart-test-worker-secret";

Deno.test("PostgreSQL restarted while the API process runs a sync: the process survives and the job completes", async () => {
  const orders = 3_000;
  const fake = startFakeSquare({ seed: 43, locations: 3, orders });
  fake.state.fault = async () => void await new Promise((r) => setTimeout(r, 40));
  await using cluster = await startThrowawayCluster();
  const port = freePort();
  const api = `http://127.0.0.1:${port}/sync`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", `${ROOT}functions/sync/index.ts`],
    cwd: ROOT,
    env: {
      SYNCLINE_DB_URL: cluster.url,
      SYNCLINE_PORT: String(port),
      SYNCLINE_WORKER_SECRET: SECRET,
      SQUARE_BASE_URL: fake.url,
      SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
      SQUARE_PAGE_SIZE: "200",
      SQUARE_RATE_LIMIT_REQUESTS: "0",
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (c) => void (log += c) }),
  ).catch(() => {});
  let exited = false;
  child.status.then(() => (exited = true));
  const watch = () => postgres(cluster.url, { max: 1, onnotice: () => {} });
  const work = () =>
    fetch(`${api}/worker`, {
      method: "POST",
      headers: { "x-syncline-worker-secret": SECRET, "content-type": "application/json" },
      body: JSON.stringify({ budgetMs: 60_000 }),
    }).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      (e) => ({ status: 0, body: String(e) }),
    );
  try {
    await waitFor(
      "the API",
      () => fetch(`${api}/health`).then((r) => r.body?.cancel().then(() => r.ok), () => false),
    );
    let w = watch();
    const jobId = (await db.createJob(w, { connector: "square", streams: ["orders"], mode: "full" })).id;
    const running = work();
    await waitFor("a few pages", async () => (await jobStatus(w, jobId)).done >= 600, 60_000, 20);
    await w.end({ timeout: 1 });
    await cluster.restart();
    const first = await running;
    assert.ok(!exited, `the API process died:\n${log.slice(-3000)}`);
    assert.ok(
      first.status > 0 && first.status < 500,
      `the worker call answered ${first.status}: ${first.body}`,
    );
    w = watch();
    try {
      const final = await waitFor(
        "the job to finish",
        async () => {
          assert.ok(!exited, `the API process died:\n${log.slice(-3000)}`);
          const s = await jobStatus(w, jobId);
          if (["queued", "running"].includes(s.status)) {
            await work(); // as pg_cron would, until the job is done
            return null;
          }
          return s;
        },
        120_000,
        100,
      );
      assert.equal(final.status, "succeeded", final.error ?? "");
      const t = await tableFigures(w, "square.orders");
      assert.deepEqual([t.rows, t.distinct], [orders, orders]);
      const health = await fetch(`${api}/health`);
      await health.body?.cancel();
      assert.equal(health.status, 200);
    } finally {
      await w.end({ timeout: 5 });
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await child.status;
    await fake.close();
  }
});
