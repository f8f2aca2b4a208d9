// Building one request of a declarative stream: the path and parameters with their placeholders
// filled in ({parent.mid}, {window.year}, {config.locationId}, {id}), the date filter, the paging
// parameters, and the credentials (headers, or a query parameter).
import { ValidationError } from "../../engine/errors.ts";
import type { DateWindow } from "./windows.ts";
import { filterEnd, formatDate } from "./windows.ts";
import type { ConnectorSpec, StreamSpec } from "./spec.ts";

export type Vars = Record<string, string>;

/** Replaces {name} placeholders; an unknown one is an error naming it. */
export function fill(template: string, vars: Vars, encode = false): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) {
      throw new ValidationError(`Placeholder {${name}} in "${template}" has no value here`, {
        placeholder: name,
      });
    }
    return encode ? encodeURIComponent(v) : v;
  });
}

function fillDeep(value: unknown, vars: Vars): unknown {
  if (typeof value === "string") return fill(value, vars);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars)]));
  }
  return value;
}

/** Sets a dotted name in a JSON body ("query.filter.updated_at.start_at"), creating objects on the way. */
export function setPath(target: Record<string, unknown>, name: string, value: unknown): void {
  const parts = name.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (!node[p] || typeof node[p] !== "object") node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** The placeholders of one request: config settings, the window and the parent key. */
export function requestVars(
  stream: StreamSpec,
  config: Record<string, unknown>,
  window: DateWindow | null,
  parentKey: string | null,
): Vars {
  const vars: Vars = {};
  for (const [k, v] of Object.entries(config)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      vars[`config.${k}`] = String(v);
    }
  }
  if (window) {
    const format = stream.incremental?.filter?.format ?? "date";
    vars["window.year"] = String(window.start.getUTCFullYear());
    vars["window.month"] = String(window.start.getUTCMonth() + 1);
    vars["window.mm"] = String(window.start.getUTCMonth() + 1).padStart(2, "0");
    vars["window.start"] = formatDate(window.start, format);
    vars["window.end"] = filterEnd(window.end, format, stream.incremental?.filter?.endInclusive ?? false);
  }
  if (parentKey !== null && stream.parent) vars[`parent.${stream.parent.field}`] = parentKey;
  return vars;
}

export interface BuiltRequest {
  method: "GET" | "POST";
  path: string;
  query: Record<string, string | number | boolean>;
  body?: Record<string, unknown>;
}

/** One listing request: the stream's path and parameters, the date range filter and the paging parameters. */
export function buildRequest(opts: {
  stream: StreamSpec;
  vars: Vars;
  /** The date range to filter on (a window, or since/until); null: no filter. */
  range: { start: Date | null; end: Date | null } | null;
  paging: Record<string, string | number>;
  pagingIn: "query" | "body";
}): BuiltRequest {
  const { stream, vars, range, paging } = opts;
  const query: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(stream.query)) query[k] = typeof v === "string" ? fill(v, vars) : v;
  const body = stream.method === "POST"
    ? (fillDeep(stream.body ?? {}, vars) as Record<string, unknown>)
    : undefined;
  const put = (where: "query" | "body", name: string, value: string | number | boolean) => {
    if (where === "body" && body) setPath(body, name, value);
    else query[name] = value;
  };
  const filter = stream.incremental?.filter;
  if (filter && range && (range.start || range.end)) {
    for (const [k, v] of Object.entries(filter.with)) put(filter.in, k, v);
    if (range.start) put(filter.in, filter.start, formatDate(range.start, filter.format));
    if (range.end && filter.end) {
      put(filter.in, filter.end, filterEnd(range.end, filter.format, filter.endInclusive));
    }
  }
  for (const [k, v] of Object.entries(paging)) put(opts.pagingIn, k, v);
  return { method: stream.method, path: fill(stream.path, vars, true), query, body };
}

/** Headers carrying the credentials (bearer, header key, basic); a query key goes in authQuery. */
export function authHeaders(spec: ConnectorSpec, config: Record<string, unknown>): Record<string, string> {
  const a = spec.auth;
  const need = (key: string) => {
    const v = config[key];
    if (typeof v !== "string" || v === "") {
      const env = `${spec.name.toUpperCase()}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
      throw new ValidationError(`Invalid ${spec.name} connector config: ${key}: required (set ${env})`, {
        field: key,
      });
    }
    return v;
  };
  const headers = { ...spec.headers };
  if (a.type === "bearer") headers.authorization = `Bearer ${need(a.token)}`;
  if (a.type === "header") headers[a.header.toLowerCase()] = `${a.prefix ?? ""}${need(a.key)}`;
  if (a.type === "basic") headers.authorization = `Basic ${btoa(`${need(a.username)}:${need(a.password)}`)}`;
  if (a.type === "query") need(a.key);
  return headers;
}

/** The configured values the auth sends (token, key, user name and password): never in an error text. */
export function authSecrets(spec: ConnectorSpec, config: Record<string, unknown>): string[] {
  const a = spec.auth;
  const keys = a.type === "bearer"
    ? [a.token]
    : a.type === "header" || a.type === "query"
    ? [a.key]
    : a.type === "basic"
    ? [a.password]
    : [];
  return keys.map((k) => config[k]).filter((v): v is string => typeof v === "string" && v !== "");
}

/** The credential query parameter, for query-key auth. */
export function authQuery(spec: ConnectorSpec, config: Record<string, unknown>): Record<string, string> {
  return spec.auth.type === "query" ? { [spec.auth.param]: String(config[spec.auth.key]) } : {};
}
