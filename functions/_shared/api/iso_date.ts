// ISO 8601 dates for `since`/`until` (API and CLI): a date or a date-time with optional seconds,
// fraction and offset, naming a real calendar day. Date.parse alone takes "March 7" and
// rolls 2026-02-30 over to March.

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for an ISO 8601 date or date-time that names a real instant (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return false;
  // a day past the month's end rolls over (2026-02-30 is 2026-03-02): the date must survive the round trip
  const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value.slice(0, 10);
}
