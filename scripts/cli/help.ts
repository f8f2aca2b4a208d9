// The CLI's help: an overview, one page per command (options, environment, exit codes), and the
// checks of option values that make a bad command line a usage error (exit 2) before any request.
import { isIsoDate } from "../../functions/_shared/api/iso_date.ts";
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

const COMMANDS: Record<string, string> = {
  start: `usage: sync [start] <connector> [options]
Starts a sync and follows it with a live progress bar.
options:
  --streams a,b        only these streams (default: all, in dependency order)
  --full               read every record (default: incremental, since the last high-water mark)
  --since DATE         read records updated since an ISO date or date-time (2026-11-01, 2026-11-01T08:00:00Z)
  --until DATE         ... and until this ISO date or date-time
  --dry-run            fetch, validate and merge in a transaction that is rolled back
  --force              ignore checkpoints (with --reconcile: accept marking more than half the rows deleted)
  --reconcile          list the source's ids: re-fetch the missing, mark rows gone at the source deleted
  --shards N           split a full (or --since) read of shardable streams into N time windows that
                       several workers read at once (2-64; run that many workers)
  --account NAME       the connector account (default "default")
  --order ID           re-fetch one order (repeatable)
  --record stream:id   re-fetch one record of a stream (repeatable; at most 1,000 ids per job)
  --no-follow          print the job id and exit`,
  history: `usage: sync history [options]
Lists jobs, newest first.
options:
  --connector C        only this connector
  --status S           queued, running, succeeded, partial, failed or cancelled
  --limit N            at most N jobs (1-200, default 50)`,
  show: `usage: sync show <job id>
Prints a job's progress per stream and its summary.`,
  follow: `usage: sync follow <job id>
Follows a running job until it finishes.`,
  cancel: `usage: sync cancel <job id>
Cancels a queued job at once, a running one at its next page.`,
  failed: `usage: sync failed [options] | failed retry <connector> [--ids 1,2] | failed resolve|dismiss <id>
Lists failed records, retries them (a retry job), or closes them. Due items also retry on their own
(the ops tick); an item that fails every attempt becomes "permanent" and an alert is sent.
options:
  --connector C  --stream S  --status open|permanent|resolved|dismissed|all  --limit N (1-200)
  --ids 1,2            retry only these failed items (default: every item whose backoff is over)
  --account NAME       the connector account for retry (default "default")`,
  stats:
    `usage: sync stats [--days N] | stats trends [--days N] [--connector C] | stats freshness | stats failed-items | stats integrity | stats recovery [--days N]
Operations figures (recovery: failed items retried, recovered, still failing, given up).
options:
  --days N             the window in days (1-3650; default 7, trends 30)
  --connector C        trends of one connector`,
  schedules: `usage: sync schedules | schedules add [options] | schedules enable|disable|run|remove <id>
Lists and changes the schedules (with their next run time).
options of add:
  --name N             1-63 lowercase letters, digits, ".", "_" or "-"
  --connector C        the connector
  --streams a,b        streams the connector has
  --cron EXPR          a pg_cron schedule: "0 2 * * *", "0 2 * * MON-FRI", "@daily", "30 seconds"
  --timezone TZ        the cron's time zone, an IANA name such as Europe/Dublin (default UTC; numeric
                       cron fields only outside UTC)
  --full               full syncs (default incremental)
  --reconcile          reconciles: list the source's ids, re-fetch the missing, mark the gone deleted
                       (streams that cannot list ids are refused; no --lookback-hours)
  --mode M             full, incremental, retry or reconcile (retry: due failed items only)
  --lookback-hours H   incremental runs re-read the last H hours
  --disabled           save it disabled
  --account NAME       the connector account (default "default")`,
  cooldowns: `usage: sync cooldowns | cooldowns set <connector>/<stream> <seconds>
Lists or sets the minimum gap between two automatic (webhook, retry) runs of a stream; webhook events
in the gap are coalesced into the next run.`,
  tick: `usage: sync tick
Runs the ops tick now (due zoned schedules, due retries, alert rules, wake-up), as pg_cron does every minute.`,
  bubble:
    `usage: sync bubble [start options] | bubble --invoice <id> [--force] | bubble coverage | bubble report <job id> [--invoice ID]
The Bubble connector: a sync like any other, one invoice with all its relations (then its step report;
--force rewrites records that are not newer at the source), the field-mapping coverage, or a job's step report.`,
  tickets: `usage: sync tickets | tickets set <productId> [--type T] [--inactive] | tickets clear <productId>
HighLevel products and whether each issues tickets: HighLevel's own state (availableInStore) by default,
the team's override (highlevel.ticket_types) when set.
options of set:
  --type T             the ticket type the product issues
  --inactive           the product issues no tickets, whatever HighLevel says`,
  metrics: `usage: sync metrics irelandpay [--mid M] [--from YYYY-MM] [--to YYYY-MM] [--refresh]
Ireland Pay metrics per merchant and month (transactions, volume, average ticket, refunds,
chargebacks, residuals), computed in Postgres after each sync.
options:
  --mid M              one merchant
  --from YYYY-MM       first month
  --to YYYY-MM         last month
  --refresh            recompute the figures first`,
  promote:
    `usage: sync promote [options] | promote --payment <id> | promote status [--plan P] | promote roots [options]
Staged promotion (docs/promotion.md): a bulk promote job, one root's step log, the monitoring figures,
or the judged roots.
options:
  --plan P             the promotion plan (default square_event_sales)
  --since DATE --until DATE   roots created in this range (ISO dates)
  --ids a,b            only these roots
  --batch-size N       roots per transaction
  --payment ID         show one payment's step log
  --status S --reason R --limit N   filters of "promote roots"
  --no-follow          print the job id and exit`,
  cleanup: `usage: sync cleanup --days N [--batch-size N]
Deletes sync bookkeeping older than N days (jobs, progress, webhook inbox, closed failed items,
notifications, schedule runs); never synced data.
options:
  --days N             keep the last N days (N >= 1)
  --batch-size N       rows per table per round (1-100000, default 5000)`,
  notifications: `usage: sync notifications | notifications set '<json>'
Shows or changes the alerting settings, e.g.
  sync notifications set '{"slack_webhook_url": "https://hooks.slack.example/T000/B000/XXXX"}'`,
};

export const OVERVIEW = `usage:
  sync [start] <connector> [--streams a,b] [--full | --reconcile] [--since DATE] [--until DATE] [--dry-run] [--force]
                           [--shards N] [--account NAME] [--order ID] [--record stream:id] [--no-follow]
  sync history [--connector C] [--status S] [--limit N]
  sync show <job id> | follow <job id> | cancel <job id>
  sync failed | stats | schedules | cooldowns | tick | cleanup | notifications | metrics | promote | tickets ...
  sync <command> --help   options of one command
  sync --version          this checkout's version, the deployed function's and the database schema's`;

/** Help of one command (a connector name means start), or the overview. */
export function helpFor(command?: string): string {
  const page = command ? COMMANDS[command] : undefined;
  return `${page ?? (command ? COMMANDS.start : OVERVIEW)}\n\n${ENVIRONMENT}\n\n${EXIT_CODES}`;
}

/** Short usage of one command, shown under a usage error. */
export function usageFor(command?: string): string {
  const page = command ? COMMANDS[command] ?? COMMANDS.start : OVERVIEW;
  return `${page.split("\n")[0]}\n(sync ${
    command && COMMANDS[command] ? command : "<command>"
  } --help for more)`;
}

export const MISSING_CREDENTIALS =
  "Missing credentials: set SYNCLINE_TOKEN to an admin credential (a Supabase secret API key sb_secret_... " +
  "or an admin user JWT), or SYNCLINE_JWT_SECRET on a local stack";

/** Checks every option value the command line gave; a bad one is a usage error. */
export function checkOptionValues(values: Record<string, unknown>): void {
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
