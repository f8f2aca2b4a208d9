// Renders a Message (message.ts) for each channel: plain text (email text part, Slack fallback),
// HTML (email, through hono/html's escaping), and Slack Block Kit blocks within Slack's documented limits (header text 150
// characters, section text 3,000, at most 10 fields of 2,000 each, 50 blocks per message).
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { clean, cleanMessage, clip, type Message, type MessageTable } from "./message.ts";

const width = (s: string) => Array.from(s).length;
const pad = (s: string, n: number, right: boolean) => {
  const fill = " ".repeat(Math.max(n - width(s), 0));
  return right ? fill + s : s + fill;
};

/** A table as aligned lines: the first column left-aligned, the others right-aligned. */
export function tableLines(t: MessageTable): string[] {
  const all = [t.columns, ...t.rows];
  const widths = t.columns.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ""))));
  const line = (r: string[]) => r.map((c, i) => pad(c ?? "", widths[i], i > 0)).join("  ").trimEnd();
  const lines = all.map(line);
  if (t.more) lines.push(`… and ${t.more} more`);
  return lines;
}

/** Plain text: summary, facts, tables, lists, footer, separated by blank lines (no title: it is the subject). */
export function renderText(message: Message): string {
  const m = cleanMessage(message);
  const parts: string[] = [m.summary];
  if (m.facts?.length) parts.push(m.facts.map(([k, v]) => `${k}: ${v}`).join("\n"));
  for (const t of m.tables ?? []) parts.push([`${t.caption}:`, ...tableLines(t)].join("\n"));
  for (const l of m.lists ?? []) {
    parts.push(
      [`${l.caption}:`, ...l.items.map((i) => `- ${i}`), ...(l.more ? [`… and ${l.more} more`] : [])].join(
        "\n",
      ),
    );
  }
  if (m.footer) parts.push(m.footer);
  return parts.join("\n\n");
}

/** Text safe inside HTML elements and attribute values (what hono/html does to every value). */
export function escapeHtml(s: string): string {
  return (html`${clean(s)}` as HtmlEscapedString).toString();
}

const CELL = "padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left";
const NUM = "padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:right";
const H3 = "font-size:15px";
const BODY = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827;font-size:14px";

/**
 * A complete HTML document for the email body. hono/html escapes every interpolated value (&, <, >,
 * quotes), so no value can be spliced in as markup; the message is cleaned first (message.ts).
 */
// deno-fmt-ignore: the formatter would re-indent the markup inside html``, and with it the e-mail
export function renderHtml(message: Message): string {
  const m = cleanMessage(message);
  const table = (rows: unknown) => html`<table style="border-collapse:collapse">${rows}</table>`;
  const more = (n?: number) => (n ? html`<p>… and ${n} more</p>` : "");
  const cell = (tag: "th" | "td", c: string, num: boolean) =>
    tag === "th" ? html`<th style="${num ? NUM : CELL}">${c}</th>` : html`<td style="${num ? NUM : CELL}">${c}</td>`;
  const row = (tag: "th" | "td", cells: string[]) => html`<tr>${cells.map((c, i) => cell(tag, c, i > 0))}</tr>`;
  const out: unknown[] = [
    html`<!doctype html>`,
    html`<html><head><meta charset="utf-8"><title>${m.title}</title></head>`,
    html`<body style="${BODY}">`,
    html`<h2 style="font-size:18px">${m.title}</h2>`,
    html`<p>${m.summary.split("\n").map((line, i) => (i ? [html`<br>`, line] : line))}</p>`,
  ];
  if (m.facts?.length) out.push(table(m.facts.map(([k, v]) => html`<tr>${cell("th", k, false)}${cell("td", v, false)}</tr>`)));
  for (const t of m.tables ?? []) {
    out.push(html`<h3 style="${H3}">${t.caption}</h3>`, table([row("th", t.columns), t.rows.map((r) => row("td", r))]), more(t.more));
  }
  for (const l of m.lists ?? []) {
    out.push(html`<h3 style="${H3}">${l.caption}</h3>`, html`<ul>${l.items.map((i) => html`<li>${i}</li>`)}</ul>`, more(l.more));
  }
  if (m.footer) out.push(html`<p style="color:#6b7280;font-size:12px">${m.footer}</p>`);
  out.push(html`</body></html>`);
  return out.filter((p) => p !== "").map((p) => (p as HtmlEscapedString).toString()).join("\n");
}

/** Slack mrkdwn needs &, < and > escaped (its control characters); the rest is literal. */
export function escapeSlack(s: string): string {
  return clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type Block = Record<string, unknown>;
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });

/** Block Kit blocks: header, summary, facts as fields, each table as a code block, lists, footer. */
export function slackBlocks(message: Message): Block[] {
  const m = cleanMessage(message);
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: clip(m.title, 150) } },
    { type: "section", text: mrkdwn(clip(escapeSlack(m.summary), 3000)) },
  ];
  if (m.facts?.length) {
    blocks.push({
      type: "section",
      fields: m.facts.slice(0, 10).map(([k, v]) =>
        mrkdwn(clip(`*${escapeSlack(k)}*\n${escapeSlack(v)}`, 2000))
      ),
    });
  }
  for (const t of m.tables ?? []) {
    const body = tableLines(t).map(escapeSlack).join("\n");
    // a code block keeps the columns aligned; 3000 minus the caption and fences
    const caption = `*${escapeSlack(t.caption)}*\n`;
    blocks.push({
      type: "section",
      text: mrkdwn(`${caption}\`\`\`${clip(body, 3000 - width(caption) - 6)}\`\`\``),
    });
  }
  for (const l of m.lists ?? []) {
    const items = [...l.items.map((i) => `• ${escapeSlack(i)}`), ...(l.more ? [`… and ${l.more} more`] : [])];
    blocks.push({
      type: "section",
      text: mrkdwn(clip(`*${escapeSlack(l.caption)}*\n${items.join("\n")}`, 3000)),
    });
  }
  if (m.footer) blocks.push({ type: "context", elements: [mrkdwn(clip(escapeSlack(m.footer), 3000))] });
  return blocks.slice(0, 50);
}
