// Builds OpenAPI 3.1 operations from the zod schemas the routes validate with: each query field a
// parameter with its JSON Schema (required unless it is optional or has a default), each path
// parameter of the template with the schema its route parses it with (else a string), the request
// body a component schema. Pure: plain data in, the document's `paths` out.
import { z } from "zod";

export type Method = "get" | "post" | "put" | "patch" | "delete";
export type Security = "admin" | "worker" | "public";

/** One operation as the route table describes it. */
export interface RouteSpec {
  summary: string;
  /** who may call it (default admin) */
  auth?: Security;
  /** the zod object the route reads its query string with */
  query?: z.ZodObject;
  /** the zod schema of each path parameter ({id} etc.); a parameter not named here is a string */
  path?: Record<string, z.ZodType>;
  /** the name of the component schema of the JSON request body */
  body?: string;
  /** status -> description; a status >= 400 answers the Error schema, a 2xx the given schema if any */
  responses: Record<number, string | { description: string; schema: unknown }>;
}

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a zod schema accepts, as a schema object. */
export function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

/** A query field is required when undefined does not pass it (not optional, no default). */
const isRequired = (field: z.ZodType) => !field.safeParse(undefined).success;

/** The query parameters of a route, one per field of its query schema. */
export function queryParameters(query: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(query.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: "query",
    required: isRequired(field),
    schema: requestSchema(field),
  }));
}

/** The path parameters of a template ("/sync/jobs/{id}"), each with its schema. */
export function pathParameters(
  path: string,
  schemas: Record<string, z.ZodType> = {},
): Record<string, unknown>[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: schemas[name] ? requestSchema(schemas[name]) : { type: "string" },
  }));
}

const SECURITY: Record<Security, Record<string, string[]>[] | undefined> = {
  admin: [{ adminJwt: [] }, { secretKey: [] }],
  worker: [{ workerSecret: [] }, { adminJwt: [] }, { secretKey: [] }],
  public: undefined,
};

const ERRORS: Record<number, string> = {
  400: "the body is not JSON, or holds a NUL character",
  401: "no credential, or one that is not valid",
  403: "a valid credential that is not an admin's",
  404: "no such thing",
  409: "it conflicts with the current state (e.g. a sync of the stream is already running)",
  413: "the body is over the size limit",
  415: "the body is not sent as JSON",
  422: "the input breaks its schema (the message names the field)",
  503: "the database schema is not the one this code needs",
};

const error = { $ref: "#/components/schemas/Error" };
const json = (schema: unknown) => ({ content: { "application/json": { schema } } });

/** One operation object of the document. */
export function operation(path: string, spec: RouteSpec): Record<string, unknown> {
  const parameters = [...pathParameters(path, spec.path), ...(spec.query ? queryParameters(spec.query) : [])];
  const security = SECURITY[spec.auth ?? "admin"];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const code = Number(status);
    if (typeof r === "string") {
      responses[status] = code >= 400
        ? { description: r || ERRORS[code], ...json(error) }
        : { description: r };
    } else responses[status] = { description: r.description, ...json(r.schema) };
  }
  return {
    summary: spec.summary,
    ...(security ? { security } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: json({ $ref: `#/components/schemas/${spec.body}` }) } : {}),
    responses,
  };
}

/** The standard refusals of an admin route, for `responses`: 401 and 403, plus the given ones. */
export function refusals(...codes: number[]): Record<number, string> {
  return Object.fromEntries([401, 403, ...codes].map((c) => [c, ERRORS[c] ?? "error"]));
}

/** The document's `paths` from a table keyed "get /sync/jobs/{id}". */
export function buildPaths(routes: Record<string, RouteSpec>): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, spec] of Object.entries(routes)) {
    const [method, path] = key.split(" ") as [Method, string];
    (paths[path] ??= {})[method] = operation(path, spec);
  }
  return paths;
}
