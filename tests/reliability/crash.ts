// The SIGKILL scenario, shared by the test suite (small) and scripts/chaos.ts (50,000 records):
// a reference run in process, then the same sync by scripts/worker.ts killed with SIGKILL at
// random points and restarted each time; the two target tables must be equal row for row.
import postgres from "postgres";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import { seeded } from "../fakes/_random.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import {
  fakeConfig,
  jobFinished,
  jobStatus,
  runInProcess,
  spawnWorker,
  type TableFigures,
  tableFigures,
  waitFor,
} from "./_support.ts";

export interface CrashFigures {
  records: number;
  kills: number;
  reference: TableFigures;
  crashed: TableFigures;
  status: string;
  /** Records missing from the crashed run's table. */
  lost: number;
  seconds: number;
}

export async function crashRun(opts: { orders: number; kills: number; seed: number }): Promise<CrashFigures> {
  const started = Date.now();
  const random = seeded(opts.seed);
  const fake = startFakeSquare({ seed: opts.seed, locations: 3, orders: opts.orders });
  await using ref = await createTestDatabase();
  await using crash = await createTestDatabase();
  try {
    await db.createJob(ref.sql, { connector: "square", streams: ["orders"], mode: "full" });
    await runInProcess(ref.url, fakeConfig(fake.url));
    const reference = await tableFigures(ref.sql, "square.orders");

    const watch = postgres(crash.url, { max: 1, onnotice: () => {} });
    try {
      const job = await db.createJob(crash.sql, { connector: "square", streams: ["orders"], mode: "full" });
      // kill points: progress thresholds spread at random over the run
      const points = Array.from({ length: opts.kills }, () => Math.floor(random() * opts.orders * 0.95))
        .sort((a, b) => a - b);
      let kills = 0;
      let worker = spawnWorker(crash.url, fake.url);
      for (const point of points) {
        const reached = await waitFor(
          `progress ${point}`,
          async () => {
            const s = await jobStatus(watch, job.id);
            return s.done >= point || s.status !== "running" && s.status !== "queued" ? s : null;
          },
          120_000,
          20,
        );
        if (reached.status !== "running" && reached.status !== "queued") break;
        await worker.kill();
        kills++;
        worker = spawnWorker(crash.url, fake.url);
      }
      const final = await jobFinished(watch, job.id);
      await worker.kill();
      const crashed = await tableFigures(crash.sql, "square.orders");
      const [{ lost }] = await crash.sql`select (${opts.orders}::int - count(distinct id))::int as lost
        from square.orders`;
      return {
        records: opts.orders,
        kills,
        reference,
        crashed,
        status: final.status,
        lost,
        seconds: (Date.now() - started) / 1000,
      };
    } finally {
      await watch.end({ timeout: 5 });
    }
  } finally {
    await fake.close();
  }
}
