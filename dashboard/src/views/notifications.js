// Notifications: settings, "send test", recent deliveries with their status.
import { api } from "../session.js";
import { el, field, message, statusBadge, table, when } from "../ui.js";

const EDITABLE = [
  ["enabled", "checkbox", "Alerts enabled"],
  ["slack_webhook_url", "url", "Slack-compatible webhook URL (https)"],
  ["email_provider", "select", "Email provider"],
  ["email_from", "text", "Email from"],
  ["email_to", "list", "Email to (comma-separated)"],
  ["error_rate_threshold", "number", "Error rate threshold (0–1)"],
  ["error_rate_window", "text", "Error rate window (interval)"],
  ["stale_after", "text", "Stale after (interval)"],
  ["rate_limit_window", "text", "One alert per source and kind per (interval)"],
  ["daily_summary", "checkbox", "Daily summary"],
];

export function render(root) {
  const form = el("form", { id: "notify-form", className: "card" });
  const note = el("div", { id: "notify-note", attrs: { "aria-live": "polite" } });
  const deliveries = el("div", { id: "deliveries-out" });
  const test = el("button", { type: "button", id: "notify-test" }, "Send test");
  root.append(el("h2", {}, "Notifications"), form, note, el("h3", {}, "Recent deliveries"), deliveries);

  const loadSettings = async () => {
    const { settings } = await api("GET", "/notifications/settings");
    form.replaceChildren(
      el("h3", {}, "Settings"),
      ...EDITABLE.map(([key, type, label]) => {
        const id = `notify-${key}`;
        const v = settings[key];
        const input = type === "checkbox"
          ? el("input", { id, name: key, type: "checkbox", checked: !!v })
          : type === "select"
          ? el(
            "select",
            { id, name: key },
            ["", "resend", "postmark"].map((p) =>
              el("option", { value: p, selected: p === (v ?? "") }, p || "none")
            ),
          )
          : el("input", {
            id,
            name: key,
            type: type === "list" ? "text" : type,
            step: type === "number" ? "any" : undefined,
            value: type === "list" ? (v ?? []).join(", ") : v ?? "",
          });
        input.dataset.kind = type;
        return field(label, input);
      }),
      el(
        "div",
        { className: "actions" },
        el("button", { type: "submit", id: "notify-save" }, "Save settings"),
        test,
      ),
    );
  };

  const loadDeliveries = async () => {
    const { deliveries: rows } = await api("GET", "/notifications/deliveries?limit=25");
    deliveries.replaceChildren(
      table(
        "Recent notifications",
        ["Id", "Kind", "Source", "Status", "Channels", "Attempts", "Error", "Created", "Sent"],
        rows.map((d) =>
          el(
            "tr",
            { dataset: { notification: d.id } },
            el("td", { className: "num" }, String(d.id)),
            el("td", {}, d.kind),
            el("td", {}, d.source),
            el("td", {}, statusBadge(d.status)),
            el("td", {}, d.delivered_channels.join(", ") || "–"),
            el("td", { className: "num" }, String(d.attempts)),
            el("td", {}, d.last_error ?? d.suppressed_reason ?? ""),
            el("td", {}, when(d.created_at)),
            el("td", {}, when(d.sent_at)),
          )
        ),
        { id: "deliveries" },
      ),
    );
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const patch = {};
    for (const input of form.querySelectorAll("input, select")) {
      const k = input.dataset.kind;
      patch[input.name] = k === "checkbox"
        ? input.checked
        : k === "number"
        ? Number(input.value)
        : k === "list"
        ? input.value.split(",").map((s) => s.trim()).filter(Boolean)
        : input.value.trim() || null;
    }
    try {
      await api("PATCH", "/notifications/settings", patch);
      note.replaceChildren(message("Settings saved", "ok"));
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  test.addEventListener("click", async () => {
    try {
      const { results } = await api("POST", "/notifications/test");
      note.replaceChildren(
        ...results.map((r) =>
          message(`${r.channel}: ${r.ok ? "delivered" : `failed: ${r.error}`}`, r.ok ? "ok" : "error")
        ),
      );
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  });
  Promise.all([loadSettings(), loadDeliveries()]).catch((err) => note.replaceChildren(message(err.message)));
}
