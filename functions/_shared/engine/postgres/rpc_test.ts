import assert from "node:assert/strict";
import { ConflictError } from "../errors.ts";
import { fromRow, rpc } from "./rpc.ts";

Deno.test("fromRow turns bigints into numbers and numeric strings only of the named columns", () => {
  const row = { id: 7n, total: "12.5", name: "42", at: null, ok: true, nested: { n: 1n } };
  assert.deepEqual(fromRow(row, new Set(["total"])), {
    id: 7,
    total: 12.5,
    name: "42",
    at: null,
    ok: true,
    nested: { n: 1n },
  });
  assert.deepEqual(fromRow({ id: "7", job_id: null }), { id: "7", job_id: null }, "no columns named");
  assert.deepEqual(fromRow({ id: "7", job_id: null }, new Set(["id", "job_id"])), { id: 7, job_id: null });
});

Deno.test("rpc turns a documented SQLSTATE into its typed error", async () => {
  await assert.rejects(
    rpc(() =>
      Promise.reject(Object.assign(new Error("busy"), { code: "SY409", message: "already running" }))
    ),
    ConflictError,
  );
  assert.equal(await rpc(() => Promise.resolve(3)), 3);
});
