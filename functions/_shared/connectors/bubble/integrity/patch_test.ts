import assert from "node:assert/strict";
import { patchSummary } from "./patch.ts";

Deno.test("patchSummary counts patched links only and names the missing relations", () => {
  assert.deepEqual(patchSummary({ seda_links: 2, seda_customers: 1, missing_customers: 0 }), {
    updated: 3,
    detail: "seda_links 2, seda_customers 1",
  });
  const s = patchSummary({ seda_links: 0, seda_customers: 0, missing_customers: 5 });
  assert.equal(s.updated, 0);
  assert.match(s.detail, /^seda_links 0, seda_customers 0; missing relations: 5 SEDA registration\(s\)/);
});
