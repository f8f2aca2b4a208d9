// The CLI's commands and their options, one definition per command: the parser (cli/args.ts) takes
// a command's options from here and refuses every other, and each command's --help and the option
// reference in docs/cli.md are rendered from the same table (tests/api/cli_options_test.ts keeps
// the doc in step).

/** One option: its type, the placeholder of its value in the help, and one line of help. */
export interface OptionDef {
  type: "string" | "boolean";
  /** repeatable (string options only): every value is kept */
  multiple?: boolean;
  /** the value's placeholder in the help, e.g. "N" for --limit N */
  arg?: string;
  help: string;
}

export type Options = Record<string, OptionDef>;

/** A subcommand whose options differ from its command's (e.g. `schedules add`). */
export interface SubcommandDef {
  options: Options;
}

export interface CommandDef {
  /** the first line of the help: usage */
  usage: string;
  /** what it does, one or a few lines */
  summary: string;
  /** options of the command itself (no subcommand, or a subcommand not listed in `subcommands`) */
  options: Options;
  /** subcommands with options of their own; a subcommand listed here takes only those */
  subcommands?: Record<string, SubcommandDef>;
}

const str = (arg: string, help: string): OptionDef => ({ type: "string", arg, help });
const many = (arg: string, help: string): OptionDef => ({ type: "string", multiple: true, arg, help });
const flag = (help: string): OptionDef => ({ type: "boolean", help });

/** Options every command takes. */
export const COMMON_OPTIONS: Options = {
  help: { type: "boolean", help: "this help" },
};

/** Options of `sync` with no command. */
export const TOP_OPTIONS: Options = {
  ...COMMON_OPTIONS,
  version: {
    type: "boolean",
    help: "this checkout's version, the deployed function's and the database schema's",
  },
};

/** Short forms of options (accepted wherever the long one is). */
export const SHORT: Record<string, string> = { h: "help", V: "version" };

const START_OPTIONS: Options = {
  streams: str("a,b", "only these streams (default: all, in dependency order)"),
  "data-type": str("a,b", "another name for --streams (the name the team's old CLI used)"),
  full: flag("read every record (default: incremental, since the last high-water mark)"),
  since: str(
    "DATE",
    "read records updated since an ISO date or date-time (2026-11-01, 2026-11-01T08:00:00Z)",
  ),
  until: str("DATE", "... and until this ISO date or date-time"),
  "dry-run": flag("fetch, validate and merge in a transaction that is rolled back"),
  force: flag("ignore checkpoints (with --reconcile: accept marking more than half the rows deleted)"),
  reconcile: flag("list the source's ids: re-fetch the missing, mark rows gone at the source deleted"),
  shards: str(
    "N",
    "split a full (or --since) read of shardable streams into N time windows that several workers read at once (2-64; run that many workers)",
  ),
  account: str("NAME", 'the connector account (default "default")'),
  order: many("ID", "re-fetch one order (repeatable)"),
  record: many("stream:id", "re-fetch one record of a stream (repeatable; at most 1,000 ids per job)"),
  "no-follow": flag("print the job id and exit"),
};

const NONE: SubcommandDef = { options: {} };

const FAILED_LIST_OPTIONS: Options = {
  connector: str("C", "only this connector"),
  stream: str("S", "only this stream"),
  status: str("S", "open, permanent, resolved, dismissed or all"),
  limit: str("N", "at most N items (1-200)"),
};

export const COMMANDS: Record<string, CommandDef> = {
  start: {
    usage: "sync [start] <connector> [options]",
    summary: "Starts a sync and follows it with a live progress bar.",
    options: START_OPTIONS,
  },
  history: {
    usage: "sync history [options]",
    summary: "Lists jobs, newest first.",
    options: {
      connector: str("C", "only this connector"),
      status: str("S", "queued, running, succeeded, partial, failed or cancelled"),
      limit: str("N", "at most N jobs (1-200, default 50)"),
    },
  },
  show: {
    usage: "sync show <job id>",
    summary: "Prints a job's progress per stream and its summary.",
    options: {},
  },
  follow: { usage: "sync follow <job id>", summary: "Follows a running job until it finishes.", options: {} },
  cancel: {
    usage: "sync cancel <job id>",
    summary: "Cancels a queued job at once, a running one at its next page.",
    options: {},
  },
  accounts: {
    usage:
      "sync accounts list [--connector C] | accounts add|show|pause|resume|remove <connector> <key> [options]",
    summary:
      `The accounts each connector serves (docs/accounts.md); the environment's <CONNECTOR>_* settings are the
\`default\` account. Secrets are stored in Vault and never shown: never put one on the command line.`,
    options: {},
    subcommands: {
      list: { options: { connector: str("C", "only this connector") } },
      add: {
        options: {
          name: str("TEXT", "display name"),
          setting: many("K=V", "a non-secret setting (repeatable; V is JSON when it parses, else text)"),
          secret: many(
            "NAME",
            "a secret read from standard input, one line per --secret, in order (repeatable)",
          ),
          "secret-env": many("NAME=VAR", "a secret read from the environment variable VAR (repeatable)"),
        },
      },
      show: NONE,
      pause: { options: { reason: str("TEXT", "why (shown with the account)") } },
      resume: NONE,
      remove: NONE,
    },
  },
  failed: {
    usage: "sync failed [options] | failed retry <connector> [--ids 1,2] | failed resolve|dismiss <id>",
    summary:
      `Lists failed records, retries them (a retry job), or closes them. Due items also retry on their own
(the ops tick); an item that fails every attempt becomes "permanent" and an alert is sent.`,
    options: FAILED_LIST_OPTIONS,
    subcommands: {
      list: { options: FAILED_LIST_OPTIONS },
      retry: {
        options: {
          ids: str("1,2", "retry only these failed items (default: every item whose backoff is over)"),
          account: str("NAME", 'the connector account (default "default")'),
        },
      },
      resolve: NONE,
      dismiss: NONE,
    },
  },
  stats: {
    usage:
      "sync stats [--days N] | stats trends [--days N] [--connector C] | stats freshness | stats failed-items | stats integrity | stats recovery [--days N]",
    summary: "Operations figures (recovery: failed items retried, recovered, still failing, given up).",
    options: { days: str("N", "the window in days (1-3650; default 7)") },
    subcommands: {
      trends: {
        options: {
          days: str("N", "the window in days (1-3650; default 30)"),
          connector: str("C", "trends of one connector"),
        },
      },
      recovery: { options: { days: str("N", "the window in days (1-3650; default 7)") } },
      freshness: NONE,
      "failed-items": NONE,
      integrity: NONE,
    },
  },
  schedules: {
    usage: "sync schedules | schedules add [options] | schedules enable|disable|run|remove <id>",
    summary: "Lists and changes the schedules (with their next run time).",
    options: {},
    subcommands: {
      list: NONE,
      add: {
        options: {
          name: str("N", '1-63 lowercase letters, digits, ".", "_" or "-"'),
          connector: str("C", "the connector"),
          streams: str("a,b", "streams the connector has"),
          cron: str("EXPR", 'a pg_cron schedule: "0 2 * * *", "0 2 * * MON-FRI", "@daily", "30 seconds"'),
          timezone: str(
            "TZ",
            "the cron's time zone, an IANA name such as Europe/Dublin (default UTC; numeric cron fields only outside UTC)",
          ),
          full: flag("full syncs (default incremental)"),
          reconcile: flag(
            "reconciles: list the source's ids, re-fetch the missing, mark the gone deleted (streams that cannot list ids are refused; no --lookback-hours)",
          ),
          mode: str("M", "full, incremental, retry or reconcile (retry: due failed items only)"),
          "lookback-hours": str("H", "incremental runs re-read the last H hours"),
          disabled: flag("save it disabled"),
          account: str("NAME", 'the connector account (default "default")'),
        },
      },
      enable: NONE,
      disable: NONE,
      run: NONE,
      remove: NONE,
    },
  },
  cooldowns: {
    usage: "sync cooldowns | cooldowns set <connector>/<stream> <seconds>",
    summary:
      `Lists or sets the minimum gap between two automatic (webhook, retry) runs of a stream; webhook events
in the gap are coalesced into the next run.`,
    options: {},
  },
  tick: {
    usage: "sync tick",
    summary:
      "Runs the ops tick now (due zoned schedules, due retries, alert rules, wake-up), as pg_cron does every minute.",
    options: {},
  },
  cleanup: {
    usage: "sync cleanup --days N [--batch-size N]",
    summary: `Deletes sync bookkeeping older than N days (jobs, progress, webhook inbox, closed failed items,
notifications, schedule runs); never synced data.`,
    options: {
      days: str("N", "keep the last N days (N >= 1)"),
      "batch-size": str("N", "rows per table per round (1-100000, default 5000)"),
    },
  },
  notifications: {
    usage: "sync notifications | notifications set '<json>'",
    summary: `Shows or changes the alerting settings, e.g.
  sync notifications set '{"slack_webhook_url": "https://hooks.slack.example/T000/B000/XXXX"}'`,
    options: {},
  },
  metrics: {
    usage: "sync metrics irelandpay [--mid M] [--from YYYY-MM] [--to YYYY-MM] [--refresh]",
    summary: `Ireland Pay metrics per merchant and month (transactions, volume, average ticket, refunds,
chargebacks, residuals), computed in Postgres after each sync.`,
    options: {
      mid: str("M", "one merchant"),
      from: str("YYYY-MM", "first month"),
      to: str("YYYY-MM", "last month"),
      refresh: flag("recompute the figures first"),
    },
  },
  promote: {
    usage:
      "sync promote [options] | promote --payment <id> | promote status [--plan P] | promote roots [options]",
    summary:
      `Staged promotion (docs/promotion.md): a bulk promote job, one root's step log, the monitoring figures,
or the judged roots.`,
    options: {
      plan: str("P", "the promotion plan (default square_event_sales)"),
      since: str("DATE", "roots created since this ISO date"),
      until: str("DATE", "... and until this ISO date"),
      ids: str("a,b", "only these roots"),
      "batch-size": str("N", "roots per transaction"),
      force: flag("with --ids: judge the named roots again even when their version has not changed"),
      payment: str("ID", "show one payment's step log"),
      root: str("ID", "show one root's step log (any plan's root)"),
      "no-follow": flag("print the job id and exit"),
    },
    subcommands: {
      status: {
        options: {
          plan: str("P", "the promotion plan (default square_event_sales)"),
          watch: flag("refresh the figures until interrupted (Ctrl-C)"),
          interval: str("S", "seconds between refreshes with --watch (default 5)"),
        },
      },
      roots: {
        options: {
          plan: str("P", "the promotion plan (default square_event_sales)"),
          status: str("S", "only roots of this outcome (promoted, ineligible, failed, withdrawn)"),
          reason: str("R", "only ineligible roots of this reason"),
          limit: str("N", "at most N roots"),
        },
      },
    },
  },
  bubble: {
    usage:
      "sync bubble [start options] | bubble --invoice <id> [--force] | bubble coverage | bubble report <job id> [--invoice ID]",
    summary:
      `The Bubble connector: a sync like any other, one invoice with all its relations (then its step report;
--force rewrites records that are not newer at the source), the field-mapping coverage, or a job's step report.`,
    options: {
      ...START_OPTIONS,
      invoice: many("ID", "sync one invoice with all its relations (repeatable)"),
    },
    subcommands: {
      coverage: NONE,
      report: { options: { invoice: str("ID", "the step report of one invoice") } },
    },
  },
  tickets: {
    usage: "sync tickets | tickets set <productId> [--type T] [--inactive] | tickets clear <productId>",
    summary:
      `HighLevel products and whether each issues tickets: HighLevel's own state (availableInStore) by default,
the team's override (highlevel.ticket_types) when set.`,
    options: {},
    subcommands: {
      list: NONE,
      set: {
        options: {
          type: str("T", "the ticket type the product issues"),
          inactive: flag("the product issues no tickets, whatever HighLevel says"),
        },
      },
      clear: NONE,
    },
  },
};

/** A command line's command: its definition's name ("start" for a connector) and subcommand. */
export interface Resolved {
  /** the key in COMMANDS, or null for `sync` alone */
  command: string | null;
  /** the subcommand whose options apply, when it has its own */
  subcommand?: string;
  /** the options it takes (COMMON_OPTIONS included) */
  options: Options;
  /** how the help names it, e.g. "sync schedules add" */
  label: string;
}

/** The command (and subcommand) that positionals name; a name not in COMMANDS is a connector. */
export function resolveCommand(positionals: string[]): Resolved {
  const words = positionals[0] === "start" ? positionals.slice(1) : positionals;
  if (!positionals.length) return { command: null, options: TOP_OPTIONS, label: "sync" };
  const [first, second] = words;
  if (first === undefined) {
    return { command: "start", options: withCommon(START_OPTIONS), label: "sync start" };
  }
  const def = COMMANDS[first];
  if (!def || first === "start") {
    return { command: "start", options: withCommon(START_OPTIONS), label: `sync ${first}` };
  }
  const sub = second !== undefined ? def.subcommands?.[second] : undefined;
  if (sub) {
    return {
      command: first,
      subcommand: second,
      options: withCommon(sub.options),
      label: `sync ${first} ${second}`,
    };
  }
  return { command: first, options: withCommon(def.options), label: `sync ${first}` };
}

const withCommon = (options: Options): Options => ({ ...COMMON_OPTIONS, ...options });

/** Every option of every command, each name once (the parser's first pass knows their types). */
export function allOptions(): Options {
  const all: Options = { ...TOP_OPTIONS };
  for (const def of Object.values(COMMANDS)) {
    for (const opts of [def.options, ...Object.values(def.subcommands ?? {}).map((s) => s.options)]) {
      // a name of two types would parse differently per command: tests/api/cli_options_test.ts
      // refuses such a table
      for (const [name, o] of Object.entries(opts)) all[name] ??= o;
    }
  }
  return all;
}

/** The commands (as "sync x" or "sync x y") that take an option, for a message naming them. */
export function commandsTaking(option: string): string[] {
  const out: string[] = [];
  if (option in TOP_OPTIONS && !(option in COMMON_OPTIONS)) out.push("sync (no command)");
  for (const [name, def] of Object.entries(COMMANDS)) {
    if (option in def.options) out.push(`sync ${name}`);
    for (const [sub, s] of Object.entries(def.subcommands ?? {})) {
      if (option in s.options) out.push(`sync ${name} ${sub}`);
    }
  }
  return out;
}
