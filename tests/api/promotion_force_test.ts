// promote --ids ... --force over the API: the named roots are judged again although their import
// chain did not change (a correction the fingerprint cannot see); without force they are not.
import assert from "node:assert/strict";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { expectedChains, promotionApp } from "./_promotion.ts";

Deno.test("POST /sync/promotions/{plan}/jobs with force judges the listed roots again", async () => {
  const fake = startFakeSquare({ seed: 29, orders: 40, customers: 10, items: 6, events: true });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await promotionApp(db.sql, fake.url);
    assert.equal((await call("POST", "/sync/jobs", { connector: "square", mode: "full" })).status, 202);
    await work();
    const [payment] = expectedChains(fake).promoted.keys();
    const attempts = async () =>
      (await call("GET", `/sync/promotions/square_event_sales/roots/${payment}`)).body.root.attempts;
    assert.equal(await attempts(), 1);

    const plain = await call("POST", "/sync/promotions/square_event_sales/jobs", { ids: [payment] });
    assert.equal(plain.status, 202, JSON.stringify(plain.body));
    await work();
    assert.equal(await attempts(), 1, "an unchanged root is not judged again without force");

    const forced = await call("POST", "/sync/promotions/square_event_sales/jobs", {
      ids: [payment],
      force: true,
    });
    assert.equal(forced.status, 202, JSON.stringify(forced.body));
    assert.equal(forced.body.job.options.force, true);
    await work();
    const { root } = (await call("GET", `/sync/promotions/square_event_sales/roots/${payment}`)).body;
    assert.equal(root.attempts, 2, "force judges it again");
    assert.equal(root.status, "promoted");
    assert.equal(Number(root.job_id), Number(forced.body.job.id));
    const job = (await call("GET", `/sync/jobs/${forced.body.job.id}`)).body.job;
    assert.equal(job.status, "succeeded", job.error);

    const bad = await call("POST", "/sync/promotions/square_event_sales/jobs", { force: true });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.message, /"force" judges the listed roots again: it takes "ids"/);
  } finally {
    await fake.close();
  }
});
