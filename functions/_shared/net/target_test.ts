import assert from "node:assert/strict";
import { checkTarget, type Resolver, TargetRefused } from "./target.ts";

const fixed = (map: Record<string, string[]>): Resolver => (host) =>
  map[host]
    ? Promise.resolve(map[host])
    : Promise.reject(Object.assign(new Error("nx"), { code: "ENOTFOUND" }));

Deno.test("checkTarget refuses internal targets by literal, by name and by every resolved address", async () => {
  const resolve = fixed({
    "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
    "mixed.example.com": ["93.184.216.34", "10.0.0.5"],
    "rebind.example.com": ["127.0.0.1"],
    "v6meta.example.com": ["fd00:ec2::254"],
  });
  const refused: Record<string, RegExp> = {
    "https://169.254.169.254/latest/meta-data/": /169\.254\.169\.254 is a cloud metadata address: refused$/,
    "https://[fd00:ec2::254]/": /fd00:ec2::254 is a cloud metadata address/,
    "https://metadata.google.internal/computeMetadata/v1/":
      /metadata\.google\.internal is a cloud metadata service/,
    "https://127.0.0.1:8080/": /127\.0\.0\.1 is a loopback address .*SYNCLINE_ALLOW_LOCAL_URLS=true/,
    "https://0.0.0.0/": /0\.0\.0\.0 is the unspecified address/,
    "https://2130706433/": /127\.0\.0\.1 is a loopback address/,
    "https://0x7f.1/": /127\.0\.0\.1 is a loopback address/,
    "https://localhost:9999/": /localhost is this machine/,
    "https://[::1]:9999/": /::1 is a loopback address/,
    "https://[::ffff:127.0.0.1]/": /loopback/,
    "https://mixed.example.com/": /mixed\.example\.com resolves to 10\.0\.0\.5, a private-network address/,
    "https://rebind.example.com/": /resolves to 127\.0\.0\.1, a loopback address/,
    "https://v6meta.example.com/": /cloud metadata address/,
    "https://nowhere.example.com/": /nowhere\.example\.com does not resolve \(ENOTFOUND\)/,
    "http://hooks.example.com/": /must be https: \(http: only for local development/,
    "ftp://hooks.example.com/": /must be an https: URL, got ftp:/,
    "https://user:pw@hooks.example.com/": /must not carry a user name or password/,
    "not a url": /not a URL/,
  };
  for (const [url, message] of Object.entries(refused)) {
    await assert.rejects(checkTarget(url, { resolve }, "slack_webhook_url"), (err: Error) => {
      assert.ok(err instanceof TargetRefused, url);
      assert.match(err.message, /^slack_webhook_url: /);
      assert.match(err.message, message, url);
      return true;
    });
  }
  const ok = await checkTarget("https://hooks.example.com/services/T0/B0/SECRETPATH", { resolve });
  assert.deepEqual(ok.addresses, ["93.184.216.34", "2606:2800:220:1::1"]);
});

Deno.test("the local-development switch allows http: and this machine or private networks, never metadata", async () => {
  const resolve = fixed({ "hook.test": ["127.0.0.1"], "lan.test": ["192.168.1.20"], localhost: ["::1"] });
  const policy = { allowLocal: true, resolve };
  assert.deepEqual((await checkTarget("http://127.0.0.1:9/x", policy)).addresses, ["127.0.0.1"]);
  assert.deepEqual((await checkTarget("http://hook.test:9/x", policy)).addresses, ["127.0.0.1"]);
  assert.deepEqual((await checkTarget("https://lan.test/x", policy)).addresses, ["192.168.1.20"]);
  assert.deepEqual((await checkTarget("http://localhost:9/", policy)).addresses, ["::1"]);
  for (const url of ["http://169.254.169.254/", "https://[fe80::1]/", "https://metadata.google.internal/"]) {
    await assert.rejects(checkTarget(url, policy), TargetRefused, url);
  }
});

Deno.test("refusals name the host, never the URL's path or query", async () => {
  const resolve = fixed({ "hooks.example.com": ["10.0.0.1"] });
  await assert.rejects(
    checkTarget("https://hooks.example.com/services/T0/B0/SECRETPATH?token=QUERYSECRET", { resolve }),
    (err: Error) => !/SECRETPATH|QUERYSECRET/.test(err.message),
  );
});
