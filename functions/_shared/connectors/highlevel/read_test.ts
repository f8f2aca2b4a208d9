// Only 404, or a 400 with the documented not-found body, means a record is gone.
import assert from "node:assert/strict";
import { HttpError } from "../../engine/errors.ts";
import { isGone } from "./read.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../../../tests/fixtures/highlevel/${name}`, import.meta.url)).trim();
const answered = (status: number, body: string) =>
  new HttpError({
    source: "highlevel",
    status,
    message: `highlevel: GET http://x/payments/orders/1 answered ${status}: ${body}`,
    transient: false,
  });

Deno.test("a 400 is gone only with the documented not-found body of that record kind", () => {
  assert.equal(isGone(answered(400, fixture("order-not-found.json")), "Order"), true);
  assert.equal(isGone(answered(400, fixture("bad-request.json")), "Order"), false, "a malformed request");
  assert.equal(isGone(answered(400, fixture("order-not-found.json")), "Product"), false);
  assert.equal(
    isGone(answered(400, fixture("order-not-found.json")), null),
    false,
    "routes without a documented body",
  );
  assert.equal(isGone(answered(400, "not json"), "Order"), false);
  assert.equal(isGone(answered(422, '{"statusCode":422,"message":["Order not found"]}'), "Order"), false);
  assert.equal(isGone(answered(404, "{}"), null), true);
  assert.equal(isGone(new Error("x"), "Order"), false);
});
