// The promotion CLI as a user runs it: a subprocess over HTTP to the real app and database after a
// Square sync of the fake's event data with promotion on.
import assert from "node:assert/strict";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { expectedChains, promotionApp } from "./_promotion.ts";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

/** Runs the CLI against the API; the exit code and both outputs. */
async function cli(api: string, token: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", cliPath, ...args],
    env: { SYNCLINE_API_URL: api, SYNCLINE_TOKEN: token, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test({
  name: "CLI: promote --payment shows the step log, promote status the monitoring, bad input exits 2",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeSquare({ seed: 23, orders: 80, customers: 20, items: 8, events: true });
    await using db = await createTestDatabase();
    const { app, token, work } = await promotionApp(db.sql, fake.url);
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    try {
      const started = await cli(api, token, "square", "--full", "--no-follow");
      assert.equal(started.code, 0, started.stderr);
      await work();

      const [payment] = expectedChains(fake).promoted.keys();
      const shown = await cli(api, token, "promote", "--payment", payment);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, new RegExp(`^${payment}: promoted$`, "m"));
      assert.match(
        shown.stdout,
        /^✓ payment imported · ✓ registration found · ✓ booking contact · ✓ \d+ attendees · ✓ \d+ contacts · ✓ \d+ tickets · promoted$/m,
      );

      const status = await cli(api, token, "promote", "status");
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^roots: 80 imported · \d+ promoted/m);
      assert.match(status.stdout, /^production orphans in total: 0$/m);
      assert.match(status.stdout, /^tickets\s+\d+ square\.orders\s+\d+ events\.tickets/m);

      const missing = await cli(api, token, "promote", "--payment", "no-such-payment");
      assert.equal(missing.code, 1);
      assert.match(
        missing.stderr,
        /Root "no-such-payment" of plan "square_event_sales" has not been judged yet/,
      );
      const bad = await cli(api, token, "promote", "sideways");
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /Unknown promote command "sideways"/);
      const badBatch = await cli(api, token, "promote", "--batch-size", "lots");
      assert.equal(badBatch.code, 2);

      const bulk = await cli(api, token, "promote", "--no-follow", "--since", "2026-01-01");
      assert.equal(bulk.code, 0, bulk.stderr);
      assert.match(bulk.stdout, /^started job \d+: promote square_event_sales$/m);
      const unknownPlan = await cli(api, token, "promote", "status", "--plan", "nope");
      assert.equal(unknownPlan.code, 1);
      assert.match(unknownPlan.stderr, /No promotion plan "nope"/);
    } finally {
      await server.shutdown();
      await fake.close();
    }
  },
});
