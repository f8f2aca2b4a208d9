// Running jobs: the runner (claim, budget, finish) and one job's streams by mode (job_run, single
// records, retries).
// The module's only door: code outside engine/run/ imports from this file (scripts/check_imports.ts).
export * from "./job_run.ts";
export * from "./retry_items.ts";
export * from "./runner.ts";
export * from "./single_records.ts";
