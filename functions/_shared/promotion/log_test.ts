import assert from "node:assert/strict";
import { asStepLog, renderStepLog } from "./log.ts";

Deno.test("renderStepLog marks each step and ends with the result", () => {
  const line = renderStepLog([
    { step: "payment", ok: true, count: 1, text: "payment imported" },
    { step: "registration", ok: true, count: 1, text: "registration found" },
    { step: "attendees", ok: true, count: 2, text: "2 attendees" },
    { step: "tickets", ok: true, count: 4, text: "4 tickets" },
    { step: "result", ok: true, text: "promoted" },
  ]);
  assert.equal(line, "✓ payment imported · ✓ registration found · ✓ 2 attendees · ✓ 4 tickets · promoted");
});

Deno.test("renderStepLog shows the failing step with its error", () => {
  const line = renderStepLog([
    { step: "payment", ok: true, text: "payment imported" },
    { step: "attendees", ok: false, text: 'line item a ("Gala") has no attendee' },
    { step: "result", ok: false, text: "not promoted" },
  ]);
  assert.equal(line, '✓ payment imported · ✗ line item a ("Gala") has no attendee · not promoted');
});

Deno.test("asStepLog drops entries that are not log entries", () => {
  assert.deepEqual(asStepLog(null), []);
  assert.deepEqual(asStepLog([{ step: "x", text: "y" }, 3, { text: "no step" }]), [{ step: "x", text: "y" }]);
});
