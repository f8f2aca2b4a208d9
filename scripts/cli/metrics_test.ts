import assert from "node:assert/strict";
import type { ApiClient } from "./client.ts";
import { runMetricsCommand } from "./metrics.ts";
import { CliUsageError } from "./ops.ts";

function stubApi(metrics: Record<string, unknown>[]) {
  const calls: string[] = [];
  const api = {
    call(method: string, path: string) {
      calls.push(`${method} ${path}`);
      return Promise.resolve(
        path.startsWith("/irelandpay/metrics?") || path === "/irelandpay/metrics" ? { metrics } : {},
      );
    },
  } as unknown as ApiClient;
  return { api, calls };
}

Deno.test("sync metrics irelandpay prints a row per merchant and month, with the filters in the query", async () => {
  const { api, calls } = stubApi([{
    mid: "M1",
    month: "2024-04",
    transaction_count: 3,
    volume: "30.05",
    average_ticket: "10.02",
    refund_count: 1,
    refund_amount: "5.50",
    chargeback_count: 0,
    chargeback_amount: "0.00",
    residual_net: "0.21",
  }]);
  const lines: string[] = [];
  const code = await runMetricsCommand(
    api,
    ["irelandpay"],
    { mid: "M1", from: "2024-04", refresh: true },
    (l) => lines.push(l),
  );
  assert.equal(code, 0);
  assert.deepEqual(calls, [
    "POST /irelandpay/metrics/refresh",
    "GET /irelandpay/metrics?mid=M1&from=2024-04",
  ]);
  assert.match(lines[0], /^merchant\s+month\s+sales\s+volume/);
  assert.match(lines.at(-1)!, /^M1\s+2024-04\s+3\s+30\.05\s+10\.02\s+1 \/ 5\.50\s+0 \/ 0\.00\s+0\.21$/);
});

Deno.test("sync metrics refuses other connectors and bad months (usage errors: exit 2)", async () => {
  const { api } = stubApi([]);
  await assert.rejects(runMetricsCommand(api, ["square"], {}), CliUsageError);
  await assert.rejects(runMetricsCommand(api, [], {}), CliUsageError);
  await assert.rejects(runMetricsCommand(api, ["irelandpay"], { from: "April" }), /--from takes a month/);
  const lines: string[] = [];
  assert.equal(await runMetricsCommand(api, ["irelandpay"], {}, (l) => lines.push(l)), 0);
  assert.deepEqual(lines, ["no metrics yet (sync irelandpay first)"]);
});
