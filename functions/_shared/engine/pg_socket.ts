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
  connect_timeout?: number;
}

/** A connected socket to the pool's first host (or unix socket), no delay, for postgres.js' `socket` option. */
export function noDelaySocket(target: SocketTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const host = target.host[0];
    const s = target.path ? net.connect(target.path) : net.connect(target.port[0], host);
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new Error(`could not connect to ${host}:${target.port[0]} within ${target.connect_timeout ?? 30} s`),
      );
    }, (target.connect_timeout ?? 30) * 1000);
    s.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    s.once("connect", () => {
      clearTimeout(timer);
      s.setNoDelay(true);
      // postgres.js names the TLS server (SNI) after socket.host, as it does for its own sockets
      Object.assign(s, { host, port: target.port[0] });
      s.removeAllListeners("error");
      resolve(s);
    });
  });
}
