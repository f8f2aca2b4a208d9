// The one HTTP client every connector uses: base URL and headers, per-request timeout,
// classification of failures, bounded retries with backoff + jitter honouring Retry-After.
// Optional guards shared across workers: a circuit breaker and a rate limiter per source.
// Requests go only to the base URL's origin and follow redirects only there (redirects.ts).
import { backoffDelay, parseRetryAfter } from "../backoff.ts";
import type { CircuitStore } from "./circuit.ts";
import { CircuitOpenError, HttpError } from "../errors.ts";
import { parseJsonExact } from "../json.ts";
import type { RateLimiter } from "./rate_limit.ts";
import { isRedirect, nextHop, RedirectRefused } from "./redirects.ts";

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
}

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

/** What an HttpClient is built from; clock, randomness and fetch are injectable for tests. */
export interface HttpClientInit {
  /** the source's name in errors, stats and the shared circuit/rate-limit keys */
  source: string;
  baseUrl: string;
  /** headers every request carries (auth, API version) */
  headers?: Record<string, string>;
  policy?: HttpPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetchImpl?: typeof fetch;
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

  readonly source: string;
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  readonly policy: HttpPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly fetchImpl: typeof fetch;

  constructor(init: HttpClientInit) {
    this.source = init.source;
    this.baseUrl = init.baseUrl;
    this.headers = init.headers ?? {};
    this.policy = init.policy ?? defaultHttpPolicy;
    this.sleep = init.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = init.random ?? Math.random;
    this.fetchImpl = init.fetchImpl ?? fetch;
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
        message: `${this.source}: ${method} to ${new URL(url).origin} refused: requests go only to ${origin}`,
        transient: false,
      });
    }
    const maxRetryAfter = this.policy.maxRetryAfterMs ?? 120_000;
    let last: HttpError | undefined;
    let attempts = 0;
    for (let attempt = 0; attempt < this.policy.maxAttempts; attempt++) {
      if (attempt > 0) {
        if (last?.retryAfterMs !== undefined && last.retryAfterMs > maxRetryAfter) break;
        this.stats.retries++;
        const backoff = backoffDelay(
          attempt - 1,
          { baseMs: this.policy.baseDelayMs, maxMs: this.policy.maxDelayMs },
          this.random,
        );
        await this.sleep(Math.max(last?.retryAfterMs ?? 0, backoff));
      }
      await this.permit(last);
      attempts++;
      try {
        const result = await this.once<T>(method, url, opts);
        await this.recordOutcome(true);
        return result;
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        // a permanent answer (4xx) still shows the source is up
        await this.recordOutcome(!err.transient, err.message);
        if (!err.transient) throw err;
        this.stats.failures++;
        last = err;
        if (opts.signal?.aborted) break;
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
      message: `${method} ${url} failed`,
      transient: true,
    });
  }

  private get guardKey(): string {
    return this.policy.circuitKey ?? this.source;
  }

  /** Waits for the rate limiter, then asks the circuit; throws CircuitOpenError when refused. */
  private async permit(last: HttpError | undefined): Promise<void> {
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
        await this.sleep(wait);
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
          message: `${this.source}: ${method} ${url} failed: ${err.message}`,
          transient: false,
        });
      }
      const what = timeout.aborted
        ? `timed out after ${this.policy.timeoutMs} ms`
        : `failed: ${(err as Error).message}`;
      throw new HttpError({
        source: this.source,
        status: 0,
        message: `${this.source}: ${method} ${url} ${what}`,
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
        message: `${this.source}: ${method} ${url} ${what}`,
        transient: !opts.signal?.aborted,
        cause: err,
      });
    }
    if (!res.ok) {
      const transient = isTransientStatus(res.status);
      throw new HttpError({
        source: this.source,
        status: res.status,
        message: `${this.source}: ${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`,
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
        message: `${this.source}: ${method} ${url} returned invalid JSON`,
        transient: false,
        cause: err,
      });
    }
  }
}
