import assert from "node:assert/strict";
import {
  guardDatabaseConnections,
  isClosedSocketWrite,
  renewablePool,
  renewPools,
  whenConnected,
} from "./connection_guard.ts";

function closedSocketWrite(): TypeError {
  const err = new TypeError("Cannot read properties of null (reading 'write')");
  err.stack =
    `${err.message}\n    at Immediate.nextWrite (file:///x/node_modules/postgres/src/connection.js:255:22)`;
  return err;
}

Deno.test("only postgres.js's write to a closed socket is recognised", () => {
  assert.equal(isClosedSocketWrite(closedSocketWrite()), true);
  assert.equal(isClosedSocketWrite(new TypeError("Cannot read properties of null (reading 'write')")), false);
  assert.equal(isClosedSocketWrite(new Error("reading 'write'")), false);
  assert.equal(isClosedSocketWrite(null), false);
});

Deno.test("the guard keeps the process alive for that error and lost connections only, and renews the pools", async () => {
  const target = new EventTarget();
  const lines: string[] = [];
  let opened = 0;
  let ended = 0;
  const open = () => Object.assign((..._a: never[]) => opened, { end: () => (ended++, Promise.resolve()) });
  const pool = renewablePool(() => (opened++, open()));
  const remove = guardDatabaseConnections((l) => lines.push(l), target as never);
  try {
    const fire = (type: string, init: Record<string, unknown>) => {
      const e = new Event(type, { cancelable: true });
      Object.assign(e, init);
      target.dispatchEvent(e);
      return e.defaultPrevented;
    };
    assert.equal(fire("error", { error: closedSocketWrite() }), true);
    assert.equal(opened, 2, "the pool was opened again");
    assert.equal(ended, 1, "and the old one ended");
    assert.equal(pool(), 2, "calls go to the new pool");
    assert.equal(fire("error", { error: new TypeError("something else") }), false, "other errors stay fatal");
    const lost = Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" });
    assert.equal(fire("unhandledrejection", { reason: lost }), true);
    assert.equal(fire("unhandledrejection", { reason: new Error("bug") }), false);
    assert.equal(lines.length, 2);
  } finally {
    remove();
    await (pool as unknown as { end(): Promise<void> }).end();
  }
  renewPools(); // an ended pool is no longer renewed
  assert.equal(opened, 2);
});

Deno.test("whenConnected retries a lost connection with growing jittered waits, then gives up", async () => {
  let t = 0;
  const sleeps: number[] = [];
  const opts = {
    forMs: 10_000,
    baseMs: 100,
    maxMs: 1_000,
    now: () => t,
    sleep: (ms: number) => (sleeps.push(ms), t += ms, Promise.resolve()),
    random: () => 0.5,
  };
  const lost = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  let calls = 0;
  assert.equal(
    await whenConnected(() => ++calls < 4 ? Promise.reject(lost) : Promise.resolve("ok"), opts),
    "ok",
  );
  assert.deepEqual(sleeps, [50, 100, 200]);
  // other errors are not retried
  await assert.rejects(whenConnected(() => Promise.reject(new Error("syntax")), opts), /syntax/);
  // past forMs the last connection error is thrown
  t = 0;
  await assert.rejects(whenConnected(() => Promise.reject(lost), opts), /ECONNREFUSED/);
  assert.ok(t >= 10_000);
});
