// Schedules: each with its cron read in its own time zone (sync.schedules.timezone: UTC runs through
// pg_cron, another zone through the ops tick), its next run on that zone's wall clock (the server's
// next_run_at) and in UTC; add or edit (the same form: a schedule is saved by name) with stream pickers,
// a time-zone picker and the cron checked by the server as pg_cron would; a reconcile's streams must list
// ids, else the server's refusal is shown; enable, disable, run now, remove.
import { api } from "../session.js";
import { nextRun } from "../cron.js";
import { el, field, message, statusBadge, table, when, whenIn } from "../ui.js";
import { connectorSelect, streamPicker } from "./shared.js";

/** The zones the browser knows (IANA names), UTC first, then the operator's own. */
export function timeZones() {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  let all = [];
  try {
    all = Intl.supportedValuesOf("timeZone");
  } catch {
    all = [];
  }
  return [...new Set(["UTC", ...(own && own !== "UTC" ? [own] : []), ...all.filter((z) => z !== "UTC")])];
}

/** The next run of a UTC cron, for the form's hint (other zones: the server computes it on save). */
function nextUtc(cron) {
  try {
    return when(nextRun(cron, new Date()));
  } catch {
    return "–";
  }
}

/** The next run on the schedule's wall clock, and in UTC when the zone is another. */
function nextCell(s) {
  if (!s.enabled) return "–";
  const at = s.next_run_at ?? (s.timezone === "UTC" ? nextRun(s.cron, new Date()) : null);
  if (!at) return "–";
  if (s.timezone === "UTC") return when(at);
  return [whenIn(at, s.timezone), el("br"), el("span", { className: "muted utc" }, when(at))];
}

export function render(root) {
  const out = el("div", { id: "schedules-out" });
  const note = el("div", { id: "schedules-note", attrs: { "aria-live": "polite" } });
  const heading = el("h3", { id: "schedule-form-h" }, "Add a schedule");
  const name = el("input", {
    id: "schedule-name",
    name: "name",
    required: true,
    placeholder: "nightly-orders",
  });
  const connector = connectorSelect("schedule-connector");
  const streams = el("div", { id: "schedule-streams" });
  const cron = el("input", { id: "schedule-cron", name: "cron", required: true, placeholder: "0 2 * * *" });
  const zone = el(
    "select",
    { id: "schedule-timezone", name: "timezone" },
    timeZones().map((z) => el("option", { value: z }, z)),
  );
  const cronHint = el("span", { id: "schedule-next", className: "muted" });
  const mode = el(
    "select",
    { id: "schedule-mode", name: "mode" },
    ["incremental", "full"].map((m) => el("option", { value: m }, m)),
    el("option", { value: "reconcile" }, "reconcile (re-fetch missing, mark deleted)"),
    el("option", { value: "retry" }, "retry (re-attempt the due failed items)"),
  );
  const modeHint = el("span", { id: "schedule-mode-hint", className: "muted" });
  const submit = el("button", { type: "submit", id: "schedule-add" }, "Add schedule");
  const cancelEdit = el(
    "button",
    { type: "button", id: "schedule-cancel-edit", hidden: true },
    "Cancel edit",
  );
  /** the schedule being edited (its enabled state, options and account are kept), or null */
  let editing = null;
  let pickStreams = null; // the streams to tick once the connector's picker is drawn
  const hint = () => {
    const c = cron.value.trim();
    cronHint.textContent = !c
      ? ""
      : zone.value === "UTC"
      ? `next: ${nextUtc(c)}`
      : `read in ${zone.value}: the next run is shown once saved`;
  };
  mode.addEventListener(
    "change",
    () => (modeHint.textContent = mode.value === "reconcile"
      ? "lists every id the source has, e.g. weekly: 0 3 * * 0 (Sunday 03:00)"
      : ""),
  );
  connector.addEventListener("change", () => {
    const picked = pickStreams;
    pickStreams = null;
    streams.replaceChildren(
      streamPicker("schedule-stream", connector.value, picked ? (n) => picked.includes(n) : undefined),
    );
  });
  cron.addEventListener("input", hint);
  zone.addEventListener("change", hint);
  const form = el(
    "form",
    { id: "schedule-form", className: "card" },
    heading,
    field("Name", name),
    field("Connector", connector),
    streams,
    field("Cron (minute hour day month weekday, on the time zone's clock)", cron),
    field("Time zone", zone),
    cronHint,
    field("Mode", mode),
    modeHint,
    el("div", { className: "actions" }, submit, cancelEdit),
  );

  const stopEditing = () => {
    editing = null;
    form.reset();
    name.readOnly = false;
    heading.textContent = "Add a schedule";
    submit.textContent = "Add schedule";
    cancelEdit.hidden = true;
    modeHint.textContent = cronHint.textContent = "";
    connector.dispatchEvent(new Event("change"));
  };
  cancelEdit.addEventListener("click", stopEditing);

  /** Fills the form with a schedule; saving it replaces the schedule of that name. */
  const edit = (s) => {
    editing = s;
    name.value = s.name;
    name.readOnly = true;
    cron.value = s.cron;
    if (![...zone.options].some((o) => o.value === s.timezone)) {
      zone.append(el("option", { value: s.timezone }, s.timezone));
    }
    zone.value = s.timezone;
    mode.value = [...mode.options].some((o) => o.value === s.mode) ? s.mode : "incremental";
    mode.dispatchEvent(new Event("change"));
    pickStreams = s.streams;
    connector.value = s.connector;
    connector.dispatchEvent(new Event("change"));
    heading.textContent = `Edit schedule ${s.name}`;
    submit.textContent = "Save schedule";
    cancelEdit.hidden = false;
    hint();
    form.scrollIntoView?.({ block: "nearest" });
    cron.focus();
  };

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
          "Schedules: each cron is read on its time zone's clock",
          [
            "Name",
            "Connector",
            "Streams",
            "Cron",
            "Time zone",
            "Mode",
            "Enabled",
            "Next run",
            "Last run",
            "Actions",
          ],
          schedules.map((s) =>
            el(
              "tr",
              { dataset: { schedule: s.name } },
              el("td", {}, s.name),
              el("td", {}, s.connector),
              el("td", {}, s.streams.join(", ")),
              el("td", {}, el("code", {}, s.cron)),
              el("td", { className: "timezone" }, s.timezone),
              el("td", { className: "mode" }, s.mode === "reconcile" ? statusBadge("reconcile") : s.mode),
              el("td", {}, statusBadge(s.enabled ? "enabled" : "disabled")),
              el("td", { className: "next-run" }, nextCell(s)),
              el(
                "td",
                {},
                s.last_run_at ? `${whenIn(s.last_run_at, s.timezone)} (${s.last_outcome})` : "–",
              ),
              el(
                "td",
                { className: "row-actions" },
                el("button", { type: "button", className: "edit", on: { click: () => edit(s) } }, "Edit"),
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
    const saved = name.value.trim();
    try {
      await api("POST", "/schedules", {
        name: saved,
        connector: connector.value,
        streams: picked,
        cron: cron.value.trim(),
        mode: mode.value,
        timezone: zone.value,
        // an edit keeps what the form does not show
        ...(editing
          ? {
            enabled: editing.enabled,
            options: editing.options ?? {},
            account: editing.account ?? "default",
          }
          : {}),
      });
      note.replaceChildren(message(`Schedule ${saved} saved`, "ok"));
      stopEditing();
      load();
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  root.append(el("h2", {}, "Schedules"), out, note, form);
  load();
}
