// Typed errors. Each carries a stable code and an HTTP status; app.onError turns them into
// {"error": {"code", "message", "details"?}} and never leaks a stack trace.

export class SynclineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from a caller: 400/422 with a message naming the offending value. */
export class ValidationError extends SynclineError {
  constructor(message: string, details?: Record<string, unknown>, status = 422) {
    super("invalid_request", message, status, details);
  }
}

export class NotFoundError extends SynclineError {
  constructor(message: string) {
    super("not_found", message, 404);
  }
}

export class ConflictError extends SynclineError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("conflict", message, 409, details);
  }
}

export class AuthError extends SynclineError {
  constructor(message: string, status: 401 | 403 = 401) {
    super(status === 401 ? "unauthorized" : "forbidden", message, status);
  }
}

/** What an HttpError says: which source, the HTTP status (0: no answer), and whether to retry. */
export interface HttpErrorInit {
  source: string;
  /** the HTTP status, or 0 when no answer came (network error, timeout) */
  status: number;
  message: string;
  /** a retry may succeed (429, 5xx, network, timeout) */
  transient: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** An external API answered with an error (after retries, when the error was transient). */
export class HttpError extends SynclineError {
  readonly source: string;
  readonly httpStatus: number;
  readonly transient: boolean;
  readonly retryAfterMs?: number;

  constructor(init: HttpErrorInit) {
    super(
      init.transient ? "upstream_unavailable" : "upstream_error",
      init.message,
      502,
      { source: init.source, status: init.status },
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.source = init.source;
    this.httpStatus = init.status;
    this.transient = init.transient;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Maps the database's documented SQLSTATEs (SY404/SY409/SY410/SY422) to typed errors, and a
 * PostgreSQL data exception (SQLSTATE class 22) to a 422.
 */
export function fromDatabaseError(err: unknown): unknown {
  const e = err as { code?: string; message?: string; detail?: string; severity?: string };
  // class 22 (data exception: bad encoding, out-of-range value, bad syntax for a type) is bad input
  if (typeof e?.code === "string" && e.code.startsWith("22") && typeof e.severity === "string") {
    return new ValidationError(`Invalid value: ${e.message ?? e.code}`);
  }
  if (typeof e?.code !== "string" || !e.code.startsWith("SY")) return err;
  const message = e.message ?? "database error";
  let details: Record<string, unknown> | undefined;
  try {
    details = e.detail ? JSON.parse(e.detail) : undefined;
  } catch {
    details = undefined;
  }
  switch (e.code) {
    case "SY404":
      return new NotFoundError(message);
    case "SY409":
      return new ConflictError(message, details);
    case "SY410":
      return new SynclineError("lease_lost", message, 409, details, { cause: err });
    case "SY422":
      return new ValidationError(message, details);
    case "SY503":
      return new SynclineError("unavailable", message, 503, details, { cause: err });
    default:
      return err;
  }
}

/** A source's circuit breaker is open: requests are refused until its cool-down is over. */
export class CircuitOpenError extends SynclineError {
  constructor(readonly source: string, readonly retryInMs: number, lastError?: string) {
    super(
      "circuit_open",
      `${source}: circuit breaker is open after repeated failures; requests are refused for another ${
        Math.ceil(retryInMs / 1000)
      } s${lastError ? ` (last error: ${lastError})` : ""}`,
      503,
      { source, retry_in_ms: retryInMs },
    );
  }
}

/**
 * A source asked to wait (429) longer than this run may: past the job's deadline, past the longest
 * single wait, or past its give-up time. The runner defers the job to the source's time
 * (sync.defer_job) or, once the give-up time is over, fails it with this message.
 */
export class RateLimitedError extends HttpError {
  constructor(
    init: Omit<HttpErrorInit, "transient" | "status">,
    /** when the next request may go, from now */
    readonly waitMs: number,
  ) {
    super({ ...init, status: 429, transient: true, retryAfterMs: waitMs });
  }
}
