// A long-running local worker: turns webhook deliveries into jobs, runs queued jobs and delivers
// notifications — the role pg_cron + pg_net play on hosted Supabase by calling POST /sync/worker.
// Survives database restarts: a connection error is logged and retried, and a job it lost is
// reclaimed after its lease.
//   deno task worker [--once] [--budget-ms 110000] [--poll-ms 250] [--lease-seconds 60] [--concurrency N] [--help]
import { parseArgs } from "node:util";
import { connectors as known, createConnectors } from "../functions/_shared/connectors/registry.ts";
import { loadConfig } from "../functions/_shared/config.ts";
import { backoffDelay } from "../functions/_shared/engine/backoff.ts";
import { connect, guardDatabaseConnections } from "../functions/_shared/engine/postgres/mod.ts";
import { idle, workerPass } from "../functions/_shared/worker_pass.ts";
import {
  compareSchema,
  readSchemaVersion,
  schemaMismatchMessage,
  VERSION,
} from "../functions/_shared/version.ts";

const USAGE = `Usage: deno task worker [options]

Runs queued jobs, turns webhook deliveries into jobs and delivers notifications, until stopped
(SIGINT/SIGTERM). Reads the database URL and connector settings from the environment (.env).

Options:
  --once                 stop when there is nothing left to do
  --budget-ms <ms>       time one pass may spend on a job before it yields (default SYNCLINE_BUDGET_MS or 110000)
  --poll-ms <ms>         wait between idle passes (default 250)
  --lease-seconds <s>    lease of a claimed job (default SYNCLINE_LEASE_SECONDS or 60)
  --concurrency <n>      loops claiming jobs and shards side by side, 1 to 64 (default 1)
  --quiet                no log lines
  -h, --help             this help
`;

function usageError(message: string): never {
  console.error(`${message}\nSee: deno task worker --help`);
  Deno.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    args: Deno.args,
    options: {
      once: { type: "boolean", default: false },
      "budget-ms": { type: "string" },
      "poll-ms": { type: "string", default: "250" },
      "lease-seconds": { type: "string" },
      concurrency: { type: "string", default: "1" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (err) {
  usageError((err as Error).message);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const whole = (name: string, v: string | undefined, unit: string) => {
  if (v === undefined) return;
  if (!/^\d+$/.test(v)) usageError(`--${name} takes a whole number of ${unit}, got "${v}"`);
};
whole("budget-ms", values["budget-ms"], "milliseconds");
whole("poll-ms", values["poll-ms"], "milliseconds");
whole("lease-seconds", values["lease-seconds"], "seconds");

// several loops in one process claim jobs and shards side by side (a sharded read at the vendor's
// rate limit is waiting on the network, so one process can serve several shards)
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  usageError(`--concurrency takes a whole number from 1 to 64, got "${values.concurrency}"`);
}
const config = loadConfig(Deno.env, Object.keys(known));
const connectors = createConnectors(config.connectors);
const sql = connect(config.dbUrl, Math.max(3, 2 * concurrency + 1));
const baseId = `worker-${Deno.hostname()}-${Deno.pid}`;
const budgetMs = Number(values["budget-ms"] ?? config.budgetMs);
const pollMs = Number(values["poll-ms"]);
// a short lease lets a restarted worker reclaim a killed one's job sooner (reliability tests)
const leaseSeconds = Number(values["lease-seconds"] ?? Deno.env.get("SYNCLINE_LEASE_SECONDS") ?? 60);
const log = values.quiet ? () => {} : (line: string) => console.error(`[worker] ${line}`);
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, () => (stopping = true));

// a PostgreSQL restart must not end this process (engine/postgres/connection_guard.ts)
guardDatabaseConnections(log);

// the database's schema must be the one this worker was built for: checked once at start (waiting
// for the database when it is away); behind or ahead, the worker claims nothing and exits 1
for (let failures = 0;; failures++) {
  try {
    const check = compareSchema(await readSchemaVersion(sql));
    if (check.status !== "current") {
      console.error(`[worker] ${schemaMismatchMessage(check)}`);
      await sql.end({ timeout: 5 });
      Deno.exit(1);
    }
    log(`Syncline ${VERSION}, database schema ${check.database}`);
    break;
  } catch (err) {
    if (stopping) Deno.exit(0);
    const wait = backoffDelay(failures, { baseMs: 200, maxMs: 10_000 });
    log(`cannot read the database's schema version, retrying in ${wait} ms: ${(err as Error).message}`);
    await new Promise((r) => setTimeout(r, wait));
  }
}
async function loop(workerId: string) {
  let failures = 0;
  while (!stopping) {
    try {
      const report = await workerPass({
        sql,
        connectors,
        connectorConfig: (c) => config.connectors[c] ?? {},
        workerId,
        log,
      }, { budgetMs, leaseSeconds });
      failures = 0;
      if (values.once && idle(report)) break;
      if (idle(report)) await new Promise((r) => setTimeout(r, pollMs));
    } catch (err) {
      // reconnect with backoff: 0.2 s, 0.4 s ... up to 10 s (full jitter) while the database is away
      const wait = backoffDelay(failures++, { baseMs: 200, maxMs: 10_000 });
      log(`database or worker error, retrying in ${wait} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i === 0 ? baseId : `${baseId}.${i}`)));
await sql.end({ timeout: 5 });
