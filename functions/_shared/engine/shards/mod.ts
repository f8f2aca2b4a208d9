// Reads in shards: the time windows, the shard RPCs, the coordinator and a shard's reader.
// The module's only door: code outside engine/shards/ imports from this file (scripts/check_imports.ts).
export * from "./shard_db.ts";
export * from "./shard_run.ts";
export * from "./shards.ts";
