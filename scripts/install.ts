// Installs Syncline on a Supabase project (or any Postgres) in one command, and removes it again.
//   deno task install   --project-ref <ref> | --db-url <url> [--worker-url <url>] [--dry-run]
//   deno task uninstall --project-ref <ref> | --db-url <url> [--drop-data] [--dry-run]
// Every step reports created / updated / unchanged / removed / skipped (with the reason); a second
// run changes nothing and says so. Exit codes: 0 done, 1 a step failed, 2 usage error.
import { bubbleConfigSchema } from "../functions/_shared/connectors/bubble/config.ts";
import { highlevelConfigSchema } from "../functions/_shared/connectors/highlevel/config.ts";
import { squareConfigSchema } from "../functions/_shared/connectors/square/config.ts";
import { encodeHex } from "../functions/_shared/encoding.ts";
import {
  connectorSecretNames,
  formatStep,
  type InstallOptions,
  InstallUsageError,
  migrationSteps,
  parseInstallArgs,
  parseMigrationHistory,
  planMigrations,
  remoteOf,
  sqlText,
  type StepResult,
  summarise,
  unknownMigrationsProblem,
  USAGE,
} from "./install/plan.ts";
import { InstallStepError, supabaseBin, SupabaseCli } from "./install/supabase_cli.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const log = (line: string) => console.log(line);

/** Required keys of each connector's settings, as function secret names (SQUARE_ACCESS_TOKEN, ...). */
function connectorSecrets(): string[] {
  const schemas = {
    square: squareConfigSchema,
    highlevel: highlevelConfigSchema,
    bubble: bubbleConfigSchema,
  };
  return connectorSecretNames(Object.fromEntries(
    Object.entries(schemas).map((
      [name, schema],
    ) => [
      name,
      Object.entries(schema.shape).filter(([, f]) => !f.safeParse(undefined).success).map(([k]) => k),
    ]),
  ));
}

/** SHA-256 (hex) of everything the deployed function is built from. */
async function functionHash(): Promise<string> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) files.push(p);
    }
  };
  walk(`${root}/functions`);
  files.sort().push(`${root}/deno.json`, `${root}/supabase/config.toml`);
  const parts = files.map((f) => `${f.slice(root.length)}\n${Deno.readTextFileSync(f)}\n`);
  return await sha256Hex(parts.join(""));
}

function generateSecret(): string {
  return encodeHex(crypto.getRandomValues(new Uint8Array(32)));
}

async function sha256Hex(text: string): Promise<string> {
  return encodeHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function migrationFiles(): string[] {
  return [...Deno.readDirSync(`${root}/supabase/migrations`)].filter((e) => e.name.endsWith(".sql"))
    .map((e) => e.name).sort();
}

function migrationVersions(): string[] {
  return migrationFiles().map((f) => f.split("_")[0]);
}

/** Checks the CLI can reach the project (logged in, ref visible). */
async function checkLogin(cli: SupabaseCli, o: InstallOptions): Promise<StepResult | null> {
  if (o.target.kind !== "project") return null;
  try {
    await cli.run(["projects", "list", "-o", "json"], "check the Supabase CLI login", true);
  } catch (err) {
    throw new InstallStepError(
      `The Supabase CLI is not logged in or cannot reach Supabase: run "supabase login" (or set ` +
        `SUPABASE_ACCESS_TOKEN), then try again.\n${(err as Error).message}`,
    );
  }
  return { step: "Supabase CLI login", outcome: "ok" };
}

async function install(cli: SupabaseCli, o: InstallOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const remote = remoteOf(o.target);
  const login = await checkLogin(cli, o);
  if (login) results.push(login);

  // the upgrade: only the migrations the database has not, each named (a dry run lists them)
  const history = await cli.read(remote, sqlText.readMigrationHistory, "read the migration history");
  const plan = planMigrations(migrationFiles(), parseMigrationHistory(history[0]));
  const refused = unknownMigrationsProblem(plan);
  if (refused) throw new InstallStepError(refused);
  if (o.dryRun) {
    if (plan.superseded.length) {
      log(
        `      migrations recorded as applied, not run (${plan.superseded.length}; the repair migration does ` +
          `their work):\n${plan.superseded.map((f) => `        ${f}`).join("\n")}`,
      );
    }
    log(
      plan.pending.length
        ? `      pending migrations (${plan.pending.length}), schema ${plan.schemaBefore ?? "none"} → ` +
          `${plan.schemaAfter}:\n${plan.pending.map((f) => `        ${f}`).join("\n")}`
        : `      no pending migrations: the database is at schema ${plan.schemaBefore}`,
    );
  }
  if (plan.superseded.length) {
    await cli.run(
      [
        "migration",
        "repair",
        "--status",
        "applied",
        ...plan.superseded.map((f) => f.split("_")[0]),
        `--remote=${remote}`,
        "--yes",
      ],
      "record the migrations the repair migration supersedes as applied",
    );
  }
  if (plan.pending.length) {
    await cli.run(
      ["db", "push", `--remote=${remote}`, "--include-all", "--yes"],
      "apply the pending migrations",
    );
  }
  results.push(...migrationSteps(plan));

  // the worker secret: the one Vault already holds, else a new one
  const stored = await cli.query(remote, sqlText.readWorkerSecret, "read the worker secret from Vault");
  const existing = stored?.[0]?.secret;
  const secret = typeof existing === "string" && existing.length >= 32 ? existing : generateSecret();
  cli.hide(secret);
  if (stored !== null) {
    results.push({
      step: "worker secret",
      outcome: "ok",
      detail: existing ? "reused from Vault" : "generated",
    });
  }

  if (o.target.kind === "project") {
    const listed = await cli.run(
      ["secrets", "list", `--remote=${remote}`, "-o", "json"],
      "list the function secrets",
    );
    const current = listed === null ? undefined : (JSON.parse(listed.slice(listed.search(/[\[{]/))) as {
      name: string;
      value: string;
    }[]).find((s) => s.name === "SYNCLINE_WORKER_SECRET");
    if (listed === null || current?.value !== await sha256Hex(secret)) {
      await cli.withEnvFile(
        { SYNCLINE_WORKER_SECRET: secret },
        (file) =>
          cli.run(
            ["secrets", "set", "--env-file", file, `--remote=${remote}`],
            "set SYNCLINE_WORKER_SECRET (when missing or different)",
          ),
      );
      if (listed !== null) {
        results.push({
          step: "function secret SYNCLINE_WORKER_SECRET",
          outcome: current ? "updated" : "created",
        });
      }
    } else results.push({ step: "function secret SYNCLINE_WORKER_SECRET", outcome: "unchanged" });

    // redeployed only when its sources changed since the last install (the hash it recorded)
    const hash = await functionHash();
    const state = await cli.read(remote, sqlText.readState, "what the last install deployed");
    const deployed = (state[0]?.function_hash as string | null | undefined) ?? null;
    if (deployed === hash) {
      results.push({ step: "function sync", outcome: "unchanged", detail: `sources ${hash.slice(0, 12)}` });
      if (o.dryRun) {
        log(`      function sync: unchanged since the last install (sources ${hash.slice(0, 12)})`);
      }
    } else {
      if (o.dryRun) {
        log(
          `      function sync: ${
            deployed ? "its sources changed since the last install" : "not deployed by an install yet"
          }, so it is deployed:`,
        );
      }
      await cli.run(
        ["functions", "deploy", "sync", `--remote=${remote}`, "--use-api"],
        "deploy the function (its sources changed since the last install)",
      );
      await cli.query(remote, sqlText.saveFunctionHash(hash), "remember what was deployed (after a deploy)");
      results.push({
        step: "function sync",
        outcome: deployed ? "updated" : "created",
        detail: `sources ${hash.slice(0, 12)}`,
      });
    }
  } else {
    results.push({
      step: "function sync",
      outcome: "skipped",
      detail: "self-hosted: serve functions/sync/index.ts on your functions runtime (import map deno.json) " +
        "with SYNCLINE_WORKER_SECRET set to the value in Vault (syncline_worker_secret)",
    });
  }

  const rows = await cli.query(remote, sqlText.install(o.workerUrl!, secret), "extensions, Vault, cron jobs");
  for (const r of rows ?? []) {
    results.push({
      step: String(r.step),
      outcome: r.outcome as StepResult["outcome"],
      detail: r.detail as string,
    });
  }
  return results;
}

async function uninstall(cli: SupabaseCli, o: InstallOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const remote = remoteOf(o.target);
  const login = await checkLogin(cli, o);
  if (login) results.push(login);
  const present = await cli.query(remote, sqlText.hasSyncSchema, "is Syncline in this database");
  if (present !== null && !present[0]?.present) {
    results.push({ step: "database", outcome: "unchanged", detail: "no sync schema: nothing to remove" });
  } else {
    for (const r of await cli.query(remote, sqlText.uninstall, "remove cron jobs and Vault secrets") ?? []) {
      results.push({
        step: String(r.step),
        outcome: r.outcome as StepResult["outcome"],
        detail: r.detail as string,
      });
    }
    if (o.dropData) {
      const schemas = await cli.query(remote, sqlText.installedSchemas, "the schemas Syncline created");
      const names = (schemas?.[0]?.schemas as string[] | undefined) ?? ["sync"];
      await cli.query(
        remote,
        sqlText.dropData(names, migrationVersions()),
        "drop the synced data (--drop-data)",
      );
      if (o.dryRun) {
        log(
          "      (the schema list is what sync.installed_schemas() returns: sync and every target's schema)",
        );
      }
      if (schemas !== null) {
        for (const n of names) results.push({ step: `schema ${n}`, outcome: "removed" });
      }
    } else if (present !== null) {
      const schemas = await cli.query(remote, sqlText.installedSchemas, "the schemas Syncline created");
      results.push({
        step: `schemas ${(schemas?.[0]?.schemas as string[]).join(", ")}`,
        outcome: "kept",
        detail: "synced data stays; uninstall --drop-data removes it",
      });
    }
  }
  if (o.target.kind === "project") {
    const fns = await cli.run(
      ["functions", "list", `--remote=${remote}`, "-o", "json"],
      "is the function deployed",
    );
    const deployed = fns === null ||
      (JSON.parse(fns.slice(fns.search(/[\[{]/))) as { slug: string }[]).some((f) => f.slug === "sync");
    if (deployed) {
      await cli.run(
        ["functions", "delete", "sync", `--remote=${remote}`, "--yes"],
        "delete the function (when deployed)",
      );
      if (fns !== null) results.push({ step: "function sync", outcome: "removed" });
    } else results.push({ step: "function sync", outcome: "unchanged", detail: "not deployed" });
    await cli.run(
      ["secrets", "unset", "SYNCLINE_WORKER_SECRET", `--remote=${remote}`, "--yes"],
      "unset the worker secret",
    );
  }
  return results;
}

async function main(args: string[]): Promise<number> {
  let o: InstallOptions;
  try {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    o = parseInstallArgs(args);
  } catch (err) {
    if (!(err instanceof InstallUsageError)) throw err;
    console.error(`error: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const cli = new SupabaseCli({ bin: supabaseBin(root), dryRun: o.dryRun, workdir: root, log });
  const where = o.target.kind === "project" ? `Supabase project ${o.target.ref}` : "the database at --db-url";
  log(
    `${o.command === "install" ? "Installing Syncline on" : "Removing Syncline from"} ${where}${
      o.dryRun ? " — dry run: these commands and statements would run, nothing is changed" : ""
    }`,
  );
  try {
    const results = o.command === "install" ? await install(cli, o) : await uninstall(cli, o);
    if (o.dryRun) return 0;
    log("");
    for (const r of results) log(formatStep(r));
    log("");
    log(summarise(results, o.command));
    if (o.command === "install") {
      log("\nStill to do (Syncline cannot know your vendor credentials):");
      const names = connectorSecrets().map((n) => `${n}=...`).join(" ");
      log(
        o.target.kind === "project"
          ? `  supabase secrets set ${names} --remote=${o.target.ref}   # the connectors you use`
          : `  set ${names} on your functions runtime (the connectors you use)`,
      );
      log("  then enable the schedules you want: deno task sync schedules list / schedules enable <id>");
    }
    return 0;
  } catch (err) {
    if (!(err instanceof InstallStepError)) throw err;
    console.error(`error: ${err.message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
