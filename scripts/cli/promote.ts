// CLI commands over the promotion API: bulk promote jobs, one root's step log, monitoring.
//   sync promote [--plan P] [--since D] [--until D] [--ids a,b [--force]] [--batch-size N] [--no-follow]
//   sync promote --payment <id>          (or --root <id>) the root's outcome and step log
//   sync promote status [--plan P] [--watch [--interval S]]   roots by outcome, rows per step, reasons,
//                                        failures, orphans (--watch: refreshed every S seconds until Ctrl-C)
//   sync promote roots [--status S] [--reason R] [--limit N]
import type { Job } from "../../functions/_shared/engine/types.ts";
import type { ApiClient } from "./client.ts";
import { CliUsageError } from "./ops.ts";
import { table } from "./render.ts";

export const DEFAULT_PLAN = "square_event_sales";

export interface PromoteFlags {
  plan?: string;
  payment?: string;
  root?: string;
  since?: string;
  until?: string;
  ids?: string;
  status?: string;
  reason?: string;
  limit?: string;
  "batch-size"?: string;
  "no-follow"?: boolean;
  force?: boolean;
  watch?: boolean;
  interval?: string;
}

/** How `promote status --watch` waits and stops (injected by tests; the CLI stops on Ctrl-C). */
export interface WatchControl {
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clears the screen before each refresh (on a terminal). */
  clear?: () => void;
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

type Obj = Record<string, unknown>;
const enc = encodeURIComponent;

/** Monitoring as lines of text (pure: the API's status object in, lines out). */
export function statusLines(s: Obj): string[] {
  const r = s.roots as Obj;
  const out = [
    `plan ${s.plan} (roots: ${s.root_table})`,
    `roots: ${r.import} imported · ${r.promoted} promoted (${
      r.percent_promoted ?? 0
    }%) · ${r.ineligible} ineligible · ` +
    `${r.failed} failed · ${r.withdrawn} withdrawn · ${r.pending} pending`,
  ];
  const reasons = s.ineligible_by_reason as Obj[];
  if (reasons.length) {
    out.push(`ineligible by reason: ${reasons.map((x) => `${x.reason_code} ${x.count}`).join(" · ")}`);
  }
  out.push("");
  out.push(...table((s.steps as Obj[]).map((x) => ({
    step: x.step,
    import: `${x.import_rows} ${x.source_table}`,
    production: `${x.production_rows} ${x.target}`,
    active: x.active_rows,
    "of promoted roots": x.rows_of_promoted_roots ?? "-",
  }))));
  out.push("");
  for (const o of s.orphans as Obj[]) out.push(`orphans (${o.layer}): ${o.check}: ${o.count}`);
  out.push(`production orphans in total: ${s.orphan_total}`);
  const failed = s.failed as Obj[];
  if (failed.length) {
    out.push("", "failed roots (latest first):");
    for (const f of failed) out.push(`  ${f.root_id}  at ${f.step}: ${f.error}`);
  }
  return out;
}

/** Runs `sync promote ...`; follow() follows a started job and returns its exit code. */
export async function runPromoteCommand(
  api: ApiClient,
  args: string[],
  flags: PromoteFlags,
  follow: (id: number) => Promise<number>,
  print: (line: string) => void = console.log,
  watch: WatchControl = {},
): Promise<number> {
  const plan = flags.plan ?? DEFAULT_PLAN;
  const [sub, extra] = args;
  const root = flags.payment ?? flags.root;
  if (root !== undefined) {
    if (sub !== undefined) throw new CliUsageError(`promote --payment takes no other argument, got "${sub}"`);
    if (!root.trim()) throw new CliUsageError("--payment needs a payment id");
    const { root: r, line } = await api.call<{ root: Obj; line: string }>(
      "GET",
      `/promotions/${enc(plan)}/roots/${enc(root)}`,
    );
    print(
      `${r.root_id}: ${r.status}${r.reason ? ` (${r.reason})` : ""}${r.error ? ` at ${r.failed_step}` : ""}`,
    );
    print(line);
    print(`judged ${r.attempts} time(s), last by job ${r.job_id ?? "-"} at ${r.updated_at}`);
    return 0;
  }
  if (extra !== undefined) throw new CliUsageError(`Unexpected argument "${extra}"`);
  switch (sub) {
    case "status": {
      if (flags.interval !== undefined && !flags.watch) {
        throw new CliUsageError("--interval goes with --watch");
      }
      const seconds = flags.interval === undefined ? 2 : Number(flags.interval);
      if (!(Number.isFinite(seconds) && seconds >= 0.5 && seconds <= 3600)) {
        throw new CliUsageError(`--interval takes seconds from 0.5 to 3600, got "${flags.interval}"`);
      }
      let before: number | null = null;
      while (true) {
        const { status } = await api.call<{ status: Obj }>("GET", `/promotions/${enc(plan)}/status`);
        if (!flags.watch) {
          statusLines(status).forEach((l) => print(l));
          return 0;
        }
        const promoted = Number((status.roots as Obj).promoted ?? 0);
        watch.clear?.();
        print(
          `${new Date().toISOString()} · every ${seconds}s · Ctrl-C to stop` +
            (before === null
              ? ""
              : ` · promoted ${promoted - before >= 0 ? "+" : ""}${
                promoted - before
              } since the last refresh`),
        );
        statusLines(status).forEach((l) => print(l));
        before = promoted;
        await (watch.sleep ?? abortableSleep)(seconds * 1000, watch.signal);
        if (watch.signal?.aborted) return 0;
        print("");
      }
    }
    case "roots": {
      const qs = new URLSearchParams(
        Object.entries({ status: flags.status, reason: flags.reason, limit: flags.limit })
          .filter(([, v]) => v !== undefined) as [string, string][],
      );
      const { roots } = await api.call<{ roots: Obj[] }>(
        "GET",
        `/promotions/${enc(plan)}/roots${qs.size ? `?${qs}` : ""}`,
      );
      if (!roots.length) print("no roots");
      for (const r of roots) print(`${r.root_id}  ${r.status}  ${r.line}`);
      return 0;
    }
    case undefined: {
      const batch = flags["batch-size"];
      if (batch !== undefined && !/^\d+$/.test(batch)) {
        throw new CliUsageError(`--batch-size takes a whole number, got "${batch}"`);
      }
      const ids = flags.ids?.split(",").map((s) => s.trim()).filter(Boolean);
      if (flags.ids !== undefined && !ids?.length) throw new CliUsageError("--ids needs at least one id");
      if (flags.force && (!ids || flags.since || flags.until)) {
        throw new CliUsageError(
          "promote --force judges the listed roots again: it takes --ids and no --since/--until",
        );
      }
      const { job } = await api.call<{ job: Job }>("POST", `/promotions/${enc(plan)}/jobs`, {
        ...(flags.since ? { since: flags.since } : {}),
        ...(flags.until ? { until: flags.until } : {}),
        ...(ids ? { ids } : {}),
        ...(batch ? { batchSize: Number(batch) } : {}),
        ...(flags.force ? { force: true } : {}),
      });
      print(
        `started job ${job.id}: promote ${plan}${
          ids ? ` (${ids.length} ids${flags.force ? ", forced" : ""})` : ""
        }`,
      );
      return flags["no-follow"] ? 0 : await follow(job.id);
    }
    default:
      throw new CliUsageError(`Unknown promote command "${sub}" (status, roots, or none to start a job)`);
  }
}
