// `deno task sync accounts ...` as a user runs it: add (a secret from standard input, one from an
// environment variable, never from the command line), list, show, pause, resume, remove; the secret is
// never printed, and bad input exits 2 with the message.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

const standins = new URL("../_support/supabase_standins.sql", import.meta.url).pathname;
const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;
const FROM_STDIN = "stdin-secret-token-0123456789";
const FROM_ENV = "env-secret-key-9876543210";

async function cliWithInput(
  api: string,
  token: string,
  input: string,
  env: Record<string, string>,
  ...args: string[]
) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { SYNCLINE_API_URL: api, SYNCLINE_TOKEN: token, NO_COLOR: "1", ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "CLI: accounts add, list, show, pause, resume, remove; secrets never printed; bad input exits 2",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(2));
    await t.db.sql.file(standins);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    try {
      const added = await cliWithInput(
        api,
        token,
        `${FROM_STDIN}\n`,
        { SHOP_KEY: FROM_ENV },
        "accounts",
        "add",
        "widgets",
        "shop-9",
        "--name",
        "Shop nine",
        "--setting",
        "pageSize=25",
        "--secret",
        "accessToken",
        "--secret-env",
        "apiKey=SHOP_KEY",
      );
      assert.equal(added.code, 0, added.stderr);
      assert.match(
        added.stdout,
        /^widgets\/shop-9 \(Shop nine\): active\n {2}settings: \{"pageSize":25\}\n {2}secrets: {2}/,
      );
      assert.match(added.stdout, /accessToken \(set 20\d\d-/);
      assert.match(added.stdout, /apiKey \(set 20\d\d-/);
      const stored = await t.db.sql<{ secret: string }[]>`select secret from vault.secrets order by secret`;
      assert.deepEqual(stored.map((r) => r.secret), [FROM_ENV, FROM_STDIN].sort());

      const listed = await cli(api, token, "accounts", "list");
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /shop-9 .*Shop nine .*active .*accessToken,apiKey/);
      const paused = await cli(api, token, "accounts", "pause", "widgets", "shop-9", "--reason", "audit");
      assert.equal(paused.code, 0, paused.stderr);
      assert.match(paused.stdout, /: paused — audit/);
      const refused = await cli(api, token, "widgets", "--account", "shop-9", "--no-follow");
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /account "shop-9" is paused/);
      const resumed = await cli(api, token, "accounts", "resume", "widgets", "shop-9");
      assert.match(resumed.stdout, /: active\n/);
      const shown = await cli(api, token, "accounts", "show", "widgets", "shop-9");
      assert.equal(shown.code, 0);
      for (const out of [added, listed, paused, resumed, shown]) {
        assert.ok(
          !(out.stdout + out.stderr).includes(FROM_STDIN) && !(out.stdout + out.stderr).includes(FROM_ENV),
        );
      }
      const removed = await cli(api, token, "accounts", "remove", "widgets", "shop-9");
      assert.equal(removed.stdout.trim(), "widgets/shop-9: removed, with its secrets");
      const missing = await cli(api, token, "accounts", "show", "widgets", "shop-9");
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /No account "shop-9" of connector "widgets"/);

      // a secret's value on the command line is refused before anything is sent
      const literal = await cli(api, token, "accounts", "add", "widgets", "x", "--secret", "accessToken=abc");
      assert.equal(literal.code, 2);
      assert.match(literal.stderr, /give only the name; the value is read from standard input/);
      const badKey = await cli(api, token, "accounts", "add", "widgets", "x", "--setting", "apiKey=abc");
      assert.equal(badKey.code, 2);
      assert.match(badKey.stderr, /settings\.apiKey: "apiKey" names a secret/);
      const noKey = await cli(api, token, "accounts", "pause", "widgets");
      assert.equal(noKey.code, 2);
      assert.match(noKey.stderr, /accounts pause needs a connector and an account key/);
      const unknown = await cli(api, token, "accounts", "frobnicate");
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Unknown accounts command "frobnicate"/);
      const help = await cli(api, token, "accounts", "--help");
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^usage: sync accounts list/);
    } finally {
      await server.shutdown();
    }
  },
});
