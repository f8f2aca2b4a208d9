// deno task chaos: the fault-injection scenarios at full size, with figures.
//   1. 20% transient faults (429 + Retry-After, 500, 503, connection reset, a 5 s stall over a
//      3 s timeout) during a 50,000-order sync;
//   2. the worker process killed with SIGKILL at 10 random points of a 50,000-order sync;
//   3. PostgreSQL restarted at 5 random points of a 50,000-order sync (one worker process, which
//      must survive every restart and finish the job itself).
// Needs the local stack and the migrated template that `bash scripts/test.sh` prepares.
import { db } from "../functions/_shared/engine/queue/mod.ts";
import { injectTransientFaults } from "../tests/fakes/square/faults.ts";
import { startFakeSquare } from "../tests/fakes/square/mod.ts";
import { createTestDatabase } from "../tests/_support/db.ts";
import { crashRun } from "../tests/reliability/crash.ts";
import { restartRun } from "../tests/reliability/pg_restart.ts";
import { fakeConfig, runInProcess, tableFigures } from "../tests/reliability/_support.ts";

const RECORDS = Number(Deno.env.get("CHAOS_RECORDS") ?? 50_000);
const KILLS = Number(Deno.env.get("CHAOS_KILLS") ?? 10);
const RESTARTS = Number(Deno.env.get("CHAOS_RESTARTS") ?? 5);
let failed = false;

async function transientFaults() {
  const t0 = Date.now();
  const fake = startFakeSquare({ seed: 101, locations: 3, orders: RECORDS });
  await using tdb = await createTestDatabase();
  try {
    const faults = injectTransientFaults(fake.state, {
      rate: 0.2,
      seed: 7,
      stallMs: 5_000,
      retryAfterSeconds: 1,
    });
    const job = await db.createJob(tdb.sql, { connector: "square", streams: ["orders"], mode: "full" });
    const out = await runInProcess(
      tdb.url,
      fakeConfig(fake.url, { httpTimeoutMs: 3_000, httpMaxDelayMs: 2_000 }),
    );
    const figures = await tableFigures(tdb.sql, "square.orders");
    const [{ http }] = await tdb.sql`select stats -> 'http' as http from sync.jobs where id = ${job.id}`;
    const lost = RECORDS - figures.distinct;
    if (lost !== 0 || out.at(-1)?.status !== "succeeded") failed = true;
    console.log(
      `transient faults: ${RECORDS} records, ${faults.requests} requests, ${faults.injected} faults injected ${
        JSON.stringify(faults.byKind)
      }, ${http.retries} retries, job ${out.at(-1)?.status}, records lost: ${lost}, duplicates: ${
        figures.rows - figures.distinct
      }, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await fake.close();
  }
}

async function kills() {
  const f = await crashRun({ orders: RECORDS, kills: KILLS, seed: 202 });
  const same = f.crashed.checksum === f.reference.checksum && f.crashed.rows === f.reference.rows;
  if (!same || f.lost !== 0 || f.status !== "succeeded") failed = true;
  console.log(
    `SIGKILL: ${f.records} records, ${f.kills} kills, job ${f.status}, records lost: ${f.lost}, duplicates: ${
      f.crashed.rows - f.crashed.distinct
    }, checksum ${f.crashed.checksum} ${same ? "=" : "!="} uninterrupted ${f.reference.checksum}, ${
      f.seconds.toFixed(1)
    } s`,
  );
}

async function restarts() {
  const f = await restartRun({ orders: RECORDS, restarts: RESTARTS, seed: 303, pageDelayMs: 20 });
  const same = f.restarted.checksum === f.reference.checksum && f.restarted.rows === f.reference.rows;
  if (!same || f.lost !== 0 || f.status !== "succeeded" || !f.workerAlive || f.owners.length !== 1) {
    failed = true;
  }
  console.log(
    `PostgreSQL restarts: ${f.records} records, ${f.restarts} restarts, job ${f.status}, worker ${
      f.workerAlive ? "alive" : "DIED"
    }, held by ${f.owners.length} worker(s), records lost: ${f.lost}, duplicates: ${
      f.restarted.rows - f.restarted.distinct
    }, checksum ${f.restarted.checksum} ${same ? "=" : "!="} uninterrupted ${f.reference.checksum}, ${
      f.seconds.toFixed(1)
    } s`,
  );
}

const only = Deno.args[0];
if (!only || only === "faults") await transientFaults();
if (!only || only === "kills") await kills();
if (!only || only === "restarts") await restarts();
if (failed) {
  console.log("chaos: FAILED");
  Deno.exit(1);
}
console.log("chaos: ok");
