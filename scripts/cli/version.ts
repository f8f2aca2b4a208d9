// `deno task sync --version`: this checkout's version, and what GET /sync/health says about the
// deployed function and the database's schema. Exit 0 when the database's schema is the one the
// function needs, 1 when it is behind or ahead, or the API cannot be asked.
import { SCHEMA_VERSION, VERSION } from "../../functions/_shared/version.ts";

interface Health {
  ok?: boolean;
  version?: string;
  database?: string;
  schema?: { status: string; database: string | null; expected: string; message?: string };
}

/** The lines `--version` prints and its exit code, from the health answer (null: no answer). */
export function versionReport(
  baseUrl: string,
  health: Health | null,
  problem?: string,
): { lines: string[]; code: number } {
  const lines = [`Syncline ${VERSION} (this checkout; needs database schema ${SCHEMA_VERSION})`];
  if (!health) {
    lines.push(`function  cannot be asked at ${baseUrl}/health: ${problem ?? "no answer"}`);
    return { lines, code: 1 };
  }
  if (!health.version) {
    lines.push(`function  older than 0.9.0 at ${baseUrl} (it reports no version)`);
    lines.push(`database  schema unknown: run "deno task install" from this checkout to upgrade`);
    return { lines, code: 1 };
  }
  lines.push(`function  ${health.version} at ${baseUrl}`);
  if (!health.schema) {
    lines.push(`database  ${health.database ?? "unknown"}${problem ? `: ${problem}` : ""}`);
    return { lines, code: 1 };
  }
  const s = health.schema;
  lines.push(`database  schema ${s.database ?? "none"} (${s.status}; the function needs ${s.expected})`);
  if (s.message) lines.push(s.message);
  if (health.version !== VERSION) {
    lines.push(
      `note: the deployed function is ${health.version}, this checkout is ${VERSION}` +
        ` ("deno task install" from the checkout you want deploys it)`,
    );
  }
  return { lines, code: s.status === "current" ? 0 : 1 };
}

/** Asks GET /sync/health (public: no credential needed) and prints the report. */
export async function printVersion(baseUrl: string): Promise<number> {
  let health: Health | null = null;
  let problem: string | undefined;
  try {
    const res = await fetch(`${baseUrl}/health`, { headers: { "x-syncline-client": "cli" } });
    const text = await res.text();
    try {
      health = JSON.parse(text);
    } catch {
      problem = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    }
    if (health && !res.ok) problem = `HTTP ${res.status}`;
  } catch (err) {
    problem = (err as Error).message;
  }
  const { lines, code } = versionReport(baseUrl, health, problem);
  for (const line of lines) console.log(line);
  return code;
}
