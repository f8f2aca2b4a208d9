// The account registry through the HTTP API: secrets go to Vault (the test stand-in) and never come
// back, refusals name the field, a paused account starts nothing (409), and removing an account takes
// its Vault secrets with it.
import assert from "node:assert/strict";
import { makeWidgets, testApp } from "./_app.ts";

const standins = new URL("../_support/supabase_standins.sql", import.meta.url).pathname;
const TOKEN = "acct-secret-token-0123456789-abcdef";

async function withVault() {
  const t = await testApp(makeWidgets(3));
  await t.db.sql.file(standins);
  return t;
}

Deno.test("an account's secret is stored in Vault, never in a plain column, and never returned", async () => {
  await using t = await withVault();
  const added = await t.call("POST", "/sync/accounts", {
    connector: "widgets",
    account: "shop-1",
    displayName: "Shop one",
    settings: { pageSize: 5 },
    secrets: { accessToken: TOKEN },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.account.state, "active");
  assert.deepEqual(added.body.account.settings, { pageSize: 5 });
  assert.equal(added.body.account.secrets.accessToken.set, true);
  assert.ok(added.body.account.secrets.accessToken.updated_at);
  for (const path of ["/sync/accounts", "/sync/accounts/widgets/shop-1"]) {
    const shown = await t.call("GET", path);
    assert.equal(shown.status, 200);
    assert.ok(!JSON.stringify(shown.body).includes(TOKEN), `${path} does not repeat the secret`);
  }
  const [vault] = await t.db.sql<{ name: string; secret: string }[]>`select name, secret from vault.secrets`;
  assert.equal(vault.name, "syncline_account:widgets/shop-1/accessToken");
  assert.equal(vault.secret, TOKEN);
  // no table of the sync schema holds the value
  const [{ n }] = await t.db.sql<{ n: number }[]>`
    select (select count(*) from sync.accounts a where a::text like ${"%" + TOKEN + "%"})
      + (select count(*) from sync.account_secrets s where s::text like ${"%" + TOKEN + "%"}) as n`;
  assert.equal(Number(n), 0);
  // a new value updates the same Vault secret
  const patched = await t.call("PATCH", "/sync/accounts/widgets/shop-1", {
    secrets: { accessToken: "rotated-1234567" },
  });
  assert.equal(patched.status, 200);
  const rows = await t.db.sql<{ secret: string }[]>`select secret from vault.secrets`;
  assert.deepEqual(rows.map((r) => r.secret), ["rotated-1234567"]);
  // removing the account removes its Vault secrets
  const removed = await t.call("DELETE", "/sync/accounts/widgets/shop-1");
  assert.equal(removed.status, 200);
  const [{ left }] = await t.db.sql<{ left: number }[]>`select count(*)::int as left from vault.secrets`;
  assert.equal(left, 0);
  assert.equal((await t.call("GET", "/sync/accounts/widgets/shop-1")).status, 404);
});

Deno.test("account refusals are 4xx naming the field", async () => {
  await using t = await withVault();
  const cases: [unknown, number, RegExp][] = [
    [{ connector: "nope", account: "a" }, 422, /Unknown connector "nope"/],
    [{ connector: "widgets", account: "bad key/with slash" }, 422, /account: an account key is/],
    [
      { connector: "widgets", account: "a", settings: { apiKey: "x" } },
      422,
      /settings\.apiKey: "apiKey" names a secret/,
    ],
    [{ connector: "widgets", account: "a", secrets: { accessToken: "" } }, 422, /secrets\.accessToken/],
    [{ connector: "widgets", account: "a", secrets: { "Bad Name": "x" } }, 422, /secrets/],
    [{ connector: "widgets", account: "a", colour: "red" }, 422, /colour/],
  ];
  for (const [body, status, message] of cases) {
    const res = await t.call("POST", "/sync/accounts", body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.match(res.body.error.message, message);
    assert.ok(!JSON.stringify(res.body).includes('"x"'));
  }
  assert.equal((await t.call("POST", "/sync/accounts", { connector: "widgets", account: "a" })).status, 201);
  const again = await t.call("POST", "/sync/accounts", { connector: "widgets", account: "a" });
  assert.equal(again.status, 409);
  assert.match(again.body.error.message, /Account "a" of connector "widgets" already exists/);
  const patch = await t.call("PATCH", "/sync/accounts/widgets/a", { state: "broken" });
  assert.equal(patch.status, 422);
  assert.match(patch.body.error.message, /state/);
  assert.equal((await t.call("PATCH", "/sync/accounts/widgets/zzz", { displayName: "x" })).status, 404);
});

Deno.test("a paused account's jobs are refused with 409, and run again once resumed", async () => {
  await using t = await withVault();
  await t.call("POST", "/sync/accounts", { connector: "widgets", account: "shop-2" });
  const paused = await t.call("POST", "/sync/accounts/widgets/shop-2/pause", { reason: "end of contract" });
  assert.equal(paused.status, 200);
  assert.equal(paused.body.account.state, "paused");
  assert.equal(paused.body.account.state_reason, "end of contract");
  const refused = await t.call("POST", "/sync/jobs", { connector: "widgets", account: "shop-2" });
  assert.equal(refused.status, 409);
  assert.equal(
    refused.body.error.message,
    'Cannot start sync for "widgets": account "shop-2" is paused (resume it first)',
  );
  assert.deepEqual(refused.body.error.details, { account: "shop-2", state: "paused" });
  // other accounts (and the environment's default) carry on
  assert.equal((await t.call("POST", "/sync/jobs", { connector: "widgets" })).status, 202);
  const resumed = await t.call("POST", "/sync/accounts/widgets/shop-2/resume");
  assert.equal(resumed.body.account.state, "active");
  assert.equal(resumed.body.account.state_reason, null);
  assert.equal((await t.call("POST", "/sync/jobs", { connector: "widgets", account: "shop-2" })).status, 202);
});

Deno.test("a job queued before its account was paused is cancelled when a worker claims it", async () => {
  await using t = await withVault();
  await t.call("POST", "/sync/accounts", { connector: "widgets", account: "shop-3" });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", account: "shop-3" });
  assert.equal(started.status, 202);
  await t.call("POST", "/sync/accounts/widgets/shop-3/pause");
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "cancelled");
  assert.match(shown.body.job.error, /account "shop-3" is paused/);
  // and it cannot be removed while... it is finished now, so it can
  assert.equal((await t.call("DELETE", "/sync/accounts/widgets/shop-3")).status, 200);
});

Deno.test("an account with a queued job cannot be removed (409 naming the job)", async () => {
  await using t = await withVault();
  await t.call("POST", "/sync/accounts", { connector: "widgets", account: "shop-4" });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", account: "shop-4" });
  const removed = await t.call("DELETE", "/sync/accounts/widgets/shop-4");
  assert.equal(removed.status, 409);
  assert.match(
    removed.body.error.message,
    new RegExp(`job ${started.body.job.id} is still queued or running`),
  );
});

Deno.test("without Vault an account's secret is refused (503) and nothing is stored", async () => {
  await using t = await testApp(makeWidgets(1));
  const res = await t.call("POST", "/sync/accounts", {
    connector: "widgets",
    account: "novault",
    secrets: { accessToken: TOKEN },
  });
  assert.equal(res.status, 503);
  assert.match(res.body.error.message, /Vault \(supabase_vault\) is not installed here/);
  assert.ok(!JSON.stringify(res.body).includes(TOKEN));
  const [{ n }] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from sync.accounts`;
  assert.equal(n, 0, "the account is not half-added");
  // an account without secrets needs no Vault
  assert.equal(
    (await t.call("POST", "/sync/accounts", { connector: "widgets", account: "novault" })).status,
    201,
  );
});

Deno.test("GET /sync/accounts names the environment's default account and which secrets it sets", async () => {
  await using t = await withVault();
  const res = await t.call("GET", "/sync/accounts?connector=widgets");
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    accounts: [],
    environment: [{ connector: "widgets", account: "default", secrets: [] }],
  });
  assert.equal((await t.call("GET", "/sync/accounts?connector=nope")).status, 422);
});
