// The connector contract (what a connector is: streams, pages, fetch context) and a connector account's
// HTTP client with its reliability settings, and the settings of one account (registry, Vault, environment).
// The module's only door: code outside engine/connector/ imports from this file (scripts/check_imports.ts).
export * from "./connector.ts";
export * from "./reliability.ts";
export * from "./account_config.ts";
