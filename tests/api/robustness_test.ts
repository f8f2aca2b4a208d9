// Bad input never gets a 500: every admin route of the real app, called with broken JSON, wrong
// types, out-of-range numbers, odd strings, JSON nested 40,000 deep, negative intervals, unsafe
// URLs and oversized id lists, answers 4xx with the JSON error shape.
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
  // nested 40,000 deep: Postgres refuses such jsonb with "stack depth limit exceeded"
  "[".repeat(40_000) + "]".repeat(40_000),
  '{"connector": "widgets", "options": ' + "[".repeat(40_000) + "]".repeat(40_000) + "}",
  {
    name: "deep",
    connector: "widgets",
    streams: ["widgets"],
    cron: "0 2 * * *",
    options: JSON.parse("[".repeat(200) + "]".repeat(200)),
  },
  { error_rate_window: "-1 hour" },
  { stale_after: "-5 days", rate_limit_window: "banana" },
  { stale_after_by_stream: { "widgets/widgets": "-1 day" } },
  { slack_webhook_url: "file:///etc/passwd" },
  { slack_webhook_url: "javascript:alert(1)", email_api_url: "ftp://example.com" },
  { connector: "widgets", records: { widgets: Array.from({ length: 1001 }, (_, i) => `w${i}`) } },
  { connector: "widgets", records: { widgets: ["x".repeat(300)] } },
  { name: "orderz", connector: "widgets", streams: ["orderz"], cron: "0 2 * * *" },
  { name: "n", connector: "widgets", streams: ["widgets"], cron: "0 2 * * FRIDAY" },
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
