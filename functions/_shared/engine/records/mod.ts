// Records: sanitising text, validating against a stream's schema, mapping to rows (JSON or COPY text),
// rows Postgres refused, failed items.
// The module's only door: code outside engine/records/ imports from this file (scripts/check_imports.ts).
export * from "./copy_rows.ts";
export * from "./failed_items.ts";
export * from "./records.ts";
export * from "./rejected_rows.ts";
export * from "./sanitise.ts";
