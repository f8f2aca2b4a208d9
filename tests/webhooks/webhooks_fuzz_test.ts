// 1,200 malformed, truncated, oversized or mis-signed deliveries: only 4xx, nothing stored, no 500.
import assert from "node:assert/strict";
import { inboxCount, testApp } from "./_app.ts";
import { fuzzDeliveries } from "./_fuzz.ts";

Deno.test("fuzz: 1,200 bad deliveries answer 4xx only and store nothing", async () => {
  await using t = await testApp();
  const reqs = await fuzzDeliveries(1200);
  const statuses = new Map<number, number>();
  for (const req of reqs) {
    const res = await t.app.request(req);
    await res.body?.cancel();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  for (const status of statuses.keys()) assert.ok(status >= 400 && status < 500, `status ${status}`);
  assert.equal(await inboxCount(t.sql), 0);
  console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
});
