// The COPY merge path's database side (sql/sync_merge_copy.sql): a uniform page's COPY text
// (copy_rows.ts) streamed into this transaction's staging table and merged by sync.merge_copied,
// which applies merge_rows' rules and returns its counts.
import type postgres from "postgres";
import type { MergeCounts, Sql } from "../types.ts";
import type { CopyColumn, CopyPage } from "../records/mod.ts";
import { isConnectionError } from "../postgres/mod.ts";

/**
 * The COPY itself failed (the transaction is aborted): the page takes the JSON path instead.
 * `byServer` false: it failed in this process (the runtime's stream or timer, a bad page), not by
 * Postgres' answer; the pool then takes the JSON path for every later page (page_merge.ts).
 */
export class CopyRefusedError extends Error {
  readonly byServer: boolean;
  constructor(target: string, options?: { cause?: unknown; byServer?: boolean }) {
    const byServer = options?.byServer ?? true;
    super(
      byServer
        ? `COPY of a page into the staging table of "${target}" failed`
        : `COPY of a page into the staging table of "${target}" failed in this process: ${
          (options?.cause as Error)?.message ?? options?.cause
        }`,
      options,
    );
    this.name = "CopyRefusedError";
    this.byServer = byServer;
  }
}

/** True for an error Postgres sent (postgres.js' PostgresError carries its severity). */
function fromServer(err: unknown): boolean {
  return typeof (err as { severity?: unknown })?.severity === "string";
}

const columnCache = new WeakMap<Sql, Map<string, Promise<Map<string, CopyColumn>>>>();

/** A registered target's columns and types (sync.copy_columns), read once per pool and target. */
export function copyColumns(sql: Sql, target: string): Promise<Map<string, CopyColumn>> {
  let byTarget = columnCache.get(sql);
  if (!byTarget) columnCache.set(sql, byTarget = new Map());
  let columns = byTarget.get(target);
  if (!columns) {
    columns = sql`select name, type from sync.copy_columns(${target})`.then((rows) =>
      new Map(rows.map((r) => [r.name as string, { name: r.name as string, type: r.type as string }]))
    );
    byTarget.set(target, columns);
    columns.catch(() => byTarget.delete(target)); // read again next time
  }
  return columns;
}

const ident = (c: string) => `"${c.replaceAll('"', '""')}"`;

/**
 * Stages and merges one page in `tx` (the page's transaction): sync.copy_stage, the COPY, then
 * sync.merge_copied. Errors of the rows come raw from merge_copied (SQLSTATE 22/23), as merge_rows
 * raises them; a COPY that the server refuses surfaces as CopyRefusedError.
 */
export async function copyMerge(
  tx: postgres.TransactionSql,
  target: string,
  page: CopyPage,
  jobId: number | null,
): Promise<MergeCounts> {
  await tx`select sync.copy_stage(${target}, ${page.columns}::text[])`;
  try {
    await writeCopy(tx, page);
  } catch (err) {
    if (isConnectionError(err)) throw err;
    throw new CopyRefusedError(target, { cause: err, byServer: fromServer(err) });
  }
  try {
    const [m] = await tx`select sync.merge_copied(${target}, ${page.columns}::text[], ${jobId}) as counts`;
    return m.counts as MergeCounts;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "25P02" || code === "COPY_IN_PROGRESS") throw new CopyRefusedError(target, { cause: err });
    if (isConnectionError(err) || fromServer(err)) throw err; // a row's own error: merge_rows' rules
    throw new CopyRefusedError(target, { cause: err, byServer: false });
  }
}

/**
 * COPYs the page into pg_temp._sync_copy. postgres.js reports a COPY the server refused only to
 * the next query (the transaction is then aborted, SQLSTATE 25P02), and lets the next query run
 * only once the stream's end was handed to the socket (in the stream's `final`, a tick after
 * `end()`): so this returns a turn of the event loop after it. A zero timer is that turn on every
 * runtime: the bare setImmediate global exists only under Deno 2.2+ (Deno 2.1 and the Supabase Edge
 * Runtime give Node globals to code inside node_modules only), and node:timers' setImmediate is
 * itself a zero timer there.
 */
export async function writeCopy(tx: postgres.TransactionSql, page: CopyPage): Promise<void> {
  const stream = await tx.unsafe(`copy pg_temp._sync_copy (${page.columns.map(ident).join(", ")}) from stdin`)
    .writable();
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      stream.write(page.text, (err) => err ? reject(err) : resolve());
    });
  } catch (err) {
    // ends the COPY with CopyFail (postgres.js), so the connection leaves COPY mode and can roll back
    if (!stream.destroyed) stream.destroy(err as Error);
    throw err;
  }
  stream.end();
  await new Promise((r) => setTimeout(r, 0));
}
