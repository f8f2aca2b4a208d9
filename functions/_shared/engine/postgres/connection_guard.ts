// Keeps a process alive through a lost database connection. postgres.js 3.4.x can throw from a
// setImmediate after a connection closed (`socket.write` on the null socket in nextWrite,
// porsager/postgres#1066 and #1154): an uncaught TypeError no try/catch can reach, which ended the
// worker and the API process at every PostgreSQL restart. That write belongs to a connection that
// is already closed, whose query was already rejected with CONNECTION_CLOSED (and is retried by
// its caller), so dropping it is safe: the fix proposed upstream (porsager/postgres#1168) does the
// same; the pools are renewed, as that connection is left unusable. A rejection nobody awaited
// that is a lost connection is likewise logged, not fatal.
import { backoffDelay } from "../backoff.ts";
import { isConnectionError } from "./rpc.ts";

/** True for postgres.js's write to an already closed socket (see above). */
export function isClosedSocketWrite(err: unknown): boolean {
  return err instanceof TypeError && /reading 'write'|evaluating 'socket\.write'/.test(err.message) &&
    /postgres[\\/](?:\d[^\\/]*[\\/])?src[\\/]connection\.js/.test(err.stack ?? "");
}

type Target = Pick<typeof globalThis, "addEventListener" | "removeEventListener">;

/** A pool that can be swapped for a fresh one (renewablePool). */
interface Renewable {
  renew(): void;
}
const pools = new Set<Renewable>();

/**
 * A postgres.js pool behind a stable handle. After the write to a closed socket above, the
 * connection that threw keeps a stale write buffer and never sends again (its next query would
 * wait forever): the guard then renews every pool. The old pool is ended at once, its pending
 * queries fail as lost connections (retried by their callers), and the next query opens a fresh
 * connection.
 */
export function renewablePool<S extends (...args: never[]) => unknown>(
  open: (renewThis: () => Promise<void>) => S & { end(opts?: { timeout?: number }): Promise<void> },
): S {
  type Pool = ReturnType<typeof open>;
  let current: Pool;
  let ended = false;
  const endings = new WeakMap<Pool, Promise<void>>();
  const retire = (pool: Pool) => {
    const ending = pool.end({ timeout: 0 }).catch(() => {});
    endings.set(pool, ending);
    return ending;
  };
  // renews the pool while `pool` is the current one (its sockets call this when they close);
  // resolves once `pool` has ended (its connections terminated)
  const openGeneration = () => {
    const pool: Pool = open(() => {
      if (!ended && current === pool) handle.renew();
      return endings.get(pool) ?? Promise.resolve();
    });
    return pool;
  };
  const handle: Renewable = {
    renew() {
      const old = current;
      current = openGeneration();
      retire(old);
    },
  };
  current = openGeneration();
  pools.add(handle);
  return new Proxy(function () {} as unknown as S, {
    apply: (_t, _this, args) => (current as unknown as (...a: unknown[]) => unknown)(...args),
    get(_t, prop) {
      if (prop === "end") {
        return (opts?: { timeout?: number }) => {
          ended = true;
          pools.delete(handle);
          return current.end(opts);
        };
      }
      const v = (current as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof v === "function" ? v.bind(current) : v;
    },
  });
}

/** Swaps every renewable pool for a fresh one (after a connection was left broken). */
export function renewPools(): void {
  for (const p of pools) p.renew();
}

/**
 * Installs the guard (on the global scope, or `target`); returns a function that removes it.
 * Nothing here depends on a global "error" listener (the Edge Runtime may never dispatch one): a
 * lost connection is handled where it happens. Its socket (pg_socket.ts) renews the pool before
 * postgres.js learns of the close, so no query can be written to the dropped socket afterwards, and
 * delivers the close after the writes already pending; under Deno 2.2+ a closed-socket write that
 * still happens is caught inside its immediate (guardImmediates). An unawaited query that fails as a
 * lost connection is logged, not fatal. Anything else stays fatal, as it should.
 */
export function guardDatabaseConnections(
  log: (line: string) => void = (line) => console.error(line),
  target: Target = globalThis,
): () => void {
  const handled = (err: unknown) => {
    if (!isClosedSocketWrite(err)) return false;
    renewPools();
    log(`database connection closed under a pending write: connections renewed (${(err as Error).message})`);
    return true;
  };
  const onRejection = (e: Event) => {
    const reason = (e as PromiseRejectionEvent).reason;
    if (!isConnectionError(reason)) return;
    e.preventDefault();
    log(`database connection lost (unawaited query; ignored): ${(reason as Error)?.message ?? reason}`);
  };
  const restoreImmediates = guardImmediates(target as ImmediateScope, handled);
  target.addEventListener("unhandledrejection", onRejection);
  return () => {
    restoreImmediates();
    target.removeEventListener("unhandledrejection", onRejection);
  };
}

type ImmediateFn = (callback: (...args: unknown[]) => unknown, ...args: unknown[]) => unknown;
/** The scope whose setImmediate npm packages call: the global scope under Deno 2.2+. */
export type ImmediateScope = { setImmediate?: ImmediateFn };

/**
 * Catches postgres.js's write to a closed socket inside the immediate that runs it, before it
 * can escape into the runtime's immediate loop. An exception escaping that loop leaves the rest
 * of the queue "outstanding"; when postgres.js then clears its pending write (terminate(),
 * closed()) the next turn finds a destroyed immediate at the head of that queue and Deno's
 * runImmediates reads `_idleNext` of undefined on every turn, for ever: the worker died at the
 * second PostgreSQL restart (tests/reliability/pg_restart_test.ts). Only under a runtime that
 * has a global setImmediate (Deno 2.2+); under Deno 2.1 (the Edge Runtime) npm packages get
 * their own, which nothing outside them can wrap: there the socket's handling of its close
 * (pg_socket.ts) is what keeps the write from happening. Any other exception is rethrown.
 */
export function guardImmediates(scope: ImmediateScope, handled: (err: unknown) => boolean): () => void {
  const original = scope.setImmediate;
  if (typeof original !== "function") return () => {};
  const wrapped: ImmediateFn = function (this: unknown, callback, ...args) {
    if (typeof callback !== "function") return original.call(this, callback, ...args);
    return original.call(this, function (this: unknown, ...a: unknown[]) {
      try {
        return callback.apply(this, a);
      } catch (err) {
        if (!handled(err)) throw err;
      }
    }, ...args);
  };
  for (const key of Reflect.ownKeys(original)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    const desc = Object.getOwnPropertyDescriptor(original, key);
    if (desc) Object.defineProperty(wrapped, key, desc); // util.promisify.custom and the like
  }
  scope.setImmediate = wrapped;
  return () => {
    if (scope.setImmediate === wrapped) scope.setImmediate = original;
  };
}

export interface ReconnectOptions {
  /** Give up (rethrow the last connection error) after this long. */
  forMs: number;
  baseMs?: number;
  maxMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Runs fn until it succeeds or fails with anything but a lost connection, waiting between tries
 * with exponential backoff and full jitter (postgres.js opens a new connection for the next try).
 */
export async function whenConnected<T>(fn: () => Promise<T>, opts: ReconnectOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const end = now() + opts.forMs;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err) || now() >= end) throw err;
      const wait = backoffDelay(
        attempt,
        { baseMs: opts.baseMs ?? 200, maxMs: opts.maxMs ?? 5_000 },
        opts.random,
      );
      await sleep(Math.min(wait, Math.max(0, end - now())));
    }
  }
}
