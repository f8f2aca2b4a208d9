// The account registry (sql/sync_accounts.sql): zod schemas of the API's inputs and typed wrappers over
// its RPCs, so routes and the CLI only validate and call. Secrets go to Vault through
// sync.set_account_secret and never come back: an account shows only which secrets are set and when.
import type postgres from "postgres";
import { z } from "zod";
import { fromRow, rpc } from "../engine/postgres/mod.ts";
import { isSecretKey } from "../redact.ts";

type Sql = postgres.Sql;

export const ACCOUNT_STATES = ["active", "paused", "needs_reauthorisation"] as const;
export type AccountState = typeof ACCOUNT_STATES[number];

export const AccountKey = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/,
  "an account key is 1-200 letters, digits and . _ : @ - (e.g. a Square merchant id or HighLevel location id)",
);
const SecretName = z.string().regex(/^[a-z][A-Za-z0-9]{0,62}$/, "a secret name is camelCase (accessToken)");
const DisplayName = z.string().trim().min(1).max(200);

/** Settings: a JSON object of non-secret keys; a secret-named key (accessToken, apiKey, ...) is refused. */
const Settings = z.record(z.string().min(1).max(100), z.unknown()).superRefine((settings, ctx) => {
  for (const key of Object.keys(settings)) {
    if (isSecretKey(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `"${key}" names a secret: send it in "secrets" (stored in Vault), not in "settings"`,
      });
    }
  }
});
/** Secrets to store in Vault: name → value (a non-empty string). */
const Secrets = z.record(SecretName, z.string().min(1).max(16_384));
/** PATCH: a secret set to null is removed. */
const SecretsPatch = z.record(SecretName, z.string().min(1).max(16_384).nullable());

export const AccountInput = z.object({
  connector: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  account: AccountKey,
  displayName: DisplayName.optional(),
  settings: Settings.default({}),
  secrets: Secrets.default({}),
}).strict();
export type AccountInput = z.input<typeof AccountInput>;

export const AccountPatch = z.object({
  displayName: DisplayName.optional(),
  /** merged into the stored settings; a key set to null is removed */
  settings: Settings.optional(),
  secrets: SecretsPatch.optional(),
  state: z.enum(["active", "paused"]).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
}).strict();
export type AccountPatch = z.input<typeof AccountPatch>;

/** One account as the API shows it: secrets only as "set, and when". */
export interface Account {
  connector: string;
  account: string;
  display_name: string | null;
  settings: Record<string, unknown>;
  state: AccountState;
  state_reason: string | null;
  secrets: Record<string, { set: true; updated_at: string }>;
  created_at: string;
  updated_at: string;
}

export async function listAccounts(sql: Sql, connector?: string): Promise<Account[]> {
  const rows = await rpc(() => sql`select * from sync.list_accounts(${connector ?? null}, null)`);
  return rows.map((r) => fromRow<Account>(r));
}

/** The account, or null when it is not registered. */
export async function getAccount(sql: Sql, connector: string, account: string): Promise<Account | null> {
  const [row] = await rpc(() => sql`select * from sync.list_accounts(${connector}, ${account})`);
  return row ? fromRow<Account>(row) : null;
}

/** Registers an account and stores its secrets in Vault, in one transaction. */
export async function addAccount(sql: Sql, input: z.infer<typeof AccountInput>): Promise<Account> {
  await rpc(() =>
    sql.begin(async (tx) => {
      await tx`select sync.add_account(${input.connector}, ${input.account}, ${input.displayName ?? null},
        ${tx.json(input.settings as postgres.JSONValue)})`;
      for (const [name, value] of Object.entries(input.secrets)) {
        await tx`select sync.set_account_secret(${input.connector}, ${input.account}, ${name}, ${value})`;
      }
    })
  );
  return (await getAccount(sql, input.connector, input.account))!;
}

/** Changes an account (name, settings, secrets, state) in one transaction. */
export async function updateAccount(
  sql: Sql,
  connector: string,
  account: string,
  patch: z.infer<typeof AccountPatch>,
): Promise<Account> {
  await rpc(() =>
    sql.begin(async (tx) => {
      await tx`select sync.update_account(${connector}, ${account}, ${patch.displayName ?? null},
        ${patch.settings ? tx.json(patch.settings as postgres.JSONValue) : null})`;
      for (const [name, value] of Object.entries(patch.secrets ?? {})) {
        if (value === null) await tx`select sync.delete_account_secret(${connector}, ${account}, ${name})`;
        else await tx`select sync.set_account_secret(${connector}, ${account}, ${name}, ${value})`;
      }
      if (patch.state) {
        await tx`select sync.set_account_state(${connector}, ${account}, ${patch.state}, ${
          patch.reason ?? null
        })`;
      }
    })
  );
  return (await getAccount(sql, connector, account))!;
}

export async function setAccountState(
  sql: Sql,
  connector: string,
  account: string,
  state: AccountState,
  reason: string | null = null,
): Promise<Account> {
  await rpc(() => sql`select sync.set_account_state(${connector}, ${account}, ${state}, ${reason})`);
  return (await getAccount(sql, connector, account))!;
}

/** Removes the account and its Vault secrets; refused (409) while one of its jobs is queued or running. */
export async function removeAccount(sql: Sql, connector: string, account: string): Promise<Account> {
  const shown = await getAccount(sql, connector, account);
  await rpc(() => sql`select sync.remove_account(${connector}, ${account})`);
  return shown!;
}
