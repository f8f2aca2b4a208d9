// What kind of address an IP is (pure): the outbound guard (target.ts) refuses every kind but
// "public", and under the local-development switch also loopback, private and unique-local. IPv6
// forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are
// judged by that address.

export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "unique-local"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "multicast"
  | "reserved";

/** The kinds the local-development switch allows (this machine and private networks). */
export const LOCAL_KINDS: ReadonlySet<AddressKind> = new Set(["loopback", "private", "unique-local"]);

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, Alibaba, ECS): refused even for local development. */
const METADATA_V4 = new Set(["169.254.169.254", "169.254.170.2", "168.63.129.16", "100.100.100.200"]);
const METADATA_V6 = new Set(["fd00:ec2:0:0:0:0:0:254"]);

/** The four bytes of a dotted-quad IPv4 address, or null. */
export function parseIPv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 read), or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (v4) {
    const b = parseIPv4(v4[1]);
    if (!b) return null;
    s = s.slice(0, -v4[1].length) +
      `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  if (!/^[0-9a-f:]+$/.test(s) || s.split("::").length > 2) return null;
  const [head, tail] = s.includes("::") ? s.split("::") : [s, undefined];
  const part = (p: string) => (p === "" ? [] : p.split(":"));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => parseInt(g, 16));
}

function kindOfV4([a, b, c, d]: number[]): AddressKind {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return "metadata";
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, shared address space
  if (a === 169 && b === 254) return "link-local";
  if (a >= 224 && a <= 239) return "multicast";
  if (
    a >= 240 || (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113) ||
    (a === 192 && b === 88 && c === 99)
  ) return "reserved"; // broadcast, IETF, documentation, benchmarking, 6to4 relay
  return "public";
}

function kindOfV6(g: number[]): AddressKind {
  const v4 = (hi: number, lo: number) => kindOfV4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  if (METADATA_V6.has(g.map((x) => x.toString(16)).join(":"))) return "metadata";
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return "unspecified";
  if (zeros(7) && g[7] === 1) return "loopback";
  if (zeros(5) && g[5] === 0xffff) return v4(g[6], g[7]); // IPv4-mapped
  if (zeros(6)) return v4(g[6], g[7]); // IPv4-compatible (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6], g[7]); // NAT64
  if (g[0] === 0x2002) return v4(g[1], g[2]); // 6to4
  if ((g[0] & 0xfe00) === 0xfc00) return "unique-local";
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xffc0) === 0xfec0) return "private"; // site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return "multicast";
  if ((g[0] === 0x2001 && g[1] === 0xdb8) || (g[0] === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0)) {
    return "reserved"; // documentation, discard
  }
  if (g[0] === 0x2001 && g[1] === 0) return "reserved"; // Teredo (carries an obfuscated IPv4)
  return "public";
}

/** The kind of an IPv4 or IPv6 address (brackets and zone ids allowed); null when it is no IP. */
export function addressKind(ip: string): AddressKind | null {
  const v4 = parseIPv4(ip);
  if (v4) return kindOfV4(v4);
  const v6 = ip.includes(":") ? parseIPv6(ip) : null;
  return v6 ? kindOfV6(v6) : null;
}

/** Human words for a kind, for refusals ("a link-local address"). */
export const KIND_WORDS: Record<AddressKind, string> = {
  public: "a public address",
  loopback: "a loopback address (this machine)",
  private: "a private-network address",
  "unique-local": "a unique-local IPv6 address (private network)",
  "link-local": "a link-local address",
  metadata: "a cloud metadata address",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};
