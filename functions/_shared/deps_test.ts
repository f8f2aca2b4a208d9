import assert from "node:assert/strict";
import { type AppDeps, workerDeps } from "./deps.ts";
import type { Sql } from "./engine/types.ts";

Deno.test("a worker's dependencies carry the engine's fields and the worker's own, nothing of the app's", () => {
  const budget = { spent: () => false } as unknown as NonNullable<
    ReturnType<NonNullable<AppDeps["cpuBudget"]>>
  >;
  const app: AppDeps = {
    sql: {} as Sql,
    connectors: {},
    connectorConfig: () => ({ token: "fake" }),
    now: () => 42,
    log: () => {},
    auth: { serviceRoleKey: "fake" } as unknown as AppDeps["auth"],
    budgetMs: 1000,
    corsOrigins: ["https://example.test"],
  };
  const deps = workerDeps(app, { workerId: "edge-1", cpuBudget: budget });
  assert.deepEqual(Object.keys(deps).sort(), [
    "connectorConfig",
    "connectors",
    "cpuBudget",
    "log",
    "now",
    "sql",
    "workerId",
  ]);
  assert.equal(deps.sql, app.sql);
  assert.equal(deps.connectorConfig, app.connectorConfig);
  assert.equal(deps.cpuBudget, budget);
  assert.equal("cpuBudget" in workerDeps(app, { workerId: "w" }), false);
});

Deno.test("no route of the sync function imports app.ts (routes take their types from deps.ts)", async () => {
  const dir = new URL("../sync/routes/", import.meta.url);
  const offenders: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    if (/from\s+"\.\.\/app\.ts"/.test(text)) offenders.push(entry.name);
  }
  assert.deepEqual(offenders, []);
});
