// Integrity and size errors of a real PostgreSQL, mapped for the API.
import assert from "node:assert/strict";
import { createTestDatabase } from "../../../tests/_support/db.ts";
import { integrityError } from "./db_errors.ts";

Deno.test("integrity errors from PostgreSQL become 409 (conflict) or 422 (invalid), naming the constraint", async () => {
  await using db = await createTestDatabase();
  await db.sql.unsafe(`create table public.t_parent (id int primary key);
    create table public.t_child (id int primary key, parent int references public.t_parent (id),
      n int check (n > 0), label text not null default 'x');
    insert into public.t_parent values (1); insert into public.t_child values (1, 1, 1);`);
  const caught = async (statement: string) => {
    try {
      await db.sql.unsafe(statement);
    } catch (err) {
      return integrityError(err);
    }
    throw new Error(`no error from ${statement}`);
  };
  const unique = await caught("insert into public.t_parent values (1)");
  assert.equal(unique?.status, 409);
  assert.match(
    unique!.message,
    /^Conflict: duplicate key value violates unique constraint "t_parent_pkey" \(Key \(id\)=\(1\)/,
  );
  const referenced = await caught("delete from public.t_parent");
  assert.equal(referenced?.status, 409);
  const dangling = await caught("insert into public.t_child values (2, 7, 1)");
  assert.equal(dangling?.status, 422);
  assert.match(dangling!.message, /^Invalid reference: .*"t_child_parent_fkey"/);
  const check = await caught("insert into public.t_child values (3, 1, -1)");
  assert.equal(check?.status, 422);
  assert.match(check!.message, /violates check constraint "t_child_n_check"/);
  const notNull = await caught("insert into public.t_child (id, label) values (4, null)");
  assert.equal(notNull?.status, 422);
  const deep = await caught(`select '${"[".repeat(40_000)}${"]".repeat(40_000)}'::jsonb`);
  assert.equal(deep?.status, 422);
  assert.match(deep!.message, /too deeply nested/);
  assert.equal(integrityError(new Error("not from postgres")), null);
});
