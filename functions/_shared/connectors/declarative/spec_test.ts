// A description is validated before anything runs; every error names the path of the bad field.
import assert from "node:assert/strict";
import { ValidationError } from "../../engine/errors.ts";
import { irelandpayDescription } from "../irelandpay/description.ts";
import { declarativeConnector } from "./mod.ts";
import { parseSpec } from "./spec.ts";
import { filterEnd, formatDate, planWindows } from "./windows.ts";
import { normaliseTimestamp, recordSchema, rowMapper } from "./fields.ts";

// deno-lint-ignore no-explicit-any
type Loose = Record<string, any>;
const base = () => structuredClone(irelandpayDescription) as unknown as Loose;

function rejects(mutate: (d: Loose) => void, path: string, message: RegExp) {
  const d = base();
  mutate(d);
  assert.throws(() => parseSpec(d), (e) => {
    assert.ok(e instanceof ValidationError);
    assert.equal(e.details?.path, path, e.message);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(`Invalid connector description: ${path}: `), e.message);
    return true;
  });
}

Deno.test("the Ireland Pay description is valid and builds a connector of three streams", () => {
  const c = declarativeConnector(irelandpayDescription);
  assert.deepEqual(c.streams.map((s) => [s.name, s.target, s.parents]), [
    ["merchants", "irelandpay.merchants", []],
    ["transactions", "irelandpay.transactions", ["merchants"]],
    ["residuals", "irelandpay.residuals", ["merchants"]],
  ]);
  assert.deepEqual(c.reliabilityDefaults, { rateLimitRequests: 120, rateLimitWindowMs: 60_000 });
  assert.deepEqual(c.headers({ apiKey: "k" }), { "x-api-key": "k" });
});

Deno.test("errors name the path of the bad field", () => {
  rejects((d) => (d.baseUrl = "not a url"), "baseUrl", /URL/i);
  rejects((d) => (d.auth = { type: "header", header: "X-API-KEY" }), "auth.key", /expected string/);
  rejects(
    (d) => (d.streams.merchants.pagination.type = "pages"),
    "streams.merchants.pagination.type",
    /Invalid/,
  );
  rejects(
    (d) => (d.streams.transactions.fields.amount.type = "money"),
    "streams.transactions.fields.amount.type",
    /Invalid option/,
  );
  rejects(
    (d) => (d.streams.merchants.key = ["merchant_id"]),
    "streams.merchants.key.0",
    /"merchant_id" is not a field/,
  );
  rejects(
    (d) => (d.streams.transactions.parent.stream = "shops"),
    "streams.transactions.parent.stream",
    /not another stream/,
  );
  rejects(
    (d) => (d.streams.residuals.dependsOn = ["residuals"]),
    "streams.residuals.dependsOn.0",
    /not another stream/,
  );
  rejects(
    (d) => (d.streams.transactions.windows.step = "fortnight"),
    "streams.transactions.windows.step",
    /Invalid option/,
  );
  rejects(
    (d) => (d.streams.transactions.windows.start = "April"),
    "streams.transactions.windows.start",
    /date/,
  );
  rejects(
    (d) => (d.streams.merchants.incremental.filter.in = "body"),
    "streams.merchants.incremental.filter.in",
    /need method POST/,
  );
  rejects(
    (d) => (d.streams.merchants.fields["Bad Name"] = { type: "text" }),
    "streams.merchants.fields.Bad Name",
    /SQL identifier/,
  );
  rejects(
    (d) => (d.streams.merchants.fields.raw = { type: "jsonb" }),
    "streams.merchants.fields.raw",
    /kept by the engine/,
  );
  rejects((d) => (d.streams.merchants.surprise = 1), "streams.merchants", /surprise/);
  rejects((d) => delete d.streams.residuals.path, "streams.residuals.path", /expected string/);
  rejects(
    (d) => (d.streams.merchants.path = "/merchants/{parent.mid}"),
    "streams.merchants.path",
    /names no parent/,
  );
});

Deno.test("windows: calendar months from a mid-month start to now, the first and last partial", () => {
  const w = planWindows(new Date("2024-04-15T12:00:00Z"), new Date("2024-07-03T08:00:00Z"), "month");
  assert.deepEqual(w.map((x) => `${x.start.toISOString()}..${x.end.toISOString()}`), [
    "2024-04-15T12:00:00.000Z..2024-05-01T00:00:00.000Z",
    "2024-05-01T00:00:00.000Z..2024-06-01T00:00:00.000Z",
    "2024-06-01T00:00:00.000Z..2024-07-01T00:00:00.000Z",
    "2024-07-01T00:00:00.000Z..2024-07-03T08:00:00.000Z",
  ]);
  assert.equal(
    planWindows(new Date("2024-04-01T00:00:00Z"), new Date("2026-11-29T00:00:00Z"), "month").length,
    32,
  );
  assert.equal(
    planWindows(new Date("2024-01-03T00:00:00Z"), new Date("2024-01-17T00:00:00Z"), "week").length,
    3,
  );
  assert.deepEqual(
    planWindows(new Date("2024-01-03T00:00:00Z"), new Date("2024-01-03T00:00:00Z"), "day"),
    [],
  );
  const end = new Date("2024-05-01T00:00:00Z");
  assert.equal(formatDate(end, "date"), "2024-05-01");
  assert.equal(filterEnd(end, "date", true), "2024-04-30");
  assert.equal(filterEnd(end, "iso", false), "2024-05-01T00:00:00.000Z");
  assert.equal(formatDate(end, "unix"), "1714521600");
});

Deno.test("fields: a record schema along the paths, rows with defaults, nulls and raw", () => {
  const s = {
    key: ["id"],
    fields: {
      id: { type: "text" as const, required: false, index: false },
      name: { type: "text" as const, path: "data.name", required: false, index: false },
      amount: { type: "numeric" as const, required: true, index: false },
      deleted: { type: "boolean" as const, default: false, required: false, index: false },
      always_null: { type: "text" as const, path: null, required: false, index: false },
    },
  };
  const schema = recordSchema(s);
  assert.equal(schema.safeParse({ id: "1", amount: "12.30" }).success, true);
  assert.equal(schema.safeParse({ id: "1", amount: 12.3, data: { name: "x" }, extra: [1] }).success, true);
  const bad = schema.safeParse({ id: "1", amount: "12,30" });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0].path, ["amount"]);
  assert.equal(schema.safeParse({ amount: 1 }).success, false, "the key is required");
  assert.equal(schema.safeParse({ id: "1", amount: 1, data: { name: { first: "x" } } }).success, false);
  // a number for a text column is its text (IRIS sends integer ids and mids)
  assert.equal(schema.safeParse({ id: 7, amount: 1, data: { name: 5 } }).success, true);
  assert.equal(rowMapper(s)({ id: 7, amount: 1, data: { name: 5 } }).name, "5");
  // IRIS's "1"/"0" flags
  assert.equal(rowMapper(s)({ id: "1", amount: 1, deleted: "0" }).deleted, false);
  assert.equal(schema.safeParse({ id: "1", amount: 1, deleted: "maybe" }).success, false);
  const rec = { id: "1", amount: "12.30", data: { name: "Ó" } };
  assert.deepEqual(rowMapper(s)(rec), {
    id: "1",
    name: "Ó",
    amount: "12.30",
    deleted: false,
    always_null: null,
    raw: rec,
  });
});

Deno.test("an inclusive date end names the day of the range's last instant: today for a run at 11:00", () => {
  assert.equal(filterEnd(new Date("2026-12-07T11:00:00Z"), "date", true), "2026-12-07");
  assert.equal(filterEnd(new Date("2026-12-01T00:00:00Z"), "date", true), "2026-11-30");
  assert.equal(filterEnd(new Date("2026-12-07T11:00:00Z"), "date", false), "2026-12-07");
  assert.equal(filterEnd(new Date("2026-12-07T11:00:00Z"), "iso", true), "2026-12-07T10:59:59.999Z");
});

Deno.test("date-times without a zone are UTC; ISO 8601 with an offset is kept as written", () => {
  assert.equal(normaliseTimestamp("2024-04-01 10:00:00"), "2024-04-01T10:00:00Z");
  assert.equal(normaliseTimestamp("2024-04-01T10:00:00"), "2024-04-01T10:00:00Z");
  assert.equal(normaliseTimestamp("2024-04-01 10:00"), "2024-04-01T10:00:00Z");
  assert.equal(normaliseTimestamp("2024-04-01 10:00:00.5+02"), "2024-04-01T10:00:00.5+02:00");
  assert.equal(normaliseTimestamp("2024-04-01T10:00:00+0100"), "2024-04-01T10:00:00+01:00");
  assert.equal(normaliseTimestamp("2019-12-02T20:01:00.283041Z"), "2019-12-02T20:01:00.283041Z");
  assert.equal(normaliseTimestamp("2024-04-01T10:00:00+01:00"), "2024-04-01T10:00:00+01:00");
  assert.equal(normaliseTimestamp("2024-04-01"), "2024-04-01");
  const s = recordSchema({
    key: ["id"],
    fields: {
      id: { type: "text", required: false, index: false },
      t: { type: "timestamptz", required: true, index: false },
    },
  });
  assert.equal(s.safeParse({ id: "1", t: "2024-13-01 10:00:00" }).success, false);
  assert.equal(s.safeParse({ id: "1", t: "yesterday" }).success, false);
});
