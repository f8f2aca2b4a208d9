// Pure rendering of job progress for the terminal: one line per stream with a bar,
// records, rate and ETA, and a closing summary.
import type { Job, Progress } from "../../functions/_shared/engine/types.ts";
import type { Shard } from "../../functions/_shared/engine/shards/mod.ts";

export function bar(percent: number | null, width = 24): string {
  if (percent === null) return "·".repeat(width);
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "--";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const ICON: Record<string, string> = {
  pending: "○",
  running: "◐",
  done: "●",
  failed: "✗",
  skipped: "-",
  cancelled: "⊘",
  not_run: "·",
};

export function progressLine(p: Progress, nameWidth: number): string {
  const percent = p.status === "done" ? 100 : p.percent === null ? null : Number(p.percent);
  const done = Number(p.done);
  // a stream the job never reached (it failed before) has no figures to show
  const records = p.status === "not_run"
    ? "not run"
    : p.total !== null
    ? `${formatCount(done)}/${formatCount(Number(p.total))}`
    : formatCount(done);
  const rate = p.rate !== null && p.status === "running"
    ? `${formatCount(Math.round(Number(p.rate)))}/s`
    : "";
  const eta = p.status === "running" && p.eta_seconds !== null
    ? `ETA ${formatDuration(Number(p.eta_seconds))}`
    : "";
  const failed = Number(p.failed) > 0 ? ` ${formatCount(Number(p.failed))} failed` : "";
  return `${ICON[p.status] ?? "?"} ${p.phase.padEnd(nameWidth)} ${bar(percent)} ${records.padStart(15)} ${
    rate.padStart(10)
  } ${eta.padEnd(10)}${failed}`.trimEnd();
}

export function progressBlock(job: Job, progress: Progress[]): string[] {
  const width = Math.max(8, ...progress.map((p) => p.phase.length));
  const head = `job ${job.id} · ${job.connector}/${job.account} · ${job.mode} · ${job.status}`;
  return [head, ...progress.map((p) => progressLine(p, width))];
}

/** The shards of a sharded read: one line each with its window, status and figures. */
export function shardLines(shards: Shard[]): string[] {
  const edge = (t: string | null, open: string) => (t ? t.replace(/\.000Z$/, "Z") : open);
  return [
    `shards (time windows read by several workers at once):`,
    ...shards.map((s) =>
      `  ${s.stream}#${s.shard} ${edge(s.window_start, "(start)")} .. ${edge(s.window_end, "(now)")}  ${
        s.status.padEnd(9)
      } ${formatCount(s.done).padStart(10)} read, ${formatCount(s.inserted)} inserted, ${
        formatCount(s.updated)
      } updated, ${s.failed} failed, ${s.attempts} claim${s.attempts === 1 ? "" : "s"}${
        s.error ? `: ${s.error}` : ""
      }`
    ),
  ];
}

export function summaryLines(job: Job, progress: Progress[]): string[] {
  const width = Math.max(8, ...progress.map((p) => p.phase.length));
  const cols = ["records", "inserted", "updated", "unchanged", "stale", "failed"];
  const lines = [
    `${"stream".padEnd(width)} ${cols.map((c) => c.padStart(10)).join(" ")}`,
  ];
  const totals = [0, 0, 0, 0, 0, 0];
  for (const p of progress) {
    const vals = [p.done, p.inserted, p.updated, p.unchanged, p.stale, p.failed].map(Number);
    vals.forEach((v, i) => (totals[i] += v));
    lines.push(`${p.phase.padEnd(width)} ${vals.map((v) => formatCount(v).padStart(10)).join(" ")}`);
  }
  lines.push(`${"total".padEnd(width)} ${totals.map((v) => formatCount(v).padStart(10)).join(" ")}`);
  const took = job.started_at && job.finished_at
    ? (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000
    : null;
  const rate = took ? ` (${formatCount(Math.round(totals[0] / took))} records/s)` : "";
  lines.push(
    `job ${job.id} ${job.status} in ${took === null ? "--" : `${took.toFixed(1)}s`}${rate}${
      job.error ? `: ${job.error}` : ""
    }`,
  );
  return lines;
}

/** Exit code of a finished job: 0 succeeded, 3 partial, 1 failed or cancelled. */
export function exitCodeFor(status: string): number {
  return status === "succeeded" ? 0 : status === "partial" ? 3 : 1;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    return Number.isInteger(v) ? formatCount(v) : String(Math.round(v * 1000) / 1000);
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Rows of objects as aligned text columns (numbers right-aligned), header first. */
export function table(rows: Record<string, unknown>[]): string[] {
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const numeric = cols.map((c) => rows.every((r) => r[c] === null || typeof r[c] === "number"));
  const line = (vals: string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(cols), ...cells.map(line)];
}
