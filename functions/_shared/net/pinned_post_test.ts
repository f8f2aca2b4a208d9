import assert from "node:assert/strict";
import { pinnedPost } from "./pinned_post.ts";
import { type Resolver, TargetRefused } from "./target.ts";

const local: Resolver = () => Promise.resolve(["127.0.0.1"]);

/** A test CA and a server certificate it signed for `name` (openssl; scripts/lib.sh installs it). */
async function testCertificate(name: string): Promise<{ ca: string; cert: string; key: string }> {
  const dir = await Deno.makeTempDir({ prefix: "syncline-tls-" });
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
      .output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  await run(
    "req",
    "-x509",
    ...ec,
    "-days",
    "1",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=test-ca",
  );
  await run("req", ...ec, "-keyout", "key.pem", "-out", "leaf.csr", "-subj", `/CN=${name}`);
  await Deno.writeTextFile(`${dir}/ext`, `subjectAltName=DNS:${name}\nbasicConstraints=CA:FALSE\n`);
  await run(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-out",
    "cert.pem",
    "-extfile",
    "ext",
  );
  const read = (f: string) => Deno.readTextFile(`${dir}/${f}`);
  const out = { ca: await read("ca.pem"), cert: await read("cert.pem"), key: await read("key.pem") };
  await Deno.remove(dir, { recursive: true });
  return out;
}

Deno.test("pinnedPost sends the JSON body to the checked address and reads status and body; no redirect is followed", async () => {
  const seen: { path: string; body: unknown; auth: string | null; host: string | null }[] = [];
  let redirected = 0;
  const other = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    redirected++;
    return new Response("landed");
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    seen.push({
      path: url.pathname + url.search,
      body: await req.json(),
      auth: req.headers.get("authorization"),
      host: req.headers.get("host"),
    });
    if (url.pathname === "/redirect") {
      return new Response(null, {
        status: 307,
        headers: { location: `http://127.0.0.1:${other.addr.port}/` },
      });
    }
    if (url.pathname === "/chunked") {
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode("no_"));
          c.enqueue(new TextEncoder().encode("service"));
          c.close();
        },
      });
      return new Response(stream, { status: 404 });
    }
    return Response.json({ ok: true });
  });
  try {
    const base = `http://hook.test:${server.addr.port}`;
    const policy = { allowLocal: true, resolve: local };
    const ok = await pinnedPost(`${base}/hook?x=1`, {
      body: { text: "hi é" },
      headers: { Authorization: "Bearer k" },
      timeoutMs: 5000,
      policy,
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { ok: true });
    assert.deepEqual(seen[0], {
      path: "/hook?x=1",
      body: { text: "hi é" },
      auth: "Bearer k",
      host: `hook.test:${server.addr.port}`,
    });
    const moved = await pinnedPost(`${base}/redirect`, { body: {}, timeoutMs: 5000, policy });
    assert.equal(moved.status, 307);
    assert.equal(redirected, 0, "the redirect's target was never contacted");
    const chunked = await pinnedPost(`${base}/chunked`, { body: {}, timeoutMs: 5000, policy });
    assert.equal(chunked.status, 404);
    assert.equal(chunked.body, "no_service");
    await assert.rejects(
      pinnedPost(`${base}/x`, { body: {}, timeoutMs: 5000, policy, headers: { "X-Evil": "a\r\nHost: b" } }),
      TargetRefused,
    );
  } finally {
    await server.shutdown();
    await other.shutdown();
  }
});

Deno.test("pinnedPost refuses an internal address before connecting and times out on a silent server", async () => {
  let accepted = 0;
  const conns: Deno.Conn[] = [];
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  (async () => {
    for await (const conn of listener) {
      accepted++;
      conns.push(conn); // silent: closed when the test ends (a timer would outlive it)
    }
  })().catch(() => {});
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    // a public-looking name that resolves to this machine (DNS rebinding): refused, never connected
    await assert.rejects(
      pinnedPost(`https://rebind.example.com:${port}/`, {
        body: {},
        timeoutMs: 2000,
        policy: { resolve: local },
      }),
      /rebind\.example\.com resolves to 127\.0\.0\.1, a loopback address/,
    );
    assert.equal(accepted, 0);
    await assert.rejects(
      pinnedPost(`http://127.0.0.1:${port}/`, { body: {}, timeoutMs: 300, policy: { allowLocal: true } }),
      /127\.0\.0\.1 did not answer within 300 ms/,
    );
  } finally {
    listener.close();
    for (const c of conns) c.close();
  }
});

Deno.test("pinnedPost verifies TLS against the URL's host name while connecting to the checked address", async () => {
  const good = await testCertificate("hook.test");
  const wrong = await testCertificate("other.test");
  const serve = ({ cert, key }: { cert: string; key: string }) =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", cert, key, onListen: () => {} }, () => new Response("ok"));
  const a = serve(good);
  const b = serve(wrong);
  try {
    const policy = { allowLocal: true, resolve: local };
    const ok = await pinnedPost(`https://hook.test:${a.addr.port}/`, {
      body: {},
      timeoutMs: 5000,
      policy,
      caCerts: [good.ca],
    });
    assert.equal(ok.status, 200);
    await assert.rejects(
      pinnedPost(`https://hook.test:${b.addr.port}/`, {
        body: {},
        timeoutMs: 5000,
        policy,
        caCerts: [wrong.ca],
      }),
      /cannot reach hook\.test/,
    );
  } finally {
    await a.shutdown();
    await b.shutdown();
  }
});
