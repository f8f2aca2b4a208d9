// Reliability settings per connector: HTTP timeouts and retries, the circuit breaker and the
// vendor's rate limit. Defaults from the connector (rateLimit, exactIntegers, reliabilityDefaults),
// overridable by the connector's configuration
// (env <CONNECTOR>_HTTP_TIMEOUT_MS, _HTTP_MAX_ATTEMPTS, _RATE_LIMIT_REQUESTS, _GIVE_UP_AFTER_MS, ...
// or config keys; docs/reliability.md lists them).
import { z } from "zod";
import {
  type CircuitOptions,
  defaultCircuitOptions,
  defaultGiveUpAfterMs,
  defaultHttpPolicy,
  defaultRateLimitMaxDelayMs,
  HttpClient,
  type HttpPolicy,
  PgCircuitStore,
  PgRateLimiter,
  type RateLimit,
  windowsFor,
} from "../http/mod.ts";
import type { Connector } from "./connector.ts";
import type { Sql } from "../types.ts";
import { ValidationError } from "../errors.ts";
import { secretValues } from "../../redact.ts";

export interface Reliability {
  http:
    & Pick<
      HttpPolicy,
      "timeoutMs" | "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "rateLimitMaxDelayMs"
    >
    & { giveUpAfterMs: number };
  circuit: CircuitOptions;
  /** null: no client-side limit. */
  rateLimit: RateLimit | null;
  /** Keep integers beyond 2^53 exact in parsed answers (json.ts); per-connector default, HighLevel on. */
  exactIntegers: boolean;
}

/** What a connector says about its own limits (connector.ts: rateLimit, exactIntegers). */
export type ReliabilitySource = Pick<Connector, "name" | "rateLimit" | "exactIntegers">;

const ms = z.coerce.number().int().min(0);
const Overrides = z.object({
  httpTimeoutMs: ms.min(1).optional(),
  httpMaxAttempts: z.coerce.number().int().min(1).max(20).optional(),
  httpBaseDelayMs: ms.optional(),
  httpMaxDelayMs: ms.optional(),
  httpMaxRetryAfterMs: ms.optional(),
  rateLimitMaxDelayMs: ms.min(1).optional(),
  giveUpAfterMs: ms.optional(),
  circuitFailureThreshold: z.coerce.number().int().min(1).optional(),
  circuitCooldownMs: ms.optional(),
  rateLimitRequests: z.coerce.number().min(0).optional(),
  rateLimitWindowMs: ms.min(1).optional(),
  rateLimitBurst: z.coerce.number().int().min(1).optional(),
  exactIntegers: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
});

/** The connector's defaults with the configuration's overrides; rateLimitRequests 0 turns limiting off. */
export function resolveReliability(source: ReliabilitySource, config: Record<string, unknown>): Reliability {
  const connector = source.name;
  const parsed = Overrides.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `Invalid reliability setting for "${connector}": ${issue.path.join(".")}: ${issue.message}`,
    );
  }
  const o = parsed.data;
  const http = {
    timeoutMs: o.httpTimeoutMs ?? defaultHttpPolicy.timeoutMs,
    maxAttempts: o.httpMaxAttempts ?? defaultHttpPolicy.maxAttempts,
    baseDelayMs: o.httpBaseDelayMs ?? defaultHttpPolicy.baseDelayMs,
    maxDelayMs: o.httpMaxDelayMs ?? defaultHttpPolicy.maxDelayMs,
    maxRetryAfterMs: o.httpMaxRetryAfterMs ?? 120_000,
    rateLimitMaxDelayMs: o.rateLimitMaxDelayMs ?? defaultRateLimitMaxDelayMs,
    giveUpAfterMs: o.giveUpAfterMs ?? defaultGiveUpAfterMs,
  };
  const circuit: CircuitOptions = {
    failureThreshold: o.circuitFailureThreshold ?? defaultCircuitOptions.failureThreshold,
    cooldownMs: o.circuitCooldownMs ?? defaultCircuitOptions.cooldownMs,
    // a probe may take one full request with its timeout
    probeMs: Math.max(defaultCircuitOptions.probeMs, http.timeoutMs * 2),
  };
  const base = source.rateLimit ?? null;
  let rateLimit: RateLimit | null = base;
  if (
    o.rateLimitRequests !== undefined || o.rateLimitWindowMs !== undefined || o.rateLimitBurst !== undefined
  ) {
    const requests = o.rateLimitRequests ?? base?.requests ?? 10;
    const burst = o.rateLimitBurst ?? (o.rateLimitRequests === undefined ? base?.burst : undefined);
    rateLimit = requests === 0 ? null : {
      requests,
      windowMs: o.rateLimitWindowMs ?? base?.windowMs ?? 1_000,
      ...(burst !== undefined ? { burst: Math.min(burst, requests) } : {}),
    };
  }
  const exactIntegers = o.exactIntegers ?? source.exactIntegers ?? false;
  return { http, circuit, rateLimit, exactIntegers };
}

/** The credentials of a connector's configuration: named like secrets (apiKey, ...) or listed by the connector. */
export function connectorSecrets(connector: Connector, config: Record<string, unknown>): string[] {
  return [...secretValues(config), ...(connector.secrets?.(config) ?? [])];
}

/** The HttpClient a worker uses for one connector account: policy, shared circuit and rate limit. */
export function createHttpClient(
  connector: Connector,
  config: Record<string, unknown>,
  sql: Sql,
  account = "default",
): HttpClient {
  const r = resolveReliability(connector, { ...connector.reliabilityDefaults, ...config });
  const policy: HttpPolicy = {
    ...r.http,
    circuitKey: connector.guardKey?.(config) ?? `${connector.name}/${account}`,
    retryAfterHint: connector.retryAfterHint,
    exactIntegers: r.exactIntegers,
    circuit: new PgCircuitStore(sql, r.circuit),
    rateLimiter: r.rateLimit ? new PgRateLimiter(sql, windowsFor(r.rateLimit)) : undefined,
  };
  return new HttpClient({
    source: connector.name,
    baseUrl: String(config.baseUrl ?? connector.baseUrl),
    headers: connector.headers(config),
    secrets: connectorSecrets(connector, config),
    policy,
  });
}
