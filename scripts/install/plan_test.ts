import assert from "node:assert/strict";
import {
  migrationSteps,
  parseMigrationHistory,
  planMigrations,
  REPAIR_MIGRATION,
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

Deno.test("planMigrations: on an existing install the migrations before the repair are recorded as applied, not run", () => {
  const files = [
    "20261122000100_sync_schema.sql",
    "20261208100000_sync_job_waits.sql",
    `${REPAIR_MIGRATION}_sync_repair.sql`,
    "20270101000000_later.sql",
  ];
  const old = planMigrations(files, ["20261122000100"]);
  assert.deepEqual(old.superseded, ["20261208100000_sync_job_waits.sql"]);
  assert.deepEqual(old.pending, [`${REPAIR_MIGRATION}_sync_repair.sql`, "20270101000000_later.sql"]);
  assert.deepEqual(migrationSteps(old).slice(0, 2), [
    {
      step: "migration 20261208100000_sync_job_waits.sql",
      outcome: "recorded",
      detail: `not run, recorded as applied: ${REPAIR_MIGRATION}_sync_repair.sql does its work`,
    },
    { step: `migration ${REPAIR_MIGRATION}_sync_repair.sql`, outcome: "applied" },
  ]);
  // a first install runs everything; after the repair, nothing is superseded any more
  assert.deepEqual(planMigrations(files, null).superseded, []);
  assert.deepEqual(planMigrations(files, []).superseded, []);
  const repaired = planMigrations(files, ["20261122000100", REPAIR_MIGRATION]);
  assert.deepEqual(repaired.superseded, []);
  assert.deepEqual(repaired.pending, ["20261208100000_sync_job_waits.sql", "20270101000000_later.sql"]);
});
