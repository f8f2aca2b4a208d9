// POSTs JSON to a checked target over a connection to the very address that was checked (no second
// DNS look-up between the check and the connect, so a host cannot rebind to an internal address),
// with TLS verified against the URL's host name. HTTP/1.1, Connection: close, no redirects: a 3xx is
// an answer like any other. Only the status and the first few KB of the body are read.
import { checkTarget, type TargetPolicy, TargetRefused } from "./target.ts";

export interface PinnedPostInit {
  headers?: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  policy: TargetPolicy;
  /** names the setting in refusals */
  label?: string;
  /** extra trusted CA certificates (PEM), for tests with a self-signed server */
  caCerts?: string[];
}

export interface PinnedAnswer {
  status: number;
  headers: Headers;
  /** at most MAX_BODY bytes of the body, decoded as UTF-8 */
  body: string;
  host: string;
}

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 4 * 1024;
const SAFE_HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function requestBytes(url: URL, headers: Record<string, string>, body: string): Uint8Array {
  const payload = new TextEncoder().encode(body);
  const all: Record<string, string> = {
    Host: url.host,
    "User-Agent": "syncline",
    Accept: "application/json",
    "Content-Type": "application/json",
    ...headers,
    "Content-Length": String(payload.length),
    Connection: "close",
  };
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(all)) {
    if (!SAFE_HEADER.test(k) || /[\r\n\0]/.test(v)) {
      throw new TargetRefused(`header ${k.slice(0, 40)} is not valid`);
    }
    head += `${k}: ${v}\r\n`;
  }
  const start = new TextEncoder().encode(head + "\r\n");
  const out = new Uint8Array(start.length + payload.length);
  out.set(start);
  out.set(payload, start.length);
  return out;
}

const indexOf = (buf: Uint8Array, seq: number[], from = 0) => {
  outer: for (let i = from; i <= buf.length - seq.length; i++) {
    for (let j = 0; j < seq.length; j++) if (buf[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
};

/** The first bytes of a chunked body (enough for a reason; the rest is not read). */
function dechunk(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  let at = 0;
  while (at < raw.length && out.length < MAX_BODY) {
    const eol = indexOf(raw, [13, 10], at);
    if (eol < 0) break;
    const size = parseInt(new TextDecoder().decode(raw.subarray(at, eol)).split(";")[0], 16);
    if (!Number.isFinite(size) || size <= 0) break;
    out.push(...raw.subarray(eol + 2, Math.min(eol + 2 + size, raw.length)));
    at = eol + 2 + size + 2;
  }
  return Uint8Array.from(out);
}

function parseAnswer(raw: Uint8Array, host: string): PinnedAnswer {
  const end = indexOf(raw, [13, 10, 13, 10]);
  if (end < 0) throw new TargetRefused(`${host} sent no complete HTTP answer`, true);
  const lines = new TextDecoder().decode(raw.subarray(0, end)).split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) throw new TargetRefused(`${host} did not answer HTTP/1.1`, true);
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) {
      try {
        headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
      } catch {
        // a header Headers refuses is not one we need
      }
    }
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) body = dechunk(body);
  return {
    status: Number(m[1]),
    headers,
    body: new TextDecoder().decode(body.subarray(0, MAX_BODY)),
    host,
  };
}

async function exchange(
  address: string,
  url: URL,
  host: string,
  request: Uint8Array,
  caCerts: string[] | undefined,
  deadline: AbortSignal,
): Promise<PinnedAnswer> {
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  let conn: Deno.Conn = await Deno.connect({ hostname: address, port, transport: "tcp" });
  const close = () => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  };
  deadline.addEventListener("abort", close, { once: true });
  try {
    if (url.protocol === "https:") {
      conn = await Deno.startTls(conn as Deno.TcpConn, { hostname: host, caCerts });
    }
    for (let written = 0; written < request.length;) written += await conn.write(request.subarray(written));
    const chunks: Uint8Array[] = [];
    let size = 0;
    const buf = new Uint8Array(8192);
    while (size < MAX_HEAD + MAX_BODY) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
      size += n;
    }
    const raw = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      raw.set(c, at);
      at += c.length;
    }
    return parseAnswer(raw, host);
  } finally {
    deadline.removeEventListener("abort", close);
    close();
  }
}

/**
 * Checks the target (checkTarget), connects to its checked addresses in turn, sends the JSON body
 * and returns the answer (any status; redirects are not followed). Throws TargetRefused for a refused
 * target, and for a network failure or timeout (transient).
 */
export async function pinnedPost(rawUrl: string, init: PinnedPostInit): Promise<PinnedAnswer> {
  const deadline = AbortSignal.timeout(init.timeoutMs);
  const { url, host, addresses } = await checkTarget(rawUrl, init.policy, init.label);
  const request = requestBytes(url, init.headers ?? {}, JSON.stringify(init.body));
  let last: unknown;
  for (const address of addresses) {
    if (deadline.aborted) break;
    try {
      return await exchange(address, url, host, request, init.caCerts, deadline);
    } catch (err) {
      if (err instanceof TargetRefused && !deadline.aborted) throw err;
      last = err;
    }
  }
  if (deadline.aborted) throw new TargetRefused(`${host} did not answer within ${init.timeoutMs} ms`, true);
  const name = (last as Error)?.name ?? "error";
  const tls = /certificate|tls|handshake/i.test(String((last as Error)?.message))
    ? " (TLS: certificate not valid)"
    : "";
  throw new TargetRefused(`cannot reach ${host}: ${name}${tls}`, true);
}
