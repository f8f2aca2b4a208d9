// Seeded request generation from an OpenAPI 3.1 document: for each operation, values drawn from its
// parameter and request-body JSON Schemas (resolving $ref), mutated into hostile ones (wrong types,
// edges of ranges, NUL, lone surrogates, huge numbers, deep nesting, unknown fields). Pure: the same
// seed gives the same requests. Used by openapi_fuzz_test.ts.

type Schema = Record<string, unknown>;
export interface Operation {
  method: string;
  /** the path template, e.g. /sync/jobs/{id} */
  path: string;
  /** whether the document asks for credentials (security) */
  secured: boolean;
  parameters: { name: string; in: string; schema?: Schema }[];
  body?: Schema;
}

export interface FuzzRequest {
  method: string;
  url: string;
  /** a JSON value, or a raw string sent as is */
  body?: unknown;
  raw?: boolean;
  contentType?: string;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every operation of the document, with its parameters and request-body schema. */
export function operations(doc: Record<string, unknown>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [
        ...((item.parameters as unknown as Operation["parameters"]) ?? []),
        ...((op.parameters as Operation["parameters"]) ?? []),
      ];
      const content = ((op.requestBody as Schema | undefined)?.content ?? {}) as Record<string, Schema>;
      out.push({
        method: method.toUpperCase(),
        path,
        secured: Array.isArray(op.security) ? op.security.length > 0 : Array.isArray(doc.security),
        parameters: params,
        body: content["application/json"]?.schema as Schema | undefined,
      });
    }
  }
  return out;
}

const HOSTILE_STRINGS = [
  "",
  "a",
  "0",
  "-1",
  "1e9",
  "99999999999999999999",
  "x".repeat(300),
  "\u0000",
  "nul\u0000inside",
  "\uD800",
  "💥",
  "'; drop table sync.jobs; --",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "%00",
  "2026-13-45T99:99:99Z",
  "null",
  " ",
];
const HOSTILE_NUMBERS = [0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 1e-308];
const PATH_VALUES = [
  "1",
  "0",
  "-1",
  "abc",
  "1e9",
  "99999999999999999999",
  "%00",
  "..",
  "x".repeat(300),
  "💥",
];

export class SchemaFuzzer {
  constructor(private readonly doc: Record<string, unknown>, private readonly rnd: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  private resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 10 && typeof s.$ref === "string"; i++) {
      const path = (s.$ref as string).replace(/^#\//, "").split("/");
      s = path.reduce((o: Record<string, unknown>, k) =>
        o?.[k] as Record<string, unknown>, this.doc) as Schema ??
        {};
    }
    return s;
  }

  /** A hostile value of some type other than the schema's. */
  wrong(depth = 0): unknown {
    switch (Math.floor(this.rnd() * 7)) {
      case 0:
        return this.pick(HOSTILE_STRINGS);
      case 1:
        return this.pick(HOSTILE_NUMBERS);
      case 2:
        return this.chance(0.5);
      case 3:
        return null;
      case 4:
        return depth > 2 ? [] : [this.wrong(depth + 1)];
      case 5:
        return depth > 2
          ? {}
          : { [this.pick(["x", "__proto__", "constructor", "💥"])]: this.wrong(depth + 1) };
      default:
        return JSON.parse("[".repeat(60) + "]".repeat(60));
    }
  }

  /** A value the schema describes, mutated now and then (p of a mutation at each level). */
  value(schema: Schema | undefined, p = 0.2, depth = 0): unknown {
    if (!schema || depth > 6) return this.wrong(depth);
    const s = this.resolve(schema);
    if (this.chance(p)) return this.wrong(depth);
    const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (variants?.length) return this.value(this.pick(variants), p, depth + 1);
    if ("const" in s) return s.const;
    if (Array.isArray(s.enum)) return this.pick(s.enum);
    const type = Array.isArray(s.type) ? this.pick(s.type as string[]) : s.type as string | undefined;
    switch (type) {
      case "object": {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required as string[] | undefined) ?? []);
        const out: Record<string, unknown> = {};
        for (const [k, sub] of Object.entries(props)) {
          if (required.has(k) || this.chance(0.5)) out[k] = this.value(sub, p, depth + 1);
        }
        if (this.chance(0.15)) out[this.pick(["unknown_field", "__proto__", "id"])] = this.wrong(depth + 1);
        return out;
      }
      case "array": {
        const min = Number(s.minItems ?? 0);
        const n = Math.min(min + Math.floor(this.rnd() * 3), Number(s.maxItems ?? 50));
        return Array.from({ length: n }, () => this.value(s.items as Schema | undefined, p, depth + 1));
      }
      case "integer":
      case "number": {
        const edges = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum]
          .filter((v): v is number => typeof v === "number");
        const n = this.chance(0.5) && edges.length
          ? this.pick(edges) + this.pick([-1, 0, 1])
          : this.pick(HOSTILE_NUMBERS);
        return type === "integer" && this.chance(0.7) ? Math.trunc(n) : n;
      }
      case "boolean":
        return this.chance(0.5);
      case "string":
        if (s.format === "date-time" && this.chance(0.5)) return new Date(Date.UTC(2026, 0, 1)).toISOString();
        if (s.format === "email" && this.chance(0.5)) return "ops@example.com";
        return this.pick(HOSTILE_STRINGS);
      default:
        return this.wrong(depth);
    }
  }

  /** A raw (non-JSON or abusive JSON) body. */
  rawBody(): string {
    return this.pick([
      "{",
      "[",
      "",
      "null",
      '"text"',
      '{"a": 1}}',
      '{"connector": "wid\\u0000gets"}',
      "[".repeat(5000) + "]".repeat(5000),
      '{"a":' + "1".repeat(400) + "}",
    ]);
  }

  /** count requests for an operation: path and query values, bodies of every kind. */
  requests(op: Operation, count: number, opts: { plainPath?: boolean } = {}): FuzzRequest[] {
    const out: FuzzRequest[] = [];
    for (let i = 0; i < count; i++) {
      let path = op.path;
      const query = new URLSearchParams();
      for (const param of op.parameters) {
        const raw = opts.plainPath && param.in === "path"
          ? "1"
          : param.schema
          ? this.value(param.schema, 0.4)
          : this.pick(PATH_VALUES);
        const text = typeof raw === "string" ? raw : JSON.stringify(raw) ?? "";
        // a lone surrogate cannot travel in a URL (a client sends U+FFFD): encode what a client would
        if (param.in === "path") {
          path = path.replace(`{${param.name}}`, encodeURIComponent((text || "x").toWellFormed()));
        } else if (param.in === "query" && this.chance(0.6)) query.set(param.name, text);
      }
      path = path.replace(
        /\{[^}]+\}/g,
        () => (opts.plainPath ? "1" : encodeURIComponent(this.pick(PATH_VALUES))),
      );
      const q = query.toString();
      const url = `http://localhost${path}${q ? `?${q}` : ""}`;
      if (op.method === "GET" || op.method === "DELETE") {
        out.push({ method: op.method, url });
        continue;
      }
      const kind = this.rnd();
      if (kind < 0.6) out.push({ method: op.method, url, body: this.value(op.body, i === 0 ? 0 : 0.25) });
      else if (kind < 0.85) out.push({ method: op.method, url, body: this.rawBody(), raw: true });
      else {
        out.push({
          method: op.method,
          url,
          body: JSON.stringify(this.value(op.body)),
          raw: true,
          contentType: this.pick(["text/plain", "application/xml", ""]),
        });
      }
    }
    return out;
  }
}
