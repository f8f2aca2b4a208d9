import assert from "node:assert/strict";
import { compareSchema, SCHEMA_VERSION, schemaGate, schemaMismatchMessage, VERSION } from "./version.ts";

const root = new URL("../../", import.meta.url);

Deno.test("VERSION is deno.json's version, a semantic version with a CHANGELOG section", async () => {
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  assert.equal(deno.version, VERSION);
  assert.match(VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
  const changelog = await Deno.readTextFile(new URL("CHANGELOG.md", root));
  assert.match(changelog, /^## Unreleased$/m, "CHANGELOG.md keeps a ## Unreleased section");
  assert.ok(changelog.includes(`## ${VERSION} `), `CHANGELOG.md has no section for ${VERSION}`);
});

Deno.test("SCHEMA_VERSION is the newest migration's, and that migration and sql/sync_version.sql record it", async () => {
  const names = [...Deno.readDirSync(new URL("supabase/migrations/", root))].map((e) => e.name)
    .filter((n) => n.endsWith(".sql")).sort();
  const newest = names.at(-1)!;
  const version = newest.split("_")[0];
  const record = `insert into sync.schema_versions (version) values ('${version}');`;
  assert.equal(
    SCHEMA_VERSION,
    version,
    `functions/_shared/version.ts SCHEMA_VERSION must be ${version}, the newest migration's version ` +
      `(${newest}); a new migration ends with: ${record}`,
  );
  for (const file of [`supabase/migrations/${newest}`, "sql/sync_version.sql"]) {
    const text = (await Deno.readTextFile(new URL(file, root))).trimEnd();
    assert.ok(
      text.endsWith(record),
      `${file} must end by recording its schema version: ${record}`,
    );
  }
});

Deno.test("compareSchema: equal is current, older or none is behind, newer is ahead", () => {
  assert.equal(compareSchema("20261207130000", "20261207130000").status, "current");
  assert.equal(compareSchema("20261130003000", "20261207130000").status, "behind");
  assert.equal(compareSchema(null, "20261207130000").status, "behind");
  assert.equal(compareSchema("20270101000000", "20261207130000").status, "ahead");
});

Deno.test("the mismatch message names both versions and deno task install", () => {
  const behind = schemaMismatchMessage(compareSchema("20261130003000", "20261207130000"));
  assert.match(behind, /schema version is 20261130003000, but Syncline \S+ needs 20261207130000/);
  assert.match(behind, /behind\. Run "deno task install"/);
  const none = schemaMismatchMessage(compareSchema(null, "20261207130000"));
  assert.match(none, /is none \(installed before Syncline 0\.9\.0/);
  const ahead = schemaMismatchMessage(compareSchema("20270101000000", "20261207130000"));
  assert.match(ahead, /20270101000000, newer than 20261207130000/);
  assert.match(ahead, /this code is behind the database\. Run "deno task install"/);
  assert.ok(ahead.includes(VERSION));
});

Deno.test("schemaGate reads once when current, again after recheckMs when not, never caches a failure", async () => {
  let clock = 0;
  const answers: (string | Error)[] = [new Error("down"), "20261130003000", "20261207130000"];
  let reads = 0;
  const gate = schemaGate(() => {
    reads++;
    const a = answers.shift()!;
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }, { expected: "20261207130000", now: () => clock, recheckMs: 1000 });
  await assert.rejects(gate(), /down/);
  assert.equal((await gate()).status, "behind");
  clock = 999;
  assert.equal((await gate()).status, "behind", "a mismatch is remembered for recheckMs");
  assert.equal(reads, 2);
  clock = 1000;
  assert.equal((await gate()).status, "current", "then asked again: the upgrade finished");
  clock = 1_000_000;
  assert.equal((await gate()).status, "current");
  assert.equal(reads, 3, "a match is kept for good");
  const both = await Promise.all([gate(), gate()]);
  assert.deepEqual(both.map((c) => c.status), ["current", "current"]);
});
