// The Syncline CLI. Talks to the HTTP API, so it works the same against a hosted project.
//   deno task sync [start] <connector> [--streams a,b] [--full] [--since DATE] [--until DATE]
//                  [--dry-run] [--force] [--account NAME] [--order ID] [--record stream:id] [--no-follow]
//   deno task sync history [--connector C] [--status S] [--limit N]
//   deno task sync show <job id>
//   deno task sync follow <job id>
//   deno task sync cancel <job id>
//   deno task sync failed | stats | schedules | cleanup | notifications ...   (see USAGE)
// Environment: SYNCLINE_API_URL (default http://127.0.0.1:54321/sync), SYNCLINE_TOKEN (admin
// JWT); locally, SYNCLINE_JWT_SECRET lets the CLI mint a short-lived admin token itself.
// Exit codes: 0 succeeded, 3 partial, 1 failed/cancelled/API error, 2 usage error.
import { parseArgs } from "node:util";
import { ApiClient, ApiError } from "./cli/client.ts";
import { HIGHLEVEL_USAGE, runHighLevelCommand } from "./cli/highlevel.ts";
import { CliUsageError as UsageError, OPS_USAGE, runOpsCommand } from "./cli/ops.ts";
import { exitCodeFor, formatCount, progressBlock, summaryLines } from "./cli/render.ts";

const USAGE = `usage:
  sync [start] <connector> [--streams a,b] [--full] [--since DATE] [--until DATE] [--dry-run] [--force]
                           [--account NAME] [--order ID] [--record stream:id] [--no-follow]
  sync history [--connector C] [--status S] [--limit N]
  sync show <job id> | follow <job id> | cancel <job id>
${OPS_USAGE}
${HIGHLEVEL_USAGE}`;

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      streams: { type: "string" },
      full: { type: "boolean", default: false },
      since: { type: "string" },
      until: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      account: { type: "string" },
      order: { type: "string", multiple: true },
      record: { type: "string", multiple: true },
      "no-follow": { type: "boolean", default: false },
      connector: { type: "string" },
      status: { type: "string" },
      limit: { type: "string" },
      stream: { type: "string" },
      days: { type: "string" },
      ids: { type: "string" },
      name: { type: "string" },
      cron: { type: "string" },
      "lookback-hours": { type: "string" },
      disabled: { type: "boolean", default: false },
      "batch-size": { type: "string" },
      type: { type: "string" },
      inactive: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

function jobIdArg(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id <= 0) {
    throw new UsageError(`Expected a job id, got "${value ?? ""}"`);
  }
  return id;
}

async function follow(api: ApiClient, id: number): Promise<number> {
  const tty = Deno.stdout.isTerminal();
  const enc = new TextEncoder();
  let drawn = 0;
  let lastPrinted = 0;
  while (true) {
    const { job, progress } = await api.job(id);
    const lines = progressBlock(job, progress);
    const finished = !["queued", "running"].includes(job.status);
    if (tty) {
      const up = drawn ? `\x1b[${drawn}A` : "";
      Deno.stdout.writeSync(enc.encode(up + lines.map((l) => `\x1b[2K${l}\n`).join("")));
      drawn = lines.length;
    } else if (finished || Date.now() - lastPrinted > 2000) {
      console.log(lines.join("\n"));
      lastPrinted = Date.now();
    }
    if (finished) {
      console.log("");
      for (const line of summaryLines(job, progress)) console.log(line);
      return exitCodeFor(job.status);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parse(args);
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  // "sync start square ..." is "sync square ..."
  if (positionals[0] === "start") {
    positionals.shift();
    if (!positionals.length) {
      throw new UsageError("sync start needs a connector, e.g. sync start square --full");
    }
  }
  const api = await ApiClient.fromEnv();
  const [command, arg] = positionals;
  const ops = await runOpsCommand(api, command, positionals.slice(1), values);
  if (ops !== null) return ops;
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
      const { job, progress } = await api.job(jobIdArg(arg));
      for (const line of progressBlock(job, progress)) console.log(line);
      console.log("");
      for (const line of summaryLines(job, progress)) console.log(line);
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
        mode: values.full ? "full" : "incremental",
        ...(values.since ? { since: values.since } : {}),
        ...(values.until ? { until: values.until } : {}),
        ...(values.force ? { force: true } : {}),
        ...(values["dry-run"] ? { dryRun: true } : {}),
        ...(Object.keys(records).length ? { records } : {}),
      };
      const { job } = await api.start(body);
      console.log(
        `started job ${job.id}: ${job.connector} ${job.mode}${values["dry-run"] ? " (dry run)" : ""} of ${
          job.streams.join(", ")
        }`,
      );
      if (values["no-follow"]) return 0;
      return await follow(api, job.id);
    }
  }
}

try {
  Deno.exit(await main(Deno.args));
} catch (err) {
  if (
    err instanceof UsageError ||
    (err as Error)?.name === "TypeError" && /Unknown option|argument/.test(String(err))
  ) {
    console.error(`error: ${(err as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
  if (err instanceof ApiError) {
    console.error(`error: ${err.message}`);
    Deno.exit(1);
  }
  console.error(`error: ${(err as Error)?.message ?? err}`);
  Deno.exit(1);
}
