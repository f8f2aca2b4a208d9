// Renders a Message (message.ts) for each channel: plain text (email text part, Slack fallback),
// HTML (email), and Slack Block Kit blocks within Slack's documented limits (header text 150
// characters, section text 3,000, at most 10 fields of 2,000 each, 50 blocks per message).
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

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(s: string): string {
  return clean(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const CELL = 'style="padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left"';
const NUM = 'style="padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:right"';

/** A complete HTML document for the email body; every value is escaped. */
export function renderHtml(message: Message): string {
  const m = cleanMessage(message);
  const e = escapeHtml;
  const out: string[] = [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><title>' + e(m.title) + "</title></head>",
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827;font-size:14px">',
    `<h2 style="font-size:18px">${e(m.title)}</h2>`,
    `<p>${e(m.summary).replaceAll("\n", "<br>")}</p>`,
  ];
  if (m.facts?.length) {
    out.push('<table style="border-collapse:collapse">');
    for (const [k, v] of m.facts) out.push(`<tr><th ${CELL}>${e(k)}</th><td ${CELL}>${e(v)}</td></tr>`);
    out.push("</table>");
  }
  for (const t of m.tables ?? []) {
    out.push(`<h3 style="font-size:15px">${e(t.caption)}</h3>`, '<table style="border-collapse:collapse">');
    out.push(`<tr>${t.columns.map((c, i) => `<th ${i ? NUM : CELL}>${e(c)}</th>`).join("")}</tr>`);
    for (const r of t.rows) {
      out.push(`<tr>${r.map((c, i) => `<td ${i ? NUM : CELL}>${e(c)}</td>`).join("")}</tr>`);
    }
    out.push("</table>");
    if (t.more) out.push(`<p>… and ${t.more} more</p>`);
  }
  for (const l of m.lists ?? []) {
    out.push(`<h3 style="font-size:15px">${e(l.caption)}</h3>`, "<ul>");
    for (const i of l.items) out.push(`<li>${e(i)}</li>`);
    out.push("</ul>");
    if (l.more) out.push(`<p>… and ${l.more} more</p>`);
  }
  if (m.footer) out.push(`<p style="color:#6b7280;font-size:12px">${e(m.footer)}</p>`);
  out.push("</body></html>");
  return out.join("\n");
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
