// One invoice with full integrity, on known data: the steps and counts of its report, a missing
// relation as a warning, skip vs force, local-only columns surviving, and the request count.
import assert from "node:assert/strict";
import { createTestDatabase } from "../_support/db.ts";
import { invoicingData } from "../fakes/bubble/invoicing.ts";
import { startFakeBubble } from "../fakes/bubble/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { config, connector, counts, fastHttp, runAll, startJob, stepsOf } from "./_support.ts";

const at = (d: number) => new Date(Date.parse("2026-03-01T00:00:00.000Z") + d * 60_000).toISOString();
const thing = (id: string, d: number, fields: Record<string, unknown>) => ({
  _id: id,
  "Created Date": at(d),
  "Modified Date": at(d + 1),
  ...fields,
});

/** One invoice: 2 payments and a third that was deleted, 1 item, 1 submitted payment, a SEDA
 * registration that lost both its invoice's back-link and its customer. */
function data() {
  return {
    agent: [thing("A1", 0, { name: "Aisha", email: "aisha@example.test", commission_rate: 0.05 })],
    customer: [
      thing("C1", 0, { name: "Chen 陳", email: "chen@example.test", tags: ["solar"] }),
      thing("C2", 0, { name: "Other", fax: "+60 3-0000" }),
    ],
    user: [thing("U1", 1, { name: "Uma", role: "agent", agent: "A1" }), thing("U2", 1, { customer: "C2" })],
    invoice: [thing("INV1", 2, {
      "Created By": "U1",
      invoice_no: "INV-000001",
      total: 98_765_432_109_876.55,
      agent: "A1",
      customer: "C1",
      payments: ["P1", "P2", "PGONE"],
      submitted_payments: ["S1"],
      items: ["I1"],
    })],
    payment: [
      thing("P1", 3, { invoice: "INV1", amount: 100 }),
      thing("P2", 3, { invoice: "INV1", amount: 200.5 }),
    ],
    submittedpayment: [thing("S1", 3, { invoice: "INV1", submitted_by: "U2", amount: 50 })],
    invoiceitem: [thing("I1", 3, { invoice: "INV1", description: "Panels × 12", quantity: 12 })],
    sedaregistration: [
      thing("SEDA1", 4, { linked_invoice: ["INV1"], deposit_payment: "P1", status: "pending" }),
    ],
  };
}

Deno.test("one invoice: every linked thing lands in level order with a step report; a 404 relation is a warning", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeBubble({ data: data() });
  try {
    const job = await startJob(tdb.sql, { options: { records: { invoice: ["INV1"] } } });
    const [outcome] = await runAll(tdb.sql, config(fake));
    assert.equal(outcome.status, "succeeded");
    const steps = (await stepsOf(tdb.sql, job.id)).map((s) =>
      [s.action, s.entity, s.status, s.count].join(" ")
    );
    assert.deepEqual(steps, [
      "fetch invoice success 1",
      "find by linked_invoice seda_registration success 1",
      "fetch invoice_item success 1",
      "fetch payment success 2",
      "fetch payment warning ",
      "fetch submitted_payment success 1",
      "fetch user success 1",
      "fetch (linked by relations) user success 1",
      "fetch agent success 1",
      "fetch customer success 1",
      "fetch (linked by relations) customer success 1",
      "merge level 0 agent success 1",
      "merge level 0 customer success 2",
      "merge level 1 user success 2",
      "merge level 2 invoice success 1",
      "merge level 3 invoice_item success 1",
      "merge level 3 payment success 2",
      "merge level 3 submitted_payment success 1",
      "merge level 4 seda_registration success 1",
      "auto-patch  success 2",
      "outcome  synced ",
    ]);
    const warning = (await stepsOf(tdb.sql, job.id)).find((s) => s.status === "warning")!;
    assert.match(warning.detail!, /payment PGONE does not exist at the source \(404\)/);
    assert.deepEqual(await counts(tdb.sql), {
      agent: 1,
      customer: 2,
      user: 2,
      invoice: 1,
      payment: 2,
      submitted_payment: 1,
      invoice_item: 1,
      seda_registration: 1,
    });
    // the patch pass: the invoice's lost back-link restored, the SEDA's customer filled
    const [seda] = await tdb.sql`select i.seda_registration, s.linked_customer from bubble.invoice i,
      bubble.seda_registration s where i.id = 'INV1' and s.id = 'SEDA1'`;
    assert.deepEqual({ ...seda }, { seda_registration: "SEDA1", linked_customer: "C1" });
    // the gone payment is cleared from the typed list, raw keeps it
    const [inv] = await tdb.sql`select payments, raw -> 'payments' as raw_payments, total::text
      from bubble.invoice where id = 'INV1'`;
    assert.deepEqual(inv.payments, ["P1", "P2"]);
    assert.deepEqual(inv.raw_payments, ["P1", "P2", "PGONE"]);
    assert.equal(inv.total, "98765432109876.55");
    // the invoice, its SEDA registration by linked_invoice, then one request per type, highest level
    // first: items, payments, submitted payments; users; agents, customers
    assert.equal(fake.state.requests.total, 8);
  } finally {
    await fake.close();
  }
});

Deno.test("an up-to-date invoice is skipped with its relations untouched; force rewrites it, even from older data", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeBubble({ data: data() });
  try {
    await startJob(tdb.sql, { options: { records: { invoice: ["INV1"] } } });
    await runAll(tdb.sql, config(fake));
    await tdb.sql`alter table bubble.invoice add column local_note text`;
    await tdb.sql`alter table bubble.payment add column reconciled boolean`;
    await tdb.sql`update bubble.invoice set local_note = 'call back Monday'`;
    await tdb.sql`update bubble.payment set reconciled = true`;
    // the source changes a payment but not the invoice: the invoice is up to date, so skipped
    const p1 = fake.state.records.get("payment")!.find((r) => r._id === "P1")!;
    p1.amount = 999;
    p1["Modified Date"] = at(100);
    const before = fake.state.requests.total;
    const skip = await startJob(tdb.sql, { options: { records: { invoice: ["INV1"] } } });
    assert.equal((await runAll(tdb.sql, config(fake)))[0].status, "succeeded");
    assert.equal(fake.state.requests.total - before, 1, "only the invoice was read");
    const skipSteps = await stepsOf(tdb.sql, skip.id);
    assert.deepEqual(skipSteps.map((s) => `${s.action} ${s.status}`), [
      "fetch success",
      "skip success",
      "outcome skipped",
    ]);
    assert.equal((await tdb.sql`select amount::int from bubble.payment where id = 'P1'`)[0].amount, 100);

    // the source's invoice is now OLDER than the local copy and differs: without force it is skipped,
    // with force it is rewritten (merge_rows_force) with its relations; local-only columns survive
    await tdb.sql`update bubble.invoice set modified_date = modified_date + interval '1 day',
      _source_updated_at = _source_updated_at + interval '1 day'`;
    fake.state.records.get("invoice")![0].status = "paid";
    const force = await startJob(tdb.sql, { options: { records: { invoice: ["INV1"] }, force: true } });
    assert.equal((await runAll(tdb.sql, config(fake)))[0].status, "succeeded");
    const outcome = (await stepsOf(tdb.sql, force.id)).at(-1)!;
    assert.equal(outcome.status, "synced");
    const [inv] = await tdb.sql`select status, local_note, modified_date = ${
      at(3)
    }::timestamptz as source_date
      from bubble.invoice where id = 'INV1'`;
    assert.deepEqual({ ...inv }, { status: "paid", local_note: "call back Monday", source_date: true });
    const [pay] = await tdb.sql`select amount::int, reconciled from bubble.payment where id = 'P1'`;
    assert.deepEqual({ ...pay }, { amount: 999, reconciled: true });
  } finally {
    await fake.close();
  }
});

Deno.test("an invoice that does not exist at the source fails with an error step; the job is partial", async () => {
  await using tdb = await createTestDatabase();
  const fake = startFakeBubble({ data: data() });
  try {
    const job = await startJob(tdb.sql, { options: { records: { invoice: ["NOPE", "INV1"] } } });
    const [outcome] = await runAll(tdb.sql, config(fake));
    assert.equal(outcome.status, "partial");
    const steps = await stepsOf(tdb.sql, job.id);
    const nope = steps.filter((s) => s.root_id === "NOPE");
    assert.deepEqual(nope.map((s) => `${s.action} ${s.status}`), ["fetch error", "outcome failed"]);
    assert.match(nope[0].detail!, /invoice NOPE does not exist at the source \(404\)/);
    assert.equal(steps.filter((s) => s.root_id === "INV1").at(-1)!.status, "synced");
  } finally {
    await fake.close();
  }
});

Deno.test("a single-invoice job whose budget runs out goes on after the invoices it finished", async () => {
  await using tdb = await createTestDatabase();
  let clock = 0;
  const data = invoicingData({ invoices: 6 });
  // every list request the fake answers moves the clock: a budget of 2 is spent by one invoice
  const fake = startFakeBubble({ data, onList: () => clock++ });
  try {
    const ids = data.invoice.map((i) => i._id as string);
    const job = await startJob(tdb.sql, { options: { records: { invoice: ids } } });
    const statuses: string[] = [];
    for (let i = 0; i < 20 && statuses.at(-1) !== "succeeded"; i++) {
      const out = await runUntilIdle({
        sql: tdb.sql,
        connectors: { bubble: connector },
        connectorConfig: () => config(fake),
        workerId: `w${i}`,
        httpFor: fastHttp,
        now: () => clock,
      }, { budgetMs: 2 });
      statuses.push(...out.map((o) => o.status));
    }
    assert.equal(statuses.at(-1), "succeeded");
    assert.ok(statuses.filter((s) => s === "yielded").length >= 3, statuses.join(","));
    const outcomes = (await stepsOf(tdb.sql, job.id)).filter((s) => s.action === "outcome");
    assert.deepEqual(outcomes.map((o) => o.root_id).sort(), [...ids].sort());
    const byId = fake.state.requests.urls.filter((u) => /^\/api\/1\.1\/obj\/invoice\/[^?]+$/.test(u));
    assert.equal(byId.length, ids.length, "each invoice read once");
  } finally {
    await fake.close();
  }
});
