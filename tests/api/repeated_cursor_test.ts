// A listing whose next-page cursor comes back again loops forever unless the engine notices: every
// connector's read (listing pages, not only the declarative engine's and the id walk's) fails the
// stream with an error naming the cursor, after reading each page once.
import assert from "node:assert/strict";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import { makeWidgets, testApp } from "./_app.ts";

/** The widgets listing answering `loopAt` again as the next cursor once it reached it (a vendor bug
 * seen on Square: the same cursor 1,000 times); `calls` counts its requests. Past 60 requests it ends
 * the listing, so a loop shows as a count instead of a hung test. */
function repeatingCursor(calls: { n: number }, loopAt: (cursor: string | null) => boolean) {
  return (c: Connector): Connector => {
    const base = c.streams[0];
    const stream: StreamDef = {
      ...base,
      async fetchPage(ctx, cursor) {
        calls.n++;
        const page = await base.fetchPage(ctx, cursor);
        if (calls.n > 60) return { ...page, nextCursor: null };
        return loopAt(cursor) ? { ...page, nextCursor: cursor } : page;
      },
    };
    return { ...c, streams: [stream] };
  };
}

Deno.test("a listing that repeats its cursor fails the job with an error naming the cursor, each page read once", async () => {
  const calls = { n: 0 };
  await using t = await testApp(makeWidgets(50), {
    pageSize: 10,
    // the second page's cursor is answered again as its own next page
    connector: repeatingCursor(calls, (cursor) => cursor !== null),
  });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  assert.equal(started.status, 202);
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "failed");
  assert.match(String(shown.body.job.error), /repeated its cursor|returned cursor .* twice/);
  assert.match(String(shown.body.job.error), /widgets/);
  // the first page, the second, and its repeat (read ahead while the second merged): no more
  assert.ok(calls.n <= 3 * ((shown.body.job.attempts ?? 1) as number), `${calls.n} requests`);
});

Deno.test("a listing whose cursors never repeat is read to its end", async () => {
  const calls = { n: 0 };
  await using t = await testApp(makeWidgets(50), {
    pageSize: 10,
    connector: repeatingCursor(calls, () => false),
  });
  const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
  await t.work();
  const shown = await t.call("GET", `/sync/jobs/${started.body.job.id}`);
  assert.equal(shown.body.job.status, "succeeded");
  // five pages, then the full read's catch-up (one empty page: nothing changed since it began)
  assert.equal(calls.n, 5 + 1);
});
