// The next time a 5-field cron expression fires (UTC), as pg_cron reads it: numbers, *, ranges,
// steps, lists, and month/day names (JAN-DEC, SUN-SAT; 7 is Sunday too). Pure: tested in Deno.
const NAMES = {
  month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  dow: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
};
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: NAMES.month, base: 1 },
  { name: "dow", min: 0, max: 7, names: NAMES.dow, base: 0 },
];

function value(text, f) {
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  const v = i >= 0 ? i + f.base : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= f.min && v <= f.max)) throw new RangeError(`"${text}" is not a valid ${f.name}`);
  return v;
}

function parseField(text, f) {
  const out = new Set();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(step >= 1) || !Number.isInteger(step)) throw new RangeError(`"${part}" has a bad step`);
    let lo, hi;
    if (range === "*") [lo, hi] = [f.min, f.name === "dow" ? 6 : f.max];
    else if (range.includes("-")) [lo, hi] = range.split("-").map((x) => value(x, f));
    else [lo, hi] = [value(range, f), stepText === undefined ? value(range, f) : f.max];
    if (lo > hi) throw new RangeError(`"${part}" is an empty range`);
    for (let v = lo; v <= hi; v += step) out.add(f.name === "dow" && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(expr) {
  const parts = String(expr).trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new RangeError("a cron expression has 5 fields: minute hour day month weekday");
  }
  const [minute, hour, day, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]));
  return { minute, hour, day, month, dow, dayStar: parts[2] === "*", dowStar: parts[4] === "*" };
}

/** The first minute strictly after `from` (a Date) when the expression fires, or null within a year. */
export function nextRun(expr, from = new Date()) {
  const c = parseCron(expr);
  const t = new Date(from.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    const dayOk = c.dayStar && c.dowStar
      ? true
      : c.dayStar
      ? c.dow.has(t.getUTCDay())
      : c.dowStar
      ? c.day.has(t.getUTCDate())
      : c.day.has(t.getUTCDate()) || c.dow.has(t.getUTCDay());
    if (!c.month.has(t.getUTCMonth() + 1) || !dayOk) {
      t.setUTCHours(0, 0, 0, 0);
      t.setUTCDate(t.getUTCDate() + 1);
      continue;
    }
    if (!c.hour.has(t.getUTCHours())) {
      t.setUTCMinutes(0);
      t.setUTCHours(t.getUTCHours() + 1);
      continue;
    }
    if (c.minute.has(t.getUTCMinutes())) return t;
    t.setUTCMinutes(t.getUTCMinutes() + 1);
  }
  return null;
}
