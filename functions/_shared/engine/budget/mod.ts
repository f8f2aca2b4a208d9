// The CPU budget of a worker invocation.
// The module's only door: code outside engine/budget/ imports from this file (scripts/check_imports.ts).
export * from "./cpu_budget.ts";
