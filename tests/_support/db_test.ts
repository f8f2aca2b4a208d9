import assert from "node:assert/strict";
import { createTestDatabase } from "./db.ts";

Deno.test("a test database is migrated and isolated", async () => {
  await using a = await createTestDatabase();
  await using b = await createTestDatabase();
  await a.sql`select sync.create_job('square', array['orders'])`;
  const [{ n: inA }] = await a.sql`select count(*)::int as n from sync.jobs`;
  const [{ n: inB }] = await b.sql`select count(*)::int as n from sync.jobs`;
  assert.equal(inA, 1);
  assert.equal(inB, 0);
});
