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
  // from Deno's npm cache (no node_modules folder: how the deployed function resolves it)
  const cached = closedSocketWrite();
  cached.stack =
    `${cached.message}\n    at nextWrite (file:///c/npm/registry.npmjs.org/postgres/3.4.9/src/connection.js:255:22)`;
  assert.equal(isClosedSocketWrite(cached), true);
  assert.equal(isClosedSocketWrite(new TypeError("Cannot read properties of null (reading 'write')")), false);
  assert.equal(isClosedSocketWrite(new Error("reading 'write'")), false);
  assert.equal(isClosedSocketWrite(null), false);
});

Deno.test("the guard listens for no global error event (the Edge Runtime may never send one); unawaited lost connections are logged", () => {
  const target = new EventTarget();
  const listening: string[] = [];
  const add = target.addEventListener.bind(target);
  target.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null) => (
    listening.push(type), add(type, listener)
  );
  const lines: string[] = [];
  const remove = guardDatabaseConnections((l) => lines.push(l), target as never);
  try {
    assert.deepEqual(listening, ["unhandledrejection"]);
    const fire = (type: string, init: Record<string, unknown>) => {
      const e = new Event(type, { cancelable: true });
      Object.assign(e, init);
      target.dispatchEvent(e);
      return e.defaultPrevented;
    };
    const lost = Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" });
    assert.equal(fire("unhandledrejection", { reason: lost }), true);
    assert.equal(fire("unhandledrejection", { reason: new Error("bug") }), false);
    assert.equal(lines.length, 1);
  } finally {
    remove();
  }
});

Deno.test("renewPools swaps every pool for a fresh one; an ended pool is no longer renewed", async () => {
  let opened = 0;
  let ended = 0;
  const open = () => Object.assign((..._a: never[]) => opened, { end: () => (ended++, Promise.resolve()) });
  const pool = renewablePool(() => (opened++, open()));
  renewPools();
  assert.equal(opened, 2, "the pool was opened again");
  assert.equal(ended, 1, "and the old one ended");
  assert.equal(pool(), 2, "calls go to the new pool");
  await (pool as unknown as { end(): Promise<void> }).end();
  renewPools();
  assert.equal(opened, 2);
});

Deno.test("a pool's own renewThis (its sockets call it on a lost connection) renews it once and resolves when the old pool has ended", async () => {
  const generations: { renewThis: () => Promise<void>; ended: boolean }[] = [];
  let release = () => {};
  const pool = renewablePool((renewThis) => {
    const g = { renewThis, ended: false };
    generations.push(g);
    return Object.assign((..._a: never[]) => generations.indexOf(g), {
      end: () => new Promise<void>((r) => (release = () => (g.ended = true, r()))),
    });
  });
  let settled = false;
  const first = generations[0].renewThis().then(() => (settled = true));
  const second = generations[0].renewThis(); // a second socket of the same pool: no second renewal
  assert.equal(generations.length, 2);
  assert.equal(pool(), 1, "calls go to the new pool at once");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(settled, false, "not before the old pool has ended");
  release();
  await first;
  await second;
  assert.equal(generations[0].ended, true);
  release = () => {};
  const done = (pool as unknown as { end(): Promise<void> }).end();
  release();
  await done;
  await generations[1].renewThis(); // an ended pool is not renewed by its sockets either
  assert.equal(generations.length, 2);
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
