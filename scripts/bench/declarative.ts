// Declarative vs hand-written, runner CPU per record (issue 13: at most +10%). The same Ireland
// Pay transactions history (month windows × merchants × next-URL pages) from the fake Ireland Pay
// API (its own process) is synced by the declarative stream and by a hand-written stream of the
// same shape (scripts/bench/irelandpay_handwritten.ts), alternately, each run in its own process
// on a fresh database; the medians are compared. A benchmark that prints figures, not a test.
//   deno run -A scripts/bench/declarative.ts [--merchants 20] [--per-month 50] [--rounds 3]
import { parseArgs } from "node:util";
import { freshDatabase } from "../lib/database.ts";
import { RUNNER_V8_FLAGS } from "../lib/v8.ts";
import { connectorPathBench } from "./declarative_path.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    merchants: { type: "string", default: "20" },
    "per-month": { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    "path-rounds": { type: "string", default: "40" },
  },
});
const root = new URL("../..", import.meta.url).pathname;
const KEY = "fake-irelandpay-api-key";
const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
const port = (l.addr as Deno.NetAddr).port;
l.close();
const fake = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "tests/fakes/irelandpay/main.ts",
    "--port",
    String(port),
    "--merchants",
    values.merchants,
    "--per-month",
    values["per-month"],
    "--seed",
    "5",
  ],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).spawn();

interface Run {
  variant: string;
  status: string;
  records: number;
  seconds: number;
  runnerCpu: number;
}
const runs: Run[] = [];
try {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/merchants?per_page=1`, {
        headers: { "x-api-key": KEY },
      });
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const variant of round % 2 ? ["handwritten", "declarative"] : ["declarative", "handwritten"]) {
      const dbUrl = await freshDatabase("syncline_bench_declarative");
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `--v8-flags=${RUNNER_V8_FLAGS}`, "scripts/bench/declarative_run.ts"],
        cwd: root,
        env: {
          SYNCLINE_DB_URL: dbUrl,
          BENCH_VARIANT: variant,
          IRELANDPAY_BASE_URL: `http://127.0.0.1:${port}/api/v1`,
          IRELANDPAY_API_KEY: KEY,
          IRELANDPAY_RATE_LIMIT_REQUESTS: "0",
          IRELANDPAY_PAGE_SIZE: "500",
        },
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const run = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}") as Run;
      runs.push(run);
      console.log(
        `round ${round + 1} ${variant.padEnd(11)} ${run.status} ${run.records} records in ${
          run.seconds.toFixed(1)
        } s, runner ${(run.runnerCpu / run.records * 1e6).toFixed(1)} µs/record`,
      );
    }
  }
} finally {
  fake.kill("SIGTERM");
  await fake.status;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRecord = (v: string) =>
  median(runs.filter((r) => r.variant === v).map((r) => r.runnerCpu / r.records * 1e6));
const d = perRecord("declarative");
const h = perRecord("handwritten");
console.log(
  `\nrunner CPU per record (median of ${values.rounds}): declarative ${d.toFixed(1)} µs, hand-written ${
    h.toFixed(1)
  } µs`,
);
console.log(
  `declarative / hand-written: ${(d / h * 100 - 100 >= 0 ? "+" : "")}${
    (d / h * 100 - 100).toFixed(1)
  }% (target <= +10%)`,
);

// the connector's side alone, in this process, no I/O (see declarative_path.ts)
const path = await connectorPathBench({
  merchants: Number(values.merchants),
  perMonth: Number(values["per-month"]),
  rounds: Number(values["path-rounds"]),
})();
const stat = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs) });
const pd = stat(path.declarative.slice(4)); // the first rounds warm the JIT up
const ph = stat(path.handwritten.slice(4));
console.log(
  `\nconnector path in process (fetchPage on canned answers, validate, map, serialise; ${path.declarative.length} rounds each):`,
);
console.log(`  declarative  min ${pd.min.toFixed(2)} µs/record, median ${pd.median.toFixed(2)}`);
console.log(`  hand-written min ${ph.min.toFixed(2)} µs/record, median ${ph.median.toFixed(2)}`);
console.log(
  `  declarative / hand-written: min ${(pd.min / ph.min * 100 - 100).toFixed(1)}%, median ${
    (pd.median / ph.median * 100 - 100).toFixed(1)
  }%`,
);
