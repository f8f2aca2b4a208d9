// Notification delivery: the worker (or the endpoint pg_cron wakes) calls
// `deliverPendingNotifications(sql, await loadNotifySettings(sql))`.
export * from "./format.ts";
export * from "./deliver.ts";
export * from "./message.ts";
export * from "./render.ts";
