// The TCP socket of every pool connection, with Nagle's algorithm off. postgres.js writes a COPY's
// data and its end (CopyDone) as two writes; with Nagle on, the small second one waits for the
// server's delayed ACK of the first, ~40 ms a page (the COPY merge path measured 80 ms a page with
// it, 7 ms without). postgres.js then speaks TLS over this socket itself when the URL asks for it.
import net from "node:net";

/** The part of postgres.js' options its `socket` factory is given. */
export interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
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
  s.setNoDelay(true);
  // postgres.js names the TLS server (SNI) after socket.host, as it does for its own sockets
  return Object.assign(s, { host, port });
}
