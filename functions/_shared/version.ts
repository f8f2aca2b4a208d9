// The release this code is and the database schema it was built for. VERSION is deno.json's
// "version"; SCHEMA_VERSION is the version of the newest file in supabase/migrations, which records
// itself in sync.schema_versions (version_test.ts keeps all three equal). The function and the worker
// refuse a database whose schema is another one: behind (migrations not applied yet) or ahead (this
// code is older than the database), naming both versions and the command that fixes it.
import type { Sql } from "./engine/types.ts";

export const VERSION = "0.11.0";
export const SCHEMA_VERSION = "20261210200000";
export const UPGRADE_COMMAND = "deno task install";

/** How the database's schema compares with the one this code needs. */
export type SchemaStatus = "current" | "behind" | "ahead";

export interface SchemaCheck {
  status: SchemaStatus;
  /** what the database reports; null when it predates schema versions (before 0.9.0) */
  database: string | null;
  expected: string;
}

/** Compares the database's schema version with the one this code was built for. */
export function compareSchema(database: string | null, expected: string = SCHEMA_VERSION): SchemaCheck {
  const status = database === expected
    ? "current"
    : database === null || database < expected
    ? "behind"
    : "ahead";
  return { status, database, expected };
}

/** What a refused request or a refusing worker says: both versions and the command that fixes it. */
export function schemaMismatchMessage(check: SchemaCheck): string {
  const db = check.database ?? "none (installed before Syncline 0.9.0, which added schema versions)";
  if (check.status === "behind") {
    return `The database's schema version is ${db}, but Syncline ${VERSION} needs ${check.expected}: ` +
      `the database is behind. Run "${UPGRADE_COMMAND}" from this release's checkout to apply the ` +
      `pending migrations.`;
  }
  return `The database's schema version is ${db}, newer than ${check.expected}, the one Syncline ${VERSION} ` +
    `was built for: this code is behind the database. Run "${UPGRADE_COMMAND}" from the checkout of the ` +
    `release that migrated the database (it deploys the matching function), and run that release's worker.`;
}

/** The database's schema version; null when it has none (sync.schema_version() or sync itself absent). */
export async function readSchemaVersion(sql: Sql): Promise<string | null> {
  try {
    const [row] = await sql<{ version: string | null }[]>`select sync.schema_version() as version`;
    return row?.version ?? null;
  } catch (err) {
    // 42883: no such function, 3F000: no such schema: a database from before schema versions
    const code = (err as { code?: string })?.code;
    if (code === "42883" || code === "3F000") return null;
    throw err;
  }
}

export interface SchemaGateOptions {
  expected?: string;
  now?: () => number;
  /** how long a mismatch is remembered before the database is asked again (default 10 s) */
  recheckMs?: number;
}

/**
 * The start-up check, cached: the first call reads the database's schema version; a match is kept for
 * the life of the process, a mismatch for recheckMs (so a finished upgrade is seen without a restart).
 * A failed read (database unreachable) is not cached and throws.
 */
export function schemaGate(
  read: () => Promise<string | null>,
  opts: SchemaGateOptions = {},
): () => Promise<SchemaCheck> {
  const now = opts.now ?? Date.now;
  const recheckMs = opts.recheckMs ?? 10_000;
  let cached: { check: SchemaCheck; at: number } | null = null;
  let reading: Promise<SchemaCheck> | null = null;
  return () => {
    if (cached && (cached.check.status === "current" || now() - cached.at < recheckMs)) {
      return Promise.resolve(cached.check);
    }
    reading ??= read().then((database) => {
      const check = compareSchema(database, opts.expected);
      cached = { check, at: now() };
      return check;
    }).finally(() => (reading = null));
    return reading;
  };
}
