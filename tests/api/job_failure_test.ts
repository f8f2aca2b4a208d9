// A failed job says what happened and what to do (functions/_shared/failures.ts) in GET /sync/jobs and
// GET /sync/jobs/:id, next to the raw error; a job that did not fail has no failure.
import assert from "node:assert/strict";
import { HttpError } from "../../functions/_shared/engine/errors.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

/** The widgets source refuses the token as Square does (401 with its documented error body). */
const refusesToken = (c: Connector): Connector => ({
  ...c,
  operator: {
    vendor: "Widgets",
    credential: "access token",
    credentialKeys: ["accessToken"],
    renew: "re-authorise the account",
  },
  streams: c.streams.map((s) => ({
    ...s,
    fetchPage() {
      throw new HttpError({
        source: "widgets",
        status: 401,
        message: 'widgets: GET https://api.widgets.example/v2/widgets answered 401: {"errors":[{"category":' +
          '"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}',
        transient: false,
      });
    },
  })),
});

Deno.test("a failed job carries the operator's words and keeps the raw error", async () => {
  await using t = await testApp(makeWidgets(3), { connector: refusesToken });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const one = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.job.status, "failed");
  assert.match(one.body.job.error, /answered 401: \{"errors"/);
  assert.deepEqual(one.body.job.failure, {
    kind: "credentials",
    what: "Widgets refused the access token",
    todo: "set WIDGETS_ACCESS_TOKEN or re-authorise the account",
    httpStatus: 401,
    detail: one.body.job.error,
  });
  const list = await t.call("GET", "/sync/jobs?status=failed");
  assert.equal(list.body.jobs[0].failure.what, "Widgets refused the access token");
});

Deno.test("a job that succeeded has no failure", async () => {
  await using t = await testApp(makeWidgets(3));
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const one = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(one.body.job.status, "succeeded");
  assert.equal(one.body.job.failure, null);
});

Deno.test("a circuit's last error comes with the operator's words", async () => {
  await using t = await testApp(makeWidgets(1), { connector: refusesToken });
  await t.db.sql`insert into sync.circuit_breakers (source, state, failures, last_error) values
    ('widgets/default', 'open', 5, 'widgets: GET https://api.widgets.example/v2/widgets answered 503: down'),
    ('widgets/eu', 'closed', 0, null)`;
  const { circuits } = (await t.call("GET", "/sync/circuits")).body;
  assert.equal(circuits[0].failure.what, "Widgets was unavailable (HTTP 503)");
  assert.equal(circuits[1].failure, null);
});

Deno.test("a failed shard's error comes with the operator's words", async () => {
  await using t = await testApp(makeWidgets(1), { connector: refusesToken });
  const [job] = await t.db.sql`select * from sync.create_job('widgets', array['widgets'], 'default', 'full')`;
  await t.db
    .sql`insert into sync.job_shards (job_id, stream, shard, status, error, planned_at, finished_at) values
    (${job.id}, 'widgets', 0, 'failed', 'widgets#0 failed: widgets: GET https://api.widgets.example/v2/widgets answered 401: {}', now(), now()),
    (${job.id}, 'widgets', 1, 'done', null, now(), now())`;
  const { shards } = (await t.call("GET", `/sync/jobs/${job.id}`)).body;
  assert.equal(shards[0].failure.what, "Widgets refused the access token");
  assert.equal(shards[1].failure, null);
});
