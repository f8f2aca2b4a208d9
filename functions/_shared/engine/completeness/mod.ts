// Completeness and reconcile: what the source has against what landed, and the reconcile mode.
// The module's only door: code outside engine/completeness/ imports from this file (scripts/check_imports.ts).
export * from "./completeness.ts";
export * from "./completeness_check.ts";
export * from "./reconcile.ts";
