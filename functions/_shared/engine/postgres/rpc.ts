// The one way TypeScript calls Postgres and reads its rows: rpc() turns the documented SQLSTATEs
// (and lost connections) into typed errors, fromRow() is the row codec every wrapper uses.
import { fromDatabaseError } from "../errors.ts";

/** Runs one database call; a database error comes back as the typed error it stands for (errors.ts). */
export async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromDatabaseError(err);
  }
}

/**
 * A row as plain JSON values: bigint columns arrive as BigInt (our pool) and become numbers;
 * the named numeric columns arrive as strings from a default postgres.js pool (bigint, numeric)
 * and become numbers too. Every other value is kept as it is.
 */
export function fromRow<T>(row: Record<string, unknown>, numeric: ReadonlySet<string> = NO_COLUMNS): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = typeof v === "bigint" ? Number(v) : typeof v === "string" && numeric.has(k) ? Number(v) : v;
  }
  return out as T;
}

const NO_COLUMNS: ReadonlySet<string> = new Set();

const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/** True when the database went away (restart, network), as opposed to a failing statement. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  const code = typeof e.code === "string" ? e.code : "";
  if (CONNECTION_CODES.has(code)) return true;
  // SQLSTATE class 08 (connection exception) and 57P0x (admin/crash shutdown, cannot connect now)
  if (/^08...$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  if (
    ["ConnectionRefused", "ConnectionReset", "ConnectionAborted", "BrokenPipe", "NotConnected"].includes(
      String(e.name),
    )
  ) {
    return true;
  }
  return e.cause !== undefined && e.cause !== err ? isConnectionError(e.cause) : false;
}
