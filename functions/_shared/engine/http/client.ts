// The one HTTP client every connector uses: base URL and headers, per-request timeout,
// classification of failures, bounded retries with backoff + jitter honouring Retry-After.
// Optional guards shared across workers: a circuit breaker and a rate limiter per source.
// Requests go only to the base URL's origin and follow redirects only there (redirects.ts).
// A 429 is the source asking to wait, not a failure: it never counts toward the circuit or
// maxAttempts; it is waited out (Retry-After, the vendor's rate headers, else a backoff growing to
// minutes) while the wait fits the job's deadline, else RateLimitedError lets the runner defer the job.
import { backoffDelay, parseRetryAfter, rateLimitDelay } from "../backoff.ts";
import type { CircuitStore } from "./circuit.ts";
import { CircuitOpenError, HttpError, RateLimitedError } from "../errors.ts";
import { parseJsonExact } from "../json.ts";
import type { RateLimiter } from "./rate_limit.ts";
import { isRedirect, nextHop, RedirectRefused } from "./redirects.ts";
import { capText, createRedactor, type Redactor, safeErrorText } from "../../redact.ts";

export interface HttpPolicy {
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of the backoff delay. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails (transient). */
  maxRetryAfterMs?: number;
  /** Circuit breaker consulted before and told after every request (key: circuitKey). */
  circuit?: CircuitStore;
  /** Rate limiter asked for a token before every request (key: circuitKey). */
  rateLimiter?: RateLimiter;
  /** Key of the circuit and rate limit, e.g. "square/default"; defaults to the client's source. */
  circuitKey?: string;
  /** Retry delay of a failed answer that has no Retry-After, from vendor headers (Connector). */
  retryAfterHint?(status: number, headers: Headers): number | undefined;
  /** Parse answers keeping integers beyond 2^53 exact (json.ts); costs CPU on every page. */
  exactIntegers?: boolean;
  /** Cap of the wait after consecutive 429s that name no time (default 5 minutes). */
  rateLimitMaxDelayMs?: number;
  /**
   * How long a job keeps waiting for a source that answers 429 or is down, counted from its last
   * success, before it fails (default 30 minutes; the runner enforces it across deferrals).
   */
  giveUpAfterMs?: number;
}

export const defaultGiveUpAfterMs = 30 * 60_000;
export const defaultRateLimitMaxDelayMs = 5 * 60_000;

export const defaultHttpPolicy: HttpPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
};

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sees the headers of the successful answer (e.g. a Link header for paging). */
  onHeaders?: (headers: Headers) => void;
}

export interface HttpStats {
  requests: number;
  retries: number;
  /** Attempts that failed transiently (each one retried or, the last, given up). */
  failures: number;
  /** Time spent waiting for the rate limiter. */
  rateLimitedMs: number;
  /** Requests refused because the circuit was open. */
  circuitRejections: number;
}

/** Transient failures are retried: 408, 425, 429 and 5xx; every other 4xx is permanent. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Header names that carry a credential. */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|password|signature/i;

/** The credential values of these headers: each whole, and the part after a scheme ("Bearer x", "Basic b64" decoded). */
export function credentialValues(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADER.test(name) || typeof value !== "string") continue;
    out.push(value);
    const m = /^(\w+)\s+(\S+)$/.exec(value.trim());
    if (!m) continue;
    out.push(m[2]);
    if (m[1].toLowerCase() === "basic") {
      try {
        const plain = atob(m[2]);
        out.push(plain, plain.slice(plain.indexOf(":") + 1));
      } catch {
        // not base64: the value as sent is redacted already
      }
    }
  }
  return out;
}

/** What an HttpClient is built from; clock, randomness and fetch are injectable for tests. */
export interface HttpClientInit {
  /** the source's name in errors, stats and the shared circuit/rate-limit keys */
  source: string;
  baseUrl: string;
  /** headers every request carries (auth, API version) */
  headers?: Record<string, string>;
  /** Secrets its error texts are redacted of (the connector's config); credential headers are added. */
  secrets?: Iterable<string>;
  policy?: HttpPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export class HttpClient {
  readonly stats: HttpStats = {
    requests: 0,
    retries: 0,
    failures: 0,
    rateLimitedMs: 0,
    circuitRejections: 0,
  };
  /** Last circuit state seen: a success on a clean closed circuit needs no write. */
  private circuitClean = false;
  /** When waits must end (the job's deadline, ms since the epoch): a longer 429 wait throws RateLimitedError. */
  deadline: number | undefined;
  /** Since when the source has answered nothing but 429s and failures (ms since the epoch); unset by a success. */
  unavailableSince: number | undefined;
  private heartbeat?: () => Promise<unknown>;
  private heartbeatEveryMs = 5_000;
  private lastBeat = 0;

  readonly source: string;
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  readonly policy: HttpPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly fetchImpl: typeof fetch;
  readonly now: () => number;
  /** Redacts the client's credentials (and anything credential-shaped) from a text. */
  readonly redact: Redactor;

  constructor(init: HttpClientInit) {
    this.source = init.source;
    this.baseUrl = init.baseUrl;
    this.headers = init.headers ?? {};
    this.policy = init.policy ?? defaultHttpPolicy;
    this.sleep = init.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = init.random ?? Math.random;
    this.fetchImpl = init.fetchImpl ?? fetch;
    this.now = init.now ?? Date.now;
    this.redact = createRedactor([...(init.secrets ?? []), ...credentialValues(this.headers)]);
  }

  /** An error text of this client: its credentials redacted (a vendor may echo them), capped. */
  private safe(text: string): string {
    return safeErrorText(text, this.redact);
  }

  /**
   * Keeps the job's lease while this client works: `heartbeat` runs before a request and during a
   * wait, at most every `everyMs`, so every phase that talks to the source (listing, id walk,
   * reconcile, single records) heartbeats without a write per request.
   */
  keepAlive(heartbeat: () => Promise<unknown>, everyMs: number): void {
    this.heartbeat = heartbeat;
    this.heartbeatEveryMs = Math.max(1, everyMs);
    this.lastBeat = this.now();
  }

  /** The heartbeat, when the last one is at least heartbeatEveryMs old. */
  async beat(): Promise<void> {
    if (!this.heartbeat || this.now() - this.lastBeat < this.heartbeatEveryMs) return;
    this.lastBeat = this.now();
    await this.heartbeat();
  }

  /** Sleeps ms; a long sleep is cut into heartbeats. */
  private async wait(ms: number): Promise<void> {
    if (!this.heartbeat || ms <= this.heartbeatEveryMs) {
      await this.sleep(ms);
      return await this.beat();
    }
    for (let left = ms; left > 0; left -= this.heartbeatEveryMs) {
      await this.sleep(Math.min(left, this.heartbeatEveryMs));
      await this.beat();
    }
  }

  get<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>("GET", path, opts);
  }

  post<T = unknown>(path: string, body: unknown, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>("POST", path, { ...opts, body });
  }

  url(path: string, query?: RequestOptions["query"]): string {
    const url = new URL(
      path.replace(/^\//, ""),
      this.baseUrl.endsWith("/") ? this.baseUrl : this.baseUrl + "/",
    );
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.url(path, opts.query);
    const origin = new URL(this.baseUrl).origin;
    if (new URL(url).origin !== origin) {
      // the client's headers carry the source's credentials: they go to its own origin only
      throw new HttpError({
        source: this.source,
        status: 0,
        message: this.safe(
          `${this.source}: ${method} to ${new URL(url).origin} refused: requests go only to ${origin}`,
        ),
        transient: false,
      });
    }
    const maxRetryAfter = this.policy.maxRetryAfterMs ?? 120_000;
    let last: HttpError | undefined;
    let attempts = 0;
    // failures bounded by maxAttempts (429s are not: time bounds them, see rateLimitWait)
    let failures = 0;
    let limited = 0;
    for (;;) {
      await this.permit(last);
      attempts++;
      try {
        const result = await this.once<T>(method, url, opts);
        await this.recordOutcome(true);
        this.unavailableSince = undefined;
        return result;
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const rateLimited = err.httpStatus === 429;
        // a permanent answer (4xx) or a 429 still shows the source is up
        await this.recordOutcome(!err.transient || rateLimited, err.message);
        if (!err.transient) throw err;
        this.stats.failures++;
        this.unavailableSince ??= this.now();
        last = err;
        if (opts.signal?.aborted) break;
        let wait: number;
        if (rateLimited) {
          wait = this.rateLimitWait(err, limited++, maxRetryAfter);
        } else {
          if (++failures >= this.policy.maxAttempts) break;
          if (err.retryAfterMs !== undefined && err.retryAfterMs > maxRetryAfter) break;
          const backoff = backoffDelay(
            attempts - 1,
            { baseMs: this.policy.baseDelayMs, maxMs: this.policy.maxDelayMs },
            this.random,
          );
          wait = Math.max(err.retryAfterMs ?? 0, backoff);
        }
        this.stats.retries++;
        await this.wait(wait);
      }
    }
    if (last) {
      throw new HttpError({
        source: this.source,
        status: last.httpStatus,
        message: `${last.message} (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}${
          last.retryAfterMs !== undefined && last.retryAfterMs > maxRetryAfter
            ? `, Retry-After ${Math.ceil(last.retryAfterMs / 1000)} s exceeds the ${
              maxRetryAfter / 1000
            } s cap`
            : ""
        })`,
        transient: true,
        retryAfterMs: last.retryAfterMs,
        cause: last,
      });
    }
    throw new HttpError({
      source: this.source,
      status: 0,
      message: this.safe(`${method} ${url} failed`),
      transient: true,
    });
  }

  /**
   * How long to wait after the n-th consecutive 429 (n from 0) of a request: the source's time
   * (Retry-After or its rate headers, through retryAfterHint) or a backoff growing to minutes.
   * Throws RateLimitedError when this run may not wait that long: past the longest single wait, past
   * the deadline, or when the source has been refusing for the give-up time already.
   */
  private rateLimitWait(err: HttpError, n: number, maxWait: number): number {
    const named = err.retryAfterMs !== undefined && err.retryAfterMs > 0;
    const wait = named ? err.retryAfterMs! : rateLimitDelay(
      n,
      // our own wait never passes the cap of one wait; a vendor's may (then the job is deferred)
      {
        baseMs: this.policy.baseDelayMs,
        maxMs: Math.min(this.policy.rateLimitMaxDelayMs ?? defaultRateLimitMaxDelayMs, maxWait),
      },
      this.random,
    );
    const now = this.now();
    const giveUp = this.policy.giveUpAfterMs ?? defaultGiveUpAfterMs;
    const s = (ms: number) => `${Math.ceil(ms / 1000)} s`;
    const why = wait > maxWait
      ? `${named ? "Retry-After" : "the wait of"} ${s(wait)} exceeds the ${maxWait / 1000} s cap of one wait`
      : this.deadline !== undefined && now + wait > this.deadline
      ? `the wait of ${s(wait)} passes this run's deadline`
      : now - (this.unavailableSince ?? now) >= giveUp
      ? `refused for ${s(now - this.unavailableSince!)}, the give-up time`
      : undefined;
    if (why === undefined) return wait;
    return this.throwRateLimited(err, n + 1, why, wait);
  }

  private throwRateLimited(err: HttpError, times: number, why: string, wait: number): never {
    throw new RateLimitedError(
      {
        source: this.source,
        message: `${err.message} (rate limited (429) ${times} time${
          times === 1 ? "" : "s"
        } in a row; ${why})`,
        cause: err,
      },
      wait,
    );
  }

  private get guardKey(): string {
    return this.policy.circuitKey ?? this.source;
  }

  /** Waits for the rate limiter, then asks the circuit; throws CircuitOpenError when refused. */
  private async permit(last: HttpError | undefined): Promise<void> {
    await this.beat();
    const { rateLimiter, circuit } = this.policy;
    if (circuit) {
      const decision = await circuit.allow(this.guardKey);
      if (!decision.allowed) {
        this.stats.circuitRejections++;
        throw new CircuitOpenError(this.guardKey, decision.retryInMs, last?.message);
      }
      this.circuitClean = decision.state === "closed" && decision.failures === 0;
    }
    if (rateLimiter) {
      // the token is reserved: the request goes when it is due, without asking again
      const wait = await rateLimiter.take(this.guardKey);
      if (wait > 0) {
        this.stats.rateLimitedMs += wait;
        await this.wait(wait);
      }
    }
  }

  private async recordOutcome(success: boolean, error?: string): Promise<void> {
    const { circuit } = this.policy;
    if (!circuit || (success && this.circuitClean)) return;
    const state = await circuit.record(this.guardKey, success, error);
    this.circuitClean = success && state === "closed";
  }

  private async once<T>(method: string, url: string, opts: RequestOptions): Promise<T> {
    this.stats.requests++;
    const timeout = AbortSignal.timeout(this.policy.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const origin = new URL(this.baseUrl).origin;
    let res: Response;
    let at = url;
    let verb = method;
    let body = opts.body !== undefined ? JSON.stringify(opts.body) : undefined;
    try {
      for (let hops = 0;; hops++) {
        res = await this.fetchImpl(at, {
          method: verb,
          headers: {
            accept: "application/json",
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
            ...this.headers,
            ...opts.headers,
          },
          body,
          signal,
          // never followed by fetch: a hop to another origin would carry the credentials
          redirect: "manual",
        });
        if (!isRedirect(res.status)) break;
        await res.body?.cancel().catch(() => {});
        const hop = nextHop({
          status: res.status,
          location: res.headers.get("location"),
          from: at,
          method: verb,
          origin,
          hops,
        });
        at = hop.url;
        verb = hop.method;
        if (!hop.keepBody) body = undefined;
      }
    } catch (err) {
      if (err instanceof RedirectRefused) {
        throw new HttpError({
          source: this.source,
          status: 0,
          message: this.safe(`${this.source}: ${method} ${url} failed: ${err.message}`),
          transient: false,
        });
      }
      const what = timeout.aborted
        ? `timed out after ${this.policy.timeoutMs} ms`
        : `failed: ${(err as Error).message}`;
      throw new HttpError({
        source: this.source,
        status: 0,
        message: this.safe(`${this.source}: ${method} ${url} ${what}`),
        transient: !opts.signal?.aborted,
        cause: err,
      });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // the connection broke (or the timeout fired) while the body was streaming
      const what = timeout.aborted
        ? `timed out after ${this.policy.timeoutMs} ms reading the body`
        : `failed reading the body: ${(err as Error).message}`;
      throw new HttpError({
        source: this.source,
        status: res.status,
        message: this.safe(`${this.source}: ${method} ${url} ${what}`),
        transient: !opts.signal?.aborted,
        cause: err,
      });
    }
    if (!res.ok) {
      const transient = isTransientStatus(res.status);
      throw new HttpError({
        source: this.source,
        status: res.status,
        message: this.safe(
          `${this.source}: ${method} ${url} answered ${res.status}: ${capText(this.redact(text), 300)}`,
        ),
        transient,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) ??
          (transient ? this.policy.retryAfterHint?.(res.status, res.headers) : undefined),
      });
    }
    opts.onHeaders?.(res.headers);
    try {
      return (text === "" ? null : this.policy.exactIntegers ? parseJsonExact(text) : JSON.parse(text)) as T;
    } catch (err) {
      throw new HttpError({
        source: this.source,
        status: res.status,
        message: this.safe(`${this.source}: ${method} ${url} returned invalid JSON`),
        transient: false,
        cause: err,
      });
    }
  }
}
