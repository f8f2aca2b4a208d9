// Where Syncline may send a request it is told to send (notification URLs): https only, to a host
// whose every address is public. Loopback, private, unique-local, link-local and metadata addresses
// are refused after resolving the host; `http:` and this machine / private networks only under the
// local-development switch (SYNCLINE_ALLOW_LOCAL_URLS=true); metadata and link-local never.
// Refusals name the host, never the URL's path or query (a Slack webhook URL's path is its secret).
import { lookup } from "node:dns/promises";
import { type AddressKind, addressKind, KIND_WORDS, LOCAL_KINDS } from "./addresses.ts";

/** Host name -> every address it resolves to. */
export type Resolver = (host: string) => Promise<string[]>;

export interface TargetPolicy {
  /** Local development: http:, and loopback / private / unique-local addresses. */
  allowLocal?: boolean;
  /** Default: the system resolver (getaddrinfo, as a connection would), every address. */
  resolve?: Resolver;
}

/** The switch's name, for messages and docs. */
export const ALLOW_LOCAL_SETTING = "SYNCLINE_ALLOW_LOCAL_URLS";

/** A URL Syncline will not send to; the message says why and what would allow it. */
export class TargetRefused extends Error {
  constructor(message: string, readonly transient = false) {
    super(message);
    this.name = "TargetRefused";
  }
}

/** Names that are internal whatever they resolve to (metadata services, this machine). */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);
const isLocalName = (h: string) => h === "localhost" || h.endsWith(".localhost");

/** getaddrinfo (what a connection would use, /etc/hosts included); Deno.resolveDns where it is missing. */
export const systemResolver: Resolver = async (host) => {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (err) {
    if (/^(ENOTFOUND|ENODATA|EAI_)/.test(String((err as { code?: string })?.code))) throw err;
    const [v4, v6] = await Promise.all(
      (["A", "AAAA"] as const).map((t) => Deno.resolveDns(host, t).catch(() => [] as string[])),
    );
    if (v4.length + v6.length === 0) throw err;
    return [...v4, ...v6];
  }
};

/** The host of a URL without IPv6 brackets or a trailing dot, lower case. */
export const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();

function refuseKind(label: string, host: string, address: string, kind: AddressKind, allowLocal: boolean) {
  const at = host === address ? `${host} is` : `${host} resolves to ${address},`;
  const hint = LOCAL_KINDS.has(kind) && !allowLocal
    ? ` (allowed only for local development: ${ALLOW_LOCAL_SETTING}=true)`
    : "";
  return new TargetRefused(`${label}: ${at} ${KIND_WORDS[kind]}: refused${hint}`);
}

/** Whether an address of this kind may be connected to under the policy. */
export function addressAllowed(kind: AddressKind, policy: TargetPolicy): boolean {
  return kind === "public" || (Boolean(policy.allowLocal) && LOCAL_KINDS.has(kind));
}

/**
 * Checks a URL and resolves its host; returns the URL and the addresses to connect to (every one
 * allowed). Throws TargetRefused naming the problem. `label` names the setting in messages.
 */
export async function checkTarget(
  raw: string,
  policy: TargetPolicy,
  label = "URL",
): Promise<{ url: URL; host: string; addresses: string[] }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused(`${label}: not a URL`);
  }
  const allowLocal = Boolean(policy.allowLocal);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowLocal)) {
    throw new TargetRefused(
      url.protocol === "http:"
        ? `${label}: must be https: (http: only for local development: ${ALLOW_LOCAL_SETTING}=true)`
        : `${label}: must be an https: URL, got ${url.protocol.slice(0, 20)}`,
    );
  }
  if (url.username || url.password) {
    throw new TargetRefused(`${label}: must not carry a user name or password`);
  }
  const host = bareHost(url);
  if (METADATA_NAMES.has(host)) {
    throw new TargetRefused(`${label}: ${host} is a cloud metadata service: refused`);
  }
  if (isLocalName(host) && !allowLocal) {
    throw new TargetRefused(
      `${label}: ${host} is this machine: refused (local development: ${ALLOW_LOCAL_SETTING}=true)`,
    );
  }
  const literal = addressKind(host);
  let addresses: string[];
  if (literal) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch (err) {
      const code = (err as { code?: string })?.code ?? (err as Error)?.name ?? "error";
      throw new TargetRefused(`${label}: ${host} does not resolve (${String(code).slice(0, 40)})`, true);
    }
    if (addresses.length === 0) throw new TargetRefused(`${label}: ${host} does not resolve`, true);
  }
  for (const address of addresses) {
    const kind = addressKind(address) ?? "reserved";
    if (!addressAllowed(kind, policy)) throw refuseKind(label, host, address, kind, allowLocal);
  }
  return { url, host, addresses };
}
