import assert from "node:assert/strict";
import { describeRejection, isRowDataError } from "./rejected_rows.ts";

Deno.test("data errors of the rows are SQLSTATE 22xxx, 23xxx, 54000 and SY422 raised by Postgres", () => {
  const pg = (code: string) => ({ code, severity: "ERROR", message: "m" });
  for (const code of ["22003", "22001", "22P05", "23514", "23502", "23505", "54000", "SY422"]) {
    assert.equal(isRowDataError(pg(code)), true, code);
  }
  for (const code of ["SY410", "SY404", "40P01", "08006", "57P01", "42703"]) {
    assert.equal(isRowDataError(pg(code)), false, code);
  }
  // a client-side error that merely has a code is no database error
  assert.equal(isRowDataError({ code: "22003" }), false);
  assert.equal(isRowDataError(new Error("x")), false);
  assert.equal(isRowDataError(null), false);
});

Deno.test("a rejected row is described by stream, record id, column and reason", () => {
  assert.equal(
    describeRejection("orders", "ord_88", {
      row: 3,
      sqlstate: "22003",
      message: "numeric field overflow",
      detail: "A field with precision 14, scale 2 must round to an absolute value less than 10^12.",
      column: "amount",
      type: "numeric(14,2)",
    }),
    'orders record "ord_88": column "amount" (numeric(14,2)): numeric field overflow (A field with precision 14, ' +
      "scale 2 must round to an absolute value less than 10^12.) [SQLSTATE 22003]",
  );
  assert.equal(
    describeRejection("counts", "a:b", {
      row: 1,
      sqlstate: "23514",
      message: 'new row for relation "c" violates check constraint "c_chk"',
      column: "lo, hi",
      constraint: "c_chk",
    }),
    'counts record "a:b": columns "lo", "hi": new row for relation "c" violates check constraint "c_chk" [SQLSTATE 23514]',
  );
  assert.equal(
    describeRejection("t", "x".repeat(300), { row: 1, sqlstate: "SY422", message: "bad" }),
    `t record "${"x".repeat(80)}…": the row: bad [SQLSTATE SY422]`,
  );
});
