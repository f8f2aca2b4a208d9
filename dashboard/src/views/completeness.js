// Completeness results and reconcile counts in words, as the job and integrity views show them.
// The shapes are the API's: a progress row's `completeness` ({status, method, source, landed,
// missing, sampleIds, reason, reconcile}) and GET /stats/integrity's `completeness` rows.
import { el, fmt, statusBadge } from "../ui.js";

const BY = { total: "by the source's total", ids: "by the source's id listing" };
/** How a result was reached, in words. */
export const methodWords = (method) => (method ? BY[method] ?? method : "–");

/** One result in words, without its status (the badge says it): "25 of 25 records landed (checked …)". */
export function completenessWords(c) {
  if (!c) return "not checked (only a full read is checked)";
  const how = c.method ? ` (checked ${methodWords(c.method)})` : "";
  if (c.status === "complete") return `${fmt(c.landed)} of ${fmt(c.source)} records landed${how}`;
  if (c.status === "gap") {
    const ids = c.sampleIds ?? [];
    return `the source has ${fmt(c.source)} records, ${fmt(c.missing)} did not land${
      ids.length ? `: e.g. ${ids.join(", ")}` : ""
    }${how}`;
  }
  return c.reason ?? c.status;
}

/** A badge and the words, for a table cell. */
export function completenessCell(c) {
  return el(
    "span",
    { className: "completeness" },
    statusBadge(c?.status ?? "unchecked"),
    " ",
    el("span", { className: "completeness-words" }, completenessWords(c)),
  );
}

export const RECONCILE_COUNTS = ["listed", "refetched", "undeleted", "deleted", "vanished"];

/** Reconcile counts in words: "10 ids listed, 2 re-fetched (1 undeleted), 3 marked deleted, …". */
export function reconcileWords(r) {
  return `${fmt(r.listed)} ids listed, ${fmt(r.refetched)} re-fetched (${fmt(r.undeleted)} undeleted), ${
    fmt(r.deleted)
  } marked deleted, ${fmt(r.vanished)} gone before their re-fetch${r.held ? `; ${r.held}` : ""}`;
}
