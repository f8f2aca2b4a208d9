// Date windows, pure: a long history read as consecutive [start, end) windows aligned to
// calendar days, ISO weeks or months (UTC), and the date formats APIs take in their filters.

export type WindowStep = "day" | "week" | "month";
export type DateFormat = "iso" | "date" | "unix" | "unix_ms";

export interface DateWindow {
  start: Date;
  end: Date;
}

const DAY = 86_400_000;

/** The first boundary of step strictly after t. */
export function nextBoundary(t: Date, step: WindowStep): Date {
  const y = t.getUTCFullYear(), m = t.getUTCMonth(), d = t.getUTCDate();
  if (step === "month") return new Date(Date.UTC(y, m + 1, 1));
  const day = new Date(Date.UTC(y, m, d));
  if (step === "day") return new Date(day.getTime() + DAY);
  // ISO weeks start on Monday
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() + (7 - sinceMonday) * DAY);
}

/** The window of step that contains t, clipped to [from, to). */
export function windowAt(t: Date, from: Date, to: Date, step: WindowStep): DateWindow | null {
  if (t.getTime() >= to.getTime() || t.getTime() < from.getTime()) return null;
  const end = nextBoundary(t, step);
  return { start: t, end: end.getTime() < to.getTime() ? end : to };
}

/** Every window from `from` to `to` (from < to); the first and last may be partial. */
export function planWindows(from: Date, to: Date, step: WindowStep): DateWindow[] {
  const out: DateWindow[] = [];
  for (let w = windowAt(from, from, to, step); w; w = windowAt(w.end, from, to, step)) out.push(w);
  return out;
}

/** A date as an API filter wants it. */
export function formatDate(d: Date, format: DateFormat): string {
  switch (format) {
    case "iso":
      return d.toISOString();
    case "date":
      return d.toISOString().slice(0, 10);
    case "unix":
      return String(Math.floor(d.getTime() / 1000));
    case "unix_ms":
      return String(d.getTime());
  }
}

/**
 * The end value of a filter for a range ending (exclusive) at `end`. An inclusive end names the last
 * unit inside the range: for dates, the day holding the range's last instant — the day before a
 * midnight end, and today for a range that ends at the run's instant (11:00 reads today's postings).
 */
export function filterEnd(end: Date, format: DateFormat, inclusive: boolean): string {
  if (!inclusive) return formatDate(end, format);
  return formatDate(new Date(end.getTime() - (format === "unix" ? 1000 : 1)), format);
}
