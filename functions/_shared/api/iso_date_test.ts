import assert from "node:assert/strict";
import { isIsoDate } from "./iso_date.ts";

Deno.test("isIsoDate takes ISO dates and date-times naming real days, nothing else", () => {
  for (
    const ok of [
      "2026-11-01",
      "2026-11-01T08:00",
      "2026-11-01T08:00:00Z",
      "2026-11-01T08:00:00.123+02:00",
      "0001-01-01",
    ]
  ) {
    assert.ok(isIsoDate(ok), ok);
  }
  for (const bad of ["yesterday", "March 7", "2026", "2026-11", "2026-02-30", "2026-13-01", "1/2/2026", ""]) {
    assert.ok(!isIsoDate(bad), bad);
  }
});
