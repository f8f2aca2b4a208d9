// Vendor requests against real servers: a vendor answering 302 to another origin (which records
// what it receives), same-origin hops, loops, absolute URLs off the base, errors echoing credentials.
import assert from "node:assert/strict";
import { HttpError } from "../errors.ts";
import { HttpClient } from "./client.ts";
import { MAX_REDIRECTS } from "./redirects.ts";

const KEY = "vendor-key-4f1c9a7e2b";

/** A server on 127.0.0.1 recording every request's path and credential headers. */
function server(handler: (url: URL, req: Request) => Response) {
  const seen: { path: string; key: string | null; auth: string | null; method: string }[] = [];
  const s = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    seen.push({
      path: url.pathname + url.search,
      key: req.headers.get("x-api-key"),
      auth: req.headers.get("authorization"),
      method: req.method,
    });
    return handler(url, req);
  });
  const url = `http://127.0.0.1:${(s.addr as Deno.NetAddr).port}`;
  return { url, seen, [Symbol.asyncDispose]: () => s.shutdown() };
}

const client = (baseUrl: string) =>
  new HttpClient({
    source: "vendor",
    baseUrl,
    headers: { "x-api-key": KEY, authorization: `Bearer ${KEY}` },
    policy: { timeoutMs: 2_000, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });

Deno.test("a redirect to another origin is refused: the other origin never receives the key, the request fails", async () => {
  await using other = server(() => Response.json({ data: [] }));
  // "localhost" is another origin than 127.0.0.1, even on the same port
  const foreignPort = new URL(other.url).port;
  await using vendor = server((url) =>
    url.pathname === "/v1/items"
      ? new Response(null, { status: 302, headers: { location: `${other.url}/steal?from=vendor` } })
      : url.pathname === "/v1/host"
      ? new Response(null, { status: 307, headers: { location: `http://localhost:${foreignPort}/x` } })
      : new Response(null, { status: 308, headers: { location: "https://127.0.0.1/x" } })
  );
  const http = client(`${vendor.url}/v1`);
  for (const path of ["/items", "/host", "/scheme"]) {
    await assert.rejects(
      http.get(path),
      (e) =>
        e instanceof HttpError && !e.transient &&
        /redirect 30\d to another origin \(.+\) refused: the request's credentials are only sent to http:\/\/127\.0\.0\.1:\d+/
          .test(e.message),
    );
  }
  assert.deepEqual(other.seen, [], "the other origin received nothing");
  // a permanent refusal: each request was sent once, not retried
  assert.equal(vendor.seen.length, 3);
});

Deno.test("a same-origin redirect is followed, re-checked at each hop, with the key; 303 turns into a GET", async () => {
  await using other = server(() => Response.json({ stolen: true }));
  await using vendor = server((url, req) => {
    if (url.pathname === "/v1/old") {
      return new Response(null, { status: 301, headers: { location: "/v1/new" } });
    }
    if (url.pathname === "/v1/new") return Response.json({ at: "new", method: req.method });
    if (url.pathname === "/v1/post") {
      return new Response(null, { status: 303, headers: { location: "/v1/new" } });
    }
    if (url.pathname === "/v1/two") {
      return new Response(null, { status: 302, headers: { location: "/v1/hop" } });
    }
    if (url.pathname === "/v1/hop") {
      return new Response(null, { status: 302, headers: { location: `${other.url}/steal` } });
    }
    if (url.pathname === "/v1/loop") {
      return new Response(null, { status: 302, headers: { location: "/v1/loop" } });
    }
    return new Response("nope", { status: 404 });
  });
  const http = client(`${vendor.url}/v1`);
  assert.deepEqual(await http.get("/old"), { at: "new", method: "GET" });
  assert.deepEqual(vendor.seen.slice(0, 2).map((s) => [s.path, s.key]), [["/v1/old", KEY], ["/v1/new", KEY]]);
  assert.deepEqual(await http.post("/post", { a: 1 }), { at: "new", method: "GET" });

  // the second hop leaves the origin: refused there
  await assert.rejects(http.get("/two"), /redirect 302 to another origin/);
  assert.deepEqual(other.seen, []);

  vendor.seen.length = 0;
  await assert.rejects(
    http.get("/loop"),
    (e) => e instanceof HttpError && /more than 5 redirects/.test(e.message),
  );
  assert.equal(vendor.seen.length, MAX_REDIRECTS + 1);
});

Deno.test("an absolute URL off the base's origin is refused before any request", async () => {
  await using other = server(() => Response.json({}));
  await using vendor = server(() => Response.json({}));
  const http = client(`${vendor.url}/v1`);
  await assert.rejects(
    http.get(`${other.url}/next?page=2`),
    (e) =>
      e instanceof HttpError && !e.transient &&
      /refused: requests go only to http:\/\/127\.0\.0\.1/.test(e.message),
  );
  assert.deepEqual(other.seen, []);
  assert.deepEqual(vendor.seen, []);
});

Deno.test("a vendor error echoing the client's credentials is redacted in the error (header key, bearer token, basic password)", async () => {
  await using vendor = server((_url, req) =>
    Response.json({
      message: `bad key ${req.headers.get("x-api-key")}, token ${
        req.headers.get("authorization")?.split(" ")[1]
      }, encoded ${encodeURIComponent(KEY)}`,
    }, { status: 401 })
  );
  await assert.rejects(client(`${vendor.url}/v1`).get("/x"), (e) => {
    assert.ok(e instanceof HttpError);
    assert.ok(!e.message.includes(KEY), e.message);
    assert.match(e.message, /answered 401: .*bad key \[redacted\], token \[redacted\]/);
    return true;
  });
  await using echoing = server(() => new Response("password pa55-w0rd-x refused", { status: 403 }));
  const basic = new HttpClient({
    source: "vendor",
    baseUrl: echoing.url,
    headers: { authorization: `Basic ${btoa("user:pa55-w0rd-x")}` },
  });
  await assert.rejects(basic.get("/y"), (e) => e instanceof HttpError && !e.message.includes("pa55-w0rd-x"));
});
