// Start a sync: connector, streams, full/incremental/reconcile, date range, dry run, single records,
// shards (a full or historical read split into time windows several workers read at once).
// A reconcile reads whole id listings: the form sends no dates, dry run or records for it (the API
// refuses them with a 422) and shows the API's words when it refuses a stream.
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
    el(
      "option",
      { value: "reconcile" },
      "reconcile (re-fetch what is missing, mark what the source deleted)",
    ),
  );
  const since = el("input", { id: "since", name: "since", type: "datetime-local" });
  const until = el("input", { id: "until", name: "until", type: "datetime-local" });
  const dryRun = el("input", { id: "dry-run", name: "dryRun", type: "checkbox" });
  const force = el("input", { id: "force", name: "force", type: "checkbox" });
  const shards = el("input", {
    id: "shards",
    name: "shards",
    type: "number",
    attrs: { min: "1", max: "64", step: "1", placeholder: "1" },
  });
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
  const windowed = el(
    "div",
    { id: "start-window" },
    field("Since (UTC)", since),
    field("Until (UTC)", until),
    field("Shards (full or since: time windows read by that many workers at once; 1-64)", shards),
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
  );
  const reconcileOptions = el(
    "div",
    { id: "start-reconcile", hidden: true },
    el(
      "p",
      { className: "muted" },
      "A reconcile lists every id the source has: it re-fetches the ones missing here (undeleting rows " +
        "that came back) and marks rows the source no longer has deleted (_deleted_at). It takes no dates, " +
        "dry run or single records.",
    ),
    el(
      "label",
      { className: "check" },
      force,
      " Force: accept a listing that would mark more than half of a stream's rows deleted",
    ),
  );
  const button = el("button", { type: "submit", id: "start-button" }, "Start sync");
  const form = el(
    "form",
    { id: "start", className: "card" },
    field("Connector", connector),
    streams,
    field("Mode", mode),
    windowed,
    reconcileOptions,
    button,
  );
  const reconcile = () => mode.value === "reconcile";
  mode.addEventListener("change", () => {
    windowed.hidden = reconcile();
    reconcileOptions.hidden = !reconcile();
    for (const c of [since, until, dryRun, recordsStream, records, shards]) c.disabled = reconcile();
    button.textContent = reconcile() ? "Start reconcile" : "Start sync";
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    note.replaceChildren();
    const body = { connector: connector.value, mode: mode.value };
    const picked = [...form.querySelectorAll("input[name=stream]:checked")].map((i) => i.value);
    if (reconcile()) {
      if (picked.length) body.streams = picked;
      if (force.checked) body.force = true;
    } else {
      const ids = records.value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
      if (ids.length) body.records = { [recordsStream.value]: ids };
      else if (picked.length) body.streams = picked;
      if (dryRun.checked) body.dryRun = true;
      if (since.value) body.since = new Date(`${since.value}Z`).toISOString();
      if (until.value) body.until = new Date(`${until.value}Z`).toISOString();
      if (shards.value && Number(shards.value) > 1) body.shards = Number(shards.value);
    }
    try {
      const { job } = await api("POST", "/jobs", body);
      location.hash = `#/job/${job.id}`;
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  root.append(el("h2", {}, "Start a sync"), form, note);
}
