// The CLI's --reconcile and "stats integrity" (the last completeness result per stream).
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

Deno.test({
  name: "CLI: --reconcile starts a reconcile job; stats integrity shows each stream's last completeness",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const source = makeWidgets(6);
    await using t = await testApp(source, { pageSize: 4 });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    try {
      const full = await cli(api, token, "widgets", "--full", "--no-follow");
      assert.equal(full.code, 0, full.stderr);
      await t.work();
      source.splice(0, 1);
      const started = await cli(api, token, "widgets", "--reconcile", "--no-follow");
      assert.equal(started.code, 0, started.stderr);
      assert.match(started.stdout, /started job \d+: widgets reconcile of widgets/);
      await t.work();
      const integrity = await cli(api, token, "stats", "integrity");
      assert.equal(integrity.code, 0, integrity.stderr);
      assert.match(
        integrity.stdout,
        /^connector\s+account\s+stream\s+status\s+method\s+source\s+landed\s+missing/m,
      );
      assert.match(integrity.stdout, /^widgets\s+default\s+widgets\s+complete\s+ids\s+5\s+5\s+/m);
    } finally {
      await server.shutdown();
    }
  },
});
