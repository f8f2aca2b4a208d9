// The CLI as a user runs it: a subprocess talking HTTP to the real app and database.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

Deno.test({
  name:
    "CLI: start, show, history, failed items, stats, schedules, cleanup; errors exit non-zero with the API's message",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(25), { pageSize: 10 });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    try {
      const started = await cli(api, token, "widgets", "--full", "--no-follow");
      assert.equal(started.code, 0, started.stderr);
      const id = Number(/started job (\d+)/.exec(started.stdout)?.[1]);
      assert.ok(id > 0, started.stdout);
      await t.work();
      const shown = await cli(api, token, "show", String(id));
      assert.equal(shown.code, 0);
      assert.match(shown.stdout, /succeeded/);
      assert.match(shown.stdout, /^total\s+25\s+25\s+0\s+0\s+0\s+0$/m);
      const history = await cli(api, token, "history");
      assert.match(history.stdout, new RegExp(`^\\s+${id}\\s+widgets\\s+succeeded`, "m"));

      const failed = await cli(api, token, "failed");
      assert.equal(failed.code, 0);
      assert.match(failed.stdout, /no failed items/);
      const stats = await cli(api, token, "stats", "--days", "7");
      assert.equal(stats.code, 0, stats.stderr);
      assert.match(stats.stdout, /^connector\s+stream\s+runs/m);
      assert.match(stats.stdout, /^widgets\s+/m);

      const added = await cli(
        api,
        token,
        "schedules",
        "add",
        "--name",
        "widgets-nightly",
        "--connector",
        "widgets",
        "--streams",
        "widgets",
        "--cron",
        "0 2 * * *",
      );
      assert.equal(added.code, 0, added.stderr);
      const scheduleId = /schedule (\d+)/.exec(added.stdout)?.[1];
      const listed = await cli(api, token, "schedules");
      assert.match(listed.stdout, /widgets-nightly\s+widgets\s+widgets\s+0 2 \* \* \*/);
      const disabled = await cli(api, token, "schedules", "disable", String(scheduleId));
      assert.equal(disabled.code, 0, disabled.stderr);

      const again = await cli(api, token, "start", "widgets", "--streams", "widgets", "--no-follow");
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /started job \d+: widgets incremental of widgets/);
      const bare = await cli(api, token, "start");
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /sync start needs a connector/);

      const badCleanup = await cli(api, token, "cleanup", "--days", "0");
      assert.equal(badCleanup.code, 1);
      assert.match(badCleanup.stderr, /days_to_keep/);
      const unknown = await cli(api, token, "nope");
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /Unknown connector "nope"/);
      const usage = await cli(api, token, "show", "abc");
      assert.equal(usage.code, 2);
      const opsUsage = await cli(api, token, "schedules", "add", "--name", "x");
      assert.equal(opsUsage.code, 2, opsUsage.stderr);
      assert.match(opsUsage.stderr, /schedules add needs --name, --connector, --streams and --cron\nusage:/);
      const denied = await cli(api, "not-a-jwt", "history");
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /Malformed bearer token/);
    } finally {
      await server.shutdown();
    }
  },
});
