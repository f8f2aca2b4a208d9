// The CLI's operations commands added for time zones, recovery, cool-downs and the tick.
import assert from "node:assert/strict";
import { adminToken, makeWidgets, testApp } from "./_app.ts";
import { cli } from "./_cli.ts";

Deno.test({
  name:
    "CLI: schedules in a time zone, stats recovery, cool-downs, tick; bad input exits 2 or 1 with the message",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(2));
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const token = await adminToken();
    try {
      const added = await cli(
        api,
        token,
        "schedules",
        "add",
        "--name",
        "w-dublin",
        "--connector",
        "widgets",
        "--streams",
        "widgets",
        "--cron",
        "0 19 * * *",
        "--timezone",
        "Europe/Dublin",
      );
      assert.equal(added.code, 0, added.stderr);
      assert.match(
        added.stdout,
        /^schedule \d+ "w-dublin" enabled \(0 19 \* \* \* Europe\/Dublin; next run 20\d\d-/,
      );
      const listed = await cli(api, token, "schedules");
      assert.match(
        listed.stdout,
        /w-dublin\s+widgets\s+widgets\s+0 19 \* \* \*\s+Europe\/Dublin\s+incremental\s+true/,
      );
      const badZone = await cli(
        api,
        token,
        "schedules",
        "add",
        "--name",
        "w-x",
        "--connector",
        "widgets",
        "--streams",
        "widgets",
        "--cron",
        "0 2 * * *",
        "--timezone",
        "Nowhere/Land",
      );
      assert.equal(badZone.code, 2, "a time zone the API refuses (422) is a usage error");
      assert.match(badZone.stderr, /"Nowhere\/Land" is not a time zone/);
      const badMode = await cli(
        api,
        token,
        "schedules",
        "add",
        "--name",
        "w-y",
        "--connector",
        "widgets",
        "--streams",
        "widgets",
        "--cron",
        "0 2 * * *",
        "--mode",
        "sometimes",
      );
      assert.equal(badMode.code, 2);
      assert.match(badMode.stderr, /--mode takes full, incremental, retry or reconcile, got "sometimes"/);

      const recovery = await cli(api, token, "stats", "recovery", "--days", "7");
      assert.equal(recovery.code, 0, recovery.stderr);
      assert.match(recovery.stdout, /nothing to show/);

      const set = await cli(api, token, "cooldowns", "set", "widgets/widgets", "45");
      assert.equal(set.code, 0, set.stderr);
      assert.equal(set.stdout.trim(), "cool-down of widgets/widgets: 45 s");
      const cds = await cli(api, token, "cooldowns");
      assert.match(cds.stdout, /^widgets\s+widgets\s+45\s/m);
      const usage = await cli(api, token, "cooldowns", "set", "widgets", "x");
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /cooldowns set takes <connector>\/<stream> <seconds>/);

      const tick = await cli(api, token, "tick");
      assert.equal(tick.code, 0, tick.stderr);
      assert.match(tick.stdout, /^schedules_fired\s+0$/m, "the Dublin schedule is not due yet");
      assert.match(tick.stdout, /^retry_jobs\s+0$/m);
    } finally {
      await server.shutdown();
    }
  },
});
