// Records edited at the source while a full read runs (issue 26 item 5): the read pages in an order
// edits cannot move and ends with a catch-up of what changed since it began, so it ends complete,
// with the edited records at their new version.
import assert from "node:assert/strict";
import { connectors } from "../../functions/_shared/connectors/registry.ts";
import { FAKE_SQUARE_TOKEN, startFakeSquare } from "../fakes/square/mod.ts";
import { createTestDatabase } from "../_support/db.ts";
import { apiClient, makeWidgets, testApp } from "./_app.ts";

/** Edits `count` orders spread over the listing once the full read asked for its `afterPage`th page. */
function editMidRead(fake: ReturnType<typeof startFakeSquare>, afterPage: number, count: number) {
  let pages = 0;
  const edited: string[] = [];
  fake.state.fault = (_req, route) => {
    if (route === "POST /v2/orders/search" && ++pages === afterPage) {
      edited.push(...fake.state.edit("orders", count, (r) => void (r.reference_id = "edited mid-read")));
    }
    return undefined;
  };
  return edited;
}

async function fullOrders(sql: Parameters<typeof apiClient>[0]["sql"], url: string, shards?: number) {
  const { call, work } = await apiClient({
    sql,
    connectors,
    connectorConfig: () => ({
      accessToken: FAKE_SQUARE_TOKEN,
      baseUrl: url,
      rateLimitRequests: 0,
      pageSize: 100,
    }),
  });
  const started = await call("POST", "/sync/jobs", {
    connector: "square",
    streams: ["orders"],
    mode: "full",
    ...(shards ? { shards } : {}),
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await work();
  return (await call("GET", `/sync/jobs/${started.body.job.id}`)).body;
}

async function assertAllAtNewVersion(
  sql: Parameters<typeof apiClient>[0]["sql"],
  total: number,
  edited: string[],
) {
  const [{ n }] = await sql`select count(*)::int as n from square.orders`;
  assert.equal(n, total, "every order landed");
  const rows = await sql`select id, reference_id, version from square.orders where id = any(${edited})`;
  assert.equal(rows.length, edited.length);
  for (const r of rows) {
    assert.equal(r.reference_id, "edited mid-read", `order ${r.id} is at its new version`);
    assert.equal(Number(r.version), 2);
  }
}

Deno.test("a full Square read with orders edited mid-read ends succeeded, every order present at its new version", async () => {
  const fake = startFakeSquare({ seed: 26, orders: 3000, locations: 2 });
  await using db = await createTestDatabase();
  try {
    const edited = editMidRead(fake, 3, 150);
    const body = await fullOrders(db.sql, fake.url);
    assert.equal(edited.length, 150);
    assert.equal(
      body.job.status,
      "succeeded",
      JSON.stringify(body.progress?.[0]?.completeness ?? body.job.error),
    );
    assert.equal(body.progress[0].completeness.status, "complete");
    await assertAllAtNewVersion(db.sql, 3000, edited);
  } finally {
    await fake.close();
  }
});

Deno.test("a full Square read in shards with orders edited mid-read ends succeeded, every order present at its new version", async () => {
  const fake = startFakeSquare({ seed: 27, orders: 3000, locations: 2 });
  await using db = await createTestDatabase();
  try {
    const edited = editMidRead(fake, 4, 150);
    const body = await fullOrders(db.sql, fake.url, 3);
    assert.equal(body.shards.length, 3);
    assert.equal(
      body.job.status,
      "succeeded",
      JSON.stringify(body.progress?.[0]?.completeness ?? body.job.error),
    );
    await assertAllAtNewVersion(db.sql, 3000, edited);
  } finally {
    await fake.close();
  }
});

Deno.test("the catch-up is the engine's: any connector's full read ends with the records edited mid-read at their new version", async () => {
  const source = makeWidgets(25);
  let pages = 0;
  await using t = await testApp(source, {
    pageSize: 10,
    // once the second page is asked for, a widget of the first page changes at the source
    onPage: (cursor) => {
      if (cursor !== null && ++pages === 1) {
        source[0] = { ...source[0], name: "edited mid-read", updated_at: new Date().toISOString() };
      }
      return Promise.resolve();
    },
  });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded", shown.body.job.error);
  // judged by what the full read delivered (25 of 25), not by the catch-up's re-read
  assert.deepEqual(shown.body.progress[0].completeness, {
    status: "complete",
    method: "total",
    source: 25,
    landed: 25,
  });
  assert.equal(shown.body.progress[0].done, 26);
  const [row] = await t.db.sql`select name from public.widgets where id = ${source[0].id}`;
  assert.equal(row.name, "edited mid-read");
});
