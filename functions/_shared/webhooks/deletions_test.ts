import assert from "node:assert/strict";
import { highlevelAction } from "../connectors/highlevel/webhooks.ts";
import { squareAction } from "../connectors/square/webhooks.ts";

Deno.test("Square customer.deleted re-reads the customer (its 404 marks the row deleted)", () => {
  // the documented payload: data.type "customer", data.id, data.deleted, data.object.customer
  const payload = {
    merchant_id: "MERCHANT_FAKE",
    type: "customer.deleted",
    event_id: "evt-fake-1",
    created_at: "2026-11-29T10:00:00Z",
    data: { type: "customer", id: "CUST_FAKE_1", deleted: true, object: { customer: { id: "CUST_FAKE_1" } } },
  };
  assert.deepEqual(squareAction("customer.deleted", payload), {
    kind: "records",
    stream: "customers",
    ids: ["CUST_FAKE_1"],
  });
});

Deno.test("HighLevel ContactDelete and ProductDelete re-read their record; PriceDelete waits for the listing", () => {
  assert.deepEqual(highlevelAction("ContactDelete", { type: "ContactDelete", id: "c1" }), {
    kind: "records",
    stream: "contacts",
    ids: ["c1"],
  });
  assert.deepEqual(highlevelAction("ProductDelete", { type: "ProductDelete", _id: "p1" }), {
    kind: "records",
    stream: "products",
    ids: ["p1"],
  });
  assert.equal(highlevelAction("PriceDelete", { type: "PriceDelete", _id: "x" }).kind, "ignore");
});
