import assert from "node:assert/strict";
import { checkMigrations } from "./check_migrations.ts";

const root = new URL("../", import.meta.url).pathname;

/** A copy of this checkout's supabase/migrations and its lock, to break. */
async function copy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "syncline-migrations-" });
  await Deno.mkdir(`${dir}/supabase/migrations`, { recursive: true });
  for (const e of Deno.readDirSync(`${root}supabase/migrations`)) {
    await Deno.copyFile(`${root}supabase/migrations/${e.name}`, `${dir}/supabase/migrations/${e.name}`);
  }
  await Deno.copyFile(`${root}supabase/migrations.lock`, `${dir}/supabase/migrations.lock`);
  return `${dir}/`;
}

Deno.test("this checkout's migrations are the locked ones", async () => {
  assert.deepEqual(await checkMigrations(root), []);
});

Deno.test("an edited, deleted or renamed released migration fails the check, naming the file", async () => {
  const dir = await copy();
  try {
    const m = `${dir}supabase/migrations/20261129013000_sync_failed_items.sql`;
    await Deno.writeTextFile(m, (await Deno.readTextFile(m)) + "\n-- a fix\n");
    await Deno.remove(`${dir}supabase/migrations/20261122003300_sync_retention.sql`);
    await Deno.rename(
      `${dir}supabase/migrations/20261122004000_sync_circuits.sql`,
      `${dir}supabase/migrations/20261122004000_sync_reliability.sql`,
    );
    const problems = await checkMigrations(dir);
    assert.equal(problems.length, 4, problems.join("\n")); // the renamed file is also an unlocked old version
    assert.match(problems.join("\n"), /20261129013000_sync_failed_items\.sql was edited after its release/);
    assert.match(problems.join("\n"), /20261122003300_sync_retention\.sql was deleted/);
    assert.match(
      problems.join("\n"),
      /20261122004000_sync_circuits\.sql was renamed to 20261122004000_sync_reliability\.sql/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a new migration must be newer than every released one and be added to the lock", async () => {
  const dir = await copy();
  try {
    await Deno.writeTextFile(`${dir}supabase/migrations/20261201000000_late.sql`, "select 1;\n");
    await Deno.writeTextFile(`${dir}supabase/migrations/20991231000000_next.sql`, "select 2;\n");
    const problems = await checkMigrations(dir);
    assert.match(
      problems.join("\n"),
      /20261201000000_late\.sql: its version is not newer than the newest released/,
    );
    assert.match(problems.join("\n"), /20991231000000_next\.sql is not in supabase\/migrations\.lock/);
    await Deno.remove(`${dir}supabase/migrations/20261201000000_late.sql`);
    assert.deepEqual(await checkMigrations(dir, { add: true }), []);
    assert.match(
      await Deno.readTextFile(`${dir}supabase/migrations.lock`),
      / {2}20991231000000_next\.sql\n$/,
    );
    assert.deepEqual(await checkMigrations(dir), [], "added once, locked from then on");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("editing a migration together with its lock line fails against the lock's history", async () => {
  const dir = await copy();
  try {
    const earlier = await Deno.readTextFile(`${dir}supabase/migrations.lock`);
    const m = `${dir}supabase/migrations/20261122000200_sync_merge.sql`;
    await Deno.writeTextFile(m, (await Deno.readTextFile(m)) + "\n-- a fix\n");
    await Deno.writeTextFile(
      `${dir}supabase/migrations.lock`,
      earlier.replace(/^[0-9a-f]{64}( {2}20261122000200_sync_merge\.sql)$/m, `${"0".repeat(64)}$1`),
    );
    const problems = await checkMigrations(dir, { lockHistory: [earlier] });
    assert.match(problems.join("\n"), /lost or changed the line of 20261122000200_sync_merge\.sql/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
