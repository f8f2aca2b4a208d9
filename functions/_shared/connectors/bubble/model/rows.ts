// A Bubble thing to a row of its typed table, pure: each declared field converted to its column
// type, the whole thing kept in `raw`. Bubble's Data API leaves empty fields out of a thing, so a
// declared field that is absent is written as null (the source emptied it), except fields marked
// keepLocalWhenEmpty, which are then left out of the row and keep their stored value.
import { allFields, type BubbleTypeModel, type ColumnType } from "./types.ts";

export class FieldMappingError extends Error {}

function convert(type: ColumnType, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (): never => {
    throw new FieldMappingError(`${where}: expected ${type}, got ${JSON.stringify(value).slice(0, 60)}`);
  };
  switch (type) {
    case "text":
      return typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : fail();
    case "numeric":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim())) {
        return value.trim();
      }
      return fail();
    case "integer":
      if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1) {
        return value;
      }
      return fail();
    case "boolean":
      return typeof value === "boolean" ? value : fail();
    case "timestamptz":
      if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return value;
      if (typeof value === "number" && Number.isFinite(value)) return new Date(value).toISOString();
      return fail();
    case "jsonb":
      return value;
    case "text[]":
      if (!Array.isArray(value)) return fail();
      return value.map((v, i) => typeof v === "string" ? v : convert("text", v, `${where}[${i}]`));
  }
}

/** True when a value counts as empty for keepLocalWhenEmpty (absent, null, "" or []). */
export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
}

export function typedRow(t: BubbleTypeModel, record: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, m] of Object.entries(allFields(t))) {
    const value = record[field];
    if (m.keepLocalWhenEmpty && isEmpty(value)) continue;
    row[m.column] = convert(m.type, value, `${t.name}.${field}`);
  }
  row.raw = record;
  return row;
}
