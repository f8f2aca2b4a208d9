// Integrity: the last completeness check of every stream (what the source has against what
// landed), then the registered orphan checks with their counts and sample ids.
import { api } from "../session.js";
import { el, fmt, message, statusBadge, table, when } from "../ui.js";
import { methodWords, reconcileWords } from "./completeness.js";

/** The last completeness result per stream, gaps first. */
function completenessTable(rows) {
  const order = { gap: 0, unverified: 1, complete: 2 };
  const sorted = [...rows].sort((a, b) => (order[a.status] ?? 1) - (order[b.status] ?? 1));
  return table(
    "Completeness: the last check of each stream (after a full read or a reconcile)",
    ["Stream", "Status", "Landed / source", "Missing", "Sample missing ids", "How", "Checked", "Job"],
    sorted.map((c) => {
      const d = c.detail ?? {};
      const how = c.status === "unverified" ? d.reason ?? "–" : methodWords(c.method);
      return el(
        "tr",
        {
          dataset: { stream: `${c.connector}/${c.account}/${c.stream}` },
          className: c.status === "gap" ? "stale" : "",
        },
        el("th", { scope: "row" }, `${c.connector} · ${c.account} · ${c.stream}`),
        el("td", { className: "status" }, statusBadge(c.status)),
        el(
          "td",
          { className: "num counts" },
          c.source_count === null ? "–" : `${fmt(c.landed_count)} / ${fmt(c.source_count)}`,
        ),
        el("td", { className: "num missing" }, fmt(c.missing_count ?? (c.status === "complete" ? 0 : null))),
        el("td", { className: "samples" }, (c.sample_ids ?? []).join(", ") || "–"),
        el(
          "td",
          { className: "how" },
          how,
          d.reconcile
            ? el("div", { className: "muted reconcile" }, `reconcile: ${reconcileWords(d.reconcile)}`)
            : null,
        ),
        el("td", {}, when(c.checked_at)),
        el("td", {}, c.job_id ? el("a", { href: `#/job/${c.job_id}` }, `job ${c.job_id}`) : "–"),
      );
    }),
    { id: "completeness" },
  );
}

export function render(root) {
  const out = el("div", { id: "integrity-out" });
  const rerun = el("button", { type: "button", id: "integrity-run" }, "Run checks again");
  root.append(el("h2", {}, "Integrity"), rerun, out);
  const load = async () => {
    try {
      const { checks, completeness } = await api("GET", "/stats/integrity");
      out.replaceChildren(
        completeness?.length ? completenessTable(completeness) : el(
          "p",
          { id: "completeness-none", className: "muted" },
          "No completeness checks yet: they run after every full sync and every reconcile.",
        ),
        table(
          "Orphan checks: child rows whose parent is missing",
          ["Check", "Status", "Orphans", "Child", "Parent", "Sample ids"],
          checks.map((c) =>
            el(
              "tr",
              { dataset: { check: c.check_name }, className: c.orphan_count > 0 ? "stale" : "" },
              el("td", {}, c.check_name),
              el("td", {}, statusBadge(c.status)),
              el("td", { className: "num orphans" }, fmt(c.orphan_count)),
              el("td", {}, c.child_table),
              el("td", {}, c.parent_table),
              el("td", { className: "samples" }, (c.sample_ids ?? []).join(", ")),
            )
          ),
          { id: "integrity" },
        ),
      );
    } catch (err) {
      out.replaceChildren(message(err.message));
    }
  };
  rerun.addEventListener("click", load);
  load();
}
