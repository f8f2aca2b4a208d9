// Merging a page: the JSON and the COPY paths, bad rows set aside, two pages in flight, dry runs.
// The module's only door: code outside engine/merge/ imports from this file (scripts/check_imports.ts).
export * from "./copy_merge.ts";
export * from "./page_merge.ts";
