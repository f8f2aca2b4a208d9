// Webhook intake benchmark on loopback: the sync app served by Deno.serve on a fresh database,
// N signed Square deliveries (10% redeliveries) from C concurrent senders; then a fuzz of bad
// deliveries. Prints throughput, ack latency percentiles, inbox rows vs unique events, statuses.
//   deno run -A scripts/bench/webhooks.ts [--n 5000] [--concurrency 16] [--fuzz 1200]
import { parseArgs } from "node:util";
import postgres from "postgres";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { signSquare } from "../../functions/_shared/connectors/square/webhook_signature.ts";
import { createApp } from "../../functions/sync/app.ts";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "16" },
    fuzz: { type: "string", default: "1200" },
  },
});
const N = Number(values.n);
const C = Number(values.concurrency);
const FUZZ = Number(values.fuzz);

if (!Deno.env.get("SYNCLINE_TEMPLATE_DB")) {
  // the migrated template scripts/test.sh prepares, named after a hash of the migrations
  const out = await new Deno.Command("bash", {
    args: ["-c", "cat scripts/supabase-baseline.sql supabase/migrations/*.sql | cksum"],
  }).output();
  const hash = new TextDecoder().decode(out.stdout).split(" ")[0];
  const admin = postgres(
    Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
    { max: 1, onnotice: () => {} },
  );
  const [t] = await admin`select datname from pg_database where datname = ${"syncline_tpl_" + hash}`;
  await admin.end();
  if (!t) throw new Error("No template database for these migrations: run `bash scripts/test.sh sql` first");
  Deno.env.set("SYNCLINE_TEMPLATE_DB", t.datname);
}

// imported after the template is chosen: tests/_support/db.ts reads it when loaded
const { createTestDatabase } = await import("../../tests/_support/db.ts");
const { fuzzDeliveries } = await import("../../tests/webhooks/_fuzz.ts");
const { highlevelKeys, SQUARE_KEY, SQUARE_URL, squareEvent } = await import("../../tests/webhooks/_app.ts");
await using db = await createTestDatabase();
const sql = connect(db.url, 16);
const keys = await highlevelKeys();
const app = createApp({
  sql,
  connectors,
  connectorConfig: () => ({}),
  auth: { jwtSecret: null, jwksUrl: null, workerSecret: null },
  budgetMs: 10_000,
  log: () => {},
  webhooks: {
    settings: {
      square: { signatureKey: SQUARE_KEY, notificationUrl: SQUARE_URL },
      highlevel: { ed25519PublicKey: keys.ed25519PublicKeyPem, rsaPublicKey: keys.rsaPublicKeyPem },
    },
  },
});
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;

// deliveries: 90% distinct events, 10% redeliveries of earlier ones; signed before the clock starts
const unique = Math.ceil(N * 0.9);
const bodies: string[] = [];
for (let i = 0; i < N; i++) {
  const e = i < unique ? i : Math.floor((i * 7919) % unique);
  bodies.push(
    JSON.stringify(squareEvent("payment.updated", `PAY${e}`, `bench-${e}`, new Date().toISOString())),
  );
}
const sigs = await Promise.all(bodies.map((b) => signSquare(SQUARE_KEY, SQUARE_URL, b)));
// shuffle deterministically so duplicates interleave with originals
const order = bodies.map((_, i) => i).sort((a, b) => ((a * 2654435761) % 4096) - ((b * 2654435761) % 4096));

const latencies: number[] = [];
const statuses = new Map<number, number>();
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: C }, async () => {
  while (next < order.length) {
    const i = order[next++];
    const t0 = performance.now();
    const res = await fetch(`${base}/sync/webhooks/square`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-square-hmacsha256-signature": sigs[i] },
      body: bodies[i],
    });
    await res.body?.cancel();
    latencies.push(performance.now() - t0);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
}));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
const [{ rows }] = await sql`select count(*)::int as rows from sync.webhook_inbox`;
const [{ events }] = await sql`select count(distinct event_id)::int as events from sync.webhook_inbox`;

console.log(`webhook intake: ${N} deliveries (${unique} distinct events) from ${C} concurrent senders`);
console.log(`  throughput   ${(N / elapsed).toFixed(0)} deliveries/s (${elapsed.toFixed(2)} s)`);
console.log(
  `  ack latency  p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms, max ${
    latencies.at(-1)!.toFixed(1)
  } ms`,
);
console.log(`  statuses     ${JSON.stringify(Object.fromEntries(statuses))}`);
console.log(
  `  inbox rows   ${rows} (distinct event ids ${events}; expected ${unique}) -> lost ${
    unique - events
  }, duplicate rows ${rows - events}`,
);

// fuzz over HTTP
const fuzz = await fuzzDeliveries(FUZZ);
const fuzzStatuses = new Map<number, number>();
for (const req of fuzz) {
  const url = new URL(req.url);
  const res = await fetch(`${base}${url.pathname}`, {
    method: "POST",
    headers: req.headers,
    body: await req.arrayBuffer(),
  });
  await res.body?.cancel();
  fuzzStatuses.set(res.status, (fuzzStatuses.get(res.status) ?? 0) + 1);
}
const [{ after }] = await sql`select count(*)::int as after from sync.webhook_inbox`;
const bad = [...fuzzStatuses.keys()].filter((s) => s < 400 || s >= 500);
console.log(`fuzz: ${FUZZ} malformed/truncated/oversized/mis-signed deliveries`);
console.log(
  `  statuses     ${JSON.stringify(Object.fromEntries(fuzzStatuses))} (non-4xx: ${
    bad.length ? bad.join(",") : "none"
  })`,
);
console.log(`  stored       ${after - rows}`);

await server.shutdown();
await sql.end({ timeout: 5 });
const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
const targets = N / elapsed >= 1000 && p99 <= 50;
console.log(`targets (>= 1,000/s, p99 <= 50 ms): ${targets ? "met" : "missed"}`);
const ok = targets && unique === events && rows === events && bad.length === 0 && after === rows;
console.log(ok ? "RESULT ok" : "RESULT FAILED");
if (!ok) Deno.exitCode = 1;
