import assert from "node:assert/strict";
import {
  migrationSteps,
  parseMigrationHistory,
  planMigrations,
  summarise,
  unknownMigrationsProblem,
} from "./plan.ts";

const FILES = [
  "20261122000100_sync_schema.sql",
  "20261130003000_sync_shards.sql",
  "20261207130000_sync_version.sql",
];

Deno.test("planMigrations: only the migrations the database has not, oldest first, and the schema move", () => {
  const plan = planMigrations([...FILES].reverse(), ["20261122000100", "20261130003000"]);
  assert.deepEqual(plan.pending, ["20261207130000_sync_version.sql"]);
  assert.deepEqual(plan.unknown, []);
  assert.equal(plan.schemaBefore, "20261130003000");
  assert.equal(plan.schemaAfter, "20261207130000");
  assert.deepEqual(migrationSteps(plan), [
    { step: "migration 20261207130000_sync_version.sql", outcome: "applied" },
    { step: "schema version", outcome: "ok", detail: "20261130003000 → 20261207130000" },
  ]);
  assert.equal(summarise(migrationSteps(plan), "install"), "1 change(s).");
});

Deno.test("planMigrations: a first install applies everything; an up-to-date one nothing", () => {
  const fresh = planMigrations(FILES, null);
  assert.deepEqual(fresh.pending, FILES);
  assert.equal(fresh.schemaBefore, null);
  const current = planMigrations(FILES, FILES.map((f) => f.split("_")[0]));
  assert.deepEqual(current.pending, []);
  assert.deepEqual(migrationSteps(current), [
    { step: "migrations", outcome: "unchanged", detail: "none pending (schema 20261207130000)" },
  ]);
});

Deno.test("a history with versions this checkout lacks is refused: newer (a newer release) or foreign", () => {
  const newer = planMigrations(FILES, [...FILES.map((f) => f.split("_")[0]), "20270101000000"]);
  assert.deepEqual(newer.unknown, ["20270101000000"]);
  assert.match(
    unknownMigrationsProblem(newer)!,
    /1 migration\(s\) this checkout does not have \(20270101000000\)/,
  );
  assert.match(unknownMigrationsProblem(newer)!, /migrated by a newer Syncline release.*never downgrades/);
  const foreign = planMigrations(FILES, ["20200101000000", "20261122000100"]);
  assert.match(unknownMigrationsProblem(foreign)!, /not Syncline's/);
  assert.equal(unknownMigrationsProblem(planMigrations(FILES, [])), null);
});

Deno.test("parseMigrationHistory: null without a history table, [] for an empty one", () => {
  assert.equal(parseMigrationHistory({ applied: null }), null);
  assert.equal(parseMigrationHistory(undefined), null);
  assert.deepEqual(parseMigrationHistory({ applied: "" }), []);
  assert.deepEqual(parseMigrationHistory({ applied: "1,2" }), ["1", "2"]);
});
