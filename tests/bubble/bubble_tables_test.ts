// The typed tables (sql/bubble_typed.sql) are what the model declares: one table per type, one
// column per mapped field with its type, plus raw and the bookkeeping columns; each a registered
// merge target versioned by modified_date. And the connector's streams run level by level.
import assert from "node:assert/strict";
import { bubbleConnector } from "../../functions/_shared/connectors/bubble/mod.ts";
import { invoicingModel } from "../../functions/_shared/connectors/bubble/model/invoicing.ts";
import { dependencyLevels } from "../../functions/_shared/connectors/bubble/model/levels.ts";
import { allFields } from "../../functions/_shared/connectors/bubble/model/types.ts";
import { orderStreams } from "../../functions/_shared/engine/connector/mod.ts";
import { createTestDatabase } from "../_support/db.ts";

const BOOKKEEPING = [
  "_first_synced_at",
  "_last_synced_at",
  "_source_updated_at",
  "_last_job_id",
  "_deleted_at",
];

Deno.test("each typed table has exactly the declared columns and types, raw, and bookkeeping", async () => {
  await using tdb = await createTestDatabase();
  for (const t of invoicingModel.types) {
    const cols = await tdb.sql`select attname::text as name, format_type(atttypid, atttypmod) as type
      from pg_attribute where attrelid = ${`bubble.${t.name}`}::regclass and attnum > 0 and not attisdropped
      order by attnum`;
    const expected = [
      ...Object.values(allFields(t)).map((f) => ({
        name: f.column,
        type: f.type === "timestamptz" ? "timestamp with time zone" : f.type === "text[]" ? "text[]" : f.type,
      })),
      { name: "raw", type: "jsonb" },
    ];
    assert.deepEqual(
      cols.filter((c) => !BOOKKEEPING.includes(c.name)).map((c) => ({ ...c })),
      expected,
      t.name,
    );
    const [target] = await tdb.sql`select key_columns, version_column from sync.targets
      where target = ${`bubble.${t.name}`}`;
    assert.deepEqual({ ...target }, { key_columns: ["id"], version_column: "modified_date" }, t.name);
  }
});

Deno.test("the connector's streams: the model's types level by level, then types outside the model", () => {
  const c = bubbleConnector(["user", "Order Item"], { model: invoicingModel });
  const levels = dependencyLevels(invoicingModel).byLevel.flat();
  assert.deepEqual(c.streams.map((s) => s.name), [...levels, "order_item"]);
  assert.deepEqual(orderStreams(c).map((s) => s.name), [...levels, "order_item"]);
  assert.equal(c.streams.find((s) => s.name === "user")!.target, "bubble.user");
  assert.equal(c.streams.find((s) => s.name === "order_item")!.target, "bubble.records");
  assert.deepEqual(orderStreams(c, ["seda_registration"]).map((s) => s.name), ["seda_registration"]);
  assert.ok(c.runJob && c.afterJob);
  assert.equal(bubbleConnector(["user"]).runJob, undefined);
});
