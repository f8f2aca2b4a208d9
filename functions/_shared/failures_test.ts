// The operator's words for failed and partial jobs, from error texts in the shapes the engine stores
// them (engine/http/client.ts) with the vendors' documented error bodies: Square's {"errors": [{category,
// code, detail}]} (developer.squareup.com, Handling Errors), HighLevel's {statusCode, message, error},
// Bubble's {statusCode, body: {status, message}}, Ireland Pay's (IRIS CRM) {message}.
import assert from "node:assert/strict";
import { explainError, explainFailure, settingName, vendorMessage } from "./failures.ts";
import { squareConnector } from "./connectors/square/mod.ts";
import { highlevelConnector } from "./connectors/highlevel/mod.ts";
import { bubbleConnector } from "./connectors/bubble/mod.ts";
import { irelandpayConnector } from "./connectors/irelandpay/mod.ts";

const square = squareConnector.operator;
const sentence = (e: { what: string; todo: string } | null) => e && `${e.what}: ${e.todo}`;

Deno.test("a 401 from Square says the token was refused and which setting to fix", () => {
  const error = 'square: POST https://connect.squareup.com/v2/orders/search answered 401: {"errors":[{' +
    '"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}';
  const e = explainFailure({ connector: "square", status: "failed", error }, square);
  assert.equal(
    sentence(e),
    "Square refused the access token: set SQUARE_ACCESS_TOKEN or re-authorise the account",
  );
  assert.equal(e?.kind, "credentials");
  assert.equal(e?.httpStatus, 401);
  assert.equal(e?.detail, error, "the raw text stays the detail");
});

Deno.test("a 403 INSUFFICIENT_SCOPES from Square quotes the scope Square names", () => {
  const e = explainError(
    "square",
    'square: GET https://connect.squareup.com/v2/locations answered 403: {"errors":[{"category":' +
      '"AUTHENTICATION_ERROR","code":"INSUFFICIENT_SCOPES","detail":"The merchant must authorize your ' +
      'application for the following scopes: MERCHANT_PROFILE_READ"}]}',
    square,
  );
  assert.equal(e.kind, "permission");
  assert.match(e.what, /^Square refused access to \/v2\/locations: .*MERCHANT_PROFILE_READ\)$/);
  assert.match(e.todo, /^re-authorise the account with the scope Square names/);
});

Deno.test("HighLevel: a bad token, and a token without the scope (401 'not authorized for this scope')", () => {
  const help = highlevelConnector.operator;
  const bad = explainError(
    "highlevel",
    'highlevel: GET https://services.leadconnectorhq.com/contacts/ answered 401: {"statusCode":401,' +
      '"message":"Invalid token: access token is invalid","error":"Unauthorized"}',
    help,
  );
  assert.equal(bad.kind, "credentials");
  assert.match(
    sentence(bad)!,
    /^HighLevel refused the access token: set HIGHLEVEL_ACCESS_TOKEN or create a new/,
  );
  const scope = explainError(
    "highlevel",
    'highlevel: GET https://services.leadconnectorhq.com/payments/orders answered 401: {"statusCode":401,' +
      '"message":"The token is not authorized for this scope."}',
    help,
  );
  assert.equal(scope.kind, "permission");
  assert.match(scope.what, /The token is not authorized for this scope/);
});

Deno.test("Bubble: a type the Data API does not expose (404) says where to enable it", () => {
  const e = explainError(
    "bubble",
    'bubble: GET https://app.example.com/api/1.1/obj/invoice answered 404: {"statusCode":404,"body":' +
      '{"status":"NOT_FOUND","message":"Type not found invoice"}}',
    bubbleConnector(["user"]).operator,
  );
  assert.equal(e.kind, "not_found");
  assert.equal(e.what, "Bubble has nothing at /api/1.1/obj/invoice (404): Type not found invoice");
  assert.match(e.todo, /^enable the Data API for this type/);
});

Deno.test("Ireland Pay (described): its key setting comes from the description's auth", () => {
  const e = explainError(
    "irelandpay",
    'irelandpay: GET https://crm.irelandpay.com/api/v1/merchants answered 401: {"message":"Unauthenticated."}',
    irelandpayConnector.operator,
  );
  assert.equal(
    sentence(e),
    "Ireland Pay refused the API key: set IRELANDPAY_API_KEY or create a new API key in the Ireland Pay CRM",
  );
});

Deno.test("transient failures after retries: 5xx, 429 past the give-up time, timeouts, the network", () => {
  const unavailable = explainError(
    "square",
    "square: GET https://connect.squareup.com/v2/customers answered 503: upstream down (gave up after 5 attempts)",
    square,
  );
  assert.equal(unavailable.kind, "unavailable");
  assert.equal(unavailable.what, "Square was unavailable (HTTP 503, 5 attempts)");
  const limited = explainError(
    "square",
    'square: GET https://connect.squareup.com/v2/payments answered 429: {"errors":[{"category":' +
      '"RATE_LIMIT_ERROR","code":"RATE_LIMITED"}]}; gave up after 30 min of waiting (giveUpAfterMs)',
    square,
  );
  assert.equal(limited.kind, "rate_limited");
  assert.equal(limited.what, 'Square kept answering "too many requests" (429) for 30 min');
  const timeout = explainError(
    "square",
    "square: GET https://connect.squareup.com/v2/locations timed out after 30000 ms (gave up after 3 attempts)",
    square,
  );
  assert.equal(timeout.what, "Square did not answer within 30 s");
  assert.match(timeout.todo, /SQUARE_HTTP_TIMEOUT_MS/);
  const network = explainError(
    "square",
    "square: GET https://connect.squareup.com/v2/locations failed: dns error: failed to lookup address (gave up after 3 attempts)",
    square,
  );
  assert.equal(network.kind, "unreachable");
  assert.equal(network.what, "Syncline could not reach Square (dns error: failed to lookup address)");
});

Deno.test("an open circuit names the failure behind it", () => {
  const e = explainError(
    "square",
    "square/default: circuit breaker is open after repeated failures; requests are refused for another 30 s " +
      "(last error: square: GET https://connect.squareup.com/v2/locations answered 401: {})",
    square,
  );
  assert.equal(e.kind, "circuit_open");
  assert.match(e.what, /the last: Square refused the access token$/);
  assert.match(e.todo, /^set SQUARE_ACCESS_TOKEN/);
});

Deno.test("a missing setting names the variable to set", () => {
  const e = explainError(
    "square",
    "Invalid Square connector config: accessToken: Invalid input: expected string, received undefined",
    square,
  );
  assert.equal(
    sentence(e),
    "The Square settings lack SQUARE_ACCESS_TOKEN: set SQUARE_ACCESS_TOKEN in the function's secrets and run the job again",
  );
});

Deno.test("a partial job: failed records and completeness gaps per stream, from its stats", () => {
  const records = explainFailure({
    connector: "square",
    status: "partial",
    stats: { streams: { orders: { failed: 2 }, customers: { failed: 1 }, locations: { failed: 0 } } },
  }, square);
  assert.equal(records?.kind, "records");
  assert.equal(records?.what, "3 records of orders, customers did not land");
  assert.match(records!.todo, /^open Failed items/);
  const gap = explainFailure({
    connector: "square",
    status: "partial",
    stats: { streams: { orders: { failed: 0, completeness: { status: "gap", missing: 3 } } } },
  }, square);
  assert.equal(sentence(gap), "Orders is missing 3 records Square has: run a reconcile of orders");
});

Deno.test("succeeded and running jobs need no words; unknown errors say so and keep the detail", () => {
  assert.equal(explainFailure({ connector: "square", status: "succeeded", error: null }), null);
  assert.equal(explainFailure({ connector: "square", status: "running", error: null }), null);
  const odd = explainFailure({ connector: "widgets", status: "failed", error: "Unexpected error: boom" });
  assert.equal(odd?.kind, "unexpected");
  assert.equal(odd?.detail, "Unexpected error: boom");
});

Deno.test("settingName and vendorMessage", () => {
  assert.equal(settingName("square", "accessToken"), "SQUARE_ACCESS_TOKEN");
  assert.equal(settingName("irelandpay", "httpTimeoutMs"), "IRELANDPAY_HTTP_TIMEOUT_MS");
  assert.equal(vendorMessage('{"errors":[{"code":"UNAUTHORIZED","detail":"no"}]}'), "no");
  assert.equal(vendorMessage('{"statusCode":404,"body":{"message":"Type not found x"}}'), "Type not found x");
  assert.equal(vendorMessage('{"message":["a","b"]}'), "a; b");
  assert.equal(vendorMessage("<html>"), null);
});
