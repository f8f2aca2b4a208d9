// The settings one connector account's job runs with. A registered account (sync.accounts) runs with
// the environment's non-secret settings (base URL, timeouts, merge path), its own settings over them,
// and its own secrets from Vault (sync.account_config); it never borrows the environment's secrets,
// except the `default` account, whose secrets are the environment's unless Vault holds its own. An
// account that is not registered runs with the environment's settings, as before accounts existed.
import { isSecretKey } from "../../redact.ts";
import { ConflictError } from "../errors.ts";
import { rpc } from "../postgres/mod.ts";
import type { Sql } from "../types.ts";

export type AccountState = "active" | "paused" | "needs_reauthorisation";

/** What sync.account_config answers for a registered account (secrets decrypted, kept in memory only). */
export interface StoredAccountConfig {
  state: AccountState;
  state_reason: string | null;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** A job of an account that is paused or waiting for re-authorisation: refused (409). */
export class AccountNotActiveError extends ConflictError {
  constructor(readonly connector: string, readonly account: string, readonly state: AccountState) {
    super(
      `Cannot run sync for "${connector}": account "${account}" is ${
        state === "paused"
          ? "paused (resume it first)"
          : "waiting for re-authorisation (its credentials were refused)"
      }`,
      { account, state },
    );
  }
}

/** The environment's settings without its credentials (what a registered account inherits). */
export function withoutSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([k]) => !isSecretKey(k)));
}

/** Merges the environment's settings and a registered account's (pure). */
export function mergeAccountConfig(
  env: Record<string, unknown>,
  account: string,
  stored: StoredAccountConfig | null,
): Record<string, unknown> {
  if (!stored) return env;
  const base = account === "default" ? env : withoutSecrets(env);
  return { ...base, ...stored.settings, ...stored.secrets };
}

/** The registry's row and Vault's secrets of one account; null when it is not registered. */
export async function readAccountConfig(
  sql: Sql,
  connector: string,
  account: string,
): Promise<StoredAccountConfig | null> {
  const [row] = await rpc(() =>
    sql<{ config: StoredAccountConfig | null }[]>`
      select sync.account_config(${connector}, ${account}) as config`
  );
  return row?.config ?? null;
}

/**
 * The settings a job of this account runs with (see the file's comment), with the secrets among them;
 * an account that is not active is refused with AccountNotActiveError.
 */
export async function resolveAccountConfig(
  sql: Sql,
  connector: string,
  account: string,
  env: Record<string, unknown>,
): Promise<{ config: Record<string, unknown>; secrets: string[] }> {
  const stored = await readAccountConfig(sql, connector, account);
  if (stored && stored.state !== "active") throw new AccountNotActiveError(connector, account, stored.state);
  return { config: mergeAccountConfig(env, account, stored), secrets: Object.values(stored?.secrets ?? {}) };
}
