// Schedules: list with the next run (UTC), add (stream pickers from the connector; the cron is
// checked by the server as pg_cron would; a reconcile's streams must list ids, else the server's
// refusal is shown), enable, disable, run now, remove.
import { api } from "../session.js";
import { nextRun } from "../cron.js";
import { el, field, message, statusBadge, table, when } from "../ui.js";
import { connectorSelect, streamPicker } from "./shared.js";

function next(cron) {
  try {
    return when(nextRun(cron, new Date()));
  } catch {
    return "–";
  }
}

export function render(root) {
  const out = el("div", { id: "schedules-out" });
  const note = el("div", { id: "schedules-note", attrs: { "aria-live": "polite" } });
  const name = el("input", {
    id: "schedule-name",
    name: "name",
    required: true,
    placeholder: "nightly-orders",
  });
  const connector = connectorSelect("schedule-connector");
  const streams = el("div", { id: "schedule-streams" });
  const cron = el("input", { id: "schedule-cron", name: "cron", required: true, placeholder: "0 2 * * *" });
  const cronHint = el("span", { id: "schedule-next", className: "muted" });
  const mode = el(
    "select",
    { id: "schedule-mode", name: "mode" },
    ["incremental", "full"].map((m) => el("option", { value: m }, m)),
    el("option", { value: "reconcile" }, "reconcile (re-fetch missing, mark deleted)"),
  );
  const modeHint = el("span", { id: "schedule-mode-hint", className: "muted" });
  mode.addEventListener(
    "change",
    () => (modeHint.textContent = mode.value === "reconcile"
      ? "lists every id the source has, e.g. weekly: 0 3 * * 0 (Sunday 03:00)"
      : ""),
  );
  connector.addEventListener(
    "change",
    () => streams.replaceChildren(streamPicker("schedule-stream", connector.value)),
  );
  cron.addEventListener(
    "input",
    () => (cronHint.textContent = cron.value.trim() ? `next: ${next(cron.value)}` : ""),
  );
  const form = el(
    "form",
    { id: "schedule-form", className: "card" },
    el("h3", {}, "Add a schedule"),
    field("Name", name),
    field("Connector", connector),
    streams,
    field("Cron (UTC)", cron),
    cronHint,
    field("Mode", mode),
    modeHint,
    el("button", { type: "submit", id: "schedule-add" }, "Add schedule"),
  );

  const act = async (s, action) => {
    try {
      const r = action === "remove"
        ? await api("DELETE", `/schedules/${s.id}`)
        : await api("POST", `/schedules/${s.id}/${action}`);
      if (action === "run") {
        note.replaceChildren(
          r.run.job_id
            ? el(
              "p",
              { className: "ok", attrs: { role: "status" } },
              `Schedule ${s.name}: job `,
              el("a", { href: `#/job/${r.run.job_id}` }, String(r.run.job_id)),
              " queued",
            )
            : message(`Schedule ${s.name}: ${r.run.outcome} (${r.run.reason ?? ""})`, "ok"),
        );
      }
      load();
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  };

  const load = async () => {
    try {
      const { schedules } = await api("GET", "/schedules");
      out.replaceChildren(
        table(
          "Schedules (times in UTC)",
          ["Name", "Connector", "Streams", "Cron", "Mode", "Enabled", "Next run", "Last run", "Actions"],
          schedules.map((s) =>
            el(
              "tr",
              { dataset: { schedule: s.name } },
              el("td", {}, s.name),
              el("td", {}, s.connector),
              el("td", {}, s.streams.join(", ")),
              el("td", {}, el("code", {}, s.cron)),
              el("td", { className: "mode" }, s.mode === "reconcile" ? statusBadge("reconcile") : s.mode),
              el("td", {}, statusBadge(s.enabled ? "enabled" : "disabled")),
              el("td", { className: "next-run" }, s.enabled ? next(s.cron) : "–"),
              el("td", {}, s.last_run_at ? `${when(s.last_run_at)} (${s.last_outcome})` : "–"),
              el(
                "td",
                { className: "row-actions" },
                el("button", {
                  type: "button",
                  className: "toggle",
                  on: { click: () => act(s, s.enabled ? "disable" : "enable") },
                }, s.enabled ? "Disable" : "Enable"),
                el(
                  "button",
                  { type: "button", className: "run", on: { click: () => act(s, "run") } },
                  "Run now",
                ),
                el(
                  "button",
                  { type: "button", className: "remove", on: { click: () => act(s, "remove") } },
                  "Remove",
                ),
              ),
            )
          ),
          { id: "schedules" },
        ),
      );
    } catch (err) {
      out.replaceChildren(message(err.message));
    }
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const picked = [...form.querySelectorAll("input[name=schedule-stream]:checked")].map((i) => i.value);
    try {
      await api("POST", "/schedules", {
        name: name.value.trim(),
        connector: connector.value,
        streams: picked,
        cron: cron.value.trim(),
        mode: mode.value,
      });
      note.replaceChildren(message(`Schedule ${name.value.trim()} saved`, "ok"));
      form.reset();
      modeHint.textContent = "";
      load();
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  root.append(el("h2", {}, "Schedules"), out, note, form);
  load();
}
