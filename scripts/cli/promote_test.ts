import assert from "node:assert/strict";
import type { ApiClient } from "./client.ts";
import { CliUsageError } from "./ops.ts";
import { runPromoteCommand } from "./promote.ts";

/** An API that answers the status route with a promoted count growing by 5 per call. */
function statusApi() {
  let calls = 0;
  const api = {
    call(method: string, path: string) {
      assert.equal(`${method} ${path}`, "GET /promotions/square_event_sales/status");
      calls++;
      return Promise.resolve({
        status: {
          plan: "square_event_sales",
          root_table: "square.payments",
          roots: {
            import: 100,
            promoted: 5 * calls,
            ineligible: 0,
            failed: 0,
            withdrawn: 0,
            pending: 100 - 5 * calls,
          },
          ineligible_by_reason: [],
          steps: [{
            step: "tickets",
            source_table: "square.orders",
            import_rows: 90,
            target: "events.tickets",
          }],
          orphans: [{ check: "events.tickets without a registration", layer: "production", count: 0 }],
          orphan_total: 0,
          failed: [],
        },
      });
    },
  };
  return { api: api as unknown as ApiClient, calls: () => calls };
}

Deno.test("promote status --watch refreshes the figures until stopped, with the change since the last refresh", async () => {
  const { api, calls } = statusApi();
  const lines: string[] = [];
  const stop = new AbortController();
  const waits: number[] = [];
  let clears = 0;
  const code = await runPromoteCommand(
    api,
    ["status"],
    { watch: true, interval: "1" },
    () => Promise.resolve(0),
    (l) => lines.push(l),
    {
      signal: stop.signal,
      clear: () => clears++,
      sleep: (ms) => {
        waits.push(ms);
        if (waits.length === 3) stop.abort();
        return Promise.resolve();
      },
    },
  );
  assert.equal(code, 0);
  assert.equal(calls(), 3);
  assert.equal(clears, 3);
  assert.deepEqual(waits, [1000, 1000, 1000]);
  const heads = lines.filter((l) => l.includes("Ctrl-C to stop"));
  assert.equal(heads.length, 3);
  assert.doesNotMatch(heads[0], /since the last refresh/);
  assert.match(heads[1], /every 1s · Ctrl-C to stop · promoted \+5 since the last refresh$/);
  assert.ok(lines.some((l) => /^roots: 100 imported · 15 promoted/.test(l)));
  assert.ok(lines.some((l) => l === "production orphans in total: 0"));
});

Deno.test("promote status without --watch prints once; a bad --interval is a usage error", async () => {
  const { api, calls } = statusApi();
  const lines: string[] = [];
  assert.equal(
    await runPromoteCommand(api, ["status"], {}, () => Promise.resolve(0), (l) => lines.push(l)),
    0,
  );
  assert.equal(calls(), 1);
  await assert.rejects(
    runPromoteCommand(api, ["status"], { watch: true, interval: "0" }, () => Promise.resolve(0), () => {}),
    (e) => e instanceof CliUsageError && /--interval takes seconds from 0.5 to 3600, got "0"/.test(e.message),
  );
  await assert.rejects(
    runPromoteCommand(api, ["status"], { interval: "5" }, () => Promise.resolve(0), () => {}),
    (e) => e instanceof CliUsageError && /--interval goes with --watch/.test(e.message),
  );
});
