// The TCP socket of every pool connection, with Nagle's algorithm off. postgres.js writes a COPY's
// data and its end (CopyDone) as two writes; with Nagle on, the small second one waits for the
// server's delayed ACK of the first, ~40 ms a page (the COPY merge path measured 80 ms a page with
// it, 7 ms without). postgres.js then speaks TLS over this socket itself when the URL asks for it.
//
// Both options are set once the socket has connected: Deno 2.1's node:net (the Supabase Edge
// Runtime's) drops setNoDelay and setKeepAlive called while connecting, and then skips a later
// setNoDelay(true) as already applied; postgres.js calls setKeepAlive on a socket it was given before
// that socket connected, so keep-alive is re-applied here too.
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
export function noDelaySocket(target: SocketTarget): net.Socket {
  const host = target.host[0];
  const port = target.port[0];
  const s = target.path ? net.connect(target.path) : net.connect(port, host);
  tuneOnConnect(s, target);
  // postgres.js names the TLS server (SNI) after socket.host, as it does for its own sockets
  return Object.assign(s, { host, port });
}
