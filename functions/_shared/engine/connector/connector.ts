// What a connector is: data plus a few small functions. The engine owns retries, budget,
// checkpoints, progress and merges; a connector only says how to read its API.
import type { z } from "zod";
import type { Job, Sql } from "../types.ts";
import { HttpError, ValidationError } from "../errors.ts";
import type { HttpClient, RateLimit, RequestOptions } from "../http/mod.ts";
import type { WebhookProvider } from "../../webhooks/provider.ts";
import type { OperatorHelp } from "../../failures.ts";

/** One page of raw API records and where the next page starts (null: last page). */
export interface Page {
  records: unknown[];
  nextCursor: string | null;
  /** Total records in the whole listing, when the API says (drives percent and ETA). */
  total?: number;
}

export interface FetchContext {
  http: HttpClient;
  /** Connector settings (ids, location lists, ...) from configuration. */
  config: Record<string, unknown>;
  /** Incremental lower bound on the source's updated_at; null for a full sync. */
  since: Date | null;
  /** Optional upper bound (date-range syncs). */
  until: Date | null;
  /**
   * The job asked for its own date range (--since / --until: a history), not an incremental from
   * the high-water mark. A stream other streams read per record (a parent) is then read whole:
   * the range applies to the records of the window, not to their parents.
   */
  history?: boolean;
  /**
   * "created": since/until bound the records' creation time, not their update time (the windows of
   * a full read in shards, which an edit cannot move a record out of; StreamDef.createdAt).
   */
  windowOn?: "created";
  /** Records per page the connector should ask for. */
  pageSize: number;
  signal?: AbortSignal;
  /**
   * Source versions (the target's version column, ISO) of stored records of this stream, by key;
   * keys not stored are absent. Given on incremental listings (not full, forced or dry runs), so
   * a connector can skip re-reading records its listing shows unchanged.
   */
  storedVersions?(keys: string[]): Promise<Map<string, string>>;
}

// deno-lint-ignore no-explicit-any
export interface StreamDef<S extends z.ZodType = z.ZodType<any>> {
  /** Stream name, unique within the connector ("orders"). */
  name: string;
  /** Registered merge target, "schema.table". */
  target: string;
  /** Shape of one API record; records that fail it become failed items, the rest land. */
  schema: S;
  /** The record's id (failed-item key, single-record sync). */
  key(record: z.infer<S>): string;
  /** The record's source updated time (ISO), for the high-water mark. */
  updatedAt?(record: z.infer<S>): string | null | undefined;
  /**
   * The record's creation time (ISO). A shardable stream that declares it reads ctx.since/until as a
   * creation-time window when ctx.windowOn is "created": a full read in shards is then split by
   * creation time, which edits made while the shards run cannot change (shard_run.ts).
   */
  createdAt?(record: z.infer<S>): string | null | undefined;
  /** Table columns for one record: exactly the columns the source owns. */
  toRow(record: z.infer<S>): Record<string, unknown>;
  /** Streams that must be synced before this one (parents of its foreign keys). */
  parents?: string[];
  /**
   * Incremental behaviour: "full" streams are always read whole; otherwise the window
   * starts at the checkpoint's high-water mark minus lookbackMs (or now - lookbackMs when
   * there is no checkpoint and lookbackMs is set).
   */
  incremental: "full" | { lookbackMs: number };
  /** Reads one page starting at cursor (null: the first page). */
  fetchPage(ctx: FetchContext, cursor: string | null): Promise<Page>;
  /**
   * fetchPage with ctx.since/ctx.until reads exactly the records whose updated time lies in
   * [since, until) (either may be null: open), best in ascending updated order: then a full or
   * historical read of the stream can be split into time-window shards read in parallel
   * (engine/shards/shard_run.ts).
   */
  shardable?: boolean;
  /**
   * Where every shard's read starts, given the cursor after the planner's one-record probe of the
   * listing: lets shards skip set-up requests the probe already made (Square's location listing).
   * Absent: shards start at the first page (cursor null).
   */
  shardStartCursor?(probeNextCursor: string): string | null;
  /** Re-fetches one record by id (webhooks, single-record syncs); null when it is gone. */
  fetchOne?(ctx: FetchContext, id: string): Promise<unknown | null>;
  /**
   * Lists one page of the ids of every record the source has (the stream's key, as key() gives it),
   * by the cheapest listing the API has. Streams that declare it are checked id by id after a full
   * read and can be reconciled (mode "reconcile"); see engine/completeness/completeness.ts.
   */
  listIds?(ctx: FetchContext, cursor: string | null): Promise<IdPage>;
}

/** One page of a stream's id listing (null nextCursor: the last page). */
export interface IdPage {
  ids: string[];
  nextCursor: string | null;
}

/** What a connector's afterCommit hook is told: a page or record of a stream has committed. */
export interface CommitContext {
  sql: Sql;
  job: Job;
  stream: StreamDef;
  config: Record<string, unknown>;
  /** Keys of the records that landed; null when the stream has finished in this job. */
  keys: string[] | null;
  log(line: string): void;
}

/** What a connector that runs a job itself gets from the engine (see Connector.runJob). */
export interface ConnectorJobEnv {
  sql: Sql;
  job: Job;
  workerId: string;
  http: HttpClient;
  config: Record<string, unknown>;
  /** Stop (answer "yield") once now() passes it; the job is then continued from its checkpoint. */
  deadline: number;
  leaseSeconds: number;
  now: () => number;
  log: (line: string) => void;
}

export type ConnectorJobResult = "done" | "yield" | "cancelled";

export interface Connector {
  name: string;
  /** Default base URL of the API; configuration may override it (fake servers in tests). */
  baseUrl: string;
  streams: StreamDef[];
  /** Default page size; streams may clamp it to their API's limit. */
  pageSize: number;
  /** Headers every request carries (auth, API version). */
  headers(config: Record<string, unknown>): Record<string, string>;
  /**
   * The credential values of a configuration whose names do not say so (a described connector's
   * auth keys): error texts are redacted of them, as of apiKey, accessToken, ... (redact.ts).
   */
  secrets?(config: Record<string, unknown>): string[];
  /**
   * Reliability defaults of this source (reliability.ts settings such as rateLimitRequests,
   * rateLimitWindowMs, httpMaxAttempts); the account's configuration overrides them.
   */
  reliabilityDefaults?: Record<string, number>;
  /**
   * The vendor's published request limit (the shared Postgres token bucket); configuration
   * overrides it, and null or absent means no client-side limit.
   */
  rateLimit?: RateLimit | null;
  /** Keep integers beyond 2^53 exact in parsed answers (json.ts) unless configuration says otherwise. */
  exactIntegers?: boolean;
  /**
   * How the vendor's webhook deliveries are verified and what they ask to re-sync; absent: the
   * generic shared-secret scheme (webhooks/generic.ts).
   */
  webhooks?: WebhookProvider;
  /**
   * Runs after each committed page or single record of a stream and once when a stream finished
   * (keys null), in the same job; not for dry runs. Staged promotion hooks in here.
   */
  afterCommit?(ctx: CommitContext): Promise<void>;
  /**
   * Runs a job the engine's stream-by-stream loop cannot express (Bubble's integrity sync of an
   * invoice with its relations); null leaves the job to the engine. It must write through the
   * lease-fenced RPCs (sync.commit_page) and honour the deadline and cancellation.
   */
  runJob?(env: ConnectorJobEnv): Promise<ConnectorJobResult> | null;
  /** Runs after every job that read data, before it finishes (not for dry runs), e.g. a patch pass. */
  afterJob?(env: ConnectorJobEnv): Promise<void>;
  /**
   * Key of the shared rate limit and circuit when the vendor's limit is not per account (e.g.
   * HighLevel's per location); default "<connector>/<account>".
   */
  guardKey?(config: Record<string, unknown>): string;
  /** Wait before retrying a failed answer without Retry-After, from the vendor's own headers. */
  retryAfterHint?(status: number, headers: Headers): number | undefined;
  /** How this vendor's failures are put to an operator (failures.ts); absent: generic words. */
  operator?: OperatorHelp;
}

/** Streams in dependency order (parents first), limited to `names` when given. */
export function orderStreams(connector: Connector, names?: string[]): StreamDef[] {
  const byName = new Map(connector.streams.map((s) => [s.name, s]));
  for (const n of names ?? []) {
    if (!byName.has(n)) {
      throw new Error(
        `Unknown stream "${n}" for connector "${connector.name}" (streams: ${[...byName.keys()].join(", ")})`,
      );
    }
  }
  const wanted = new Set(names ?? byName.keys());
  const out: StreamDef[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (s: StreamDef, path: string[]) => {
    if (state.get(s.name) === "done") return;
    if (state.get(s.name) === "visiting") {
      throw new Error(
        `Streams of "${connector.name}" depend on each other in a cycle: ${[...path, s.name].join(" -> ")}`,
      );
    }
    state.set(s.name, "visiting");
    for (const p of s.parents ?? []) {
      const parent = byName.get(p);
      if (!parent) throw new Error(`Stream "${s.name}" of "${connector.name}" names unknown parent "${p}"`);
      visit(parent, [...path, s.name]);
    }
    state.set(s.name, "done");
    if (wanted.has(s.name)) out.push(s);
  };
  for (const s of connector.streams) visit(s, []);
  return out;
}

/** The page size to ask an endpoint for: the configured size, clamped to the endpoint's maximum. */
export function pageLimit(ctx: FetchContext, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(ctx.pageSize)));
}

/** A GET that answers null when the API says the record is not there (404, or the given statuses). */
export async function getOrNull<T>(
  ctx: FetchContext,
  path: string,
  opts: { query?: RequestOptions["query"]; notFound?: number[] } = {},
): Promise<T | null> {
  try {
    return await ctx.http.get<T>(path, { query: opts.query, signal: ctx.signal });
  } catch (err) {
    if (err instanceof HttpError && (opts.notFound ?? [404]).includes(err.httpStatus)) return null;
    throw err;
  }
}

/** Validates a connector's settings; the first problem becomes a ValidationError naming the field. */
export function parseConfig<S extends z.ZodType>(
  vendor: string,
  schema: S,
  config: Record<string, unknown>,
): z.infer<S> {
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join(".") || "(config)";
    throw new ValidationError(`Invalid ${vendor} connector config: ${where}: ${issue.message}`, {
      field: where,
    });
  }
  return parsed.data;
}
