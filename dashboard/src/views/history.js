// History: filters (connector, status, stream, date) and paging (newest first, "Older" pages on).
import { api, qs } from "../session.js";
import { el, failureNote, field, fmt, message, statusBadge, table, when } from "../ui.js";
import { connectorSelect } from "./shared.js";

const STATUSES = ["", "queued", "running", "succeeded", "partial", "failed", "cancelled"];

export function render(root, _id, params) {
  const pages = [null]; // the `before` cursor of each page seen
  const connector = connectorSelect("history-connector", params.get("connector") ?? "", true);
  const status = el(
    "select",
    { id: "history-status", name: "status" },
    STATUSES.map((s) => el("option", { value: s }, s || "any")),
  );
  const stream = el("input", { id: "history-stream", name: "stream", placeholder: "e.g. orders" });
  const since = el("input", { id: "history-since", name: "since", type: "date" });
  const until = el("input", { id: "history-until", name: "until", type: "date" });
  const out = el("div", { id: "history-out" });
  const older = el("button", { type: "button", id: "history-older" }, "Older");
  const newer = el("button", { type: "button", id: "history-newer" }, "Newer");
  const form = el(
    "form",
    { className: "filters", id: "history-filters" },
    field("Connector", connector),
    field("Status", status),
    field("Stream", stream),
    field("From (UTC)", since),
    field("Until (UTC, exclusive)", until),
    el("button", { type: "submit" }, "Filter"),
  );
  root.append(
    el("h2", {}, "History"),
    form,
    out,
    el("nav", { className: "pager", attrs: { "aria-label": "History pages" } }, newer, older),
  );

  const load = async () => {
    const before = pages[pages.length - 1];
    try {
      const r = await api(
        "GET",
        `/jobs${
          qs({
            connector: connector.value,
            status: status.value,
            stream: stream.value.trim(),
            before,
            limit: 20,
            since: since.value ? `${since.value}T00:00:00Z` : "",
            until: until.value ? `${until.value}T00:00:00Z` : "",
          })
        }`,
      );
      out.replaceChildren(
        table(
          "Jobs, newest first",
          ["Job", "Connector", "Status", "Reason", "Mode", "Trigger", "Streams", "Records", "Created"],
          r.jobs.map((j) =>
            el(
              "tr",
              { dataset: { job: j.id } },
              el("td", {}, el("a", { href: `#/job/${j.id}` }, String(j.id))),
              el("td", {}, j.connector),
              el("td", {}, statusBadge(j.status)),
              // why it failed or is partial, in words (the raw error is on the job's page)
              el("td", { className: "reason" }, j.failure ? failureNote(j.failure, { raw: false }) : "–"),
              el("td", {}, j.mode + (j.options?.dryRun ? " (dry run)" : "")),
              el("td", {}, j.trigger),
              el("td", {}, j.streams.join(", ")),
              el("td", { className: "num" }, fmt(j.stats?.records)),
              el("td", {}, when(j.created_at)),
            )
          ),
          { id: "history" },
        ),
        el("p", { className: "muted", id: "history-page" }, `Page ${pages.length}`),
      );
      older.disabled = r.next === null;
      older.onclick = () => (pages.push(r.next), load());
      newer.disabled = pages.length === 1;
    } catch (err) {
      out.replaceChildren(message(err.message));
    }
  };
  newer.onclick = () => (pages.pop(), load());
  form.addEventListener("submit", (e) => (e.preventDefault(), pages.splice(1), load()));
  load();
}
