// Database refusals at the HTTP edge. A request the database refuses for what it holds — a
// check, unique, foreign-key or not-null violation, or a value too large or too deep to store —
// is the caller's problem: 409 (conflicts with stored rows) or 422 (an invalid value), naming the
// constraint, never a 500. Only the API maps these; the engine keeps the raw errors.
import { ConflictError, ValidationError } from "../engine/errors.ts";

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  severity?: string;
}

/** The 4xx for an integrity or size error from PostgreSQL, or null for anything else. */
export function integrityError(err: unknown): ConflictError | ValidationError | null {
  const e = err as PgError;
  if (typeof e?.code !== "string" || typeof e.severity !== "string") return null;
  const text = `${e.message ?? e.code}${e.detail ? ` (${e.detail})` : ""}`.slice(0, 500);
  switch (e.code) {
    case "23505": // unique_violation
    case "23P01": // exclusion_violation
      return new ConflictError(`Conflict: ${text}`);
    case "23503": // foreign_key_violation: deleting a referenced row conflicts; pointing at no row is invalid
      return /still referenced/.test(e.detail ?? "")
        ? new ConflictError(`Conflict: ${text}`)
        : new ValidationError(`Invalid reference: ${text}`);
    case "23514": // check_violation
    case "23502": // not_null_violation
    case "23001": // restrict_violation
    case "23000":
      return new ValidationError(`Invalid value: ${text}`);
    case "54000": // program_limit_exceeded (e.g. an index row too large)
    case "54001": // statement_too_complex (stack depth: JSON nested too deep)
      return new ValidationError(`Value too large or too deeply nested to store: ${e.message ?? e.code}`);
    default:
      return null;
  }
}
