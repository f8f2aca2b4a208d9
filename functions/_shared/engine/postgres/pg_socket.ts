// The TCP socket of every pool connection, with Nagle's algorithm off. postgres.js writes a COPY's
// data and its end (CopyDone) as two writes; with Nagle on, the small second one waits for the
// server's delayed ACK of the first, ~40 ms a page (the COPY merge path measured 80 ms a page with
// it, 7 ms without). postgres.js then speaks TLS over this socket itself when the URL asks for it.
//
// Both options are set once the socket has connected: Deno 2.1's node:net (the Supabase Edge
// Runtime's) drops setNoDelay and setKeepAlive called while connecting, and then skips a later
// setNoDelay(true) as already applied; postgres.js calls setKeepAlive on a socket it was given before
// that socket connected, so keep-alive is re-applied here too.
//
// Its "close" event reaches postgres.js one macrotask late, after the pool was renewed
// (closeAfterPendingWrites). postgres.js drops a closed socket (null) and then may still write to
// it from an immediate: a write it scheduled before the close, which its clearImmediate does not
// cancel under Deno 2.1 (the Edge Runtime's: there immediates are timers clearImmediate does not
// reach), or the ROLLBACK of a transaction whose connection closed. `socket.write` of null is an
// uncaught TypeError in a timer, which ended the worker at a PostgreSQL restart under the runtime's
// Deno whatever a global "error" listener did (tests/reliability/pg_restart_test.ts there).
import net from "node:net";

/** The part of postgres.js' options its `socket` factory is given. */
export interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
  /** TCP keep-alive idle time in seconds (postgres.js' keep_alive, default 60); null/0 turns it off. */
  keep_alive?: number | null | false;
}

/** What of a node:net socket the options are applied to (a fake in tests). */
export interface TuneableSocket {
  once(event: "connect", listener: () => void): unknown;
  setNoDelay(noDelay?: boolean): unknown;
  setKeepAlive(enable?: boolean, initialDelay?: number): unknown;
}

/** Sets no delay and keep-alive on `s` when it has connected (see above); a unix socket has neither. */
export function tuneOnConnect(s: TuneableSocket, target: Pick<SocketTarget, "path" | "keep_alive">): void {
  if (target.path) return;
  s.once("connect", () => {
    s.setNoDelay(true);
    const keepAlive = target.keep_alive === undefined ? 60 : target.keep_alive;
    if (keepAlive) s.setKeepAlive(true, keepAlive * 1000);
  });
}

/**
 * The socket to the pool's first host (or unix socket), no delay, for postgres.js' `socket` option.
 * Returned while it connects: postgres.js' writes wait for the connection, and a refused or lost
 * connection reaches its error handler as with its own sockets (so reconnecting works the same).
 */
export function noDelaySocket(target: SocketTarget, lost?: () => Promise<void> | void): net.Socket {
  const host = target.host[0];
  const port = target.port[0];
  const s = target.path ? net.connect(target.path) : net.connect(port, host);
  tuneOnConnect(s, target);
  closeAfterPendingWrites(s, lost);
  // postgres.js names the TLS server (SNI) after socket.host, as it does for its own sockets
  return Object.assign(s, { host, port });
}

/** What of a socket closeAfterPendingWrites changes (a fake in tests). */
export interface EmittingSocket {
  emit(event: string | symbol, ...args: unknown[]): boolean;
  end(...args: never[]): unknown;
}

/**
 * Hands the socket's "close" event to its owner (postgres.js) one macrotask late, and, for a close
 * the owner did not ask for (it ends a socket it is done with by end(Terminate)), only once `lost` has
 * settled. The pool's `lost` renews it and resolves when the old pool has ended, its connections
 * terminated, so the queries postgres.js sends after learning
 * of the close (the ROLLBACK of an open transaction, a caller's next statement) fail as a lost
 * connection instead of being written to the dropped socket from an immediate. What the owner
 * scheduled before the close (a pending write) runs while it still holds the socket and fails as a
 * write to a closed socket, which it handles. Every other event is untouched.
 */
export function closeAfterPendingWrites<S extends EmittingSocket>(
  s: S,
  lost: () => Promise<void> | void = () => {},
): S {
  const emit = s.emit;
  const end = s.end;
  let ending = false;
  s.end = function (this: S, ...args: never[]) {
    // postgres.js ends a socket it is done with by sending Terminate with end(data); node:net itself
    // calls end() without data when the server ended the connection
    if (args.length > 0 && typeof args[0] !== "function") ending = true;
    return end.apply(this, args);
  } as S["end"];
  s.emit = function (this: S, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "close") return emit.call(this, event, ...args);
    const deliver = () => setTimeout(() => emit.call(this, event, ...args), 0);
    if (ending) deliver();
    else Promise.resolve(lost()).catch(() => {}).finally(deliver);
    return true;
  };
  return s;
}
