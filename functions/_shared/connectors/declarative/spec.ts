// The description of a declarative REST connector: plain data (a TypeScript object or a JSON
// file), validated by zod. parseSpec names the path of the first bad field, e.g.
// `streams.transactions.pagination.type: Invalid option: expected one of "page"|"offset"|...`.
import { z } from "zod";
import { ValidationError } from "../../engine/errors.ts";

const ident = z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a lowercase SQL identifier (a-z, 0-9, _)");
/** A dotted path into a JSON value ("data", "meta.total", "links.next"); "" is the value itself. */
const jsonPath = z.string().regex(
  /^$|^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@ -]+)*$/,
  "must be a dotted path like data.items",
);
/** A config key holding a secret or setting (e.g. "apiKey" <- IRELANDPAY_API_KEY). */
const configKey = z.string().regex(/^[a-z][A-Za-z0-9]*$/, "must be a camelCase config key like apiKey");

export const authSpec = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }).strict(),
  z.object({ type: z.literal("bearer"), token: configKey }).strict(),
  z.object({
    type: z.literal("header"),
    header: z.string().min(1),
    key: configKey,
    prefix: z.string().optional(),
  })
    .strict(),
  z.object({ type: z.literal("query"), param: z.string().min(1), key: configKey }).strict(),
  z.object({ type: z.literal("basic"), username: configKey, password: configKey }).strict(),
]);

/** Where a paging or filter parameter goes. */
const placement = z.enum(["query", "body"]).default("query");

export const paginationSpec = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }).strict(),
  z.object({
    type: z.literal("page"),
    param: z.string().default("page"),
    sizeParam: z.string().optional(),
    firstPage: z.number().int().min(0).default(1),
    /** The last page's number in the answer (e.g. meta.last_page, a number or numeric text). */
    totalPagesPath: jsonPath.optional(),
    /** The next page's URL in the answer (e.g. links.next): present, more follow; null or "", the end. */
    nextPath: jsonPath.optional(),
    in: placement,
  }).strict(),
  z.object({
    type: z.literal("offset"),
    param: z.string().default("offset"),
    sizeParam: z.string().default("limit"),
    /** Total records in the answer; else a short page ends the listing. */
    totalPath: jsonPath.optional(),
    in: placement,
  }).strict(),
  z.object({
    type: z.literal("cursor"),
    /** Where the next cursor is in the answer; empty or missing ends the listing. */
    path: jsonPath,
    param: z.string().default("cursor"),
    sizeParam: z.string().optional(),
    in: placement,
  }).strict(),
  z.object({
    type: z.literal("next_url"),
    /** Where the next page's URL is in the answer (e.g. links.next). */
    path: jsonPath,
    sizeParam: z.string().optional(),
  }).strict(),
  z.object({
    type: z.literal("link_header"),
    rel: z.string().default("next"),
    sizeParam: z.string().optional(),
  }).strict(),
]);

export const dateFormat = z.enum(["iso", "date", "unix", "unix_ms"]);

export const incrementalSpec = z.object({
  /** The record's updated-at (or event date) field: the high-water mark and the merge version. */
  cursorField: jsonPath,
  /** Re-read this many hours before the high-water mark (late or edited records). */
  lookbackHours: z.number().min(0).default(0),
  /** Parameters that filter the listing by date; absent: the API cannot filter (every read is full). */
  filter: z.object({
    start: z.string().min(1),
    end: z.string().min(1).optional(),
    format: dateFormat.default("iso"),
    /** The end parameter names the last day included (date format): send end - 1 day. */
    endInclusive: z.boolean().default(false),
    in: placement,
    /** Fixed parameters sent with the filter only (e.g. date_filter=modified). */
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }).strict().optional(),
}).strict();

export const windowSpec = z.object({
  step: z.enum(["day", "week", "month"]),
  /** First day of a full read (ISO date); config key startDate overrides it; --since replaces it. */
  start: z.iso.date(),
}).strict();

export const columnType = z.enum([
  "text",
  "integer",
  "bigint",
  "numeric",
  "boolean",
  "timestamptz",
  "date",
  "jsonb",
]);

export const fieldSpec = z.object({
  type: columnType,
  /** Where the value is in the record; default: the column name. null: always the default. */
  path: jsonPath.nullable().optional(),
  /** The value when the record lacks the field (else null). */
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  /** A record without it is a failed item. */
  required: z.boolean().default(false),
  /** Adds an index on this column. */
  index: z.boolean().default(false),
}).strict();

export const requestSpec = z.object({
  method: z.enum(["GET", "POST"]).default("GET"),
  /** Path under the base URL; {parent.<field>}, {window.year|month|start|end}, {config.<key>} are filled in. */
  path: z.string().min(1),
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  body: z.record(z.string(), z.unknown()).optional(),
}).strict();

export const streamSpec = z.object({
  ...requestSpec.shape,
  /** Target table (in the connector's schema); default: the stream name. */
  table: ident.optional(),
  /** Where the records are in the answer ("" when it is the array itself). */
  records: jsonPath.default(""),
  /** Total records in the whole listing, for percent and ETA. */
  total: jsonPath.optional(),
  pagination: paginationSpec.default({ type: "none" }),
  /** Largest page the endpoint allows. */
  maxPageSize: z.number().int().min(1).default(100),
  /** Key columns (names of fields). */
  key: z.array(ident).min(1),
  /** The column that versions rows in the merge; default: the timestamptz field of the incremental
   * cursor field; null: none (the latest observation wins, e.g. records dated but never edited). */
  version: ident.nullable().optional(),
  incremental: incrementalSpec.optional(),
  windows: windowSpec.optional(),
  /** Read once per record of the parent stream: {parent.<field>} in path, query or body. */
  parent: z.object({ stream: ident, field: jsonPath }).strict().optional(),
  /** Other streams to sync first (a parent is one already). */
  dependsOn: z.array(ident).default([]),
  fields: z.record(ident, fieldSpec).refine((f) => Object.keys(f).length > 0, "needs at least one field"),
  /** Single-record read: {id} is the record's key; record: where the record is in the answer. */
  one: z.object({
    path: z.string().min(1),
    record: jsonPath.default(""),
    /** The answer is this stream's only when the field equals the value (e.g. type = CATEGORY). */
    where: z.object({ field: jsonPath, equals: z.union([z.string(), z.number(), z.boolean()]) }).strict()
      .optional(),
  }).strict().optional(),
}).strict();

export const connectorSpec = z.object({
  name: ident,
  /** Target schema of the tables; default: the connector name. */
  schema: ident.optional(),
  baseUrl: z.url(),
  auth: authSpec,
  headers: z.record(z.string(), z.string()).default({}),
  rateLimit: z.object({ requests: z.number().int().min(1), perSeconds: z.number().positive() }).strict()
    .optional(),
  retry: z.object({
    maxAttempts: z.number().int().min(1).max(20).optional(),
    baseDelayMs: z.number().int().min(0).optional(),
    maxDelayMs: z.number().int().min(0).optional(),
    timeoutMs: z.number().int().min(1).optional(),
  }).strict().default({}),
  pageSize: z.number().int().min(1).default(100),
  streams: z.record(ident, streamSpec).refine((s) => Object.keys(s).length > 0, "needs at least one stream"),
}).strict().superRefine((spec, ctx) => {
  for (const [name, s] of Object.entries(spec.streams)) {
    const at = (...p: (string | number)[]) => ["streams", name, ...p];
    for (const [i, k] of s.key.entries()) {
      if (!s.fields[k]) {
        ctx.addIssue({ code: "custom", path: at("key", i), message: `"${k}" is not a field` });
      }
    }
    for (const [i, d] of [...s.dependsOn, ...(s.parent ? [s.parent.stream] : [])].entries()) {
      if (!spec.streams[d] || d === name) {
        ctx.addIssue({
          code: "custom",
          path: i < s.dependsOn.length ? at("dependsOn", i) : at("parent", "stream"),
          message: `"${d}" is not another stream of this connector`,
        });
      }
    }
    if (
      s.pagination.type !== "none" && "in" in s.pagination && s.pagination.in === "body" &&
      s.method !== "POST"
    ) {
      ctx.addIssue({
        code: "custom",
        path: at("pagination", "in"),
        message: "body parameters need method POST",
      });
    }
    if (s.incremental?.filter?.in === "body" && s.method !== "POST") {
      ctx.addIssue({
        code: "custom",
        path: at("incremental", "filter", "in"),
        message: "body parameters need method POST",
      });
    }
    if (s.windows && !s.incremental?.filter && !/\{window\./.test(s.path)) {
      ctx.addIssue({
        code: "custom",
        path: at("windows"),
        message: "date windows need an incremental filter or {window.*} in the path",
      });
    }
    if (/\{parent\./.test(JSON.stringify([s.path, s.query, s.body ?? {}])) && !s.parent) {
      ctx.addIssue({ code: "custom", path: at("path"), message: "uses {parent.*} but names no parent" });
    }
    if (s.version && !s.fields[s.version]) {
      ctx.addIssue({ code: "custom", path: at("version"), message: `"${s.version}" is not a field` });
    }
    if (s.one && s.key.length > 1) {
      ctx.addIssue({ code: "custom", path: at("one"), message: "single-record reads need a one-column key" });
    }
    if (s.fields.raw || s.fields.raw === null) {
      ctx.addIssue({ code: "custom", path: at("fields", "raw"), message: "raw is kept by the engine" });
    }
  }
});

export type ConnectorSpecInput = z.input<typeof connectorSpec>;
export type ConnectorSpec = z.output<typeof connectorSpec>;
export type StreamSpec = z.output<typeof streamSpec>;
export type FieldSpec = z.output<typeof fieldSpec>;
export type Pagination = z.output<typeof paginationSpec>;

/** Validates a description; the error names the path of the first bad field. */
export function parseSpec(input: unknown): ConnectorSpec {
  const parsed = connectorSpec.safeParse(input);
  if (!parsed.success) {
    const text = (i: z.core.$ZodIssue) =>
      i.code === "invalid_key" ? `invalid name: ${i.issues[0]?.message ?? i.message}` : i.message;
    const issues = parsed.error.issues.slice(0, 3).map((i) =>
      `${i.path.join(".") || "(description)"}: ${text(i)}`
    );
    const first = parsed.error.issues[0];
    throw new ValidationError(`Invalid connector description: ${issues.join("; ")}`, {
      path: first.path.join("."),
    });
  }
  return parsed.data;
}

/** The description's target schema. */
export const schemaOf = (spec: ConnectorSpec) => spec.schema ?? spec.name;
/** A stream's target table, "schema.table". */
export const targetOf = (spec: ConnectorSpec, stream: string) =>
  `${schemaOf(spec)}.${spec.streams[stream].table ?? stream}`;
