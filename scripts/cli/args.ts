// The CLI's command line: which command it names (cli/commands.ts) and that command's options only.
// An option the command does not take is a usage error naming the option and the command (and the
// commands that do take it), raised before any request.
import { parseArgs } from "node:util";
import {
  allOptions,
  commandsTaking,
  type Options,
  resolveCommand,
  type Resolved,
  SHORT,
} from "./commands.ts";
import { CliUsageError } from "./ops.ts";

/** The values of every option any command takes (each command fills only its own). */
export interface CliValues {
  help?: boolean;
  version?: boolean;
  streams?: string;
  "data-type"?: string;
  watch?: boolean;
  interval?: string;
  full?: boolean;
  reconcile?: boolean;
  shards?: string;
  since?: string;
  until?: string;
  "dry-run"?: boolean;
  force?: boolean;
  account?: string;
  order?: string[];
  invoice?: string[];
  record?: string[];
  "no-follow"?: boolean;
  connector?: string;
  status?: string;
  limit?: string;
  stream?: string;
  days?: string;
  ids?: string;
  name?: string;
  cron?: string;
  "lookback-hours"?: string;
  disabled?: boolean;
  "batch-size"?: string;
  timezone?: string;
  mode?: string;
  mid?: string;
  from?: string;
  to?: string;
  refresh?: boolean;
  plan?: string;
  payment?: string;
  root?: string;
  reason?: string;
  type?: string;
  inactive?: boolean;
}

export interface ParsedArgs {
  resolved: Resolved;
  values: CliValues;
  positionals: string[];
}

type ParseOptions = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

function parserOptions(options: Options): ParseOptions {
  const out: ParseOptions = {};
  for (const [name, o] of Object.entries(options)) {
    out[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
  }
  for (const [short, long] of Object.entries(SHORT)) if (out[long]) out[long].short = short;
  return out;
}

/**
 * Parses a command line: a first pass that knows every command's options finds the positionals
 * (so an option's value is not taken for a command), the command they name decides which options
 * are allowed, and a strict second pass with only those gives the values.
 */
export function parseCommandLine(args: string[]): ParsedArgs {
  const all = parserOptions(allOptions());
  const loose = parseArgs({ args, options: all, strict: false, allowPositionals: true, tokens: true });
  const resolved = resolveCommand(loose.positionals);
  for (const token of loose.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (token.name in resolved.options) continue;
    const shown = token.rawName.startsWith("--") ? `--${token.name}` : token.rawName;
    const takers = commandsTaking(token.name);
    const takes = Object.keys(resolved.options).filter((n) => n !== "help").map((n) => `--${n}`);
    throw new CliUsageError(
      `Unknown option '${shown}' for "${resolved.label}"` +
        (takers.length ? ` (it is an option of ${takers.map((t) => `"${t}"`).join(", ")})` : "") +
        `; "${resolved.label}" takes ${takes.length ? takes.join(", ") : "no options"}`,
    );
  }
  const strict = parseArgs({
    args,
    options: parserOptions(resolved.options),
    strict: true,
    allowPositionals: true,
  });
  return { resolved, values: strict.values as CliValues, positionals: strict.positionals };
}
