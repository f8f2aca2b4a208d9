// From a stream's field list to what the engine needs of a stream: the zod schema of one API
// record (built once, the same zod objects a hand-written connector would declare), the row
// mapper (typed columns + raw), the key and the updated time.
import { z } from "zod";
import { isExactNumber } from "../../engine/json.ts";
import type { FieldSpec, StreamSpec } from "./spec.ts";

/** The value at a dotted path ("" is the value itself); undefined when absent. */
export function pick(value: unknown, path: string): unknown {
  if (path === "") return value;
  let v: unknown = value;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A reader of one dotted path, compiled once (records are read on the hot path). */
export function getter(path: string): (value: unknown) => unknown {
  if (path === "") return (v) => v;
  const parts = path.split(".");
  if (parts.length === 1) {
    const [p] = parts;
    return (v) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined);
  }
  return (v) => {
    for (const part of parts) {
      if (v === null || typeof v !== "object") return undefined;
      v = (v as Record<string, unknown>)[part];
    }
    return v;
  };
}

const decimal = /^-?\d+(\.\d+)?$/;
const timestamp = z.iso.datetime({ offset: true });
/** "Y-m-d H:i:s" (PHP/Laravel, MySQL) or "Y-m-dTH:i:s" without a zone, optional fraction and offset: UTC when no offset. */
const LOCAL_TIME =
  /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const BOOLEAN_TEXT = /^(1|0|true|false|t|f|yes|no|y|n)$/i;
const TRUE_TEXT = /^(1|true|t|yes|y)$/i;
/** An exact number kept from the JSON text (JSON.rawJSON, engine/json.ts). */
const exactNumber = z.custom<unknown>((v) => isExactNumber(v), "must be a number");
const dateTimeText = z.string().refine(
  (s) => LOCAL_TIME.test(s) && !Number.isNaN(Date.parse(normaliseTimestamp(s) as string)),
  "must be a date-time (ISO 8601 or Y-m-d H:i:s)",
);

/** A date-time the API wrote without a zone or with a space ("2024-04-01 10:00:00") as ISO 8601 (UTC). */
export function normaliseTimestamp(v: unknown): unknown {
  if (typeof v !== "string" || (v[10] === "T" && v[v.length - 1] === "Z")) return v; // the common case
  const m = LOCAL_TIME.exec(v);
  // ISO 8601 with an offset (Z or ±hh:mm): as written
  if (!m || (v[10] === "T" && m[3] !== undefined && (m[3] === "Z" || m[3].includes(":")))) return v;
  const time = m[2].length === 5 ? `${m[2]}:00` : m[2];
  const zone = m[3] === undefined
    ? "Z"
    : m[3] === "Z" || m[3].includes(":")
    ? m[3]
    : m[3].length === 3
    ? `${m[3]}:00`
    : `${m[3].slice(0, 3)}:${m[3].slice(3)}`;
  return `${m[1]}T${time}${zone}`;
}

/** A column value as the column's type stores it: IRIS-style "1"/"0" flags, integer ids in text columns, "Y-m" months. */
export function normaliser(type: FieldSpec["type"]): ((v: unknown) => unknown) | null {
  switch (type) {
    case "text":
      return (v) =>
        typeof v === "number" || typeof v === "boolean"
          ? String(v)
          : isExactNumber(v)
          ? JSON.stringify(v)
          : v;
    case "integer":
      return (v) => (typeof v === "string" ? Number(v) : v);
    case "boolean":
      return (v) => (typeof v === "string" ? TRUE_TEXT.test(v) : typeof v === "number" ? v !== 0 : v);
    case "timestamptz":
      return normaliseTimestamp;
    case "date":
      return (v) =>
        typeof v !== "string" ? v : MONTH.test(v) ? `${v}-01` : LOCAL_TIME.test(v) ? v.slice(0, 10) : v;
    default:
      return null;
  }
}

function typeSchema(f: FieldSpec): z.ZodType {
  switch (f.type) {
    case "text":
      // a union, not z.custom: zod 4 runs the union's first member cheaply (z.custom cost ~0.1 µs a field)
      return z.union([z.string(), z.number(), exactNumber]);
    case "integer": {
      const int = z.number().int().min(-2147483648).max(2147483647);
      return z.union([
        int,
        z.string().regex(/^-?\d{1,10}$/, "must be an integer").refine(
          (v) => int.safeParse(Number(v)).success,
          "out of range",
        ),
      ]);
    }
    case "bigint":
      return z.union([z.number().int(), z.string().regex(/^-?\d{1,19}$/), exactNumber]);
    case "numeric":
      return z.union([z.number(), z.string().regex(decimal, "must be a decimal number"), exactNumber]);
    case "boolean":
      return z.union([z.boolean(), z.literal([0, 1]), z.string().regex(BOOLEAN_TEXT, "must be a boolean")]);
    case "timestamptz":
      return z.union([timestamp, z.iso.date(), dateTimeText]);
    case "date":
      return z.union([z.iso.date(), z.string().regex(MONTH), timestamp, dateTimeText]);
    case "jsonb":
      return z.unknown();
  }
}

interface Node {
  leaf?: z.ZodType;
  children: Map<string, Node>;
}

/** The record schema: nested loose objects along the field paths; unknown fields pass (they land in raw). */
export function recordSchema(stream: Pick<StreamSpec, "fields" | "key">): z.ZodType {
  const root: Node = { children: new Map() };
  for (const [column, f] of Object.entries(stream.fields)) {
    const path = f.path === undefined ? column : f.path;
    if (path === null || path === "") continue;
    let node = root;
    for (const part of path.split(".")) {
      if (!node.children.has(part)) node.children.set(part, { children: new Map() });
      node = node.children.get(part)!;
    }
    const t = typeSchema(f);
    node.leaf = f.required || stream.key.includes(column) ? t : t.nullable().optional();
  }
  const build = (node: Node, required: boolean): z.ZodType => {
    const shape: Record<string, z.ZodType> = {};
    for (const [k, child] of node.children) {
      if (child.leaf && child.children.size === 0) shape[k] = child.leaf;
      else {
        const childRequired = [...leaves(child)].some((l) => !l.safeParse(undefined).success);
        shape[k] = build(child, childRequired);
      }
    }
    const obj = z.looseObject(shape);
    return required ? obj : obj.nullable().optional();
  };
  return build(root, true);
}

function* leaves(node: Node): Generator<z.ZodType> {
  if (node.leaf) yield node.leaf;
  for (const c of node.children.values()) yield* leaves(c);
}

/** A row mapper: every declared column (null or its default when absent) plus raw. */
export function rowMapper(stream: Pick<StreamSpec, "fields">): (record: unknown) => Record<string, unknown> {
  const entries = Object.entries(stream.fields);
  const columns = entries.map(([c]) => c);
  const read = entries.map(([c, f]) => {
    const path = f.path === undefined ? c : f.path;
    return path === null ? () => undefined : getter(path);
  });
  const fallback = entries.map(([, f]) => f.default ?? null);
  const normalise = entries.map(([, f]) => normaliser(f.type));
  // a string in a text column is stored as it is: no call on the hot path
  const keepStrings = entries.map(([, f]) => f.type === "text");
  const n = columns.length;
  // every row starts as a copy of one template, so all rows share one shape (fast to fill and to
  // serialise, like a hand-written object literal) and keep the declared column order
  const template: Record<string, unknown> = Object.fromEntries([...columns.map((c) => [c, null]), [
    "raw",
    null,
  ]]);
  return (record) => {
    const row = { ...template };
    for (let i = 0; i < n; i++) {
      const v = read[i](record);
      const to = normalise[i];
      row[columns[i]] = v === undefined || v === null
        ? fallback[i]
        : to === null || (keepStrings[i] && typeof v === "string")
        ? v
        : to(v);
    }
    row.raw = record;
    return row;
  };
}

/** The record's key: its key columns' values, joined by ":" when there are several. */
export function keyOf(stream: Pick<StreamSpec, "fields" | "key">): (record: unknown) => string {
  const reads = stream.key.map((k) => {
    const read = getter(stream.fields[k].path ?? k);
    const to = normaliser(stream.fields[k].type);
    // the key as its column stores it ("2024-04" -> "2024-04-01", 42 -> "42")
    return (r: unknown) => {
      const v = read(r);
      const n = to && v !== undefined && v !== null ? to(v) : v;
      return isExactNumber(n) ? JSON.stringify(n) : String(n);
    };
  });
  if (reads.length === 1) return reads[0];
  return (r) => reads.map((read) => String(read(r))).join(":");
}

/** The record's source updated time (ISO) from the incremental cursor field. */
export function updatedAtOf(
  stream: Pick<StreamSpec, "incremental">,
): ((r: unknown) => string | null) | undefined {
  const path = stream.incremental?.cursorField;
  if (!path) return undefined;
  const read = getter(path);
  return (r) => {
    const v = normaliseTimestamp(read(r));
    return typeof v === "string" ? v : null;
  };
}

/** The column the merge versions rows by: the field mapped from the incremental cursor field. */
export function versionColumn(stream: Pick<StreamSpec, "fields" | "incremental" | "version">): string | null {
  if (stream.version !== undefined) return stream.version;
  const path = stream.incremental?.cursorField;
  if (!path) return null;
  const hit = Object.entries(stream.fields).find(([c, f]) =>
    (f.path === undefined ? c : f.path) === path && f.type === "timestamptz"
  );
  return hit ? hit[0] : null;
}
