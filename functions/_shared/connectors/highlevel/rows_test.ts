// HighLevel records as HighLevel documents them (tests/fixtures/highlevel, taken from the
// published OpenAPI examples) validate and map to the documented columns.
import assert from "node:assert/strict";
import { contactRow, orderRow, paymentStateOf, priceRow, productRow } from "./rows.ts";
import { contactSchema, orderSchema, priceSchema, productSchema } from "./schemas.ts";

const fixture = (name: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`../../../../tests/fixtures/highlevel/${name}`, import.meta.url)));

Deno.test("the documented Get-Order example validates and maps contactSnapshot, amountSummary and source", () => {
  const parsed = orderSchema.safeParse(fixture("get-order.json"));
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  const row = orderRow(parsed.data);
  assert.equal(row.id, "653f5e0cde5a1314e62a837c");
  assert.equal(row.contact_name, "rogan Mcclain", "first_name_lower_case + last_name of contactSnapshot");
  assert.equal(row.contact_email, "anish+11@gohighlevel.com");
  assert.equal(row.subtotal, 100, "amountSummary.subtotal");
  assert.equal(row.source_type, "invoice", "source.type");
  assert.equal(row.source_name, null, "the example's source has no name");
  assert.equal(row.amount, 100);
  assert.equal(row.live_mode, false);
  assert.equal(row.payment_status, "paid", "derived from status completed");
  assert.equal((row.items as unknown[]).length, 1, "the line item whose product has no _id is kept");
});

Deno.test("the documented List-Orders entry maps contactName, subtotal, sourceType and sourceName", () => {
  const entry = fixture("list-orders.json").data[0];
  const row = orderRow(orderSchema.parse(entry));
  assert.equal(row.contact_name, "James Bond");
  assert.equal(row.contact_email, "james.bond@gohighlevel.com");
  assert.equal(row.subtotal, 100);
  assert.equal(row.source_type, "funnel");
  assert.equal(row.source_name, "onestep");
  assert.deepEqual(row.items, []);
});

Deno.test("number and boolean examples written as strings are accepted and normalised", () => {
  const o = {
    ...fixture("get-order.json"),
    amount: "100",
    liveMode: "false",
    amountSummary: { subtotal: "95.5" },
  };
  const row = orderRow(orderSchema.parse(o));
  assert.equal(row.amount, 100);
  assert.equal(row.live_mode, false);
  assert.equal(row.subtotal, 95.5);
});

Deno.test("payment state comes from the documented status, never from an undocumented paymentStatus", () => {
  const o = { ...fixture("get-order.json"), status: "refunded", paymentStatus: "paid" };
  assert.equal(orderRow(orderSchema.parse(o)).payment_status, "refunded");
  assert.equal(paymentStateOf("completed"), "paid");
  assert.equal(paymentStateOf("cancelled"), "unpaid");
  assert.equal(paymentStateOf("something-new"), null);
  assert.equal(paymentStateOf(undefined), null);
});

Deno.test("an order fails only when it cannot be mapped, and the error names the field", () => {
  const bad = [
    [{ ...fixture("get-order.json"), items: "not a list" }, "items"],
    [{ ...fixture("get-order.json"), items: [{ qty: "two" }] }, "items.0.qty"],
    [{ ...fixture("get-order.json"), updatedAt: undefined }, "updatedAt"],
  ] as const;
  for (const [o, field] of bad) {
    const r = orderSchema.safeParse(o);
    assert.equal(r.success, false);
    assert.equal(r.error!.issues[0].path.join("."), field);
  }
  const itemOnlyPrice = {
    ...fixture("get-order.json"),
    items: [{ price: { _id: "p1" } }, { name: "x" }, {}],
  };
  assert.ok(
    orderSchema.safeParse(itemOnlyPrice).success,
    "items naming only a price, only a name, or nothing",
  );
});

Deno.test("products, prices and contacts as documented map to their rows", () => {
  const product = productRow(productSchema.parse(fixture("get-product.json")));
  assert.equal(product.available_in_store, true);
  const listed = fixture("list-products.json");
  assert.equal(productSchema.safeParse(listed.products[0]).success, true);
  const price = priceRow(priceSchema.parse(fixture("list-prices.json").prices[0]));
  assert.deepEqual(
    [price.product_id, price.amount, price.available_quantity, price.track_inventory],
    ["655b33a82209e60b6adb87a5", 199999, 5, null],
  );
  const contact = contactRow(contactSchema.parse(fixture("get-contact.json").contact));
  assert.equal(contact.updated_at, "2021-07-02T05:18:26.704Z");
  const searched = contactSchema.parse(fixture("search-contacts.json").contacts[0]);
  assert.equal(
    contactRow(searched).updated_at,
    "2020-10-29T09:31:30.255Z",
    "search results document only dateAdded",
  );
});
