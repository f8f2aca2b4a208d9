// Shared pieces of the reliability suite and scripts/chaos.ts: run the Square connector against
// the fake in process (the reference run), compare target tables by a checksum over business
// columns, and spawn scripts/worker.ts as a real process (to be killed with SIGKILL).
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import type { Sql } from "../../functions/_shared/engine/types.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { FAKE_SQUARE_TOKEN } from "../fakes/square/mod.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;

/** Connector settings for the fake: fast retries, a short timeout, big pages. */
export function fakeConfig(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accessToken: FAKE_SQUARE_TOKEN,
    baseUrl: url,
    pageSize: 500,
    httpTimeoutMs: 1_000,
    httpMaxAttempts: 8,
    httpBaseDelayMs: 20,
    httpMaxDelayMs: 500,
    circuitFailureThreshold: 8,
    circuitCooldownMs: 1_000,
    rateLimitRequests: 0,
    ...extra,
  };
}

export async function runInProcess(
  dbUrl: string,
  config: Record<string, unknown>,
  opts: { workerId?: string; budgetMs?: number; leaseSeconds?: number } = {},
): Promise<JobOutcome[]> {
  const sql = connect(dbUrl, 2);
  try {
    const all: JobOutcome[] = [];
    for (;;) {
      const out = await runUntilIdle({
        sql,
        connectors: { square: squareConnector },
        connectorConfig: () => config,
        workerId: opts.workerId ?? `test-${crypto.randomUUID().slice(0, 8)}`,
      }, { budgetMs: opts.budgetMs ?? 120_000, leaseSeconds: opts.leaseSeconds });
      all.push(...out);
      if (out.length === 0 || out[out.length - 1].status !== "yielded") return all;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface TableFigures {
  rows: number;
  distinct: number;
  checksum: string;
}

const BOOKKEEPING = ["_first_synced_at", "_last_synced_at", "_source_updated_at", "_last_job_id"];

/** Row count, distinct keys and an md5 over every business column, row by row in key order. */
export async function tableFigures(sql: Sql, table: string, key = "id"): Promise<TableFigures> {
  const [schema, name] = table.split(".");
  const strip = BOOKKEEPING.map((c) => `- '${c}'`).join(" ");
  const [r] = await sql.unsafe(
    `select count(*)::int as rows, count(distinct ${key})::int as distinct,
       coalesce(md5(string_agg((to_jsonb(t) ${strip})::text, E'\\n' order by ${key})), '') as checksum
     from ${schema}.${name} t`,
  );
  return { rows: r.rows, distinct: r.distinct, checksum: r.checksum };
}

export interface WorkerProcess {
  child: Deno.ChildProcess;
  kill(): Promise<void>;
  done: Promise<Deno.CommandStatus>;
  /** What the worker wrote to stderr so far (with `logs: true`). */
  logs(): string;
}

const importMap = Deno.env.get("SYNCLINE_DENO_IMPORT_MAP");

/** Starts scripts/worker.ts against dbUrl and the fake; kill() is SIGKILL. */
export function spawnWorker(
  dbUrl: string,
  fakeUrl: string,
  env: Record<string, string> = {},
  opts: { logs?: boolean; args?: string[] } = {},
): WorkerProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      // under the Edge Runtime's Deno (scripts/test.sh edge): the function's import map, no deno.json
      ...(importMap ? ["--no-config", "--import-map", importMap] : []),
      `${ROOT}scripts/worker.ts`,
      "--poll-ms",
      "100",
      ...(opts.logs ? [] : ["--quiet"]),
      ...(opts.args ?? []),
    ],
    cwd: ROOT,
    env: {
      SYNCLINE_DB_URL: dbUrl,
      SQUARE_BASE_URL: fakeUrl,
      SQUARE_ACCESS_TOKEN: FAKE_SQUARE_TOKEN,
      SQUARE_PAGE_SIZE: "500",
      SQUARE_RATE_LIMIT_REQUESTS: "0",
      SYNCLINE_LEASE_SECONDS: "2",
      ...env,
    },
    stdout: "null",
    stderr: opts.logs ? "piped" : "null",
  }).spawn();
  let text = "";
  if (opts.logs) {
    // read as it comes, so a full pipe never blocks the worker
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({ write: (chunk) => void (text += chunk) }),
    ).catch(() => {});
  }
  const done = child.status;
  return {
    child,
    done,
    logs: () => text,
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await done;
    },
  };
}

export async function jobStatus(
  sql: Sql,
  jobId: number,
): Promise<{ status: string; error: string | null; done: number }> {
  const [r] = await sql`select j.status, j.error, coalesce(sum(p.done), 0)::int as done
    from sync.jobs j left join sync.progress p on p.job_id = j.id where j.id = ${jobId} group by j.id`;
  return r as unknown as { status: string; error: string | null; done: number };
}

/** Waits until the job has finished (succeeded, partial, failed or cancelled); its status. */
export function jobFinished(sql: Sql, jobId: number, timeoutMs = 300_000, everyMs = 100) {
  return waitFor(
    "the job to finish",
    async () => {
      const s = await jobStatus(sql, jobId);
      return ["succeeded", "partial", "failed", "cancelled"].includes(s.status) ? s : null;
    },
    timeoutMs,
    everyMs,
  );
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
