// A connector from a description: declarativeConnector(spec) is an engine Connector like the
// hand-written ones (same runner, checkpoints, budget, failed items, circuit breaker, rate limiter,
// progress, dry run, single-record syncs, CLI and API). Code is for what a description cannot say.
import type { Connector, StreamDef } from "../../engine/connector/mod.ts";
import { type ConnectorSpec, parseSpec } from "./spec.ts";
import { defaultHelp, type OperatorHelp } from "../../failures.ts";
import { authHeaders, authSecrets } from "./request.ts";
import { declarativeStream } from "./stream.ts";

export interface DeclarativeOptions {
  /** Clock of the windows' end when a run has no until (tests pin it). */
  now?: () => number;
}

/** The engine StreamDefs of a description (also usable inside a hand-written connector). */
export function declarativeStreams(spec: ConnectorSpec, opts: DeclarativeOptions = {}): StreamDef[] {
  const byName = new Map<string, StreamDef>();
  for (const name of Object.keys(spec.streams)) {
    byName.set(name, declarativeStream(spec, name, { now: opts.now, streams: () => byName }));
  }
  return [...byName.values()];
}

/** The reliability settings a description implies (engine/connector/reliability.ts names); configuration overrides them. */
export function reliabilityOf(spec: ConnectorSpec): Record<string, number> {
  const out: Record<string, number> = {};
  if (spec.rateLimit) {
    out.rateLimitRequests = spec.rateLimit.requests;
    out.rateLimitWindowMs = Math.round(spec.rateLimit.perSeconds * 1000);
  }
  if (spec.retry.maxAttempts !== undefined) out.httpMaxAttempts = spec.retry.maxAttempts;
  if (spec.retry.baseDelayMs !== undefined) out.httpBaseDelayMs = spec.retry.baseDelayMs;
  if (spec.retry.maxDelayMs !== undefined) out.httpMaxDelayMs = spec.retry.maxDelayMs;
  if (spec.retry.timeoutMs !== undefined) out.httpTimeoutMs = spec.retry.timeoutMs;
  return out;
}

/** Validates the description (errors name the bad field's path) and builds the connector. */
export function declarativeConnector(input: unknown, opts: DeclarativeOptions = {}): Connector {
  const spec = parseSpec(input);
  return {
    name: spec.name,
    baseUrl: spec.baseUrl,
    streams: declarativeStreams(spec, opts),
    pageSize: spec.pageSize,
    headers: (config) => authHeaders(spec, config),
    secrets: (config) => authSecrets(spec, config),
    reliabilityDefaults: reliabilityOf(spec),
    operator: operatorOf(spec),
    // every numeric column exact from the JSON text (a 17-digit amount keeps its last cent)
    exactIntegers: true,
  };
}

/** The credential of a description's auth, for the operator's words (failures.ts). */
function operatorOf(spec: ConnectorSpec): OperatorHelp {
  const a = spec.auth;
  const keys = a.type === "bearer"
    ? [a.token]
    : a.type === "header" || a.type === "query"
    ? [a.key]
    : a.type === "basic"
    ? [a.username, a.password]
    : [];
  return {
    ...defaultHelp(spec.name, keys),
    credential: a.type === "bearer" ? "token" : a.type === "basic" ? "user name and password" : "API key",
    renew: "issue a new one in the vendor's account",
  };
}

export { type ConnectorSpec, type ConnectorSpecInput, parseSpec, schemaOf, targetOf } from "./spec.ts";
