import assert from "node:assert/strict";
import type { FetchContext, StreamDef } from "../connector/mod.ts";
import { listAllIds } from "./completeness_check.ts";

const pagedIds = (pages: Record<string, { ids: string[]; nextCursor: string | null }>) =>
  ({ name: "things", listIds: (_ctx, cursor) => Promise.resolve(pages[cursor ?? "start"]) }) as StreamDef;

Deno.test("listAllIds pages the id listing to its end", async () => {
  const stream = pagedIds({
    start: { ids: ["a", "b"], nextCursor: "p2" },
    p2: { ids: ["c"], nextCursor: null },
  });
  assert.deepEqual(await listAllIds(stream, {} as FetchContext), ["a", "b", "c"]);
});

Deno.test("an id listing that hands back a cursor it gave before is an error, not an endless loop", async () => {
  const stream = pagedIds({
    start: { ids: ["a"], nextCursor: "p2" },
    p2: { ids: ["b"], nextCursor: "p3" },
    p3: { ids: ["c"], nextCursor: "p2" },
  });
  await assert.rejects(listAllIds(stream, {} as FetchContext), /returned cursor "p2" twice/);
});
