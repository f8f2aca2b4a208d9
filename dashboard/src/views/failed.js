// Failed items: filter, open the payload and error, retry one / the selected / all of a stream,
// resolve, dismiss.
import { api, qs } from "../session.js";
import { el, field, message, table, when } from "../ui.js";
import { connectorSelect } from "./shared.js";

export function render(root, _id, params) {
  const connector = connectorSelect("failed-connector", params.get("connector") ?? "", true);
  const stream = el("input", { id: "failed-stream", name: "stream", value: params.get("stream") ?? "" });
  const status = el(
    "select",
    { id: "failed-status", name: "status" },
    ["open", "resolved", "dismissed", "all"].map((s) => el("option", { value: s }, s)),
  );
  const out = el("div", { id: "failed-out" });
  const note = el("div", { id: "failed-note", attrs: { "aria-live": "polite" } });
  const form = el(
    "form",
    { className: "filters" },
    field("Connector", connector),
    field("Stream", stream),
    field("Status", status),
    el("button", { type: "submit" }, "Filter"),
  );
  let items = [];
  const selected = () => items.filter((i) => document.getElementById(`pick-${i.id}`)?.checked);

  const retry = async (connectorName, ids) => {
    try {
      const r = await api("POST", "/failed-items/retry", {
        connector: connectorName,
        ...(ids ? { ids } : {}),
      });
      note.replaceChildren(
        r.job
          ? el(
            "p",
            { className: "ok", attrs: { role: "status" } },
            "Retry job ",
            el("a", { href: `#/job/${r.job.id}` }, String(r.job.id)),
            " queued",
          )
          : message(r.message, "ok"),
      );
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  };
  const close = async (item, action) => {
    try {
      await api("POST", `/failed-items/${item.id}/${action}`);
      load();
    } catch (err) {
      note.replaceChildren(message(err.message));
    }
  };

  const load = async () => {
    try {
      ({ items } = await api(
        "GET",
        `/failed-items${
          qs({ connector: connector.value, stream: stream.value.trim(), status: status.value, limit: 100 })
        }`,
      ));
      items = items.map((i) => ({ ...i, id: Number(i.id) }));
      const streams = [...new Set(items.map((i) => `${i.connector}/${i.stream}`))];
      out.replaceChildren(
        el(
          "div",
          { className: "actions" },
          el("button", {
            type: "button",
            id: "retry-selected",
            on: {
              click: () => {
                const s = selected();
                if (s.length) {
                  retry(
                    s[0].connector,
                    s.filter((i) => i.connector === s[0].connector).map((i) => i.id),
                  );
                }
              },
            },
          }, "Retry selected"),
          ...streams.map((s) =>
            el("button", {
              type: "button",
              className: "retry-stream",
              on: {
                click: () => {
                  const [c, st] = s.split("/");
                  retry(c, items.filter((i) => i.connector === c && i.stream === st).map((i) => i.id));
                },
              },
            }, `Retry all of ${s}`)
          ),
        ),
        table(
          "Failed records",
          ["", "Id", "Connector", "Stream", "Record", "Class", "Error", "Attempts", "Next retry", "Actions"],
          items.map((i) =>
            el(
              "tr",
              { dataset: { item: i.id } },
              el(
                "td",
                {},
                el("input", {
                  type: "checkbox",
                  id: `pick-${i.id}`,
                  attrs: { "aria-label": `select failed item ${i.id}` },
                }),
              ),
              el("td", { className: "num" }, String(i.id)),
              el("td", {}, i.connector),
              el("td", {}, i.stream),
              el("td", {}, i.item_key),
              el("td", {}, i.error_class),
              el(
                "td",
                {},
                el(
                  "details",
                  {},
                  el("summary", {}, i.error.slice(0, 80)),
                  el("p", {}, i.error),
                  el("pre", { className: "payload" }, JSON.stringify(i.payload, null, 2)),
                ),
              ),
              el("td", { className: "num" }, String(i.attempts)),
              el("td", {}, when(i.next_retry_at)),
              el(
                "td",
                { className: "row-actions" },
                el("button", {
                  type: "button",
                  className: "retry-one",
                  on: { click: () => retry(i.connector, [i.id]) },
                }, "Retry"),
                el("button", {
                  type: "button",
                  className: "resolve",
                  on: { click: () => close(i, "resolve") },
                }, "Resolve"),
                el("button", {
                  type: "button",
                  className: "dismiss",
                  on: { click: () => close(i, "dismiss") },
                }, "Dismiss"),
              ),
            )
          ),
          { id: "failed" },
        ),
      );
    } catch (err) {
      out.replaceChildren(message(err.message));
    }
  };
  form.addEventListener("submit", (e) => (e.preventDefault(), load()));
  root.append(el("h2", {}, "Failed items"), form, note, out);
  load();
}
