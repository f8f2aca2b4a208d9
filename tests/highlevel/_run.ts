// Runs HighLevel syncs in process against the fake and a fresh database.
import { highlevelConnector } from "../../functions/_shared/connectors/highlevel/mod.ts";
import { connect } from "../../functions/_shared/engine/postgres/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Job, Sql } from "../../functions/_shared/engine/types.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { FAKE_HIGHLEVEL_LOCATION, FAKE_HIGHLEVEL_TOKEN } from "../fakes/highlevel/mod.ts";

export function fakeConfig(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accessToken: FAKE_HIGHLEVEL_TOKEN,
    locationId: FAKE_HIGHLEVEL_LOCATION,
    baseUrl: url,
    pageSize: 100,
    httpTimeoutMs: 5_000,
    httpBaseDelayMs: 5,
    httpMaxDelayMs: 50,
    rateLimitRequests: 0,
    ...extra,
  };
}

/** Creates a job and runs it to its end; returns the outcome and the job's progress rows. */
export async function runSync(
  dbUrl: string,
  config: Record<string, unknown>,
  job: { streams: string[]; mode?: Job["mode"]; options?: Record<string, unknown> },
): Promise<{ outcome: JobOutcome; progress: Record<string, unknown>[] }> {
  const sql: Sql = connect(dbUrl, 2);
  try {
    const created = await db.createJob(sql, {
      connector: "highlevel",
      streams: job.streams,
      mode: job.mode ?? "full",
      options: job.options ?? {},
    });
    const outcomes: JobOutcome[] = [];
    for (;;) {
      const out = await runUntilIdle({
        sql,
        connectors: { highlevel: highlevelConnector },
        connectorConfig: () => config,
        workerId: `test-${crypto.randomUUID().slice(0, 8)}`,
      }, { budgetMs: 60_000 });
      outcomes.push(...out);
      if (out.length === 0 || out.at(-1)!.status !== "yielded") break;
    }
    const outcome = outcomes.find((o) => o.jobId === created.id)!;
    const progress = await sql`select * from sync.progress where job_id = ${created.id} order by phase`;
    return { outcome, progress: progress as unknown as Record<string, unknown>[] };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
