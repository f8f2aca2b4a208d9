// POST /sync/jobs starts the work at once: pg_net wakes the worker endpoint where it exists (stand-ins
// for pg_net and Vault here), else the API process runs a worker pass in the background.
import assert from "node:assert/strict";
import { makeWidgets, testApp } from "./_app.ts";

const standins = new URL("../_support/supabase_standins.sql", import.meta.url).pathname;

Deno.test("POST /jobs wakes the worker through pg_net with the job id when pg_net and Vault are there", async () => {
  await using t = await testApp(makeWidgets(3));
  await t.db.sql.file(standins);
  await t.db
    .sql`select vault.create_secret('https://example.test/functions/v1/sync/worker', 'syncline_worker_url')`;
  await t.db.sql`select vault.create_secret(${"w".repeat(40)}, 'syncline_worker_secret')`;
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  assert.equal(started.status, 202);
  assert.equal(started.body.worker, "woken");
  const sent = await t.db.sql<{ url: string; body: { reason: string; job_id: number } }[]>`
    select url, body from net.requests_sent`;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, "https://example.test/functions/v1/sync/worker");
  assert.deepEqual(sent[0].body, { reason: "manual", job_id: started.body.job.id });
});

Deno.test("POST /jobs without pg_net runs the job in the API process right away", async () => {
  const background: Promise<unknown>[] = [];
  await using t = await testApp(makeWidgets(25), { waitUntil: (p) => void background.push(p) });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  assert.equal(started.status, 202);
  assert.equal(started.body.worker, "in-process");
  assert.equal(background.length, 1);
  await Promise.all(background);
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded");
  const [{ n }] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from public.widgets`;
  assert.equal(n, 25, "no worker endpoint call was needed");
  const health = await (await t.app.request("/sync/health")).json();
  assert.equal(health.workerWakeUp.ok, false);
  assert.match(
    health.workerWakeUp.reason,
    /^pg_net is not installed/,
    "health says why pg_net did not wake it",
  );
});

Deno.test("POST /jobs with neither pg_net nor background work leaves the job queued and says so", async () => {
  await using t = await testApp(makeWidgets(2));
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets" });
  assert.equal(started.status, 202);
  assert.equal(started.body.worker, "queued");
  assert.equal(started.body.job.status, "queued");
});
