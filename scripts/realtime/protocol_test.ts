import assert from "node:assert/strict";
import { broadcastFrame, claimsProblem, decodeFrame, encodeFrame, reply, systemError } from "./protocol.ts";

Deno.test("frames of both protocol versions decode; junk does not", () => {
  const v2 = decodeFrame(
    '["1","2","realtime:sync:jobs","phx_join",{"config":{"private":true},"access_token":"t"}]',
  );
  assert.deepEqual(v2, {
    join_ref: "1",
    ref: "2",
    topic: "realtime:sync:jobs",
    event: "phx_join",
    payload: { config: { private: true }, access_token: "t" },
  });
  const v1 = decodeFrame('{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"9"}');
  assert.deepEqual(v1, { join_ref: null, ref: "9", topic: "phoenix", event: "heartbeat", payload: {} });
  for (const junk of ["", "nope", "[1,2]", '{"event":1}', '[null,null,1,"x",{}]']) {
    assert.equal(decodeFrame(junk), null);
  }
});

Deno.test("replies and broadcasts are encoded as realtime-js reads them", () => {
  const join = decodeFrame('["1","2","realtime:sync:jobs","phx_join",{}]')!;
  assert.equal(
    encodeFrame(reply(join, "error", { reason: "Unauthorized: x" }), "2.0.0"),
    '["1","2","realtime:sync:jobs","phx_reply",{"status":"error","response":{"reason":"Unauthorized: x"}}]',
  );
  assert.deepEqual(JSON.parse(encodeFrame(reply(join, "ok"), "1.0.0")), {
    join_ref: "1",
    ref: "2",
    topic: "realtime:sync:jobs",
    event: "phx_reply",
    payload: { status: "ok", response: {} },
  });
  assert.deepEqual(broadcastFrame("sync:job:4", "sync_progress", { done: 1 }, "u1"), {
    join_ref: null,
    ref: null,
    topic: "realtime:sync:job:4",
    event: "broadcast",
    payload: { type: "broadcast", event: "sync_progress", payload: { done: 1 }, meta: { id: "u1" } },
  });
  assert.equal(systemError("realtime:sync:jobs", "gone").payload.channel, "sync:jobs");
});

Deno.test("claims need role and exp, and exp in the future", () => {
  assert.match(claimsProblem({ exp: 10 }, 5)!, /`role` and `exp` are required/);
  assert.match(claimsProblem({ role: "authenticated", exp: 4 }, 5)!, /expired 1 seconds ago/);
  assert.equal(claimsProblem({ role: "authenticated", exp: 6 }, 5), null);
});
