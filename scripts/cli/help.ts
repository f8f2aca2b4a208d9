// The CLI's help: an overview, one page per command (rendered from cli/commands.ts: usage, options),
// the environment and exit codes, and the checks of option values that make a bad command line a usage error (exit 2) before any request.
import { isIsoDate } from "../../functions/_shared/api/iso_date.ts";
import { COMMANDS, type OptionDef, type Options, TOP_OPTIONS } from "./commands.ts";
import { CliUsageError } from "./ops.ts";

export const ENVIRONMENT = `environment:
  SYNCLINE_API_URL     the sync API (default http://127.0.0.1:54321/sync;
                       hosted: https://<project-ref>.supabase.co/functions/v1/sync)
  SYNCLINE_TOKEN       an admin credential: a Supabase secret API key (sb_secret_...) or an admin user JWT
  SYNCLINE_JWT_SECRET  local stacks only: the legacy HS256 JWT secret; the CLI mints a 1-hour admin token
  SYNCLINE_REALTIME_URL, SYNCLINE_REALTIME_KEY
                       the project URL and its anon/publishable key: follow a job by its Realtime
                       broadcasts (needs an admin user JWT as the token) instead of polling the API`;

export const EXIT_CODES = `exit codes:
  0  succeeded
  1  the sync failed or was cancelled, or the API could not be reached or answered an error
  2  usage error: a bad command line, no credentials, or input the API refused (400/422)
  3  partial: the sync finished but some records failed (see "sync failed") or did not all land
     (a completeness gap: see "sync stats integrity")`;

/** Words joined into lines of at most `width`, the first after `first`, the rest indented to match. */
function wrap(first: string, words: string[], width = 110): string[] {
  const lines: string[] = [];
  let line = first;
  for (const w of words) {
    if (line.trim() !== first.trim() && line.length + w.length + 1 > width) {
      lines.push(line);
      line = " ".repeat(first.length);
    } else if (line.length > 0 && !line.endsWith(" ")) line += " ";
    line += w;
  }
  return [...lines, line];
}

const optionsInBrackets = (options: Options) =>
  Object.entries(options).map(([name, o]) => `[${optionLabel(name, o)}]`);

/** The overview (`sync --help`): start and history with their options, then every other command. */
export function overview(): string {
  const listed = ["start", "history", "show", "follow", "cancel"];
  const others = Object.keys(COMMANDS).filter((name) => !listed.includes(name));
  return [
    "usage:",
    ...wrap("  sync [start] <connector> ", optionsInBrackets(COMMANDS.start.options)),
    ...wrap("  sync history ", optionsInBrackets(COMMANDS.history.options)),
    "  sync show <job id> | follow <job id> | cancel <job id>",
    ...wrap("  sync ", [...others.flatMap((name, i) => i ? ["|", name] : [name]), "..."]),
    "  sync <command> --help   options of one command",
    "  sync --version          this checkout's version, the deployed function's and the database schema's",
  ].join("\n");
}

/** Help of one command (a connector name means start), or the overview. */
export function helpFor(command?: string): string {
  const page = command ? commandPage(COMMANDS[command] ? command : "start") : overview();
  return `${page}\n\n${ENVIRONMENT}\n\n${EXIT_CODES}`;
}

/** Short usage of one command, shown under a usage error. */
export function usageFor(command?: string): string {
  if (!command) return `${overview()}\n(sync <command> --help for more)`;
  const page = `usage: ${(COMMANDS[command] ?? COMMANDS.start).usage}`;
  return `${page}\n(sync ${command && COMMANDS[command] ? command : "<command>"} --help for more)`;
}

export const MISSING_CREDENTIALS =
  "Missing credentials: set SYNCLINE_TOKEN to an admin credential (a Supabase secret API key sb_secret_... " +
  "or an admin user JWT), or SYNCLINE_JWT_SECRET on a local stack";

/** Checks every option value the command line gave; a bad one is a usage error. */
export function checkOptionValues(options: object): void {
  const values = options as Record<string, unknown>;
  for (const name of ["since", "until"]) {
    const v = values[name];
    if (typeof v === "string" && !isIsoDate(v)) {
      throw new CliUsageError(
        `--${name} takes an ISO date or date-time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z), got "${v}"`,
      );
    }
  }
  for (const name of ["limit", "days", "batch-size", "shards"]) {
    const v = values[name];
    if (typeof v === "string" && !/^[1-9]\d{0,8}$/.test(v)) {
      throw new CliUsageError(`--${name} takes a positive whole number, got "${v}"`);
    }
  }
  const lookback = values["lookback-hours"];
  if (typeof lookback === "string" && !(/^\d+(\.\d+)?$/.test(lookback) && Number(lookback) > 0)) {
    throw new CliUsageError(`--lookback-hours takes a positive number of hours, got "${lookback}"`);
  }
}

/** One option as the help shows it: "--since DATE". */
export const optionLabel = (name: string, o: OptionDef) => `--${name}${o.arg ? ` ${o.arg}` : ""}`;

/** Option lines of the help: the name padded to a column, the help wrapped under it. */
export function optionLines(options: Options, width = 110): string[] {
  const lines: string[] = [];
  for (const [name, o] of Object.entries(options)) {
    const label = `  ${optionLabel(name, o)}`;
    const pad = 23;
    const words = o.help.split(" ");
    let line = label.length < pad - 1 ? label.padEnd(pad) : `${label} `;
    let first = true;
    for (const w of words) {
      if (!first && line.length + w.length + 1 > width) {
        lines.push(line.trimEnd());
        line = " ".repeat(pad);
        first = true;
      }
      line += (first ? "" : " ") + w;
      first = false;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** The help page of one command: usage, summary and its options (and its subcommands'). */
export function commandPage(name: string): string {
  const def = COMMANDS[name];
  const out = [`usage: ${def.usage}`, def.summary];
  if (Object.keys(def.options).length) out.push("options:", ...optionLines(def.options));
  for (const [sub, s] of Object.entries(def.subcommands ?? {})) {
    // a subcommand without options of its own, or with the command's (failed list), has no section
    if (!Object.keys(s.options).length || s.options === def.options) continue;
    out.push(`options of ${sub}:`, ...optionLines(s.options));
  }
  return out.join("\n");
}

const cell = (s: string) => s.replaceAll("|", "\\|");

/** The option reference of docs/cli.md (between its "cli-options" markers), one table per command. */
export function optionsReference(): string {
  const out: string[] = [];
  const section = (label: string, usage: string | null, options: Options) => {
    out.push(`### \`${label}\``, "");
    if (usage) out.push(`\`${usage}\``, "");
    if (!Object.keys(options).length) out.push("No options but `--help`.", "");
    else {
      out.push("| option | what |", "| --- | --- |");
      for (const [name, o] of Object.entries(options)) {
        out.push(`| \`${optionLabel(name, o)}\` | ${cell(o.help)} |`);
      }
      out.push("");
    }
  };
  section("sync", "sync --version | sync --help", TOP_OPTIONS);
  for (const [name, def] of Object.entries(COMMANDS)) {
    section(name === "start" ? "sync [start] <connector>" : `sync ${name}`, def.usage, def.options);
    for (const [sub, s] of Object.entries(def.subcommands ?? {})) {
      if (!Object.keys(s.options).length || s.options === def.options) continue;
      section(`sync ${name} ${sub}`, null, s.options);
    }
  }
  return out.join("\n").trimEnd();
}
