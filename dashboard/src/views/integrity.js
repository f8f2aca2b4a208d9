// Integrity: the registered orphan checks with their counts and sample ids.
import { api } from "../session.js";
import { el, fmt, message, statusBadge, table } from "../ui.js";

export function render(root) {
  const out = el("div", { id: "integrity-out" });
  const rerun = el("button", { type: "button", id: "integrity-run" }, "Run checks again");
  root.append(el("h2", {}, "Integrity"), rerun, out);
  const load = async () => {
    try {
      const { checks } = await api("GET", "/stats/integrity");
      out.replaceChildren(
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
