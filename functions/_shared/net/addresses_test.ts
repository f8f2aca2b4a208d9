import assert from "node:assert/strict";
import { addressKind, parseIPv6 } from "./addresses.ts";

Deno.test("addressKind: every internal range of IPv4 and IPv6, metadata endpoints, embedded IPv4", () => {
  const cases: Record<string, string | null> = {
    "93.184.216.34": "public",
    "8.8.8.8": "public",
    "127.0.0.1": "loopback",
    "127.255.0.9": "loopback",
    "0.0.0.0": "unspecified",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "172.32.0.1": "public",
    "192.168.1.1": "private",
    "100.64.0.1": "private",
    "169.254.1.1": "link-local",
    "169.254.169.254": "metadata",
    "169.254.170.2": "metadata",
    "100.100.100.200": "metadata",
    "224.0.0.1": "multicast",
    "255.255.255.255": "reserved",
    "192.0.2.1": "reserved",
    "::1": "loopback",
    "[::1]": "loopback",
    "::": "unspecified",
    "fd00:ec2::254": "metadata",
    "fd12:3456::1": "unique-local",
    "fc00::1": "unique-local",
    "fe80::1%eth0": "link-local",
    "ff02::1": "multicast",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:7f00:1": "loopback",
    "::ffff:169.254.169.254": "metadata",
    "64:ff9b::a9fe:a9fe": "metadata",
    "2002:7f00:1::": "loopback",
    "2001:db8::1": "reserved",
    "2606:4700:4700::1111": "public",
    "example.com": null,
    "1.2.3": null,
    "1.2.3.256": null,
    "1::2::3": null,
    "12345::": null,
  };
  for (const [ip, kind] of Object.entries(cases)) assert.equal(addressKind(ip), kind, ip);
});

Deno.test("parseIPv6 expands :: and reads an embedded IPv4 address", () => {
  assert.deepEqual(parseIPv6("::1"), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIPv6("1:2:3:4:5:6:7:8"), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(parseIPv6("::ffff:1.2.3.4"), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  assert.equal(parseIPv6("1:2:3:4:5:6:7:8:9"), null);
  assert.equal(parseIPv6("1:2:3:4:5:6:7"), null);
});
