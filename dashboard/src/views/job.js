// One job: per stream done/total and the merge counts (which add up to done), rate, ETA,
// duration, trigger, dry-run marker, error, each stream's completeness check (and why a job is
// partial), a reconcile's counts, a sharded read's shards, the step log of single-record syncs, cancel.
import { api } from "../session.js";
import { pollWhileOffline, subscribe } from "../live.js";
import { bar, duration, el, failureNote, fmt, message, statusBadge, table, when } from "../ui.js";
import { completenessCell, completenessWords, RECONCILE_COUNTS, reconcileWords } from "./completeness.js";

const COUNTS = ["inserted", "updated", "unchanged", "stale", "failed"];

export function render(root, id) {
  let job = null;
  const progress = new Map();
  const steps = new Map();
  const head = el("div", { id: "job-head" });
  const body = el("div", { id: "job-body" });
  const log = el("div", { id: "job-steps" });
  const errorBox = el("div", { id: "job-error" });
  const checks = el("div", { id: "job-completeness" });
  const shardBox = el("div", { id: "job-shards" });
  let shards = [];
  root.append(el("h2", { id: "job-title" }, `Job ${id}`), head, errorBox, body, shardBox, checks, log);

  const jobDuration = () => {
    if (!job?.started_at) return null;
    const end = job.finished_at ? Date.parse(job.finished_at) : Date.now();
    return (end - Date.parse(job.started_at)) / 1000;
  };

  const draw = () => {
    if (!job) return;
    const active = job.status === "queued" || job.status === "running";
    const dry = job.dry_run ?? job.options?.dryRun;
    head.replaceChildren(
      el(
        "p",
        { className: "job-meta" },
        statusBadge(job.status),
        " ",
        el("span", { id: "job-status" }, job.status),
        ` · ${job.connector} · ${job.mode} · trigger `,
        el("strong", { id: "job-trigger" }, job.trigger),
        dry ? el("span", { className: "badge dry-run", id: "dry-run" }, "dry run: nothing written") : null,
        ` · started ${when(job.started_at)} · duration `,
        el("span", { id: "job-duration" }, duration(jobDuration())),
      ),
      el("button", {
        type: "button",
        id: "cancel",
        disabled: !active,
        on: { click: cancel },
      }, job.cancel_requested && active ? "Cancel requested" : "Cancel job"),
    );
    // a failed job in the operator's words (the raw error behind a disclosure); a partial one is
    // explained below (#partial-reason); a running one may say why it waits
    errorBox.replaceChildren(
      ...(job.failure && job.status !== "partial"
        ? [failureNote(job.failure, { id: "job-failure", alert: job.status === "failed" })]
        : job.error && active
        ? [message(job.error, "muted")]
        : job.error && job.status !== "partial" && job.failure !== undefined
        ? [message(job.error)]
        : []),
    );
    body.replaceChildren(table(
      "Progress per stream: inserted + updated + unchanged + stale + failed = done",
      [
        "Stream",
        "Progress",
        "Done / total",
        ...COUNTS.map((c) => c[0].toUpperCase() + c.slice(1)),
        "Rate",
        "ETA",
        "Status",
        "Completeness",
      ],
      [...progress.values()].map((p) => {
        // a stream the finished job never reached did not run: its bar stands still
        const status = p.status === "not_run" || (p.status === "pending" && !active) ? "not run" : p.status;
        return el(
          "tr",
          { dataset: { stream: p.stream, status } },
          el("th", { scope: "row" }, p.stream),
          el("td", {}, bar(Number(p.done), p.total === null ? null : Number(p.total), status)),
          el(
            "td",
            { className: "num done" },
            p.total === null ? fmt(p.done) : `${fmt(p.done)} / ${fmt(p.total)}`,
          ),
          ...COUNTS.map((c) => el("td", { className: `num ${c}` }, fmt(p[c]))),
          el(
            "td",
            { className: "num" },
            p.status === "running" && p.rate ? `${fmt(Math.round(p.rate))}/s` : "–",
          ),
          el(
            "td",
            { className: "num" },
            p.status === "running" && p.eta_seconds !== null ? duration(p.eta_seconds) : "–",
          ),
          el("td", {}, statusBadge(status)),
          el(
            "td",
            { className: "completeness-cell" },
            p.completeness ? completenessCell(p.completeness) : "–",
          ),
        );
      }),
      { id: "progress" },
    ));
    shardBox.replaceChildren(...(shards.length ? [shardTable(shards)] : []));
    checks.replaceChildren(...completenessParts(job, [...progress.values()]));
    if (job.mode === "single" || job.mode === "retry" || steps.size > 0) {
      log.replaceChildren(
        table(
          "Step log (each record, and each ticket of an order)",
          ["#", "Stream", "Record", "Step", "Outcome", "Detail", "At"],
          [...steps.values()].map((s) =>
            el(
              "tr",
              { dataset: { seq: s.seq } },
              el("td", { className: "num" }, String(s.seq)),
              el("td", {}, s.stream),
              el("td", {}, s.item_key),
              el("td", {}, s.step),
              el("td", {}, statusBadge(s.status)),
              el(
                "td",
                {},
                Object.entries(s.detail ?? {}).map(([k, v]) =>
                  `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`
                ).join(", "),
              ),
              el("td", {}, when(s.at)),
            )
          ),
          { id: "steps" },
        ),
      );
    }
  };

  async function cancel() {
    try {
      const r = await api("POST", `/jobs/${id}/cancel`);
      job = { ...job, ...r.job };
      draw();
    } catch (err) {
      errorBox.replaceChildren(message(err.message));
    }
  }

  // a job that ends failed, partial or cancelled is read once more, for its failure in words (until then
  // its raw error is not shown); a job that succeeds costs no request
  let explainedFor = null;
  const explain = () => {
    if (!job || ["queued", "running", "succeeded"].includes(job.status) || explainedFor === job.status) {
      return false;
    }
    explainedFor = job.status;
    job.failure = undefined;
    load();
    return true;
  };
  const load = async () => {
    try {
      const r = await api("GET", `/jobs/${id}`);
      job = r.job;
      explainedFor = job.status;
      shards = r.shards ?? [];
      for (const p of r.progress) progress.set(p.phase, { ...p, stream: p.phase });
      if (job.mode === "single" || job.mode === "retry") {
        const last = Math.max(0, ...steps.keys());
        for (const s of (await api("GET", `/jobs/${id}/steps?after=${last}`)).steps) steps.set(s.seq, s);
      }
      draw();
    } catch (err) {
      errorBox.replaceChildren(message(err.message));
    }
  };

  const leave = subscribe(`sync:job:${id}`, {
    sync_status: (j) => ((job = { ...job, ...j }), explain(), draw()),
    sync_complete: (j) => ((job = { ...job, ...j }), explain() || (sharded() && reloadShards()), draw()),
    sync_progress: (p) => (progress.set(p.stream, p), sharded() && reloadShards(), draw()),
    // a full sync's ticket changes arrive with seq null: announced, not steps of the job's log
    sync_ticket_progress: (s) => s.seq != null && (steps.set(s.seq, s), draw()),
  });
  // a sharded read's progress arrives live; its shards' rows are read again at most once a second
  const sharded = () => Number(job?.options?.shards ?? 1) > 1;
  let reloading = null;
  const reloadShards = () => {
    reloading ??= setTimeout(() => ((reloading = null), load()), 1000);
  };
  load();
  const stopPoll = pollWhileOffline(() => {
    if (!job || ["queued", "running"].includes(job.status)) load();
  }, 1000);
  const ticker = setInterval(() => {
    if (job && !job.finished_at) {
      const d = document.getElementById("job-duration");
      if (d) d.textContent = duration(jobDuration());
    }
  }, 1000);
  return () => (leave(), stopPoll(), clearInterval(ticker), clearTimeout(reloading));
}

/** The shards of a sharded read: window, status, figures, who reads it. */
function shardTable(shards) {
  const edge = (t, open) => (t ? when(t) : open);
  return table(
    "Shards: time windows of the source's updated time, read by several workers at once",
    ["Stream", "#", "Window", "Status", "Done", "Inserted", "Updated", "Failed", "Claims", "Error"],
    shards.map((s) =>
      el(
        "tr",
        { dataset: { shard: `${s.stream}#${s.shard}` } },
        el("td", {}, s.stream),
        el("td", { className: "num" }, String(s.shard)),
        el("td", {}, `${edge(s.window_start, "the beginning")} → ${edge(s.window_end, "now")}`),
        el("td", {}, statusBadge(s.status)),
        el("td", { className: "num done" }, fmt(s.done)),
        el("td", { className: "num" }, fmt(s.inserted)),
        el("td", { className: "num" }, fmt(s.updated)),
        el("td", { className: "num" }, fmt(s.failed)),
        el("td", { className: "num" }, String(s.attempts)),
        el(
          "td",
          { className: "reason" },
          s.failure && s.failure.kind !== "unexpected" ? failureNote(s.failure) : s.error ?? "",
        ),
      )
    ),
    { id: "shards" },
  );
}

/** Why a partial job is partial, in words, and a reconcile's counts per stream. */
function completenessParts(job, rows) {
  const parts = [];
  if (job.status === "partial") {
    const gaps = rows.filter((p) => p.completeness?.status === "gap");
    const failed = rows.reduce((n, p) => n + Number(p.failed ?? 0), 0);
    parts.push(el(
      "div",
      { className: "card partial-reason", id: "partial-reason", attrs: { role: "status" } },
      el("strong", {}, "Why this job is partial"),
      el(
        "ul",
        {},
        gaps.map((p) =>
          el(
            "li",
            { dataset: { stream: p.stream } },
            `The completeness check of ${p.stream} found a gap: ${completenessWords(p.completeness)}.`,
            p.completeness.method === "ids" ? " A reconcile re-fetches the missing records." : null,
          )
        ),
        failed > 0 || gaps.length === 0
          ? el(
            "li",
            {},
            failed > 0
              ? `${fmt(failed)} record${failed === 1 ? "" : "s"} failed: see `
              : "Records of this job could not be merged: see ",
            el("a", { href: "#/failed" }, "failed items"),
            ".",
          )
          : null,
      ),
    ));
  }
  const reconciled = rows.filter((p) => p.completeness?.reconcile);
  if (job.mode === "reconcile" && reconciled.length) {
    parts.push(table(
      "Reconcile: ids the source listed, re-fetched (undeleted when they came back), marked deleted",
      ["Stream", "Listed", "Re-fetched", "Undeleted", "Marked deleted", "Vanished", "In words"],
      reconciled.map((p) => {
        const r = p.completeness.reconcile;
        return el(
          "tr",
          { dataset: { stream: p.stream } },
          el("th", { scope: "row" }, p.stream),
          ...RECONCILE_COUNTS.map((k) => el("td", { className: `num ${k}` }, fmt(r[k]))),
          el("td", { className: "words" }, reconcileWords(r)),
        );
      }),
      { id: "reconcile" },
    ));
  }
  return parts;
}
