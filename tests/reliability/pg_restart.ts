// The PostgreSQL-restart scenario, shared by the test suite (small) and scripts/chaos.ts (full
// size): a reference run in process, then the same sync by one scripts/worker.ts process while
// the database is restarted at several points. The worker must survive every restart (no crash,
// no unhandled rejection), resume the job itself, and leave a table equal to the reference's.
import postgres from "postgres";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { seeded } from "../fakes/_random.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { startThrowawayCluster } from "./pg_cluster.ts";
import {
  fakeConfig,
  jobStatus,
  runInProcess,
  spawnWorker,
  type TableFigures,
  tableFigures,
  waitFor,
} from "./_support.ts";

export interface RestartFigures {
  records: number;
  restarts: number;
  reference: TableFigures;
  restarted: TableFigures;
  status: string;
  lost: number;
  /** The worker process was still running when the job had finished. */
  workerAlive: boolean;
  /** Workers that held the job: the one worker, every time. */
  owners: string[];
  workerLog: string;
  seconds: number;
}

export async function restartRun(
  opts: {
    orders: number;
    restarts: number;
    seed: number;
    pageDelayMs?: number;
    /** the restarted job's options (e.g. shards) */
    jobOptions?: Record<string, unknown>;
    /** arguments of the worker process (e.g. --concurrency) */
    workerArgs?: string[];
  },
): Promise<RestartFigures> {
  const started = Date.now();
  const random = seeded(opts.seed);
  const fake = startFakeSquare({ seed: opts.seed, locations: 3, orders: opts.orders });
  try {
    let reference: TableFigures;
    {
      await using ref = await createTestDatabase();
      await db.createJob(ref.sql, { connector: "square", streams: ["orders"], mode: "full" });
      await runInProcess(ref.url, fakeConfig(fake.url));
      reference = await tableFigures(ref.sql, "square.orders");
    }
    // a slower source, so the restarts land mid-run
    const delay = opts.pageDelayMs ?? 40;
    fake.state.fault = async () => void await new Promise((r) => setTimeout(r, delay));
    await using cluster = await startThrowawayCluster();
    const connectWatch = () => postgres(cluster.url, { max: 1, onnotice: () => {} });
    let watch = connectWatch();
    let jobId: number;
    try {
      jobId = (await db.createJob(watch, {
        connector: "square",
        streams: ["orders"],
        mode: "full",
        options: opts.jobOptions,
      })).id;
    } finally {
      await watch.end({ timeout: 5 });
    }
    // a 60 s lease: resuming sooner than that is the worker's own doing, not an expired lease
    const worker = spawnWorker(cluster.url, fake.url, {
      SQUARE_PAGE_SIZE: "200",
      SYNCLINE_LEASE_SECONDS: "60",
    }, {
      logs: true,
      args: opts.workerArgs,
    });
    let exited = false;
    worker.done.then(() => (exited = true));
    const alive = () => {
      if (exited) throw new Error("the worker process exited");
    };
    const owners = new Set<string>();
    let restarts = 0;
    let workerAlive = false;
    try {
      const points = Array.from({ length: opts.restarts }, () => Math.floor(random() * opts.orders * 0.9))
        .sort((a, b) => a - b);
      const finished = (s: { status: string }) => !["queued", "running"].includes(s.status);
      for (const point of points) {
        watch = connectWatch();
        try {
          const reached = await waitFor(
            `progress ${point}`,
            async () => {
              alive();
              const s = await jobStatus(watch, jobId);
              const [o] = await watch`select lease_owner from sync.jobs where id = ${jobId}`;
              if (o.lease_owner) owners.add(o.lease_owner);
              return s.done >= point || finished(s) ? s : null;
            },
            120_000,
            20,
          );
          if (finished(reached)) break;
        } finally {
          await watch.end({ timeout: 1 }).catch(() => {});
        }
        await cluster.restart();
        restarts++;
      }
      watch = connectWatch();
      try {
        const final = await waitFor(
          "the job to finish",
          async () => {
            alive();
            const s = await jobStatus(watch, jobId).catch(() => null);
            const [o] = await watch`select lease_owner from sync.jobs where id = ${jobId}`.catch(
              () => [null],
            );
            if (o?.lease_owner) owners.add(o.lease_owner);
            return s && finished(s) ? s : null;
          },
          300_000,
          100,
        );
        const status = await Promise.race([
          worker.done.then(() => "exited"),
          new Promise((r) => setTimeout(() => r("running"), 200)),
        ]);
        workerAlive = status === "running";
        const restarted = await tableFigures(watch, "square.orders");
        const [{ lost }] = await watch`select (${opts.orders}::int - count(distinct id))::int as lost
          from square.orders`;
        return {
          records: opts.orders,
          restarts,
          reference,
          restarted,
          status: final.status,
          lost,
          workerAlive,
          owners: [...owners],
          workerLog: worker.logs(),
          seconds: (Date.now() - started) / 1000,
        };
      } finally {
        await watch.end({ timeout: 5 });
      }
    } catch (err) {
      const alive = await Promise.race([
        worker.done.then((st) => `exited with ${st.code}`),
        new Promise((r) => setTimeout(() => r("running"), 200)),
      ]);
      throw new Error(`${(err as Error).message}; worker ${alive}, its log:\n${worker.logs().slice(-4000)}`);
    } finally {
      await worker.kill();
    }
  } finally {
    await fake.close();
  }
}
