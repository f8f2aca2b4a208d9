// Bubble commands of the CLI:
//   sync bubble coverage             field-mapping coverage per type (GET /sync/bubble/coverage)
//   sync bubble --invoice <id> [--force]   one invoice with its relations, then its step report
//   sync bubble report <job id> [--invoice <id>]   the step report of an integrity-sync job
import type { CoverageReport } from "../../functions/_shared/connectors/bubble/model/coverage.ts";
import { coverageLines } from "../../functions/_shared/connectors/bubble/model/coverage.ts";
import { type StepReport, stepReportLines } from "../../functions/_shared/connectors/bubble/queries.ts";
import { type ApiClient, ApiError } from "./client.ts";
import { CliUsageError } from "./ops.ts";

/** The step report of a job, as text; empty when the job has none. */
export async function printStepReport(
  api: ApiClient,
  jobId: number,
  invoice?: string,
  print: (line: string) => void = console.log,
): Promise<void> {
  const q = invoice ? `?invoice=${encodeURIComponent(invoice)}` : "";
  const report = await api.call<StepReport>("GET", `/bubble/jobs/${jobId}/report${q}`);
  for (const line of stepReportLines(report)) print(line);
}

/**
 * After a single-invoice sync: the step report when the connector has a model (only a modelled
 * connector runs the integrity sync that writes one); without a model (BUBBLE_MODEL unset, the API
 * answers 404) there is none to print, and the job's own outcome decides the exit code.
 */
export async function printStepReportIfModelled(
  api: ApiClient,
  jobId: number,
  print: (line: string) => void = console.log,
): Promise<void> {
  let report: StepReport;
  try {
    report = await api.call<StepReport>("GET", `/bubble/jobs/${jobId}/report`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return;
    throw err;
  }
  print("");
  for (const line of stepReportLines(report)) print(line);
}

/** Handles `sync bubble <subcommand>`; null when it is not one (a plain `sync bubble ...` start). */
export async function runBubbleCommand(
  api: ApiClient,
  args: string[],
  flags: { invoice?: string[] },
  print: (line: string) => void = console.log,
): Promise<number | null> {
  const [sub, arg] = args;
  switch (sub) {
    case undefined:
      return null;
    case "coverage": {
      const report = await api.call<CoverageReport>("GET", "/bubble/coverage");
      for (const line of coverageLines(report)) print(line);
      return 0;
    }
    case "report": {
      const id = Number(arg);
      if (!arg || !Number.isInteger(id) || id <= 0) {
        throw new CliUsageError(`Expected a job id, got "${arg ?? ""}"`);
      }
      await printStepReport(api, id, flags.invoice?.[0], print);
      return 0;
    }
    default:
      throw new CliUsageError(`Unknown bubble command "${sub}" (coverage, report)`);
  }
}
