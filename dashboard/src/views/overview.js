// Overview: running jobs with live bars, recent failed and partial jobs with their reasons, freshness
// per stream, open failures, circuits.
import { api } from "../session.js";
import { pollWhileOffline, subscribe } from "../live.js";
import { bar, duration, el, failureNote, fmt, message, statusBadge, table, when } from "../ui.js";

/** How many failed and partial jobs the overview lists, newest first. */
const RECENT = 10;

export function render(root) {
  const jobs = new Map(); // id -> {job, progress: Map(stream -> row)}
  const watches = new Map();
  let closed = false; // fetches that finish after the view is left must not subscribe again
  const running = el("div", { id: "running" });
  const rest = el("div", { id: "overview-rest" });
  root.append(
    el("h2", {}, "Overview"),
    el(
      "section",
      { attrs: { "aria-labelledby": "running-h" } },
      el("h3", { id: "running-h" }, "Running jobs"),
      running,
    ),
    rest,
  );

  const drawRunning = () => {
    const active = [...jobs.values()].filter((j) => ["queued", "running"].includes(j.job.status));
    if (active.length === 0) {
      return running.replaceChildren(el("p", { className: "muted" }, "No job is running."));
    }
    running.replaceChildren(...active.map(({ job, progress }) =>
      el(
        "article",
        { className: "job-card", dataset: { job: job.job_id ?? job.id } },
        el(
          "h4",
          {},
          el("a", { href: `#/job/${job.job_id ?? job.id}` }, `Job ${job.job_id ?? job.id}`),
          ` · ${job.connector} `,
          statusBadge(job.status),
        ),
        ...[...progress.values()].map((p) =>
          el(
            "div",
            { className: "stream-line", dataset: { stream: p.stream ?? p.phase } },
            el("span", { className: "stream-name" }, p.stream ?? p.phase),
            bar(Number(p.done), p.total === null ? null : Number(p.total), p.status),
            el(
              "span",
              { className: "num count" },
              p.total === null ? fmt(p.done) : `${fmt(p.done)} / ${fmt(p.total)}`,
            ),
          )
        ),
      )
    ));
  };

  const watch = (id) => {
    if (closed || watches.has(id)) return;
    watches.set(
      id,
      subscribe(`sync:job:${id}`, {
        sync_progress: (p) => {
          jobs.get(id)?.progress.set(p.stream, p);
          drawRunning();
        },
      }),
    );
  };

  const loadJob = async (id) => {
    const { job, progress } = await api("GET", `/jobs/${id}`);
    jobs.set(id, { job, progress: new Map(progress.map((p) => [p.phase, { ...p, stream: p.phase }])) });
  };

  const loadActive = async () => {
    const lists = await Promise.all(
      ["running", "queued"].map((s) => api("GET", `/jobs?status=${s}&limit=50`)),
    );
    for (const j of lists.flatMap((l) => l.jobs)) {
      await loadJob(j.id);
      watch(j.id);
    }
    for (const [id, j] of jobs) {
      if (!lists.some((l) => l.jobs.some((x) => x.id === id))) j.job.status = "done";
    }
    drawRunning();
  };

  const loadRest = async () => {
    try {
      const [{ freshness }, { summary }, { circuits }, failedJobs, partialJobs] = await Promise.all([
        api("GET", "/stats/freshness"),
        api("GET", "/stats/failed-items"),
        api("GET", "/circuits"),
        api("GET", `/jobs?status=failed&limit=${RECENT}`),
        api("GET", `/jobs?status=partial&limit=${RECENT}`),
      ]);
      const recent = [...failedJobs.jobs, ...partialJobs.jobs].sort((a, b) => b.id - a.id).slice(0, RECENT);
      rest.replaceChildren(
        recent.length
          ? table(
            "Recent failed and partial jobs: what happened and what to do",
            ["Job", "Connector", "Status", "Finished", "What happened, what to do"],
            recent.map((j) =>
              el(
                "tr",
                { dataset: { job: j.id } },
                el("td", {}, el("a", { href: `#/job/${j.id}` }, String(j.id))),
                el("td", {}, j.connector),
                el("td", {}, statusBadge(j.status)),
                el("td", {}, when(j.finished_at)),
                el("td", { className: "reason" }, failureNote(j.failure) ?? "–"),
              )
            ),
            { id: "recent-failures" },
          )
          : el(
            "p",
            { className: "muted", id: "recent-failures" },
            "No job failed or ended partial recently.",
          ),
        table(
          "Freshness per stream (coloured when older than its schedule allows)",
          ["Connector", "Stream", "Last success", "Age", "Stale after", "Last run"],
          freshness.map((f) =>
            el(
              "tr",
              { className: f.stale ? "stale" : "fresh", dataset: { stream: `${f.connector}/${f.stream}` } },
              el("td", {}, f.connector),
              el("td", {}, f.stream),
              el("td", {}, when(f.last_success_at)),
              el("td", { className: "num" }, f.last_success_at ? duration(f.age_seconds) : "never"),
              el("td", { className: "num" }, duration(f.stale_after_seconds)),
              el("td", {}, f.last_status ? statusBadge(f.last_status) : "–"),
            )
          ),
          { id: "freshness" },
        ),
        table(
          "Open failures",
          ["Connector", "Stream", "Class", "Open"],
          summary.filter((s) => s.open > 0).map((s) =>
            el(
              "tr",
              {},
              el("td", {}, s.connector),
              el(
                "td",
                {},
                el("a", { href: `#/failed?connector=${s.connector}&stream=${s.stream}` }, s.stream),
              ),
              el("td", {}, s.error_class),
              el("td", { className: "num" }, fmt(s.open)),
            )
          ),
          { id: "open-failures" },
        ),
        table(
          "Circuit breakers per source",
          ["Source", "State", "Failures", "Retry at", "Last error"],
          circuits.map((c) =>
            el(
              "tr",
              { className: `circuit-${c.state}` },
              el("td", {}, c.source),
              el("td", {}, statusBadge(c.state)),
              el("td", { className: "num" }, fmt(c.failures)),
              el("td", {}, when(c.retry_at)),
              // in words when Syncline knows the error, else as the source said it
              el(
                "td",
                { className: "reason" },
                c.failure && c.failure.kind !== "unexpected" ? failureNote(c.failure) : c.last_error ?? "",
              ),
            )
          ),
          { id: "circuits" },
        ),
      );
    } catch (err) {
      rest.replaceChildren(message(err.message));
    }
  };

  const unsubJobs = subscribe("sync:jobs", {
    sync_status: (j) => {
      const known = jobs.get(j.job_id);
      if (known) known.job = { ...known.job, ...j };
      else if (["queued", "running"].includes(j.status)) {
        loadJob(j.job_id).then(() => (watch(j.job_id), drawRunning())).catch(() => {});
      }
      drawRunning();
    },
    sync_complete: (j) => {
      const known = jobs.get(j.job_id);
      if (known) known.job = { ...known.job, ...j };
      watches.get(j.job_id)?.();
      watches.delete(j.job_id);
      drawRunning();
      loadRest();
    },
    subscribed: () => loadActive().catch(() => {}),
  });
  loadActive().catch((err) => running.replaceChildren(message(err.message)));
  loadRest();
  const stopPoll = pollWhileOffline(() => (loadActive().catch(() => {}), loadRest()), 3000);
  return () => {
    closed = true;
    unsubJobs();
    stopPoll();
    for (const leave of watches.values()) leave();
  };
}
