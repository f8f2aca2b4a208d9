// What the input limits cost and save, side by side in one run (no database needed):
//  1. the JSON depth check (one pass over the text) against JSON.parse of the same body, for a
//     256 KB webhook-sized body and a 1 MiB admin-sized one;
//  2. a 150 MB POST /sync/jobs streamed to the real app (body limit 1 MiB) and to the same route
//     without a limit (reads the body as the old code did): bytes read, time, heap growth.
//   deno run -A --v8-flags=--expose-gc scripts/bench/input_limits.ts
import { Hono } from "hono";
import postgres from "postgres";
import { jsonDepth } from "../../functions/_shared/api/json_depth.ts";
import { createApp } from "../../functions/sync/app.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function body(bytes: number): string {
  const orders = [];
  for (let i = 0; JSON.stringify(orders).length < bytes; i++) {
    orders.push({
      id: `ord_${i}`,
      state: "OPEN",
      line_items: [{ name: 'Ticket "VIP" [A]', qty: "2" }],
      n: i,
    });
  }
  return JSON.stringify({ type: "order.updated", data: { object: { orders } } });
}

console.log("1. depth check vs JSON.parse (median of 31 runs)");
for (const size of [256 * 1024, 1024 * 1024]) {
  const text = body(size);
  const depth: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < 31; i++) {
    let t = performance.now();
    jsonDepth(text);
    depth.push(performance.now() - t);
    t = performance.now();
    JSON.parse(text);
    parse.push(performance.now() - t);
  }
  const d = median(depth);
  const p = median(parse);
  console.log(
    `   ${(text.length / 1024).toFixed(0).padStart(5)} KB: depth ${d.toFixed(2)} ms (${
      (text.length / 1e6 / (d / 1000)).toFixed(0)
    } MB/s), JSON.parse ${p.toFixed(2)} ms, check = ${(100 * d / p).toFixed(0)}% of the parse`,
  );
}

function lazy(total: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= total) return c.close();
      const n = Math.min(64 * 1024, total - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
  return { stream, read: () => sent };
}

const sql = postgres("postgresql://nobody@127.0.0.1:1/none", { max: 1 }); // never connected
const limited = createApp({
  sql,
  connectors: {},
  connectorConfig: () => ({}),
  auth: { jwtSecret: null, jwksUrl: null, workerSecret: null },
  budgetMs: 1_000,
  log: () => {},
});
const unlimited = new Hono().post("/sync/jobs", async (c) => {
  const text = await c.req.text();
  return c.json({ length: text.length }, 422);
});

console.log("2. a 150 MB POST /sync/jobs, streamed in 64 KB chunks");
for (const [name, app] of [["1 MiB body limit", limited], ["no limit (before)", unlimited]] as const) {
  gc();
  const before = Deno.memoryUsage();
  const b = lazy(150 * 1024 * 1024);
  const t = performance.now();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const probe = setInterval(() => {
    const m = Deno.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  const res = await app.request("/sync/jobs", { method: "POST", body: b.stream });
  await res.arrayBuffer();
  clearInterval(probe);
  const after = Deno.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  console.log(
    `   ${name.padEnd(18)} status ${res.status}, read ${(b.read() / 1048576).toFixed(1)} MB in ${
      (performance.now() - t).toFixed(0)
    } ms, peak heap +${((peakHeap - before.heapUsed) / 1048576).toFixed(0)} MB, peak RSS +${
      ((peakRss - before.rss) / 1048576).toFixed(0)
    } MB`,
  );
}
await sql.end({ timeout: 1 });
