// The Syncline CLI. Talks to the HTTP API, so it works the same against a hosted project.
//   deno task sync [start] <connector> [--streams a,b] [--full | --reconcile] [--since DATE] [--until DATE]
//                  [--dry-run] [--force] [--shards N] [--account NAME] [--order ID] [--record stream:id] [--no-follow]
//   deno task sync history [--connector C] [--status S] [--limit N]
//   deno task sync show <job id>
//   deno task sync follow <job id>
//   deno task sync cancel <job id>
//   deno task sync --version   (this checkout's version, the deployed function's and the database schema's)
//   deno task sync accounts list | add | show | pause | resume | remove ...   (scripts/cli/accounts.ts)
//   deno task sync failed | stats | schedules | cooldowns | tick | cleanup | notifications ...   (see scripts/cli/commands.ts)
// Environment: SYNCLINE_API_URL (default http://127.0.0.1:54321/sync), SYNCLINE_TOKEN (an admin
// credential: sb_secret_ key or admin JWT); locally, SYNCLINE_JWT_SECRET lets the CLI mint a
// short-lived admin token itself. `sync <command> --help` lists a command's options.
// Exit codes: 0 succeeded, 3 partial, 1 failed/cancelled/API error, 2 usage error (bad command
// line, no credentials, input the API refused with 400/422).
import { runAccountsCommand } from "./cli/accounts.ts";
import { printStepReportIfModelled, runBubbleCommand } from "./cli/bubble.ts";
import { parseCommandLine } from "./cli/args.ts";
import { ApiClient, ApiError } from "./cli/client.ts";
import { checkOptionValues, helpFor, MISSING_CREDENTIALS, usageFor } from "./cli/help.ts";
import { runMetricsCommand } from "./cli/metrics.ts";
import { CliUsageError as UsageError, runOpsCommand } from "./cli/ops.ts";
import { joinJobChannel, liveSettings } from "./cli/live.ts";
import { exitCodeFor, formatCount, progressBlock, shardLines, summaryLines } from "./cli/render.ts";
import { runPromoteCommand } from "./cli/promote.ts";
import { runHighLevelCommand } from "./cli/highlevel.ts";
import { printVersion } from "./cli/version.ts";

function jobIdArg(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) {
    throw new UsageError(`Expected a job id, got "${value ?? ""}"`);
  }
  return id;
}

/**
 * Follows a job until it finishes: a live progress block (redrawn in place on a terminal, every
 * 2 s otherwise), then the summary. With SYNCLINE_REALTIME_URL/_KEY set (cli/live.ts) the job's
 * Realtime broadcasts drive it and the API is read only at the start, at the end and every 10 s as
 * a safety net; else, or when the join fails, it polls the API every 250 ms.
 */
async function follow(api: ApiClient, id: number): Promise<number> {
  const tty = Deno.stdout.isTerminal();
  const enc = new TextEncoder();
  let drawn = 0;
  let lastPrinted = 0;
  let { job, progress } = await api.job(id);
  const draw = (force = false) => {
    const lines = progressBlock(job, progress);
    if (tty) {
      const up = drawn ? `\x1b[${drawn}A` : "";
      Deno.stdout.writeSync(enc.encode(up + lines.map((l) => `\x1b[2K${l}\n`).join("")));
      drawn = lines.length;
    } else if (force || Date.now() - lastPrinted > 2000) {
      console.log(lines.join("\n"));
      lastPrinted = Date.now();
    }
  };
  const finished = () => !["queued", "running"].includes(job.status);
  let wake: () => void = () => {};
  const settings = liveSettings(Deno.env);
  const channel = settings && api.token && !finished()
    ? await joinJobChannel({
      settings,
      token: api.token,
      jobId: id,
      onEvent(event, payload) {
        if (event === "sync_progress" && typeof payload.stream === "string") {
          const row = { ...payload, phase: payload.stream } as unknown as (typeof progress)[number];
          progress = [...progress.filter((p) => p.phase !== payload.stream), row];
        } else if (event === "sync_status" || event === "sync_complete") {
          job = { ...job, ...payload, id } as typeof job;
        }
        wake();
      },
      onRefused: (reason) => console.error(`live updates unavailable (${reason}); polling the API`),
    })
    : null;
  try {
    while (true) {
      if (finished()) {
        // the final figures as the API has them
        ({ job, progress } = await api.job(id));
        draw(true);
        console.log("");
        for (const line of summaryLines(job, progress)) console.log(line);
        return exitCodeFor(job.status);
      }
      draw();
      if (channel) {
        // the next broadcast, or the safety read
        const read = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), 10_000);
          wake = () => (clearTimeout(timer), resolve(false));
        });
        if (read) ({ job, progress } = await api.job(id));
      } else {
        await new Promise((r) => setTimeout(r, 250));
        ({ job, progress } = await api.job(id));
      }
    }
  } finally {
    await channel?.close();
  }
}

/** The command a usage error is about (for the usage shown under it). */
let commandOfError: string | undefined;

async function main(args: string[]): Promise<number> {
  commandOfError = args.find((a) => !a.startsWith("-"));
  // `accounts` parses its own options (scripts/cli/accounts.ts)
  if (args[0] === "accounts") {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(helpFor("accounts"));
      return 0;
    }
    const api = await ApiClient.fromEnv();
    if (!api.token) throw new UsageError(MISSING_CREDENTIALS);
    return await runAccountsCommand(api, args.slice(1));
  }
  const { values, positionals } = parseCommandLine(args);
  commandOfError = positionals[0];
  if (values.version && positionals.length === 0) {
    return await printVersion(
      (Deno.env.get("SYNCLINE_API_URL") ?? "http://127.0.0.1:54321/sync").replace(/\/$/, ""),
    );
  }
  if (values.help || positionals.length === 0) {
    console.log(helpFor(positionals[0]));
    return values.help ? 0 : 2;
  }
  // "sync start square ..." is "sync square ..."
  if (positionals[0] === "start") {
    positionals.shift();
    if (!positionals.length) {
      throw new UsageError("sync start needs a connector, e.g. sync start square --full");
    }
  }
  // --data-type (the name the team's old CLI used) is another name for --streams
  const dataType = values["data-type"];
  if (dataType !== undefined) {
    if (values.streams !== undefined && values.streams !== dataType) {
      throw new UsageError(
        `--data-type is another name for --streams: give one of them, got --streams "${values.streams}" and --data-type "${dataType}"`,
      );
    }
    values.streams = dataType;
  }
  checkOptionValues(values);
  const api = await ApiClient.fromEnv();
  if (!api.token) throw new UsageError(MISSING_CREDENTIALS);
  const [command, arg] = positionals;
  if (command === "metrics") return await runMetricsCommand(api, positionals.slice(1), values);
  if (command === "promote") {
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    if (values.watch) Deno.addSignalListener("SIGINT", onInterrupt);
    try {
      return await runPromoteCommand(
        api,
        positionals.slice(1),
        values,
        (id) => follow(api, id),
        console.log,
        {
          signal: stop.signal,
          clear: Deno.stdout.isTerminal()
            ? () => Deno.stdout.writeSync(new TextEncoder().encode("\x1b[2J\x1b[H"))
            : undefined,
        },
      );
    } finally {
      if (values.watch) Deno.removeSignalListener("SIGINT", onInterrupt);
    }
  }
  const ops = await runOpsCommand(api, command, positionals.slice(1), values);
  if (ops !== null) return ops;
  if (command === "bubble") {
    const bubble = await runBubbleCommand(api, positionals.slice(1), values);
    if (bubble !== null) return bubble;
  }
  const hl = await runHighLevelCommand(api, command, positionals.slice(1), values);
  if (hl !== null) return hl;
  switch (command) {
    case "history": {
      const { jobs } = await api.history({
        connector: values.connector,
        status: values.status,
        limit: values.limit,
      });
      console.log(
        `${"id".padStart(6)}  ${"connector".padEnd(10)} ${"status".padEnd(10)} ${"mode".padEnd(11)} ${
          "records".padStart(10)
        }  created                   streams`,
      );
      for (const j of jobs) {
        const records = Number((j.stats as { records?: number }).records ?? 0);
        console.log(
          `${String(j.id).padStart(6)}  ${j.connector.padEnd(10)} ${j.status.padEnd(10)} ${
            j.mode.padEnd(11)
          } ${formatCount(records).padStart(10)}  ${j.created_at.padEnd(25)} ${j.streams.join(",")}`,
        );
      }
      return 0;
    }
    case "show": {
      const { job, progress, shards } = await api.job(jobIdArg(arg));
      for (const line of progressBlock(job, progress)) console.log(line);
      console.log("");
      for (const line of summaryLines(job, progress)) console.log(line);
      if (shards?.length) { for (const line of ["", ...shardLines(shards)]) console.log(line); }
      return ["queued", "running"].includes(job.status) ? 0 : exitCodeFor(job.status);
    }
    case "follow":
      return await follow(api, jobIdArg(arg));
    case "cancel": {
      const { job } = await api.cancel(jobIdArg(arg));
      console.log(job.status === "cancelled" ? `job ${job.id} cancelled` : `job ${job.id}: cancel requested`);
      return 0;
    }
    default: {
      if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}"`);
      const records: Record<string, string[]> = {};
      for (const id of values.order ?? []) (records.orders ??= []).push(id);
      for (const id of values.invoice ?? []) (records.invoice ??= []).push(id);
      for (const r of values.record ?? []) {
        const m = /^([a-z_]+):(.+)$/.exec(r);
        if (!m) throw new UsageError(`--record takes stream:id, got "${r}"`);
        (records[m[1]] ??= []).push(m[2]);
      }
      const body = {
        connector: command,
        ...(values.account ? { account: values.account } : {}),
        ...(values.streams
          ? { streams: values.streams.split(",").map((s) => s.trim()).filter(Boolean) }
          : {}),
        mode: reconcileMode(values),
        ...(values.since ? { since: values.since } : {}),
        ...(values.until ? { until: values.until } : {}),
        ...(values.force ? { force: true } : {}),
        ...(values["dry-run"] ? { dryRun: true } : {}),
        ...(Object.keys(records).length ? { records } : {}),
        ...(values.shards ? { shards: Number(values.shards) } : {}),
      };
      const { job } = await api.start(body);
      console.log(
        `started job ${job.id}: ${job.connector} ${job.mode}${values["dry-run"] ? " (dry run)" : ""} of ${
          job.streams.join(", ")
        }`,
      );
      if (values["no-follow"]) return 0;
      const code = await follow(api, job.id);
      // the Bubble integrity sync of single invoices: print each invoice's step report
      if (command === "bubble" && records.invoice) await printStepReportIfModelled(api, job.id);
      return code;
    }
  }
}

/** --full and --reconcile pick the mode; together they are a usage error. */
function reconcileMode(values: { full?: boolean; reconcile?: boolean }): string {
  if (values.full && values.reconcile) throw new UsageError("--full and --reconcile cannot be combined");
  return values.reconcile ? "reconcile" : values.full ? "full" : "incremental";
}

try {
  Deno.exit(await main(Deno.args));
} catch (err) {
  const code = (err as { code?: string })?.code;
  if (err instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
    console.error(`error: ${(err as Error).message}\n${usageFor(commandOfError)}`);
    Deno.exit(2);
  }
  if (err instanceof ApiError) {
    // input the API refused is a usage error; a refused credential names the variable to fix
    const hint = err.status === 401 ? " (check SYNCLINE_TOKEN)" : "";
    console.error(`error: ${err.message}${hint}`);
    Deno.exit(err.status === 400 || err.status === 422 ? 2 : 1);
  }
  console.error(`error: ${(err as Error)?.message ?? err}`);
  Deno.exit(1);
}
