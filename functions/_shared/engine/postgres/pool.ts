// The connection pool every process opens (API, worker, scripts): postgres.js with the engine's
// settings, its sockets with Nagle off (pg_socket.ts), renewable after a lost connection
// (connection_guard.ts).
import postgres from "postgres";
import type { Sql } from "../types.ts";
import { renewablePool } from "./connection_guard.ts";
import { noDelaySocket, type SocketTarget } from "./pg_socket.ts";

/**
 * Opens the pool. `prepare: false` keeps it usable behind Supabase's transaction pooler; it is
 * renewable, so a connection left broken by a database restart is replaced (connection_guard.ts).
 */
export function connect(url: string, max = 4): Sql {
  const options: postgres.Options<{ bigint: postgres.PostgresType<bigint> }> = {
    max,
    prepare: false,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    transform: { undefined: null },
    connection: { application_name: "syncline" },
  };
  // a socket the database closed renews its pool before postgres.js learns of it (pg_socket.ts)
  return renewablePool((renewThis) =>
    postgres(url, { ...options, socket: (t: SocketTarget) => noDelaySocket(t, renewThis) } as typeof options)
  ) as unknown as Sql;
}
