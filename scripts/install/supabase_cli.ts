// Runs the Supabase CLI for the installer: every command is printed before it runs, and in a dry
// run it is only printed. SQL goes through `supabase db query --remote=<ref|url>`, the same path
// for a hosted project and for any Postgres, from a private temporary file (secrets never sit on
// a command line).
import { redactUrl, SECRET_PLACEHOLDER } from "./plan.ts";

export class InstallStepError extends Error {}

export interface CliOptions {
  bin: string;
  dryRun: boolean;
  /** the checkout (the folder holding supabase/) */
  workdir: string;
  log: (line: string) => void;
  /** text never printed (the worker secret): replaced by a placeholder */
  secrets?: string[];
}

/** The supabase binary: $SUPABASE_CLI, else the pinned one in .local/tools, else PATH. */
export function supabaseBin(root: string): string {
  const env = Deno.env.get("SUPABASE_CLI");
  if (env) return env;
  const local = `${root}/.local/tools/node_modules/.bin/supabase`;
  try {
    Deno.statSync(local);
    return local;
  } catch {
    return "supabase";
  }
}

export class SupabaseCli {
  constructor(private readonly opts: CliOptions) {}

  hide(secret: string): void {
    (this.opts.secrets ??= []).push(secret);
  }

  private redact(text: string): string {
    let out = redactUrl(text);
    for (const s of this.opts.secrets ?? []) out = out.replaceAll(s, SECRET_PLACEHOLDER);
    return out;
  }

  /**
   * Runs `supabase <args>`; in a dry run prints it and returns null, unless readOnly (a command that
   * changes nothing, such as reading the migration history, also runs in a dry run).
   */
  async run(args: string[], what: string, readOnly = false): Promise<string | null> {
    this.opts.log(`  $ supabase ${this.redact(args.join(" "))}   # ${what}${readOnly ? " (read-only)" : ""}`);
    if (this.opts.dryRun && !readOnly) return null;
    const remote = args.find((a) => a.startsWith("--remote="))?.slice("--remote=".length) ?? "";
    const env: Record<string, string> = {};
    // a database on this machine speaks no TLS; the CLI would otherwise print a warning on stdout
    if (/@(127\.0\.0\.1|localhost)[:/]/.test(remote)) env.PGSSLMODE = "disable";
    let out;
    try {
      out = await new Deno.Command(this.opts.bin, {
        args: [...args, "--workdir", this.opts.workdir],
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
        env,
      }).output();
    } catch (err) {
      throw new InstallStepError(
        `Cannot run the Supabase CLI (${this.opts.bin}): ${(err as Error).message}. ` +
          "Run bash scripts/stack.sh once (it installs it into .local/tools) or set SUPABASE_CLI.",
      );
    }
    const stdout = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      const stderr = new TextDecoder().decode(out.stderr).trim();
      throw new InstallStepError(
        `${what} failed (supabase ${this.redact(args[0])} ${args[1] ?? ""}):\n${
          this.redact(stderr || stdout).split("\n").slice(-12).join("\n")
        }`,
      );
    }
    return stdout;
  }

  /** Runs one SQL statement and returns its rows; in a dry run prints it and returns null. */
  async query(remote: string, sql: string, what: string): Promise<Record<string, unknown>[] | null> {
    return await this.sqlQuery(remote, sql, what, false);
  }

  /** Runs one read-only SQL statement and returns its rows, in a dry run too. */
  async read(remote: string, sql: string, what: string): Promise<Record<string, unknown>[]> {
    return (await this.sqlQuery(remote, sql, what, true))!;
  }

  private async sqlQuery(
    remote: string,
    sql: string,
    what: string,
    readOnly: boolean,
  ): Promise<Record<string, unknown>[] | null> {
    if (this.opts.dryRun && !readOnly) {
      this.opts.log(
        `  $ supabase db query --remote=${this.redact(remote)} --yes -o json -f <file>   # ${what}:`,
      );
      this.opts.log(this.redact(sql).split("\n").map((l) => `      ${l}`).join("\n"));
      return null;
    }
    const file = await Deno.makeTempFile({ prefix: "syncline-install-", suffix: ".sql" });
    try {
      await Deno.chmod(file, 0o600);
      await Deno.writeTextFile(file, sql);
      const out = await this.run(
        ["db", "query", `--remote=${remote}`, "--yes", "-o", "json", "-f", file],
        what,
        readOnly,
      );
      return parseRows(out ?? "[]");
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }

  /** Writes NAME=value lines to a private temporary file for `secrets set --env-file`. */
  async withEnvFile<T>(vars: Record<string, string>, fn: (file: string) => Promise<T>): Promise<T> {
    if (this.opts.dryRun) {
      return await fn(`<private file: ${Object.keys(vars).map((k) => `${k}=...`).join(" ")}>`);
    }
    const file = await Deno.makeTempFile({ prefix: "syncline-secrets-", suffix: ".env" });
    try {
      await Deno.chmod(file, 0o600);
      await Deno.writeTextFile(file, Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""));
      return await fn(file);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }
}

/** The JSON rows of `-o json` output (the CLI may print notices before them). */
export function parseRows(stdout: string): Record<string, unknown>[] {
  const start = stdout.search(/^\s*[\[{]/m);
  if (start < 0) return [];
  const parsed = JSON.parse(stdout.slice(start));
  return Array.isArray(parsed) ? parsed : [parsed];
}
