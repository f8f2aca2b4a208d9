// Pieces several views share: the connector list (loaded once) and its select.
import { api } from "../session.js";
import { el } from "../ui.js";

let connectors = null;
export async function loadConnectors() {
  connectors ??= (await api("GET", "/connectors")).connectors;
  return connectors;
}
export const resetConnectors = () => (connectors = null);

/** A <select> of connectors (with "any" when optional), filled when the list arrives. */
export function connectorSelect(id, selected = "", optional = false) {
  const s = el("select", { id, name: "connector" });
  loadConnectors().then((list) => {
    s.replaceChildren(
      ...(optional ? [el("option", { value: "" }, "any")] : []),
      ...list.map((c) => el("option", { value: c.name, selected: c.name === selected }, c.name)),
    );
    s.dispatchEvent(new Event("change"));
  }).catch(() => {});
  return s;
}

/** Checkboxes of a connector's streams, in dependency order. */
export function streamPicker(name, connectorName, checked = () => true) {
  const c = (connectors ?? []).find((x) => x.name === connectorName);
  return el(
    "fieldset",
    { className: "streams" },
    el("legend", {}, "Streams"),
    ...(c?.streams ?? []).map((s) =>
      el(
        "label",
        {},
        el("input", { type: "checkbox", name, value: s.name, checked: checked(s.name) }),
        ` ${s.name}`,
      )
    ),
  );
}
