// Turns pending inbox rows into sync jobs: events about records become one single-record job
// per (connector, account, stream) with every id of the batch; listing events become an
// incremental job. A stream that already has an active job leaves its rows "received" for the
// next pass (the worker calls processInbox before running jobs); one in its cool-down
// (sql/sync_cooldowns.sql) has them set aside until the gap ends, then coalesced into one job.
import type { Connector } from "../engine/connector/mod.ts";
import { db } from "../engine/queue/mod.ts";
import { ConflictError } from "../engine/errors.ts";
import type { EngineDeps } from "../deps.ts";
import { ops } from "../ops/mod.ts";
import { inbox, type InboxRow } from "./inbox.ts";
import { webhookProvider } from "./registry.ts";

/** What planning needs: the engine's dependencies (deps.ts), without a worker's own. */
export type ProcessDeps = EngineDeps;

export interface ProcessOptions {
  /** Rows to claim per call (default 200). */
  limit?: number;
  /** Only these inbox rows (the webhook route processes what it just stored). */
  ids?: number[];
  /** Seconds a claimed row stays hidden from other processors (default 60). */
  visibilitySeconds?: number;
  /** Attempts after which a row that keeps failing is marked failed (default 5). */
  maxAttempts?: number;
}

export interface ProcessSummary {
  claimed: number;
  processed: number;
  ignored: number;
  deferred: number;
  failed: number;
  jobs: number[];
}

interface Group {
  connector: string;
  account: string;
  streams: string[];
  mode: "single" | "incremental";
  ids: string[];
  rows: InboxRow[];
}

/** Groups claimed rows into jobs; rows that need no job come back in `done`. */
export function planJobs(
  rows: InboxRow[],
  connectors: Record<string, Connector>,
): { groups: Group[]; done: { row: InboxRow; status: "ignored" | "failed"; error: string }[] } {
  const groups = new Map<string, Group>();
  const done: { row: InboxRow; status: "ignored" | "failed"; error: string }[] = [];
  for (const row of rows) {
    const connector = connectors[row.provider];
    const provider = webhookProvider(row.provider, connectors);
    if (!connector || !provider) {
      done.push({ row, status: "failed", error: `No connector "${row.provider}" to process this event` });
      continue;
    }
    const action = provider.action(row.event_type, row.payload);
    if (action.kind === "ignore") {
      done.push({ row, status: "ignored", error: action.reason });
      continue;
    }
    const names = action.kind === "records" ? [action.stream] : action.streams;
    const unknown = names.find((n) => !connector.streams.some((s) => s.name === n));
    if (unknown) {
      done.push({ row, status: "failed", error: `Connector "${row.provider}" has no stream "${unknown}"` });
      continue;
    }
    // a stream that cannot read one record is re-read incrementally instead
    const single = action.kind === "records" &&
      connector.streams.find((s) => s.name === action.stream)?.fetchOne !== undefined;
    const mode = single ? "single" : "incremental";
    const key = `${row.provider}\u0000${row.account}\u0000${mode}\u0000${names.join(",")}`;
    const g = groups.get(key) ??
      { connector: row.provider, account: row.account, streams: names, mode, ids: [], rows: [] };
    if (single && action.kind === "records") {
      for (const id of action.ids) if (!g.ids.includes(id)) g.ids.push(id);
    }
    g.rows.push(row);
    groups.set(key, g);
  }
  return { groups: [...groups.values()], done };
}

/** Processes pending inbox rows into jobs; safe to call concurrently (rows are claimed). */
export async function processInbox(deps: ProcessDeps, opts: ProcessOptions = {}): Promise<ProcessSummary> {
  const { sql } = deps;
  const maxAttempts = opts.maxAttempts ?? 5;
  const rows = await inbox.claim(sql, opts.limit ?? 200, opts.visibilitySeconds ?? 60, opts.ids);
  const summary: ProcessSummary = {
    claimed: rows.length,
    processed: 0,
    ignored: 0,
    deferred: 0,
    failed: 0,
    jobs: [],
  };
  if (rows.length === 0) return summary;
  const { groups, done } = planJobs(rows, deps.connectors);
  for (const d of done) {
    await inbox.finish(sql, d.row.id, d.status, d.error, null);
    summary[d.status]++;
  }
  for (const g of groups) {
    const until = await ops.cooldownUntil(sql, g.connector, g.account, g.streams);
    if (until) {
      // the stream ran less than its cool-down ago: these events join the run after the gap
      await ops.deferWebhooks(
        sql,
        g.rows.map((r) => r.id),
        until,
        `cooling down until ${until.toISOString()}`,
      );
      summary.deferred += g.rows.length;
      continue;
    }
    try {
      const job = await db.createJob(sql, {
        connector: g.connector,
        account: g.account,
        streams: g.streams,
        mode: g.mode,
        options: g.mode === "single" ? { records: { [g.streams[0]]: g.ids } } : {},
        trigger: "webhook",
      });
      summary.jobs.push(job.id);
      for (const row of g.rows) await inbox.finish(sql, row.id, "processed", null, job.id);
      summary.processed += g.rows.length;
    } catch (err) {
      const conflict = err instanceof ConflictError;
      const message = (err as Error)?.message ?? String(err);
      for (const row of g.rows) {
        // a busy stream is not a failure: the row waits for the next pass
        const final = !conflict && row.attempts >= maxAttempts;
        await inbox.finish(sql, row.id, final ? "failed" : "received", message, null);
        if (final) summary.failed++;
        else summary.deferred++;
      }
      deps.log?.(
        `webhooks: ${g.rows.length} ${g.connector} event(s) ${
          conflict ? "deferred" : "not processed"
        }: ${message}`,
      );
    }
  }
  return summary;
}
