// What a failed or partial job means for an operator: one sentence of what happened and one of what to
// do, from the error text the job stored (sync.jobs.error, written by the runner: redacted, capped) and
// its stats. The error texts come from the engine in a few known shapes (engine/http/client.ts:
// "<source>: <METHOD> <url> answered <status>: <body>" with "(gave up after n attempts)" or "; gave up
// after … of waiting (giveUpAfterMs)", "timed out after", "failed: <reason>", "returned invalid JSON";
// errors.ts: the open circuit; connector.ts parseConfig: "Invalid <Vendor> connector config: <key>: …").
// The vendor's own words (Square's errors[].detail, HighLevel's and Bubble's message) are quoted where
// they say what to grant; the raw text stays the detail, for a disclosure. Pure: no I/O.

/** How a connector's failures are put to an operator (Connector.operator). */
export interface OperatorHelp {
  /** the vendor as operators know it: "Square" */
  vendor: string;
  /** what the credential is called there: "access token" */
  credential: string;
  /** the configuration keys of the credential ("accessToken" -> SQUARE_ACCESS_TOKEN) */
  credentialKeys: string[];
  /** how to get a fresh credential: "re-authorise the account" */
  renew: string;
  /** what to do on a 403, when the vendor's answer does not say (which permission, where to grant it) */
  forbidden?: string;
  /** what a 404 of a listing means at this vendor and what to do */
  notFound?: string;
}

export type FailureKind =
  | "credentials"
  | "permission"
  | "not_found"
  | "rejected"
  | "rate_limited"
  | "unavailable"
  | "timeout"
  | "unreachable"
  | "invalid_answer"
  | "circuit_open"
  | "settings"
  | "records"
  | "completeness"
  | "cancelled"
  | "unexpected";

export interface FailureExplanation {
  kind: FailureKind;
  /** what happened, one sentence without a full stop: "Square refused the access token" */
  what: string;
  /** what to do: "set SQUARE_ACCESS_TOKEN or re-authorise the account" */
  todo: string;
  /** the HTTP status the vendor answered, when it did */
  httpStatus?: number;
  /** the error text as stored, for the operator who wants the vendor's raw answer */
  detail: string | null;
}

/** The parts of a job an explanation needs (a sync.jobs row). */
export interface JobLike {
  connector: string;
  status: string;
  error?: string | null;
  stats?: Record<string, unknown> | null;
}

/** The <CONNECTOR>_<KEY> setting of a configuration key: ("square", "accessToken") -> SQUARE_ACCESS_TOKEN. */
export function settingName(connector: string, key: string): string {
  const prefix = connector.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return `${prefix}_${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** Help for a connector that declares none: its name, its settings. */
export function defaultHelp(connector: string, credentialKeys: string[] = []): OperatorHelp {
  return {
    vendor: connector.charAt(0).toUpperCase() + connector.slice(1),
    credential: "credentials",
    credentialKeys,
    renew: "issue new credentials at the vendor",
  };
}

const ANSWERED =
  /(?:^|\s)(?<source>[\w.-]+): (?<method>[A-Z]+) (?<url>\S+) answered (?<status>\d{3}): (?<body>.*)$/s;
const GAVE_UP_ATTEMPTS = /\(gave up after (\d+) attempts?[^)]*\)/;
const GAVE_UP_WAITING = /; gave up after (.+?) of waiting \(giveUpAfterMs\)/;
const TIMED_OUT = /: [A-Z]+ \S+ timed out after (\d+) ms/;
const NETWORK = /: [A-Z]+ (\S+) failed: (.+?)(?: \(gave up after|$)/s;
const CONFIG = /Invalid (.+?) connector config: ([\w.()]+): (.+)$/s;

/** The vendor's own message in an error body (Square, HighLevel, Bubble, generic), if it has one. */
export function vendorMessage(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body.replace(/ \(gave up after .*$/s, "").replace(/; gave up after .*$/s, "").trim());
  } catch {
    return null;
  }
  const o = json as Record<string, unknown> | null;
  if (!o || typeof o !== "object") return null;
  const text = (v: unknown): string | null =>
    typeof v === "string" && v.trim()
      ? v.trim()
      : Array.isArray(v) && v.every((x) => typeof x === "string")
      ? v.join("; ")
      : null;
  // Square: {"errors": [{"category", "code", "detail", "field"}]}
  if (Array.isArray(o.errors) && o.errors.length) {
    const e = o.errors[0] as Record<string, unknown>;
    return text(e?.detail) ?? text(e?.code) ?? text(e?.message);
  }
  // Bubble: {"statusCode": 401, "body": {"status", "message"}}
  const inner = o.body as Record<string, unknown> | undefined;
  return text(o.message) ?? text(inner?.message) ?? text(o.error_description) ??
    (typeof o.error === "string" ? o.error : text((o.error as Record<string, unknown>)?.message));
}

/**
 * The operator's words for a job that failed or finished partial; null for a job that did not (or a
 * cancelled one without a reason).
 */
export function explainFailure(job: JobLike, help?: OperatorHelp): FailureExplanation | null {
  const h = help ?? defaultHelp(job.connector);
  const detail = job.error ?? null;
  if (job.status === "partial") return explainPartial(job, h, detail);
  if (job.status === "cancelled") {
    return {
      kind: "cancelled",
      what: detail === "cancelled before it ran" ? "Cancelled before it ran" : "Cancelled on request",
      todo: "start it again when you want the data",
      detail,
    };
  }
  if (job.status !== "failed") return null;
  if (!detail) {
    return {
      kind: "unexpected",
      what: "The job failed without saying why",
      todo: "run it again; if it fails again, read the worker's log",
      detail,
    };
  }
  return explainError(job.connector, detail, h);
}

/** An error text (a job's, a shard's, a circuit's last error) in the operator's words. */
export function explainError(connector: string, error: string, help?: OperatorHelp): FailureExplanation {
  const h = help ?? defaultHelp(connector);
  const detail = error;
  const settings = h.credentialKeys.map((k) => settingName(connector, k));
  const setting = settings.length ? settings.join(" and ") : `the ${settingName(connector, "*")} settings`;
  const prefix = settingName(connector, "");
  if (/circuit breaker is open/.test(error)) {
    const last = /\(last error: (.*)\)$/s.exec(error)?.[1];
    const cause = last ? explainError(connector, last, h) : null;
    return {
      kind: "circuit_open",
      what: `Syncline stopped calling ${h.vendor} for a while after repeated failures` +
        (cause ? `; the last: ${cause.what}` : ""),
      todo: cause
        ? `${cause.todo}; the job can run again once the cool-down is over`
        : "run the job again once the cool-down is over (Overview, circuit breakers)",
      httpStatus: cause?.httpStatus,
      detail,
    };
  }
  const config = CONFIG.exec(error);
  if (config) {
    const key = config[2].split(".")[0];
    const missing = /received undefined|required/i.test(config[3]);
    return {
      kind: "settings",
      what: missing
        ? `The ${h.vendor} settings lack ${settingName(connector, key)}`
        : `${settingName(connector, key)} is invalid (${config[3].trim()})`,
      todo: `set ${settingName(connector, key)} in the function's secrets and run the job again`,
      detail,
    };
  }
  const m = ANSWERED.exec(error);
  if (m?.groups) {
    const status = Number(m.groups.status);
    const said = vendorMessage(m.groups.body);
    const attempts = GAVE_UP_ATTEMPTS.exec(error)?.[1];
    const waited = GAVE_UP_WAITING.exec(error)?.[1];
    const path = pathOf(m.groups.url);
    // HighLevel answers a token without the stream's scope with 401 "not authorized for this scope"
    if (status === 401 && !(said && /scope/i.test(said))) {
      return {
        kind: "credentials",
        what: `${h.vendor} refused the ${h.credential}`,
        todo: `set ${setting} or ${h.renew}`,
        httpStatus: status,
        detail,
      };
    }
    if (status === 403 || status === 401) {
      return {
        kind: "permission",
        what: `${h.vendor} refused access to ${path}: the ${h.credential} lacks a permission${
          said ? ` (${h.vendor} says: ${said})` : ""
        }`,
        todo: h.forbidden ??
          `grant the missing permission and ${h.renew}, or leave this stream out of the job`,
        httpStatus: status,
        detail,
      };
    }
    if (status === 404) {
      return {
        kind: "not_found",
        what: `${h.vendor} has nothing at ${path} (404)${said ? `: ${said}` : ""}`,
        todo: h.notFound ?? `check the ids and URL in the ${prefix}* settings (${prefix}BASE_URL among them)`,
        httpStatus: status,
        detail,
      };
    }
    if (status === 429) {
      return {
        kind: "rate_limited",
        what: `${h.vendor} kept answering "too many requests" (429)${waited ? ` for ${waited}` : ""}`,
        todo: "run the job later or run fewer jobs against this account at once; " +
          "Syncline already waits as long as the vendor asks",
        httpStatus: status,
        detail,
      };
    }
    if (status >= 500) {
      return {
        kind: "unavailable",
        what: `${h.vendor} was unavailable (HTTP ${status}${attempts ? `, ${attempts} attempts` : ""}${
          waited ? ` over ${waited}` : ""
        })`,
        todo:
          `nothing to change in Syncline: run the job again later, and check ${h.vendor}'s status page if it lasts`,
        httpStatus: status,
        detail,
      };
    }
    return {
      kind: "rejected",
      what: `${h.vendor} rejected the request to ${path} (${status})${said ? `: ${said}` : ""}`,
      todo: "check the job's dates, ids and streams and the connector's settings; " +
        "if they are right, report it with the detail below",
      httpStatus: status,
      detail,
    };
  }
  const timeout = TIMED_OUT.exec(error);
  if (timeout) {
    return {
      kind: "timeout",
      what: `${h.vendor} did not answer within ${Number(timeout[1]) / 1000} s`,
      todo: `run the job again later; if ${h.vendor} is slow for long, raise ${prefix}HTTP_TIMEOUT_MS`,
      detail,
    };
  }
  if (/returned invalid JSON/.test(error)) {
    return {
      kind: "invalid_answer",
      what: `${h.vendor} answered with something that is not JSON`,
      todo:
        `check that ${prefix}BASE_URL points at ${h.vendor}'s API (not a login or proxy page), then run it again`,
      detail,
    };
  }
  const network = NETWORK.exec(error);
  if (network) {
    return {
      kind: "unreachable",
      what: `Syncline could not reach ${h.vendor} (${network[2].trim()})`,
      todo: `check ${prefix}BASE_URL and the network of the function, then run the job again`,
      detail,
    };
  }
  if (/^Unknown connector/.test(error)) {
    return {
      kind: "settings",
      what: `This deployment has no connector "${connector}"`,
      todo: "deploy the function with it, or remove the schedule that starts it",
      detail,
    };
  }
  return {
    kind: "unexpected",
    what: "An error Syncline has no words for",
    todo: "run it again; if it fails the same way, report it with the detail below",
    detail,
  };
}

/** Why a job is partial: failed records and completeness gaps, per stream, from its stats. */
function explainPartial(job: JobLike, h: OperatorHelp, detail: string | null): FailureExplanation {
  const streams = (job.stats?.streams ?? {}) as Record<
    string,
    { failed?: number; completeness?: { status?: string; missing?: number } }
  >;
  const failed = Object.entries(streams).filter(([, s]) => Number(s.failed ?? 0) > 0);
  const gaps = Object.entries(streams).filter(([, s]) => s.completeness?.status === "gap");
  const parts: string[] = [];
  if (failed.length) {
    const n = failed.reduce((sum, [, s]) => sum + Number(s.failed), 0);
    parts.push(`${n} record${n === 1 ? "" : "s"} of ${failed.map(([k]) => k).join(", ")} did not land`);
  }
  for (const [name, s] of gaps) {
    parts.push(
      `${name} is missing ${s.completeness?.missing ?? "some"} record${
        s.completeness?.missing === 1 ? "" : "s"
      } ${h.vendor} has`,
    );
  }
  if (gaps.length) {
    return {
      kind: "completeness",
      what: parts.length ? capitalise(parts.join("; ")) : "The completeness check found a gap",
      todo: `run a reconcile of ${gaps.map(([k]) => k).join(", ")}${
        failed.length ? ", and fix and retry the failed items" : ""
      }`,
      detail,
    };
  }
  return {
    kind: "records",
    what: parts.length ? capitalise(parts.join("; ")) : "Some records did not land",
    todo: "open Failed items: each says which field is wrong; fix the source or the mapping, then retry them",
    detail,
  };
}

/** "/v2/orders/search" of a URL (the host is the vendor's; the query may be long). */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0];
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
