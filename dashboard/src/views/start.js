// Start a sync: connector, streams, full/incremental, date range, dry run, single records.
import { api } from "../session.js";
import { el, field, message } from "../ui.js";
import { connectorSelect, streamPicker } from "./shared.js";

export function render(root) {
  const connector = connectorSelect("connector");
  const streams = el("div", { id: "start-streams" });
  const mode = el(
    "select",
    { id: "mode", name: "mode" },
    el("option", { value: "incremental" }, "incremental (since the high-water mark)"),
    el("option", { value: "full" }, "full (every record)"),
  );
  const since = el("input", { id: "since", name: "since", type: "datetime-local" });
  const until = el("input", { id: "until", name: "until", type: "datetime-local" });
  const dryRun = el("input", { id: "dry-run", name: "dryRun", type: "checkbox" });
  const recordsStream = el("select", { id: "records-stream", name: "recordsStream" });
  const records = el("textarea", {
    id: "records",
    name: "records",
    rows: 2,
    placeholder: "ids, one per line or comma-separated",
  });
  const note = el("div", { id: "start-error", attrs: { "aria-live": "polite" } });
  connector.addEventListener("change", () => {
    streams.replaceChildren(streamPicker("stream", connector.value));
    const picker = streams.querySelector("fieldset");
    recordsStream.replaceChildren(
      ...[...picker.querySelectorAll("input")].map((i) => el("option", { value: i.value }, i.value)),
    );
  });
  const form = el(
    "form",
    { id: "start", className: "card" },
    field("Connector", connector),
    streams,
    field("Mode", mode),
    field("Since (UTC)", since),
    field("Until (UTC)", until),
    el(
      "label",
      { className: "check" },
      dryRun,
      " Dry run: fetch and merge in a transaction that is rolled back",
    ),
    el(
      "fieldset",
      {},
      el("legend", {}, "Single records (optional: re-fetch these ids only)"),
      field("Stream", recordsStream),
      field("Record ids", records),
    ),
    el("button", { type: "submit", id: "start-button" }, "Start sync"),
  );

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    note.replaceChildren();
    const ids = records.value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const body = { connector: connector.value, mode: mode.value };
    const picked = [...form.querySelectorAll("input[name=stream]:checked")].map((i) => i.value);
    if (ids.length) body.records = { [recordsStream.value]: ids };
    else if (picked.length) body.streams = picked;
    if (dryRun.checked) body.dryRun = true;
    if (since.value) body.since = new Date(`${since.value}Z`).toISOString();
    if (until.value) body.until = new Date(`${until.value}Z`).toISOString();
    try {
      const { job } = await api("POST", "/jobs", body);
      location.hash = `#/job/${job.id}`;
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  root.append(el("h2", {}, "Start a sync"), form, note);
}
