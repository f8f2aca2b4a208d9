// The CLI as a user runs it against the real app, database and the fake Bubble API:
// `sync bubble --invoice <id>` follows the job and prints the invoice's step report;
// `sync bubble coverage` prints coverage per type; usage errors exit 2.
import assert from "node:assert/strict";
import { adminToken, apiClient } from "../api/_app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { config, connector, runAll, startInvoicingFake } from "./_support.ts";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

function cli(api: string, token: string, ...args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cliPath, ...args],
    env: { SYNCLINE_API_URL: api, SYNCLINE_TOKEN: token, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output().then((out) => ({
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  }));
}

Deno.test({
  name: "CLI: sync bubble --invoice prints the step report of a real chain; coverage per type",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using tdb = await createTestDatabase();
    const fake = startInvoicingFake({ invoices: 10 });
    const { app } = await apiClient({
      sql: tdb.sql,
      connectors: { bubble: connector },
      connectorConfig: () => config(fake),
      budgetMs: 10_000,
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    let running = true;
    const worker = (async () => {
      while (running) {
        await runAll(tdb.sql, config(fake));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const id = String(fake.state.records.get("invoice")![3]._id);
      const out = await cli(api, token, "bubble", "--invoice", id);
      assert.equal(out.code, 0, out.stderr + out.stdout);
      if (Deno.env.get("SHOW_CLI")) console.log(out.stdout);
      assert.match(out.stdout, new RegExp(`invoice ${id}: synced`));
      assert.match(out.stdout, /ok {3}fetch invoice \(1\)/);
      assert.match(out.stdout, /ok {3}merge level 4 seda_registration \(1\)/);
      assert.match(out.stdout, /totals: 1 synced, 0 skipped, 0 failed/);
      const again = await cli(api, token, "bubble", "--invoice", id);
      assert.match(again.stdout, /totals: 0 synced, 1 skipped, 0 failed/);
      const forced = await cli(api, token, "bubble", "--invoice", id, "--force");
      assert.match(forced.stdout, /totals: 1 synced, 0 skipped, 0 failed/);

      const cov = await cli(api, token, "bubble", "coverage");
      assert.equal(cov.code, 0, cov.stderr);
      if (Deno.env.get("SHOW_CLI")) console.log(cov.stdout);
      assert.match(cov.stdout, /^customer\s+\d+\/\d+/m);
      assert.match(cov.stdout, /^overall\s+\d+\/\d+\s+[\d.]+%$/m);
      const bad = await cli(api, token, "bubble", "colverage");
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /Unknown bubble command "colverage"/);
    } finally {
      running = false;
      await worker;
      await server.shutdown();
      await fake.close();
    }
  },
});
