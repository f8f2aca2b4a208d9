// Shared pieces of the Bubble integrity tests: the invoicing fake, the connector with the model,
// and running jobs in process against a test database.
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { db } from "../../functions/_shared/engine/queue/mod.ts";
import type { Job, Sql } from "../../functions/_shared/engine/types.ts";
import { defaultHttpPolicy, HttpClient } from "../../functions/_shared/engine/http/mod.ts";
import { type JobOutcome, runUntilIdle } from "../../functions/_shared/engine/run/mod.ts";
import { FAKE_BUBBLE_TOKEN, type FakeBubble, startFakeBubble } from "../fakes/bubble/mod.ts";
import { invoicingData, type InvoicingSeedOptions } from "../fakes/bubble/invoicing.ts";

export const connector: Connector = bubbleConnector([], { model: invoicingModel });

export function startInvoicingFake(
  seed: InvoicingSeedOptions = {},
  extra: { latencyMs?: number } = {},
): FakeBubble {
  return startFakeBubble({ data: invoicingData(seed), ...extra });
}

export function config(fake: FakeBubble, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiToken: FAKE_BUBBLE_TOKEN,
    appUrl: "https://invoicing.bubbleapps.io",
    baseUrl: fake.url,
    ...extra,
  };
}

/** An HTTP client for the fake with fast retries (the fake's 429s cost milliseconds). */
export function fastHttp(c: Connector, cfg: Record<string, unknown>): HttpClient {
  return new HttpClient({
    source: "bubble",
    baseUrl: String(cfg.baseUrl),
    headers: c.headers(cfg),
    policy: {
      ...defaultHttpPolicy,
      baseDelayMs: 1,
      maxDelayMs: 5,
    },
  });
}

export async function runAll(
  sql: Sql,
  cfg: Record<string, unknown>,
  opts: { workerId?: string; budgetMs?: number; httpFor?: typeof fastHttp } = {},
): Promise<JobOutcome[]> {
  return await runUntilIdle({
    sql,
    connectors: { bubble: connector },
    connectorConfig: () => cfg,
    workerId: opts.workerId ?? "bubble-test",
    httpFor: opts.httpFor ?? fastHttp,
  }, { budgetMs: opts.budgetMs ?? 60_000 });
}

export async function startJob(
  sql: Sql,
  input: { streams?: string[]; mode?: Job["mode"]; options?: Job["options"] },
): Promise<Job> {
  return await db.createJob(sql, {
    connector: "bubble",
    streams: input.streams ?? ["invoice"],
    mode: input.mode ?? (input.options?.records ? "single" : "full"),
    options: input.options ?? {},
  });
}

export interface StepRow {
  root_id: string;
  seq: number;
  action: string;
  entity: string | null;
  status: string;
  count: number | null;
  detail: string | null;
}

export async function stepsOf(sql: Sql, jobId: number): Promise<StepRow[]> {
  return (await sql`select root_id, seq, action, entity, status, count, detail from bubble.sync_steps
    where job_id = ${jobId} order by root_id, seq`) as unknown as StepRow[];
}

export const TYPES = [
  "agent",
  "customer",
  "user",
  "invoice",
  "payment",
  "submitted_payment",
  "invoice_item",
  "seda_registration",
];

/** Rows per typed table. */
export async function counts(sql: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TYPES) {
    const [r] = await sql.unsafe(`select count(*)::int as n from bubble."${t}"`);
    out[t] = r.n;
  }
  return out;
}
