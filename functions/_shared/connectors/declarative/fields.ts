// From a stream's field list to what the engine needs of a stream: the zod schema of one API
// record (built once, the same zod objects a hand-written connector would declare), the row
// mapper (typed columns + raw), the key and the updated time.
import { z } from "zod";
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

function typeSchema(f: FieldSpec): z.ZodType {
  switch (f.type) {
    case "text":
      return z.string();
    case "integer":
      return z.number().int().min(-2147483648).max(2147483647);
    case "bigint":
      return z.union([z.number().int(), z.string().regex(/^-?\d{1,19}$/)]);
    case "numeric":
      return z.union([z.number(), z.string().regex(decimal, "must be a decimal number")]);
    case "boolean":
      return z.boolean();
    case "timestamptz":
      return z.union([timestamp, z.iso.date()]);
    case "date":
      return z.iso.date();
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
  const n = columns.length;
  // every row starts as a copy of one template, so all rows share one shape (fast to fill and to
  // serialise, like a hand-written object literal) and keep the declared column order
  const template: Record<string, unknown> = Object.fromEntries([...columns.map((c) => [c, null]), [
    "raw",
    null,
  ]]);
  return (record) => {
    const row = { ...template };
    for (let i = 0; i < n; i++) row[columns[i]] = read[i](record) ?? fallback[i];
    row.raw = record;
    return row;
  };
}

/** The record's key: its key columns' values, joined by ":" when there are several. */
export function keyOf(stream: Pick<StreamSpec, "fields" | "key">): (record: unknown) => string {
  const reads = stream.key.map((k) => getter(stream.fields[k].path ?? k));
  if (reads.length === 1) {
    const [read] = reads;
    return (r) => String(read(r));
  }
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
    const v = read(r);
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
