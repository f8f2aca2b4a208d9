// One pass of a worker, the same from the Edge Function's POST /sync/worker (woken by pg_cron
// + pg_net) and from the local worker loop: turn pending webhook deliveries into jobs, run
// queued jobs within the budget, then deliver due notifications (a failure reaches its
// channel in the same pass that recorded it). processAndRun is the webhook route's short pass:
// the deliveries it just stored become jobs, which run at once.
import { type RunnerDeps, workerDeps } from "./deps.ts";
import { type JobOutcome, type RunOptions, runUntilIdle } from "./engine/run/mod.ts";
import { deliverPendingNotifications, loadNotifySettings, type NotifyDeps } from "./notify/deliver.ts";
import { type ProcessDeps, processInbox, type ProcessSummary } from "./webhooks/process.ts";

export interface PassReport {
  inbox: ProcessSummary;
  outcomes: JobOutcome[];
  notifications: { claimed: number; sent: number; failed: number };
}

export async function workerPass(
  deps: RunnerDeps & { notify?: NotifyDeps },
  opts: RunOptions,
): Promise<PassReport> {
  const inbox = await processInbox(deps);
  const outcomes = await runUntilIdle(deps, opts);
  const settings = await loadNotifySettings(deps.sql, deps.notify?.env?.(), {
    resolve: deps.notify?.resolve,
  });
  // a failed job's message says what happened and what to do, in its connector's words
  const operatorHelp = (name: string) =>
    Object.hasOwn(deps.connectors, name) ? deps.connectors[name].operator : undefined;
  const { claimed, sent, failed } = await deliverPendingNotifications(deps.sql, {
    ...settings,
    operatorHelp,
  });
  return { inbox, outcomes, notifications: { claimed, sent, failed } };
}

/** True when the pass found nothing to do (the loop may sleep). */
export function idle(report: PassReport): boolean {
  return report.inbox.claimed === 0 && report.outcomes.length === 0 && report.notifications.claimed === 0;
}

/** What the webhook route runs in the background: process the new row, then run its job. */
export async function processAndRun(
  deps: ProcessDeps & { budgetMs: number },
  ids: number[],
  connector: string,
): Promise<void> {
  const summary = await processInbox(deps, { ids });
  if (summary.jobs.length === 0) return;
  const runner = workerDeps(deps, { workerId: `webhook-${crypto.randomUUID().slice(0, 8)}` });
  await runUntilIdle(runner, { budgetMs: Math.min(deps.budgetMs, 30_000), connector });
}
