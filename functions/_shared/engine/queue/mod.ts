// The job queue: typed calls of the job RPCs (create, claim, heartbeat, progress, checkpoint, finish)
// and the step log.
// The module's only door: code outside engine/queue/ imports from this file (scripts/check_imports.ts).
export * from "./jobs.ts";
export * from "./steps.ts";
