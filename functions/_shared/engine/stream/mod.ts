// Reading one stream: where a listing starts, the page pipeline (fetch, validate, merge), what a reader
// is handed.
// The module's only door: code outside engine/stream/ imports from this file (scripts/check_imports.ts).
export * from "./listing_plan.ts";
export * from "./page_pipeline.ts";
export * from "./stored_versions.ts";
export * from "./stream_run.ts";
