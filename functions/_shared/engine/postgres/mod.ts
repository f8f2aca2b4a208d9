// Postgres access: the pool (connect), its TCP sockets, surviving a lost connection, and rpc() (typed
// errors, the row codec).
// The module's only door: code outside engine/postgres/ imports from this file (scripts/check_imports.ts).
export * from "./connection_guard.ts";
export * from "./pg_socket.ts";
export * from "./pool.ts";
export * from "./rpc.ts";
