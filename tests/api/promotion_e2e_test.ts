// End to end: a full Square sync of the fake's event data with SQUARE_PROMOTION_PLAN set promotes
// every eligible payment's chain in the same job; production holds exactly the chains the fake's
// data says are eligible (computed here from the fake's records, not from the SQL), no orphans,
// monitoring adds up; a refund and an edit at the source then reach production; a bulk re-run
// changes nothing.
import assert from "node:assert/strict";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { expectedChains, productionChecksum, promotionApp, type Rec } from "./_promotion.ts";

Deno.test("a full Square sync of event data promotes exactly the eligible chains, in the same job", async () => {
  const fake = startFakeSquare({
    seed: 21,
    orders: 400,
    payments: 380,
    customers: 60,
    items: 12,
    events: true,
  });
  await using db = await createTestDatabase();
  try {
    const { call, work } = await promotionApp(db.sql, fake.url);

    const full = await call("POST", "/sync/jobs", { connector: "square", mode: "full" });
    assert.equal(full.status, 202);
    await work();
    const shownJob = (await call("GET", `/sync/jobs/${full.body.job.id}`)).body;
    const job = shownJob.job;
    // roots that failed to promote make the sync partial, never succeeded (the CLI exits 3)
    assert.equal(job.status, "partial", job.error);

    // production holds exactly the eligible chains
    const want = expectedChains(fake);
    assert.ok(
      want.promoted.size > 200 && want.failed.size > 0,
      `fixture: ${want.promoted.size}/${want.failed.size}`,
    );
    const phase = shownJob.progress.find((p: Rec) => p.phase === "promotion");
    assert.equal(phase?.failed, want.failed.size);
    assert.match(phase.message, new RegExp(`${want.failed.size} roots failed to promote`));
    assert.equal(job.stats.failed, want.failed.size);
    const regs = await db.sql`select payment_id, ticket_count from events.registrations`;
    assert.deepEqual(
      new Map(regs.map((r) => [r.payment_id, r.ticket_count])),
      want.promoted,
    );
    const [{ tickets }] = await db
      .sql`select count(*)::int as tickets from events.tickets where status = 'valid'`;
    assert.equal(tickets, [...want.promoted.values()].reduce((a, b) => a + b, 0));
    // promoted right after import, by the sync job itself
    const byJob = await db.sql`select distinct job_id from sync.promotion_roots`;
    assert.deepEqual(byJob.map((r) => Number(r.job_id)), [full.body.job.id]);

    // monitoring adds up to the import counts, no orphans
    const { status } = (await call("GET", "/sync/promotions/square_event_sales/status")).body;
    const r = status.roots;
    assert.equal(r.import, 380);
    assert.equal(r.promoted + r.ineligible + r.failed + r.withdrawn + r.pending, r.import);
    assert.equal(r.pending, 0);
    assert.equal(r.promoted, want.promoted.size);
    assert.equal(r.failed, want.failed.size);
    assert.equal(status.orphan_total, 0);
    const reasons = new Set(status.ineligible_by_reason.map((x: Rec) => x.reason_code));
    for (const code of ["not_completed", "refunded", "registration_cancelled"]) {
      assert.ok(reasons.has(code), code);
    }
    assert.equal(
      status.ineligible_by_reason.reduce((n: number, x: Rec) => n + x.count, 0),
      r.ineligible + r.withdrawn,
    );
    const tickets6 = status.steps.find((s: Rec) => s.step === "tickets");
    assert.equal(tickets6.rows_of_promoted_roots, tickets);
    assert.ok(status.failed.every((f: Rec) => f.step === "attendees" && /has no attendee/.test(f.error)));

    // the step log of one promoted root, through the API
    const [one] = want.promoted.keys();
    const shown = await call("GET", `/sync/promotions/square_event_sales/roots/${one}`);
    assert.equal(shown.status, 200);
    assert.match(
      shown.body.line,
      /^✓ payment imported · ✓ registration found · ✓ booking contact · ✓ \d+ attendees · ✓ \d+ contacts · ✓ \d+ tickets · promoted$/,
    );
    assert.equal((await call("GET", "/sync/promotions/square_event_sales/roots/nope")).status, 404);
    // the console's job view: the roots this job judged, with their logs
    const failedOfJob = await call(
      "GET",
      `/sync/promotions/square_event_sales/roots?job=${full.body.job.id}&status=failed&limit=500`,
    );
    assert.equal(failedOfJob.body.roots.length, want.failed.size);
    assert.ok(failedOfJob.body.roots.every((x: Rec) => x.line.endsWith("· not promoted")));
    assert.equal((await call("GET", "/sync/promotions/no_such_plan/status")).status, 404);

    // local columns and identity survive; a full refund at the source cancels, never deletes
    const [ticket] = await db.sql`select id, code, registration_id, payment_id from events.tickets
      where payment_id = ${one} order by line_item_uid, unit limit 1`;
    await db.sql`update events.tickets set scanned_at = '2026-06-01T10:00:00Z' where id = ${ticket.id}`;
    await db
      .sql`update events.registrations set notes = 'wheelchair access' where id = ${ticket.registration_id}`;
    fake.state.edit("payments", [one], (p) => void (p.refunded_money = p.total_money));
    const inc = await call("POST", "/sync/jobs", { connector: "square", streams: ["payments"] });
    await work();
    assert.equal((await call("GET", `/sync/jobs/${inc.body.job.id}`)).body.job.status, "succeeded");
    const [after] = await db.sql`select t.id, t.code, t.status, t.scanned_at, r.status as reg, r.notes
      from events.tickets t join events.registrations r on r.id = t.registration_id where t.id = ${ticket.id}`;
    assert.equal(after.code, ticket.code);
    assert.equal(after.status, "cancelled");
    assert.equal(after.reg, "cancelled");
    assert.equal(after.notes, "wheelchair access");
    assert.equal(new Date(after.scanned_at).toISOString(), "2026-06-01T10:00:00.000Z");
    const withdrawn = (await call("GET", `/sync/promotions/square_event_sales/roots/${one}`)).body;
    assert.equal(withdrawn.root.status, "withdrawn");
    assert.match(withdrawn.line, /✗ payment fully refunded .* · withdrawn from production$/);

    // an edited registration at the source updates production: one line item dropped
    const [two] = [...want.promoted.keys()].filter((id) => id !== one);
    const [reg2] = await db.sql`select id, ticket_count from events.registrations where payment_id = ${two}`;
    fake.state.edit("orders", [reg2.id], (o) => void (o.line_items = (o.line_items as Rec[]).slice(0, 1)));
    const inc2 = await call("POST", "/sync/jobs", { connector: "square", records: { orders: [reg2.id] } });
    await work();
    assert.equal((await call("GET", `/sync/jobs/${inc2.body.job.id}`)).body.job.status, "succeeded");
    const [reg2After] = await db.sql`select ticket_count from events.registrations where id = ${reg2.id}`;
    const [{ valid }] = await db.sql`select count(*)::int as valid from events.tickets
      where registration_id = ${reg2.id} and status = 'valid'`;
    assert.equal(valid, reg2After.ticket_count);

    // a bulk re-run judges every root again and changes nothing
    const before = await productionChecksum(db.sql);
    const bulk = await call("POST", "/sync/promotions/square_event_sales/jobs", {});
    assert.equal(bulk.status, 202);
    await work();
    const bulkJob = (await call("GET", `/sync/jobs/${bulk.body.job.id}`)).body;
    assert.equal(bulkJob.job.status, "partial"); // the failed roots fail again
    assert.equal(bulkJob.progress[0].done, 380);
    assert.equal(bulkJob.progress[0].inserted, 0);
    assert.equal(await productionChecksum(db.sql), before);
  } finally {
    await fake.close();
  }
});
