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

install    applies the pending migrations (supabase db push) and names each, deploys the function when its
           sources changed and sets its worker secret (project only), enables pg_cron and pg_net, stores
           the worker URL and secret in Vault and installs the cron jobs. On an existing install this is
           the upgrade: run it from the new release's checkout. Safe to run again: unchanged steps say so.
uninstall  removes the cron jobs, the Vault secrets, the function and its secret (project only). Synced
           data and the sync schema stay unless --drop-data is given.

Options:
  --project-ref <ref>   the Supabase project (20 lowercase letters); needs "supabase login" first
  --db-url <url>        a self-hosted or local Postgres (postgres:// or postgresql://)
  --worker-url <url>    the worker endpoint (default https://<ref>.supabase.co/functions/v1/sync/worker;
                        required with --db-url)
  --drop-data           uninstall: also drop the sync schema and the synced tables (cannot be undone)
  --dry-run             list the pending migrations by name and whether the function would be redeployed
                        (read-only queries), and print every command and SQL statement that would change
                        something without running it
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

/**
 * The repair migration (supabase/migrations/20261209000000_sync_repair.sql): it takes a database
 * migrated at any earlier release to today's schema. The migrations before it were edited after
 * they were released, so on an existing install the ones its history lacks are not run (they would
 * fail, or skip fixes): they are recorded as applied and the repair does their work.
 */
export const REPAIR_MIGRATION = "20261209000000";

/** What `supabase db push` will do: the migrations this checkout has that the database has not. */
export interface MigrationPlan {
  /** file names (<version>_<name>.sql), oldest first: what `supabase db push` applies */
  pending: string[];
  /** file names of an existing install's missing migrations older than the repair: recorded as
   * applied (`supabase migration repair --status applied`), not run; the repair migration does
   * their work */
  superseded: string[];
  /** versions the database has that this checkout does not (a newer release's, or another project's) */
  unknown: string[];
  /** the newest of this checkout's migrations the database has (null: none) */
  schemaBefore: string | null;
  /** the newest of this checkout's migrations: the schema after the push */
  schemaAfter: string | null;
}

/** Compares this checkout's migration files with the database's history (null: no history table yet). */
export function planMigrations(files: string[], applied: string[] | null): MigrationPlan {
  const local = [...files].filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const versionOf = (f: string) => f.split("_")[0];
  const done = new Set(applied ?? []);
  const localVersions = new Set(local.map(versionOf));
  const missing = local.filter((f) => !done.has(versionOf(f)));
  const present = local.filter((f) => done.has(versionOf(f)));
  // an existing install (any Syncline migration recorded) that has not had the repair yet
  const repairs = present.length > 0 && missing.some((f) => versionOf(f) === REPAIR_MIGRATION);
  const superseded = repairs ? missing.filter((f) => versionOf(f) < REPAIR_MIGRATION) : [];
  return {
    pending: missing.filter((f) => !superseded.includes(f)),
    superseded,
    unknown: [...done].filter((v) => !localVersions.has(v)).sort(),
    schemaBefore: present.length ? versionOf(present.at(-1)!) : null,
    schemaAfter: local.length ? versionOf(local.at(-1)!) : null,
  };
}

/** The database's migration history from sqlText.readMigrationHistory's row. */
export function parseMigrationHistory(row: Record<string, unknown> | undefined): string[] | null {
  const applied = row?.applied;
  if (applied === null || applied === undefined) return null;
  return String(applied).split(",").map((v) => v.trim()).filter(Boolean);
}

/** Why no push may run over this history (versions this checkout lacks), or null. */
export function unknownMigrationsProblem(plan: MigrationPlan): string | null {
  if (!plan.unknown.length) return null;
  const newer = plan.schemaAfter !== null && plan.unknown.some((v) => v > plan.schemaAfter!);
  return (
    `The database has ${plan.unknown.length} migration(s) this checkout does not have (${
      plan.unknown.slice(0, 5).join(", ")
    }${plan.unknown.length > 5 ? ", ..." : ""}): ${
      newer
        ? "it was migrated by a newer Syncline release. Run deno task install from that release's checkout " +
          "(Syncline never downgrades a database)."
        : "they are not Syncline's (another project's migrations in the same database?). Syncline's " +
          "migrations need a database whose history is Syncline's own."
    }`
  );
}

/** The report lines of the migration step. */
export function migrationSteps(plan: MigrationPlan): StepResult[] {
  if (!plan.pending.length && !plan.superseded.length) {
    return [{
      step: "migrations",
      outcome: "unchanged",
      detail: `none pending (schema ${plan.schemaBefore ?? "none"})`,
    }];
  }
  return [
    ...plan.superseded.map((f) => ({
      step: `migration ${f}`,
      outcome: "recorded" as const,
      detail: `not run, recorded as applied: ${REPAIR_MIGRATION}_sync_repair.sql does its work`,
    })),
    ...plan.pending.map((f) => ({ step: `migration ${f}`, outcome: "applied" as const })),
    { step: "schema version", outcome: "ok", detail: `${plan.schemaBefore ?? "none"} → ${plan.schemaAfter}` },
  ];
}

export const sqlText = {
  /**
   * The versions in the Supabase CLI's migration history, comma-separated (null: no history table yet).
   * query_to_xml runs its query when executed, so a database without the table (a first install) parses this.
   */
  readMigrationHistory:
    `select case when to_regclass('supabase_migrations.schema_migrations') is null then null else
  (select coalesce(string_agg(v::text, ','), '') from unnest(xpath('//version/text()', query_to_xml(
    'select version from supabase_migrations.schema_migrations', false, false, ''))) v) end as applied`,
  /** The worker secret Vault holds, when Vault and the secret exist (a re-run reuses it). */
  readWorkerSecret: `select case when to_regclass('vault.decrypted_secrets') is null then null else
  (select decrypted_secret from vault.decrypted_secrets where name = 'syncline_worker_secret') end as secret`,
  /** The hash of the function the last install deployed (null: none); parses without the table too. */
  readState: `select case when to_regclass('sync.install_state') is null then null else
  (xpath('//value/text()', query_to_xml(
    'select value from sync.install_state where key = ''function_hash''', false, false, '')))[1]::text
  end as function_hash`,
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
  outcome:
    | "created"
    | "updated"
    | "applied"
    | "recorded"
    | "unchanged"
    | "removed"
    | "skipped"
    | "ok"
    | "kept"
    | "would run";
  detail?: string | null;
}

const MARK: Record<StepResult["outcome"], string> = {
  created: "+",
  updated: "~",
  applied: "+",
  recorded: "~",
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
  const changed =
    results.filter((r) => ["created", "updated", "applied", "recorded", "removed"].includes(r.outcome))
      .length;
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
