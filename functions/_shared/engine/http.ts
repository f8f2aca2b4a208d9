// The one HTTP client every connector uses: base URL and headers, per-request timeout,
// classification of failures, bounded retries with backoff + jitter honouring Retry-After.
import { backoffDelay, parseRetryAfter } from "./backoff.ts";
import { HttpError } from "./errors.ts";

export interface HttpPolicy {
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
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
}

export interface HttpStats {
  requests: number;
  retries: number;
}

/** Transient failures are retried: 408, 425, 429 and 5xx; every other 4xx is permanent. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0 };

  constructor(
    readonly source: string,
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
    readonly policy: HttpPolicy = defaultHttpPolicy,
    readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    readonly random: () => number = Math.random,
    readonly fetchImpl: typeof fetch = fetch,
  ) {}

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
    let last: HttpError | undefined;
    for (let attempt = 0; attempt < this.policy.maxAttempts; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        const wait = Math.min(
          this.policy.maxDelayMs,
          Math.max(
            last?.retryAfterMs ?? 0,
            backoffDelay(
              attempt - 1,
              { baseMs: this.policy.baseDelayMs, maxMs: this.policy.maxDelayMs },
              this.random,
            ),
          ),
        );
        await this.sleep(wait);
      }
      try {
        return await this.once<T>(method, url, opts);
      } catch (err) {
        if (!(err instanceof HttpError) || !err.transient) throw err;
        last = err;
        if (opts.signal?.aborted) break;
      }
    }
    throw last ?? new HttpError(this.source, 0, `${method} ${url} failed`, true);
  }

  private async once<T>(method: string, url: string, opts: RequestOptions): Promise<T> {
    this.stats.requests++;
    const timeout = AbortSignal.timeout(this.policy.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          accept: "application/json",
          ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
          ...this.headers,
          ...opts.headers,
        },
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        signal,
      });
    } catch (err) {
      const what = timeout.aborted
        ? `timed out after ${this.policy.timeoutMs} ms`
        : `failed: ${(err as Error).message}`;
      throw new HttpError(
        this.source,
        0,
        `${this.source}: ${method} ${url} ${what}`,
        !opts.signal?.aborted,
        undefined,
        {
          cause: err,
        },
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const transient = isTransientStatus(res.status);
      throw new HttpError(
        this.source,
        res.status,
        `${this.source}: ${method} ${url} answered ${res.status}: ${text.slice(0, 300)}`,
        transient,
        parseRetryAfter(res.headers.get("retry-after")),
      );
    }
    try {
      return (text === "" ? null : JSON.parse(text)) as T;
    } catch (err) {
      throw new HttpError(
        this.source,
        res.status,
        `${this.source}: ${method} ${url} returned invalid JSON`,
        false,
        undefined,
        {
          cause: err,
        },
      );
    }
  }
}
