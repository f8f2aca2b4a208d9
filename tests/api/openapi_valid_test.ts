// The OpenAPI document the function serves is valid OpenAPI 3.1 (checked with an OpenAPI schema
// validator), describes exactly the routes the Hono app serves, takes its parameters from the routes'
// zod schemas (and each route refuses a value just past a bound the document states), and names in
// `servers` the origin the request came to.
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { AppDeps } from "../../functions/_shared/deps.ts";
import { createApp } from "../../functions/sync/app.ts";
import { testApp } from "./_app.ts";

/** The app without a database: the routes are built, and GET /sync/openapi.json needs none. */
const app = (extra: Partial<AppDeps> = {}) =>
  createApp({
    connectors: {},
    schemaCheck: () => Promise.resolve({ status: "current", database: "x", expected: "x" }),
    ...extra,
  } as unknown as AppDeps);

// deno-lint-ignore no-explicit-any
type Doc = any;
const documentOf = async (url: string, headers: Record<string, string> = {}, extra?: Partial<AppDeps>) => {
  const res = await app(extra).request(url, { headers });
  assert.equal(res.status, 200);
  return (await res.json()) as Doc;
};

Deno.test("the served OpenAPI document is valid OpenAPI 3.1", async () => {
  const doc = await documentOf("http://127.0.0.1:54321/sync/openapi.json");
  assert.equal(doc.openapi, "3.1.0");
  const result = await new Validator().validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 4000));
  // every parameter says what it takes (the hand-written document had 19 without a schema)
  const parameters = Object.values(doc.paths).flatMap((item: Doc) =>
    Object.values(item).flatMap((op: Doc) => op.parameters ?? [])
  ) as Doc[];
  assert.ok(parameters.length > 40, `${parameters.length} parameters`);
  assert.deepEqual(parameters.filter((p) => !p.schema).map((p) => p.name), []);
});

Deno.test("the document describes exactly the routes the app serves, each path parameter declared", async () => {
  const served = new Set(
    app().routes.filter((r) => r.method !== "ALL" && r.method !== "OPTIONS")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([a-z_]+)/g, "{$1}")}`),
  );
  const doc = await documentOf("http://127.0.0.1:54321/sync/openapi.json");
  const described = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Doc>)) {
    for (const [method, op] of Object.entries(item as Record<string, Doc>)) {
      described.add(`${method} ${path}`);
      const declared = (op.parameters ?? []).filter((p: Doc) => p.in === "path").map((p: Doc) => p.name);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      assert.deepEqual(declared, templated, `${method} ${path}: path parameters`);
    }
  }
  assert.deepEqual([...served].filter((r) => !described.has(r)), [], "served but not described");
  assert.deepEqual([...described].filter((r) => !served.has(r)), [], "described but not served");
});

Deno.test("parameters and bodies come from the routes' zod schemas", async () => {
  const doc = await documentOf("http://127.0.0.1:54321/sync/openapi.json");
  const params = (path: string, method = "get") =>
    Object.fromEntries(doc.paths[path][method].parameters.map((p: Doc) => [p.name, p]));
  const jobs = params("/sync/jobs");
  assert.deepEqual(jobs.limit.schema, { default: 50, type: "integer", minimum: 1, maximum: 200 });
  assert.equal(jobs.limit.required, false);
  assert.deepEqual(jobs.status.schema.enum, [
    "queued",
    "running",
    "succeeded",
    "partial",
    "failed",
    "cancelled",
  ]);
  assert.equal(params("/sync/jobs/{id}").id.schema.type, "integer");
  assert.equal(params("/sync/promotions/{plan}/roots/{id}").plan.schema.pattern, "^[a-z_][a-z0-9_]*$");
  assert.equal(
    doc.paths["/sync/highlevel/ticket-products/{id}"].put.requestBody.content["application/json"].schema.$ref,
    "#/components/schemas/TicketOverride",
  );
  assert.deepEqual(doc.components.schemas.TicketOverride.required, ["active"]);
});

Deno.test("servers names the origin the request came to, not a fixed address", async () => {
  const local = await documentOf("http://127.0.0.1:54321/sync/openapi.json");
  assert.deepEqual(local.servers, [{ url: "http://127.0.0.1:54321" }]);
  const other = await documentOf("http://api.example.test:8080/sync/openapi.json");
  assert.deepEqual(other.servers, [{ url: "http://api.example.test:8080" }]);
  // behind Supabase's gateway: the public host and scheme, and the /functions/v1 it strips
  const hosted = await documentOf(
    "http://127.0.0.1:9000/sync/openapi.json",
    { "x-forwarded-host": "abcdefghijklmnopqrst.supabase.co", "x-forwarded-proto": "https" },
    { publicPathPrefix: "/functions/v1" },
  );
  assert.deepEqual(hosted.servers, [{ url: "https://abcdefghijklmnopqrst.supabase.co/functions/v1" }]);
  // a forwarded host that is not a host name is ignored
  const odd = await documentOf("http://127.0.0.1:54321/sync/openapi.json", { "x-forwarded-host": "a/b?c" });
  assert.deepEqual(odd.servers, [{ url: "http://127.0.0.1:54321" }]);
});

Deno.test("each route refuses what its documented schema refuses (the table names the route's own schemas)", async () => {
  await using t = await testApp([]);
  const doc = await (await t.app.request("/sync/openapi.json")).json();
  const tried: string[] = [];
  const failures: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Doc>)) {
    for (const [method, op] of Object.entries(item as Record<string, Doc>)) {
      if (op.requestBody || !op.security) continue; // a body's own refusal would hide the parameter's
      const params = (op.parameters ?? []) as Doc[];
      const valid = (
        p: Doc,
      ) => (p.schema.type === "integer" ? "1" : p.name === "plan" ? "square_event_sales" : "x");
      const url = (override: { name: string; value: string }) => {
        let u = path;
        for (const p of params.filter((p) => p.in === "path")) {
          u = u.replace(
            `{${p.name}}`,
            encodeURIComponent(p.name === override.name ? override.value : valid(p)),
          );
        }
        const q = params.find((p) => p.in === "query" && p.name === override.name);
        return q ? `${u}?${override.name}=${encodeURIComponent(override.value)}` : u;
      };
      // a value just past each documented bound: an integer path id of 0, a query number over its maximum
      const cases = params.flatMap((p) =>
        p.in === "path" && p.schema.type === "integer"
          ? [{ name: p.name, value: "0" }]
          : p.in === "query" && typeof p.schema.maximum === "number" && p.schema.maximum < 1e6
          ? [{ name: p.name, value: String(p.schema.maximum + 1) }]
          : []
      );
      for (const c of cases) {
        const target = url(c);
        const res = await t.app.request(target, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${t.token}` },
        });
        await res.body?.cancel();
        tried.push(`${method} ${target}`);
        if (res.status !== 422) failures.push(`${method} ${target} -> ${res.status}`);
      }
    }
  }
  assert.ok(tried.length >= 15, `${tried.length} bounds tried`);
  assert.deepEqual(failures, []);
});
