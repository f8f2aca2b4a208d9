// Bad input never gets a 500: every admin route of the real app, called with broken JSON, wrong
// types, out-of-range numbers and odd strings, answers 4xx with the JSON error shape.
import assert from "node:assert/strict";
import { makeWidgets, testApp } from "./_app.ts";

const BODIES: unknown[] = [
  "{",
  '{"connector": "wid\\u0000gets", "name": "n\\u0000"}',
  "[]",
  "null",
  "42",
  '"text"',
  {},
  { connector: 42 },
  { connector: "widgets", streams: "widgets" },
  { connector: "widgets", streams: [""] },
  { connector: "widgets", mode: "sideways" },
  { connector: "widgets", since: "2026-13-45" },
  { connector: "widgets", records: { widgets: [] } },
  { connector: "x".repeat(5000) },
  { days_to_keep: -1 },
  { days_to_keep: "many" },
  { days_to_keep: 1e308 },
  { ids: [0, -1, 1.5] },
  { name: "💥", connector: "widgets", streams: ["widgets"], cron: "every day" },
  { name: "n", connector: "widgets", streams: ["widgets"], cron: "61 25 * * *" },
  { enabled: "yes", error_rate_threshold: 7 },
  { budgetMs: 1 },
  { a: { b: { c: { d: { e: [[[[[]]]]] } } } } },
];
const IDS = ["0", "-1", "abc", "1e9", "99999999999999999999", "%00", "1;drop table x"];
const QUERIES = [
  "?limit=0",
  "?limit=abc",
  "?status=weird",
  "?days=0",
  "?days=99999",
  "?before=-5",
  "?connector=%00",
];

Deno.test("no route answers 5xx to bad input, and every refusal has the JSON error shape", async () => {
  await using t = await testApp(makeWidgets(3));
  const routes = t.app.routes.filter((r) => r.method !== "ALL" && r.method !== "OPTIONS");
  const seen = new Set<string>();
  const failures: string[] = [];
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key) || r.path.includes("/webhooks/")) continue; // webhooks have their own fuzz
    seen.add(key);
    const paths = r.path.includes(":")
      ? IDS.map((id) => r.path.replace(/:[a-z_]+/, encodeURIComponent(id)))
      : [r.path, ...QUERIES.map((q) => r.path + q)];
    for (const path of paths) {
      for (const body of r.method === "GET" || r.method === "DELETE" ? [undefined] : BODIES) {
        const { status, body: answer } = await t.call(r.method, path, body);
        if (status >= 500 || (status >= 400 && typeof answer?.error?.message !== "string")) {
          failures.push(`${r.method} ${path} ${JSON.stringify(body)} -> ${status} ${JSON.stringify(answer)}`);
        }
      }
    }
  }
  assert.ok(seen.size >= 20, `expected the full route table, saw ${seen.size}`);
  assert.deepEqual(failures.slice(0, 10), []);
});
