// The channel-neutral shape of a notification: a title, a summary sentence, facts, tables and
// lists. format.ts builds it from an outbox row; render.ts turns it into plain text, HTML (email)
// and Slack Block Kit blocks. Pure functions, no I/O.

export interface MessageTable {
  caption: string;
  columns: string[];
  rows: string[][];
  /** rows left out (the renderers say "… and N more") */
  more?: number;
}

export interface MessageList {
  caption: string;
  items: string[];
  more?: number;
}

export interface Message {
  title: string;
  /** what happened, in one or two sentences */
  summary: string;
  /** label and value pairs (Slack shows them as fields, email as a small table) */
  facts?: [string, string][];
  tables?: MessageTable[];
  lists?: MessageList[];
  /** a closing hint, e.g. where to look next */
  footer?: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// control characters other than tab and newline (NUL included): channels reject or mangle them
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** Text every channel can carry: lone surrogates become U+FFFD, control characters go. */
export function clean(s: string): string {
  return s.replace(LONE_SURROGATE, "\uFFFD").replace(CONTROL, "");
}

/** At most max code points (never half a surrogate pair), ending with "…" when cut. */
export function clip(s: string, max: number): string {
  const points = Array.from(s);
  return points.length <= max ? s : `${points.slice(0, Math.max(max - 1, 0)).join("")}…`;
}

/** Every string of a message cleaned (see clean). */
export function cleanMessage(m: Message): Message {
  return {
    title: clean(m.title),
    summary: clean(m.summary),
    facts: m.facts?.map(([k, v]) => [clean(k), clean(v)]),
    tables: m.tables?.map((t) => ({
      ...t,
      caption: clean(t.caption),
      columns: t.columns.map(clean),
      rows: t.rows.map((r) => r.map(clean)),
    })),
    lists: m.lists?.map((l) => ({ ...l, caption: clean(l.caption), items: l.items.map(clean) })),
    footer: m.footer === undefined ? undefined : clean(m.footer),
  };
}
