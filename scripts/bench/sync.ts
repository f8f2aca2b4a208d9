// End-to-end sync benchmark (issue 3's targets): a full sync of N Square orders from the fake
// Square API (its own process, like a remote API) into Postgres through the real runner (its
// own process, so its peak memory is measured alone), for 10k and 100k orders.
//   deno run -A scripts/bench/sync.ts [--sizes 10000,100000] [--v8-flags <flags> | --v8-flags none]
// The runner runs with the V8 flags the worker ships with (scripts/lib/v8.ts) unless told otherwise.
// The client-side rate limiter is turned off for the fake (SQUARE_RATE_LIMIT_REQUESTS=0): it
// measures the engine, not the conservative 20 requests/s default kept for the real Square.
import { parseArgs } from "node:util";
import { freshDatabase } from "../lib/database.ts";
import { RUNNER_V8_FLAGS } from "../lib/v8.ts";
import { cpuSeconds } from "./_cpu.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquareProcess } from "./_fake_square.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "10000,100000" },
    "v8-flags": { type: "string", default: RUNNER_V8_FLAGS },
  },
});
const sizes = values.sizes.split(",").map(Number);
const v8Flags = values["v8-flags"] === "none" ? null : values["v8-flags"];
const root = new URL("../..", import.meta.url).pathname;

interface Result {
  orders: number;
  status: string;
  records: number;
  seconds: number;
  peakRssMb: number;
  startRssMb: number;
  runnerCpu: number;
  postgresCpu: number;
  fakeCpu: number;
}

const results: Result[] = [];
for (const n of sizes) {
  const dbUrl = await freshDatabase("syncline_bench_sync");
  await using fake = await startFakeSquareProcess(n);
  const fakeBefore = cpuSeconds(fake.pid);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(v8Flags ? [`--v8-flags=${v8Flags}`] : []),
      "scripts/bench/sync_run.ts",
    ],
    cwd: root,
    env: {
      SYNCLINE_DB_URL: dbUrl,
      SQUARE_BASE_URL: fake.url,
      SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
      SQUARE_RATE_LIMIT_REQUESTS: "0",
      BENCH_STREAMS: "orders",
    },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}";
  results.push({ orders: n, fakeCpu: cpuSeconds(fake.pid) - fakeBefore, ...JSON.parse(line) });
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`\nrunner V8 flags: ${v8Flags ?? "none (V8 defaults)"}`);
console.log(
  `\n${"orders".padStart(8)} ${"status".padEnd(10)} ${"records".padStart(8)} ${"seconds".padStart(8)} ${
    "records/s".padStart(10)
  } ${"peak RSS MB".padStart(12)} ${"RSS at start".padStart(13)}`,
);
const perRow = (cpu: number, r: Result) => `${((cpu / r.records) * 1e6).toFixed(0)} µs`;
for (const r of results) {
  console.log(
    `${fmt(r.orders).padStart(8)} ${r.status.padEnd(10)} ${fmt(r.records).padStart(8)} ${
      r.seconds.toFixed(2).padStart(8)
    } ${fmt(r.records / r.seconds).padStart(10)} ${r.peakRssMb.toFixed(1).padStart(12)} ${
      r.startRssMb.toFixed(1).padStart(13)
    }`,
  );
}
const big = results.at(-1)!;
const small = results[0];
console.log("\nCPU per record (user + system):");
for (const r of results) {
  console.log(
    `  ${fmt(r.orders).padStart(8)} orders: runner ${perRow(r.runnerCpu, r)}, Postgres ${
      perRow(r.postgresCpu, r)
    }, fake Square ${perRow(r.fakeCpu, r)} (machine: ${navigator.hardwareConcurrency} cores)`,
  );
}
console.log("");
console.log(`records/s at ${fmt(big.orders)} orders: ${fmt(big.records / big.seconds)} (target >= 20,000)`);
console.log(`peak RSS at ${fmt(big.orders)} orders: ${big.peakRssMb.toFixed(1)} MB (target <= 200 MB)`);
if (results.length > 1) {
  const growth = (big.peakRssMb / small.peakRssMb - 1) * 100;
  console.log(
    `memory ${fmt(small.orders)} -> ${fmt(big.orders)} orders: ${growth >= 0 ? "+" : ""}${
      growth.toFixed(1)
    }% (target within 20%)`,
  );
}
