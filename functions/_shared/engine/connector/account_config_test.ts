import assert from "node:assert/strict";
import { AccountNotActiveError, mergeAccountConfig, withoutSecrets } from "./account_config.ts";

const env = { accessToken: "env-token-123456", baseUrl: "https://connect.squareup.com", pageSize: "100" };

Deno.test("an unregistered account runs with the environment's settings", () => {
  assert.deepEqual(mergeAccountConfig(env, "other", null), env);
});

Deno.test("a registered account inherits the environment's settings but never its secrets", () => {
  const merged = mergeAccountConfig(env, "ML1", {
    state: "active",
    state_reason: null,
    settings: { pageSize: 50 },
    secrets: { accessToken: "own-token-123456" },
  });
  assert.deepEqual(merged, { baseUrl: env.baseUrl, pageSize: 50, accessToken: "own-token-123456" });
  const none = mergeAccountConfig(env, "ML2", {
    state: "active",
    state_reason: null,
    settings: {},
    secrets: {},
  });
  assert.equal(none.accessToken, undefined);
});

Deno.test("the registered default account keeps the environment's secrets unless Vault holds its own", () => {
  const stored = { state: "active" as const, state_reason: null, settings: {}, secrets: {} };
  assert.equal(mergeAccountConfig(env, "default", stored).accessToken, env.accessToken);
  const own = { ...stored, secrets: { accessToken: "vault-token-123456" } };
  assert.equal(mergeAccountConfig(env, "default", own).accessToken, "vault-token-123456");
});

Deno.test("withoutSecrets drops credential-named keys only", () => {
  assert.deepEqual(
    withoutSecrets({
      apiKey: "k",
      webhookSignatureKey: "s",
      clientSecret: "c",
      authHeader: "x-api-key",
      pageSize: 1,
    }),
    { authHeader: "x-api-key", pageSize: 1 },
  );
});

Deno.test("a paused account's refusal is a 409 naming the account and its state", () => {
  const err = new AccountNotActiveError("square", "ML1", "paused");
  assert.equal(err.status, 409);
  assert.equal(err.message, 'Cannot run sync for "square": account "ML1" is paused (resume it first)');
  assert.deepEqual(err.details, { account: "ML1", state: "paused" });
});
