// Shards: a full read of Square orders split into time windows that several workers read at once.
// The table equals an unsharded run's (checksum), progress adds up, a killed shard resumes from its
// cursor, and a shard that fails fails the job by name.
import assert from "node:assert/strict";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { shardDb } from "../../functions/_shared/engine/shards/mod.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { squareError } from "../fakes/square/http.ts";
import { createTestDatabase } from "../_support/db.ts";
import {
  fakeConfig,
  jobFinished,
  runInProcess,
  spawnWorker,
  tableFigures,
  waitFor,
  type WorkerProcess,
} from "./_support.ts";

const FINAL = ["succeeded", "partial", "failed", "cancelled"];

/** Workers in this process, each with its own pool, working until the job has finished. */
async function workUntilFinished(
  dbUrl: string,
  jobId: number,
  config: Record<string, unknown>,
  workers: string[],
): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  await Promise.all(workers.map(async (workerId) => {
    const sql = connect(dbUrl, 2);
    try {
      while (!FINAL.includes((await db.getJob(sql, jobId))!.status)) {
        const out = await runUntilIdle({
          sql,
          connectors: { square: squareConnector },
          connectorConfig: () => config,
          workerId,
        }, { budgetMs: 60_000, leaseSeconds: 5 });
        outcomes.push(...out.map((o) => ({ ...o, worker: workerId })));
        if (out.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  }));
  return outcomes;
}

async function progressOf(sql: Sql, jobId: number) {
  const [p] = await sql`select done::int, inserted::int, completeness from sync.progress
    where job_id = ${jobId} and phase = 'orders'`;
  return p;
}

Deno.test("three workers read a full sync in 4 shards: the table equals an unsharded run's, progress adds up", async () => {
  const fake = startFakeSquare({ seed: 31, locations: 3, orders: 4_000 });
  fake.state.latencyMs = 5;
  await using ref = await createTestDatabase();
  await using sharded = await createTestDatabase();
  try {
    const config = fakeConfig(fake.url, { pageSize: 100 });
    await db.createJob(ref.sql, { connector: "square", streams: ["orders"], mode: "full" });
    await runInProcess(ref.url, config);
    const reference = await tableFigures(ref.sql, "square.orders");
    assert.equal(reference.rows, 4_000);

    // the completeness id walk (SearchOrders with return_entries): which windows it reads
    const idWalks = new Set<string>();
    fake.state.fault = async (req, route) => {
      if (route === "POST /v2/orders/search") {
        const body = await req.clone().json();
        // a full read's shards split creation time (an edit cannot move an order out of its window)
        const range = body?.query?.filter?.date_time_filter?.created_at;
        if (body.return_entries && !body.cursor) {
          idWalks.add(`${range?.start_at ?? null}..${range?.end_at ?? null}`);
        }
      }
      return undefined;
    };
    const job = await db.createJob(sharded.sql, {
      connector: "square",
      streams: ["orders"],
      mode: "full",
      options: { shards: 4 },
    });
    const outcomes = await workUntilFinished(sharded.url, job.id, config, ["w1", "w2", "w3"]);
    const done = await db.getJob(sharded.sql, job.id);
    assert.equal(done!.status, "succeeded", done!.error ?? undefined);
    assert.deepEqual(await tableFigures(sharded.sql, "square.orders"), reference);

    const shards = await shardDb.list(sharded.sql, job.id);
    assert.equal(shards.length, 4);
    assert.ok(shards.every((s) => s.status === "done"), JSON.stringify(shards.map((s) => s.status)));
    assert.equal(shards[0].window_start, null, "the first window is open at the start");
    assert.equal(shards[3].window_end, null, "the last window is open at the end");
    const helped = outcomes.filter((o) => o.shard);
    assert.ok(helped.length >= 1, "workers other than the coordinator read shards");
    const progress = await progressOf(sharded.sql, job.id);
    const sum = shards.reduce((n, s) => n + s.done, 0);
    assert.equal(progress.done, sum, "the stream's progress is the sum of its shards'");
    // Square's time ranges are inclusive at both ends: a record on a boundary is read twice
    assert.ok(progress.done >= 4_000 && progress.done <= 4_003, `read ${progress.done}`);
    assert.equal(progress.inserted, 4_000);
    assert.deepEqual(progress.completeness, {
      status: "complete",
      method: "ids",
      source: 4_000,
      landed: 4_000,
    });
    // the id walk went window by window (at once), like the read
    const iso = (t: string | null) => (t ? new Date(t).toISOString() : null);
    assert.deepEqual(
      [...idWalks].map((w) => w.split("..").map((t) => String(iso(t === "null" ? null : t))).join(".."))
        .sort(),
      shards.map((s) => `${s.window_start}..${s.window_end}`).sort(),
    );
    const [cp] = await sharded
      .sql`select high_water_mark, state from sync.checkpoints where stream = 'orders'`;
    assert.ok(cp.high_water_mark, "the stream's high-water mark is set once every shard is done");
    assert.equal(cp.state.running, false);
  } finally {
    await fake.close();
  }
});

Deno.test("a killed shard worker, then a killed coordinator: shards resume from their cursors, nothing lost or doubled", async () => {
  const fake = startFakeSquare({ seed: 32, locations: 3, orders: 6_000 });
  fake.state.latencyMs = 25;
  await using ref = await createTestDatabase();
  await using crash = await createTestDatabase();
  const env = { SQUARE_PAGE_SIZE: "100" };
  const workers: WorkerProcess[] = [];
  try {
    await db.createJob(ref.sql, { connector: "square", streams: ["orders"], mode: "full" });
    await runInProcess(ref.url, fakeConfig(fake.url, { pageSize: 100 }));
    const reference = await tableFigures(ref.sql, "square.orders");

    const job = await db.createJob(crash.sql, {
      connector: "square",
      streams: ["orders"],
      mode: "full",
      options: { shards: 4 },
    });
    for (let i = 0; i < 3; i++) workers.push(spawnWorker(crash.url, fake.url, env));
    const pidOf = (owner: string | null) => Number(owner?.split("-").at(-1));
    const kill = async (what: string, pick: () => Promise<string | null | undefined>) => {
      const victim = await waitFor(
        what,
        async () => {
          const owner = await pick();
          return owner ? workers.find((w) => w.child.pid === pidOf(owner)) : null;
        },
        60_000,
        20,
      );
      await victim!.kill();
      workers.push(spawnWorker(crash.url, fake.url, env));
    };
    const coordinator = async () =>
      (await crash.sql`select lease_owner from sync.jobs where id = ${job.id}`)[0].lease_owner as
        | string
        | null;
    // a helper (not the job's lease holder) that has read pages of its shard
    await kill("a helper mid-shard", async () => {
      const c = await coordinator();
      return (await shardDb.list(crash.sql, job.id))
        .find((s) => s.status === "running" && s.done > 0 && s.lease_owner !== c)?.lease_owner;
    });
    // then the coordinator, reading a shard or waiting for the others, while shards remain
    await kill("the coordinator while shards remain", async () => {
      const left = (await shardDb.list(crash.sql, job.id)).some((s) => s.status !== "done");
      return left ? await coordinator() : null;
    });
    const final = await jobFinished(crash.sql, job.id, 120_000);
    assert.equal(final.status, "succeeded", final.error ?? undefined);
    assert.deepEqual(await tableFigures(crash.sql, "square.orders"), reference);
    const shards = await shardDb.list(crash.sql, job.id);
    assert.ok(shards.some((s) => s.attempts >= 2), "a shard was claimed again after its worker died");
    const progress = await progressOf(crash.sql, job.id);
    // a shard restarted from its window's start would count its committed pages twice
    assert.ok(progress.done >= 6_000 && progress.done <= 6_003, `read ${progress.done}`);
    assert.equal(progress.done, shards.reduce((n, s) => n + s.done, 0));
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await fake.close();
  }
});

for (const workers of [["w1", "w2"], ["alone"]]) {
  Deno.test(
    `a shard whose window the API refuses fails the job, naming the shard (${workers.length} worker${
      workers.length === 1 ? ", the coordinator reads it" : "s"
    })`,
    async () => {
      const fake = startFakeSquare({ seed: 33, locations: 2, orders: 1_500 });
      await using t = await createTestDatabase();
      try {
        let refusedWindow: string | null = null;
        fake.state.fault = async (req, route) => {
          if (route !== "POST /v2/orders/search") return undefined;
          const body = await req.clone().json();
          const start = body?.query?.filter?.date_time_filter?.created_at?.start_at;
          // the second window (the first one that starts at a time) is refused for good
          if (start && (refusedWindow === null || refusedWindow === start)) {
            refusedWindow = start;
            return squareError(400, "INVALID_REQUEST_ERROR", "BAD_REQUEST", "Invalid time range.");
          }
          return undefined;
        };
        const job = await db.createJob(t.sql, {
          connector: "square",
          streams: ["orders"],
          mode: "full",
          options: { shards: 3 },
        });
        await workUntilFinished(t.url, job.id, fakeConfig(fake.url, { pageSize: 100 }), workers);
        const done = await db.getJob(t.sql, job.id);
        assert.equal(done!.status, "failed");
        assert.match(done!.error ?? "", /shard \d of "orders" \(\S+ to \S+\) failed: .*400/);
        assert.ok(done!.error!.includes(new Date(refusedWindow!).toISOString()), done!.error!);
        const shards = await shardDb.list(t.sql, job.id);
        assert.equal(shards.filter((s) => s.status === "failed").length, 1);
        assert.ok(shards.every((s) => s.status !== "pending" && s.status !== "running"));
      } finally {
        await fake.close();
      }
    },
  );
}

Deno.test("one worker process with --concurrency 4 reads the shards side by side", async () => {
  const fake = startFakeSquare({ seed: 34, locations: 2, orders: 2_000 });
  fake.state.latencyMs = 20;
  await using t = await createTestDatabase();
  const worker = spawnWorker(t.url, fake.url, { SQUARE_PAGE_SIZE: "100" }, {
    logs: true,
    args: ["--concurrency", "4"],
  });
  try {
    const job = await db.createJob(t.sql, {
      connector: "square",
      streams: ["orders"],
      mode: "full",
      options: { shards: 4 },
    });
    const final = await jobFinished(t.sql, job.id, 60_000);
    assert.equal(final.status, "succeeded", final.error ?? undefined);
    const [{ n }] = await t.sql`select count(*)::int as n from square.orders`;
    assert.equal(n, 2_000);
    // the loops other than the coordinator log the shards they read
    const helped = worker.logs().match(/shard orders#\d succeeded/g) ?? [];
    assert.ok(helped.length >= 1, worker.logs());
  } finally {
    await worker.kill();
    await fake.close();
  }
});
