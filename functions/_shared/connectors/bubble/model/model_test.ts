import assert from "node:assert/strict";
import { fieldCoverage } from "./coverage.ts";
import { invoicingModel } from "./invoicing.ts";
import { dependencyLevels } from "./levels.ts";
import { FieldMappingError, typedRow } from "./rows.ts";
import type { BubbleModel } from "./types.ts";

Deno.test("levels come from the declared links: agent, customer 0; user 1; invoice 2; payments, items 3; SEDA 4", () => {
  const plan = dependencyLevels(invoicingModel);
  assert.deepEqual(plan.byLevel, [
    ["agent", "customer"],
    ["user"],
    ["invoice"],
    ["invoice_item", "payment", "submitted_payment"],
    ["seda_registration"],
  ]);
  assert.deepEqual(plan.parents.invoice, ["agent", "customer", "user"]);
  assert.deepEqual(plan.parents.seda_registration, ["customer", "payment"]);
  assert.deepEqual(plan.backLinks, [{
    type: "invoice",
    field: "seda_registration",
    column: "seda_registration",
    target: "seda_registration",
  }]);
});

Deno.test("a link added to the model moves the levels; an undeclared cycle is refused and named", () => {
  const model: BubbleModel = structuredClone(invoicingModel);
  const agent = model.types.find((t) => t.name === "agent")!;
  agent.fields.manager = { column: "manager", type: "text", link: "user" };
  // user -> agent -> user
  assert.throws(() => dependencyLevels(model), /cycle: (agent -> user -> agent|user -> agent -> user)/);
  agent.fields.manager.backLink = true;
  assert.equal(dependencyLevels(model).levels.agent, 0);
  // without the back-link declaration on invoice.seda_registration, invoice <-> SEDA is a cycle
  const noBack: BubbleModel = structuredClone(invoicingModel);
  const sedaLink = noBack.types.find((t) => t.name === "invoice")!.fields.seda_registration;
  delete sedaLink.backLink;
  delete sedaLink.inverse;
  assert.throws(
    () => dependencyLevels(noBack),
    /cycle: .*invoice.*seda_registration|cycle: .*seda_registration.*invoice/,
  );
  const unknown: BubbleModel = structuredClone(invoicingModel);
  unknown.types[0].fields.boss = { column: "boss", type: "text", link: "nobody" };
  assert.throws(() => dependencyLevels(unknown), /links to unknown type "nobody"/);
  const badInverse: BubbleModel = structuredClone(invoicingModel);
  badInverse.types.find((t) => t.name === "invoice")!.fields.seda_registration.inverse = "status";
  assert.throws(() => dependencyLevels(badInverse), /inverse "status" must be a back-link's/);
});

Deno.test("a thing maps to typed columns; absent fields are null; keepLocalWhenEmpty fields are left out", () => {
  const invoice = invoicingModel.types.find((t) => t.name === "invoice")!;
  const thing = {
    _id: "1x1",
    "Created Date": "2026-01-01T00:00:00.000Z",
    "Modified Date": "2026-01-02T00:00:00.000Z",
    "Created By": "1x9",
    total: 98_765_432_109_876.55,
    panel_count: 12,
    payments: ["1x2", "1x3"],
    unknown_field: "kept in raw",
  };
  const row = typedRow(invoice, thing);
  assert.equal(row.id, "1x1");
  assert.equal(row.created_by, "1x9");
  assert.equal(row.total, 98_765_432_109_876.55);
  assert.deepEqual(row.payments, ["1x2", "1x3"]);
  assert.equal(row.status, null);
  assert.equal("seda_registration" in row, false);
  assert.equal(row.raw, thing);
  assert.throws(() => typedRow(invoice, { ...thing, panel_count: "twelve" }), FieldMappingError);
  assert.throws(
    () => typedRow(invoice, { ...thing, payments: "1x2" }),
    /invoice.payments: expected text\[\]/,
  );
});

Deno.test("coverage: seen vs mapped per type, the unmapped names, and the overall figure", () => {
  const report = fieldCoverage(invoicingModel, {
    invoice: { _id: 3, "Modified Date": 3, total: 3 },
    customer: { _id: 2, "Modified Date": 2, name: 2, fax: 1, "Fax 2": 1 },
  }, { invoice: 3, customer: 2 });
  const byType = Object.fromEntries(report.types.map((t) => [t.type, t]));
  assert.deepEqual([byType.invoice.mapped, byType.invoice.seen, byType.invoice.unmapped], [3, 3, []]);
  assert.deepEqual([byType.customer.mapped, byType.customer.seen, byType.customer.unmapped], [3, 5, [
    "Fax 2",
    "fax",
  ]]);
  assert.equal(byType.agent.seen, 0);
  assert.deepEqual(report.overall, { seen: 8, mapped: 6, percent: 75 });
  assert.ok(byType.invoice.notSeen.includes("status"));
});
