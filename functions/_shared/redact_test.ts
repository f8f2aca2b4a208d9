import assert from "node:assert/strict";
import { capText, createRedactor, REDACTED, safeErrorText, secretValues } from "./redact.ts";

Deno.test("configured secrets are redacted as they are and URL-encoded, longest first", () => {
  const redact = createRedactor(["key-1234567890", "a+b/c=d=e", null, "", "short"]);
  assert.equal(
    redact("API key key-1234567890 is not valid; url ?k=a%2Bb%2Fc%3Dd%3De"),
    `API key ${REDACTED} is not valid; url ?k=${REDACTED}`,
  );
  assert.equal(redact("short stays"), "short stays", "secrets under 6 characters are not matched literally");
});

Deno.test("credential-shaped text is redacted without configuration", () => {
  const redact = createRedactor();
  const cases: [string, string][] = [
    ["Authorization: Bearer abc.def-ghi_jkl", `Authorization: Bearer ${REDACTED}`],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x", `token ${REDACTED}`],
    ["key sb_secret_ABCdef0123456789xyz", `key ${REDACTED}`],
    ["resend re_123456789_abcdefghij bad", `resend ${REDACTED} bad`],
    ["square EAAAl0ngAccessTokenValue1234567890", `square ${REDACTED}`],
    ["hook https://hooks.slack.com/services/T000/B000/XXXXsecret", `hook https://${REDACTED}`],
    ["GET /x?api_key=hunter22&page=2", `GET /x?api_key=${REDACTED}&page=2`],
    ['{"access_token": "tok-value-9"}', `{"access_token": "${REDACTED}"}`],
    ["x-api-key: live-key-value", `x-api-key: ${REDACTED}`],
    ["secret=INTERNAL", `secret=${REDACTED}`],
    [`random ${"aB3".repeat(15)} end`, `random ${REDACTED} end`],
  ];
  for (const [input, want] of cases) assert.equal(redact(input), want, input);
  // ordinary errors keep their words, ids and URLs
  for (
    const plain of [
      "square: GET https://connect.squareup.com/v2/orders?cursor=abc answered 500: internal",
      'record R4Y3FQ5JXQK0TAYHE1AJ3S7D5M field "total_money.amount": expected number',
      "bubble 1700000000000x123456789012345678 not found",
      "job 42 ran out of its budget",
      "550e8400-e29b-41d4-a716-446655440000",
    ]
  ) assert.equal(redact(plain), plain);
});

Deno.test("error texts are capped without splitting a surrogate pair", () => {
  assert.equal(capText("abcdef", 4), "abc…");
  assert.equal(capText("ab😀cd", 4), "ab…");
  assert.equal(safeErrorText("x".repeat(5000)).length, 2000);
});

Deno.test("secretValues picks the credential settings of a config, not public keys or header names", () => {
  assert.deepEqual(
    secretValues({
      accessToken: "tok-123456",
      apiKey: "key-123456",
      webhookSecret: "whs-123456",
      webhookSecretHeader: "x-webhook-secret",
      webhookPublicKey: "-----BEGIN PUBLIC KEY-----",
      baseUrl: "https://example.com",
      locationIds: ["L1"],
      clientSecret: "cs",
    }),
    ["tok-123456", "key-123456", "whs-123456"],
  );
});
