// Nothing silently missing: after a full read the job says whether everything the source has landed.
import assert from "node:assert/strict";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import { makeWidgets, testApp, type Widget } from "./_app.ts";

/** The widgets listing with a bug: records updated inside a window never appear in it. */
function omittingWindow(from: string, to: string, opts: { listIds: boolean }) {
  return (c: Connector): Connector => {
    const base = c.streams[0];
    const inWindow = (w: Widget) => w.updated_at >= from && w.updated_at < to;
    const stream: StreamDef = {
      ...base,
      async fetchPage(ctx, cursor) {
        const page = await base.fetchPage(ctx, cursor);
        const kept = (page.records as Widget[]).filter((w) => !inWindow(w));
        // the API's total counts what it has, not what its listing returns
        return { ...page, records: kept };
      },
      listIds: opts.listIds ? base.listIds : undefined,
    };
    return { ...c, streams: [stream] };
  };
}

/** The connector's stream without a total on its pages, changed further by `over`. */
function withoutTotal(over: Partial<StreamDef> = {}, first: (c: Connector) => Connector = (c) => c) {
  return (c: Connector): Connector => {
    const base = first(c).streams[0];
    const fetchPage: StreamDef["fetchPage"] = async (ctx, cur) => ({
      ...(await base.fetchPage(ctx, cur)),
      total: undefined,
    });
    return { ...c, streams: [{ ...base, fetchPage, ...over }] };
  };
}

function widgetsAcrossDays(n: number): Widget[] {
  return makeWidgets(n).map((w, i) => ({
    ...w,
    updated_at: `2026-01-${String(1 + (i % 10)).padStart(2, "0")}T00:00:00.000Z`,
  }));
}

async function fullSync(t: Awaited<ReturnType<typeof testApp>>) {
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  assert.equal(started.status, 202);
  await t.work();
  return await t.call("GET", `/sync/jobs/${started.body.job.id}`);
}

Deno.test("a full read that got everything is complete by the source's total, and the job succeeds", async () => {
  await using t = await testApp(makeWidgets(25), { pageSize: 10 });
  const shown = await fullSync(t);
  assert.equal(shown.body.job.status, "succeeded");
  assert.deepEqual(shown.body.progress[0].completeness, {
    status: "complete",
    method: "total",
    source: 25,
    landed: 25,
  });
  assert.deepEqual(shown.body.job.stats.streams.widgets.completeness.status, "complete");
  const integrity = await t.call("GET", "/sync/stats/integrity");
  assert.equal(integrity.status, 200);
  assert.deepEqual(
    integrity.body.completeness.map((
      c: Record<string, unknown>,
    ) => [c.stream, c.status, c.source_count, c.landed_count]),
    [["widgets", "complete", 25, 25]],
  );
});

Deno.test("a listing that silently skips a window: the total shows the gap, the ids name it, the job is partial", async () => {
  const source = widgetsAcrossDays(30); // days 1..10, three widgets each
  await using t = await testApp(source, {
    pageSize: 7,
    connector: omittingWindow("2026-01-04", "2026-01-05", { listIds: true }),
  });
  const shown = await fullSync(t);
  assert.equal(shown.body.job.status, "partial");
  const c = shown.body.progress[0].completeness;
  const skipped = source.filter((w) => w.updated_at.startsWith("2026-01-04")).map((w) => w.id).sort();
  assert.deepEqual(c, {
    status: "gap",
    method: "ids",
    source: 30,
    landed: 27,
    missing: 3,
    sampleIds: skipped,
  });
  assert.match(shown.body.progress[0].message, /GAP: the source has 30 records, 3 did not land/);
  const integrity = await t.call("GET", "/sync/stats/integrity");
  const row = integrity.body.completeness[0];
  assert.equal(row.status, "gap");
  assert.equal(row.missing_count, 3);
  assert.deepEqual(row.sample_ids, skipped);
});

Deno.test("without a total the id listing decides: a missing location's records are a gap", async () => {
  const source = widgetsAcrossDays(20);
  await using t = await testApp(source, {
    pageSize: 5,
    connector: withoutTotal({}, omittingWindow("2026-01-09", "2026-01-11", { listIds: true })),
  });
  const shown = await fullSync(t);
  assert.equal(shown.body.job.status, "partial");
  const c = shown.body.progress[0].completeness;
  assert.equal(c.status, "gap");
  assert.equal(c.method, "ids");
  assert.equal(c.missing, 4);
});

Deno.test("a gap by total alone (no id listing) is partial; a stream that can tell nothing is unverified", async () => {
  const source = widgetsAcrossDays(20);
  await using gap = await testApp(source, {
    pageSize: 5,
    connector: omittingWindow("2026-01-02", "2026-01-03", { listIds: false }),
  });
  const shown = await fullSync(gap);
  assert.equal(shown.body.job.status, "partial");
  assert.deepEqual(shown.body.progress[0].completeness, {
    status: "gap",
    method: "total",
    source: 20,
    landed: 18,
    missing: 2,
    sampleIds: [],
  });

  await using blind = await testApp(source, {
    pageSize: 5,
    connector: withoutTotal({ listIds: undefined }),
  });
  const unverified = await fullSync(blind);
  assert.equal(unverified.body.job.status, "succeeded");
  assert.equal(unverified.body.progress[0].completeness.status, "unverified");
});

Deno.test("an incremental read is not judged: it reads part of the listing", async () => {
  await using t = await testApp(makeWidgets(5), { pageSize: 10 });
  await fullSync(t);
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", since: "2026-06-01T00:00:00Z" });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded");
  assert.equal(shown.body.progress[0].completeness, null);
});

Deno.test("an id listing that fails leaves the read unverified, not failed: the rows landed", async () => {
  await using t = await testApp(makeWidgets(8), {
    pageSize: 5,
    connector: withoutTotal({ listIds: () => Promise.reject(new Error("ids endpoint down")) }),
  });
  const shown = await fullSync(t);
  assert.equal(shown.body.job.status, "succeeded");
  assert.deepEqual(shown.body.progress[0].completeness, {
    status: "unverified",
    reason: "the id listing failed: ids endpoint down",
  });
});
