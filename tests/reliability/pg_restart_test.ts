// PostgreSQL restarted mid-sync: the worker process survives, the job recovers and completes.
// Runs its own throwaway cluster (never the shared stack) on a free port under .local/.
import assert from "node:assert/strict";
import postgres from "postgres";
import { db } from "../../functions/_shared/engine/db.ts";
import { startFakeSquare } from "../fakes/square/mod.ts";
import { jobStatus, ROOT, spawnWorker, tableFigures, waitFor } from "./_support.ts";

const PGBIN = "/usr/lib/postgresql/15/bin";

async function run(cmd: string, args: string[], asPostgres = false): Promise<void> {
  const full = asPostgres
    ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const
    : [cmd, args] as const;
  const out = await new Deno.Command(full[0], { args: [...full[1]], stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

Deno.test("PostgreSQL restarted mid-sync: the job recovers and completes", async () => {
  const port = 55432 + Math.floor(Math.random() * 100);
  const dir = `${ROOT}.local/reltest-pg-${port}-${Date.now()}`;
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  const fake = startFakeSquare({ seed: 41, locations: 3, orders: 4_000 });
  // a slower source so the restart lands mid-run
  fake.state.fault = async () => void await new Promise((r) => setTimeout(r, 60));
  Deno.mkdirSync(dir, { recursive: true });
  await run("chown", ["postgres:postgres", dir]);
  const pgctl = (...args: string[]) => run(`${PGBIN}/pg_ctl`, ["-D", `${dir}/data`, ...args], true);
  try {
    await run(
      `${PGBIN}/initdb`,
      ["-D", `${dir}/data`, "-U", "postgres", "--auth=trust", "--locale=C.UTF-8"],
      true,
    );
    await pgctl(
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      "-l",
      `${dir}/log`,
      "-w",
      "start",
    );
    const files = [
      `${ROOT}scripts/supabase-baseline.sql`,
      ...[...Deno.readDirSync(`${ROOT}supabase/migrations`)].map((e) =>
        `${ROOT}supabase/migrations/${e.name}`
      )
        .sort(),
    ];
    for (const f of files) await run(`${PGBIN}/psql`, [url, "-qX", "-v", "ON_ERROR_STOP=1", "-f", f]);

    const sql = postgres(url, { max: 1, onnotice: () => {} });
    let jobId: number;
    try {
      jobId = (await db.createJob(sql, { connector: "square", streams: ["orders"], mode: "full" })).id;
    } finally {
      await sql.end();
    }
    const worker = spawnWorker(url, fake.url, { SQUARE_PAGE_SIZE: "200" });
    try {
      const watch = () => postgres(url, { max: 1, onnotice: () => {} });
      let w = watch();
      await waitFor("a few pages", async () => (await jobStatus(w, jobId)).done >= 800, 60_000, 20);
      await w.end();
      await pgctl(
        "-m",
        "fast",
        "-w",
        "-l",
        `${dir}/log`,
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        "restart",
      );
      w = watch();
      try {
        const final = await waitFor(
          "the job to finish",
          async () => {
            const s = await jobStatus(w, jobId).catch(() => null);
            return s && !["queued", "running"].includes(s.status) ? s : null;
          },
          90_000,
          100,
        );
        assert.equal(final.status, "succeeded", final.error ?? "");
        const t = await tableFigures(w, "square.orders");
        assert.equal(t.distinct, 4_000);
        assert.equal(t.rows, 4_000);
      } finally {
        await w.end();
      }
    } finally {
      await worker.kill();
    }
  } finally {
    await fake.close();
    await pgctl("-m", "immediate", "stop").catch(() => {});
    Deno.removeSync(dir, { recursive: true });
  }
});
