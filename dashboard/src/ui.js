// DOM helpers and number/time formatting shared by the views.
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function el(tag, props = {}, ...children) {
  const { dataset, attrs, on, ...rest } = props ?? {};
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset ?? {});
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const [k, v] of Object.entries(on ?? {})) node.addEventListener(k, v);
  node.append(
    ...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c)),
  );
  return node;
}

export const fmt = (
  n,
) => (n === null || n === undefined || n === "" ? "–" : Number(n).toLocaleString("en-US"));

/** Seconds as "42s", "3m05s", "2h10m". */
export function duration(s) {
  if (s === null || s === undefined || Number.isNaN(Number(s))) return "–";
  s = Math.max(0, Math.round(Number(s)));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export const when = (t) => (t ? new Date(t).toLocaleString("en-GB", { timeZone: "UTC" }) + " UTC" : "–");

/** A time on the wall clock of an IANA zone: "08/12/2026, 02:00:00 Europe/Dublin" (UTC: as `when`). */
export function whenIn(t, zone) {
  if (!t) return "–";
  if (!zone || zone === "UTC") return when(t);
  return `${new Date(t).toLocaleString("en-GB", { timeZone: zone })} ${zone}`;
}

/** A labelled form control: every input gets a visible label. */
export function field(label, control) {
  return el("label", { className: "field" }, el("span", {}, label), control);
}

/**
 * A table with a caption (for screen readers), headers and rows of cells. On a narrow screen it
 * stacks (style.css): each row becomes a card whose cells carry their column's name (data-label),
 * so no column (a status, the actions) is scrolled out of sight.
 */
export function table(caption, headers, rows, { id } = {}) {
  const wrap = el(
    "div",
    { className: "table-wrap" },
    el(
      "table",
      { id: id ?? "", className: "stacked" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows),
    ),
  );
  for (const row of wrap.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => (cell.dataset.label ??= headers[i] ?? ""));
  }
  return wrap;
}

export const statusBadge = (status) => el("span", { className: `badge status-${status}` }, status);

/** The statuses of a stream (or job) that still moves: only their bars may animate. */
export const MOVING = new Set(["pending", "queued", "running"]);

/**
 * A progress bar: determinate with a total, indeterminate (animated) without one while the stream
 * still moves. A stream that stopped (failed, cancelled, not run, skipped) gets a still bar in its
 * status's colour: never an animation, which would say work is going on.
 */
export function bar(done, total, status) {
  const finished = status === "done" || status === "succeeded";
  const known = total !== null && total !== undefined;
  if (!finished && !MOVING.has(status)) {
    const pct = known && total > 0 ? Math.min(100, (100 * done) / total) : done > 0 ? 100 : 0;
    return el("div", {
      className: `bar stopped stopped-${String(status).replace(/[^a-z_]/g, "_")}`,
      attrs: {
        role: "img",
        "aria-label": `${status}: ${fmt(done)} records${known ? ` of ${fmt(total)}` : ""}`,
      },
    }, el("span", { style: `width:${pct.toFixed(1)}%` }));
  }
  if (!known && !finished) {
    return el("div", {
      className: "bar indeterminate",
      attrs: { role: "progressbar", "aria-label": `${fmt(done)} records, total unknown` },
    }, el("span"));
  }
  const pct = finished ? 100 : total > 0 ? Math.min(100, (100 * done) / total) : 100;
  return el("div", {
    className: "bar",
    attrs: {
      role: "progressbar",
      "aria-valuenow": Math.round(pct),
      "aria-valuemin": 0,
      "aria-valuemax": 100,
    },
  }, el("span", { style: `width:${pct.toFixed(1)}%` }));
}

export function message(text, kind = "error") {
  return el("p", { className: kind, attrs: { role: kind === "error" ? "alert" : "status" } }, text);
}

/**
 * A failed (partial, cancelled) job in the operator's words, from the API's `failure`: what happened and
 * what to do in one sentence, the raw error (the vendor's answer) behind a disclosure. Text only: every
 * part is a text node, so nothing the vendor sent is ever read as HTML.
 */
export function failureNote(f, { id, raw = true, alert = false } = {}) {
  if (!f) return null;
  return el(
    "div",
    { className: `failure failure-${f.kind}`, id: id ?? "", attrs: alert ? { role: "alert" } : {} },
    el(
      "p",
      { className: "failure-sentence" },
      el("strong", { className: "what" }, f.what),
      ": ",
      el("span", { className: "todo" }, f.todo),
    ),
    raw && f.detail
      ? el(
        "details",
        { className: "failure-detail" },
        el("summary", {}, f.httpStatus ? `Raw error (HTTP ${f.httpStatus})` : "Raw error"),
        el("pre", { className: "raw" }, f.detail),
      )
      : null,
  );
}
