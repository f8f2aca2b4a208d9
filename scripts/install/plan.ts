// The installer's pure half: options, targets, the SQL it sends and the report it prints.
// No I/O here, so every decision is unit-tested (plan_test.ts); scripts/install.ts runs it.
import { parseArgs } from "node:util";

export class InstallUsageError extends Error {}

/** Where Syncline is installed: a Supabase project (by ref) or any Postgres (self-hosted). */
export type Target = { kind: "project"; ref: string } | { kind: "db"; url: string };

export interface InstallOptions {
  command: "install" | "uninstall";
  target: Target;
  /** The worker endpoint pg_net calls; derived from the project ref when not given. */
  workerUrl: string | null;
  dryRun: boolean;
  /** uninstall only: also drop the sync schema and every synced table. */
  dropData: boolean;
}

export const USAGE = `Usage:
  deno task install   --project-ref <ref> | --db-url <postgres-url> [--worker-url <url>] [--dry-run]
  deno task uninstall --project-ref <ref> | --db-url <postgres-url> [--drop-data] [--dry-run]

install    applies the migrations (supabase db push), deploys the function and sets its worker secret
           (project only), enables pg_cron and pg_net, stores the worker URL and secret in Vault and
           installs the cron jobs. Safe to run again: unchanged steps say so.
uninstall  removes the cron jobs, the Vault secrets, the function and its secret (project only). Synced
           data and the sync schema stay unless --drop-data is given.

Options:
  --project-ref <ref>   the Supabase project (20 lowercase letters); needs "supabase login" first
  --db-url <url>        a self-hosted or local Postgres (postgres:// or postgresql://)
  --worker-url <url>    the worker endpoint (default https://<ref>.supabase.co/functions/v1/sync/worker;
                        required with --db-url)
  --drop-data           uninstall: also drop the sync schema and the synced tables (cannot be undone)
  --dry-run             print every command and SQL statement without running any
Environment: SUPABASE_CLI (path of the supabase binary), SUPABASE_ACCESS_TOKEN (instead of supabase login).
Exit codes: 0 done, 1 a step failed, 2 usage error.`;

const PROJECT_REF = /^[a-z]{20}$/;

/** Parses and checks the command line; every mistake is an InstallUsageError naming it. */
export function parseInstallArgs(args: string[]): InstallOptions {
  const [command, ...rest] = args;
  if (command !== "install" && command !== "uninstall") {
    throw new InstallUsageError(`Unknown command "${command ?? ""}": use install or uninstall`);
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        "project-ref": { type: "string" },
        "db-url": { type: "string" },
        "worker-url": { type: "string" },
        "drop-data": { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InstallUsageError((err as Error).message);
  }
  const ref = values["project-ref"];
  const url = values["db-url"];
  if ((ref === undefined) === (url === undefined)) {
    throw new InstallUsageError("Give exactly one of --project-ref <ref> or --db-url <postgres-url>");
  }
  let target: Target;
  if (ref !== undefined) {
    if (!PROJECT_REF.test(ref)) {
      throw new InstallUsageError(
        `--project-ref "${ref}" is not a Supabase project ref (20 lowercase letters)`,
      );
    }
    target = { kind: "project", ref };
  } else {
    if (!/^postgres(ql)?:\/\/\S+$/.test(url!)) {
      throw new InstallUsageError("--db-url must be a postgres:// or postgresql:// connection string");
    }
    target = { kind: "db", url: url! };
  }
  if (values["drop-data"] && command !== "uninstall") {
    throw new InstallUsageError("--drop-data belongs to uninstall");
  }
  const workerUrl = values["worker-url"] ??
    (target.kind === "project" ? `https://${target.ref}.supabase.co/functions/v1/sync/worker` : null);
  if (command === "install") {
    if (workerUrl === null) {
      throw new InstallUsageError(
        "--worker-url is required with --db-url (where pg_net should call the worker)",
      );
    }
    checkWorkerUrl(workerUrl);
  }
  return { command, target, workerUrl, dryRun: values["dry-run"], dropData: values["drop-data"] };
}

/** https anywhere, http only to this machine: the worker secret travels in the request. */
export function checkWorkerUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstallUsageError(`--worker-url "${url}" is not a URL`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
    throw new InstallUsageError(`--worker-url "${url}" must be https:// (http:// only to this machine)`);
  }
}

/** The --remote value the Supabase CLI takes: a project ref or a database URL. */
export function remoteOf(target: Target): string {
  return target.kind === "project" ? target.ref : target.url;
}

/** A database URL with its password replaced, for printing. */
export function redactUrl(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/g, "$1***@");
}

/** A SQL string literal (standard_conforming_strings on, as on every supported server). */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new InstallUsageError("A value sent to SQL contains a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}

export const SECRET_PLACEHOLDER = "<worker secret>";

export const sqlText = {
  /** The worker secret Vault holds, when Vault and the secret exist (a re-run reuses it). */
  readWorkerSecret: `select case when to_regclass('vault.decrypted_secrets') is null then null else
  (select decrypted_secret from vault.decrypted_secrets where name = 'syncline_worker_secret') end as secret`,
  readState: `select case when to_regclass('sync.install_state') is null then null else
  (select value from sync.install_state where key = 'function_hash') end as function_hash`,
  install: (workerUrl: string, secret: string) =>
    `select step, outcome, detail from sync.install(${quoteLiteral(workerUrl)}, ${quoteLiteral(secret)})`,
  saveFunctionHash: (hash: string) =>
    `insert into sync.install_state (key, value) values ('function_hash', ${quoteLiteral(hash)})
  on conflict (key) do update set value = excluded.value, updated_at = now() returning key`,
  hasSyncSchema: `select to_regnamespace('sync') is not null as present`,
  uninstall: `select step, outcome, detail from sync.uninstall()`,
  installedSchemas: `select sync.installed_schemas() as schemas`,
  /** Drops the schemas and forgets their migrations, so a later install applies them again. */
  dropData: (schemas: string[], migrationVersions: string[]) =>
    `do $$ begin
  drop schema if exists ${schemas.map(quoteIdent).join(", ")} cascade;
  if to_regclass('supabase_migrations.schema_migrations') is not null then
    delete from supabase_migrations.schema_migrations where version = any(${
      quoteLiteral(`{${migrationVersions.map((v) => v.replace(/\D/g, "")).join(",")}}`)
    }::text[]);
  end if;
end $$`,
};

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Refusing to quote identifier "${name}"`);
  return `"${name}"`;
}

/** One line of the report: what a step did. */
export interface StepResult {
  step: string;
  outcome: "created" | "updated" | "unchanged" | "removed" | "skipped" | "ok" | "kept" | "would run";
  detail?: string | null;
}

const MARK: Record<StepResult["outcome"], string> = {
  created: "+",
  updated: "~",
  removed: "-",
  unchanged: "=",
  kept: "=",
  ok: "✓",
  skipped: "!",
  "would run": ">",
};

export function formatStep(r: StepResult): string {
  return `  ${MARK[r.outcome]} ${r.outcome.padEnd(9)} ${r.step}${r.detail ? ` — ${r.detail}` : ""}`;
}

/** The closing line: whether anything changed. */
export function summarise(results: StepResult[], command: InstallOptions["command"]): string {
  const changed = results.filter((r) => ["created", "updated", "removed"].includes(r.outcome)).length;
  const skipped = results.filter((r) => r.outcome === "skipped").length;
  if (changed === 0) {
    return `Nothing changed: Syncline is already ${
      command === "install" ? "installed" : "uninstalled"
    } as asked` +
      (skipped ? ` (${skipped} step(s) skipped, see above)` : "") + ".";
  }
  return `${changed} change(s)` + (skipped ? `, ${skipped} step(s) skipped (see above)` : "") + ".";
}

/** Function secrets each connector needs (from its config schema's required keys). */
export function connectorSecretNames(
  required: Record<string, string[]>,
): string[] {
  return Object.entries(required).flatMap(([connector, keys]) =>
    keys.map((k) => `${connector.toUpperCase()}_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)
  );
}
