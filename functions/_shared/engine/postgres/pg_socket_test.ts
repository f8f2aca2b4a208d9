import assert from "node:assert/strict";
import net from "node:net";
import { setImmediate } from "node:timers";
import { writeCopy } from "../merge/mod.ts";
import { connect } from "./pool.ts";
import { closeAfterPendingWrites, noDelaySocket, tuneOnConnect } from "./pg_socket.ts";

const dbUrl = Deno.env.get("SYNCLINE_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

Deno.test("no delay and keep-alive are set on the pool's socket once it has connected, not while it connects", async () => {
  const calls: string[] = [];
  const proto = net.Socket.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = { setNoDelay: proto.setNoDelay, setKeepAlive: proto.setKeepAlive };
  proto.setNoDelay = function (this: net.Socket, ...a: unknown[]) {
    calls.push(`setNoDelay(${a[0]}) ${this.connecting ? "connecting" : "connected"}`);
    return original.setNoDelay.apply(this, a);
  };
  proto.setKeepAlive = function (this: net.Socket, ...a: unknown[]) {
    calls.push(`setKeepAlive(${a[0]}, ${a[1]}) ${this.connecting ? "connecting" : "connected"}`);
    return original.setKeepAlive.apply(this, a);
  };
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const s = noDelaySocket({ host: ["127.0.0.1"], port: [port], keep_alive: 30 });
    const accepted = await listener.accept();
    await new Promise<void>((resolve, reject) => {
      if (!s.connecting) resolve();
      s.once("connect", () => setTimeout(resolve, 0));
      s.once("error", reject);
    });
    s.destroy();
    accepted.close();
    assert.deepEqual(calls, ["setNoDelay(true) connected", "setKeepAlive(true, 30000) connected"]);
  } finally {
    Object.assign(proto, original);
    listener.close();
  }
});

Deno.test("a unix socket gets neither option; keep_alive null or 0 leaves keep-alive to the system", () => {
  const fake = () => {
    const calls: string[] = [];
    let onConnect = () => {};
    return {
      calls,
      connect: () => onConnect(),
      socket: {
        once: (_e: "connect", l: () => void) => (onConnect = l),
        setNoDelay: (v?: boolean) => calls.push(`noDelay ${v}`),
        setKeepAlive: (v?: boolean, d?: number) => calls.push(`keepAlive ${v} ${d}`),
      },
    };
  };
  const unix = fake();
  tuneOnConnect(unix.socket, { path: "/tmp/.s.PGSQL.5432" });
  unix.connect();
  assert.deepEqual(unix.calls, []);
  for (const keep_alive of [null, 0, false] as const) {
    const f = fake();
    tuneOnConnect(f.socket, { keep_alive });
    f.connect();
    assert.deepEqual(f.calls, ["noDelay true"]);
  }
  const d = fake();
  tuneOnConnect(d.socket, {});
  d.connect();
  assert.deepEqual(d.calls, ["noDelay true", "keepAlive true 60000"]);
});

Deno.test({
  name: "the query after a COPY page is not held back by a delayed ACK (Nagle off on the pool's socket)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sql = connect(dbUrl, 1);
    try {
      // in each transaction: a plain query's round trip, then the COPY and the query after it,
      // whose CopyDone and query wait for the server's delayed ACK (40+ ms) when Nagle is on
      const plain: number[] = [];
      const afterCopy: number[] = [];
      for (let i = 0; i < 25; i++) {
        await sql.begin(async (tx) => {
          await tx`create temp table _sync_copy (id text, n integer) on commit drop`;
          let t = performance.now();
          await tx`select 1`;
          plain.push(performance.now() - t);
          await writeCopy(tx, { columns: ["id", "n"], text: `a${i}\t${i}\nb${i}\t${i + 1}\n` });
          t = performance.now();
          const [r] = await tx`select count(*)::int as n from pg_temp._sync_copy`;
          afterCopy.push(performance.now() - t);
          assert.equal(r.n, 2);
        });
      }
      const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
      const held = median(afterCopy) - median(plain);
      assert.ok(
        held < 20,
        `the query after a COPY took ${held.toFixed(1)} ms longer than a plain one (median of 25; ` +
          `plain ${median(plain).toFixed(1)} ms, after COPY ${median(afterCopy).toFixed(1)} ms)`,
      );
    } finally {
      await sql.end();
    }
  },
});

/** A socket that records what its owner saw. */
function fakeSocket() {
  const seen: string[] = [];
  const s = {
    emit: (event: string | symbol, ..._args: unknown[]) => (seen.push(String(event)), true),
    end: (..._args: unknown[]) => seen.push("end()"),
  };
  return { s, seen };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("a close the server caused reaches postgres.js after the pool was renewed and what was pending ran", async () => {
  const { s, seen } = fakeSocket();
  let renewed = () => {};
  const lost: string[] = [];
  closeAfterPendingWrites(s, () => (lost.push("lost"), new Promise<void>((r) => (renewed = r))));
  s.emit("data", "x");
  s.end(); // node:net ends its side when the server ended the connection: not the owner's end
  setImmediate(() => seen.push("pending write"));
  s.emit("close", false);
  assert.deepEqual(lost, ["lost"], "the pool is renewed at once");
  await tick();
  await tick();
  assert.deepEqual(seen, ["data", "end()", "pending write"], "the close waits for the renewal");
  renewed();
  await tick();
  await tick();
  assert.deepEqual(seen, ["data", "end()", "pending write", "close"]);
});

Deno.test("a socket postgres.js ended itself (Terminate) closes without renewing the pool", async () => {
  const { s, seen } = fakeSocket();
  let lost = 0;
  closeAfterPendingWrites(s, () => void lost++);
  s.end(new Uint8Array([88, 0, 0, 0, 4]));
  s.emit("close", false);
  assert.deepEqual(seen, ["end()"]);
  await tick();
  assert.deepEqual(seen, ["end()", "close"]);
  assert.equal(lost, 0);
});
