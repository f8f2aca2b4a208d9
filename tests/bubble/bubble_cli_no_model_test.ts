// `sync bubble --record invoice:<id>` without a model (BUBBLE_MODEL unset): the job succeeds and the
// CLI exits 0 (sync --help: 0 for a succeeded job) instead of asking for a step report the connector
// cannot have and exiting 1.
import assert from "node:assert/strict";
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { adminToken, apiClient } from "../api/_app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { config, fastHttp, startInvoicingFake } from "./_support.ts";

const cliPath = new URL("../../scripts/cli.ts", import.meta.url).pathname;

Deno.test({
  name: "CLI: a single-record Bubble sync without a model exits 0 and prints no step report",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using tdb = await createTestDatabase();
    const fake = startInvoicingFake({ invoices: 3 });
    const generic = bubbleConnector(["invoice"]);
    const { app } = await apiClient({
      sql: tdb.sql,
      connectors: { bubble: generic },
      connectorConfig: () => config(fake),
      budgetMs: 10_000,
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
    const token = await adminToken();
    let running = true;
    const worker = (async () => {
      while (running) {
        await runUntilIdle({
          sql: tdb.sql,
          connectors: { bubble: generic },
          connectorConfig: () => config(fake),
          workerId: "bubble-no-model",
          httpFor: fastHttp,
        }, { budgetMs: 10_000 });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const id = String(fake.state.records.get("invoice")![1]._id);
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", cliPath, "bubble", "--record", `invoice:${id}`],
        env: {
          SYNCLINE_API_URL: `http://127.0.0.1:${server.addr.port}/sync`,
          SYNCLINE_TOKEN: token,
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.match(stdout, /job \d+ succeeded/, stdout + stderr);
      assert.doesNotMatch(stderr, /has no model/);
      assert.equal(out.code, 0, stdout + stderr);
    } finally {
      running = false;
      await worker;
      await server.shutdown();
      await fake.close();
    }
  },
});
