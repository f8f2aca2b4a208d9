// Admin JWTs signed with asymmetric keys are verified against the project's JWKS (Supabase's
// newer signing keys), served here by a local server.
import assert from "node:assert/strict";
import { Jwt } from "hono/utils/jwt";
import { createApp } from "../../functions/sync/app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { widgetConnector } from "./_app.ts";

Deno.test("an ES256 admin token is verified with the JWKS; a token signed by another key is refused", async () => {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const other = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const publicJwk = {
    ...(await crypto.subtle.exportKey("jwk", keys.publicKey)),
    kid: "k1",
    alg: "ES256",
    use: "sig",
  };
  const jwks = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => Response.json({ keys: [publicJwk] }),
  );
  await using db = await createTestDatabase();
  try {
    const app = createApp({
      sql: db.sql,
      connectors: { widgets: widgetConnector([]) },
      connectorConfig: () => ({}),
      auth: { jwtSecret: null, jwksUrl: `http://127.0.0.1:${jwks.addr.port}/jwks.json`, workerSecret: null },
      budgetMs: 10_000,
      log: () => {},
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: "admin-1",
      role: "authenticated",
      aud: "authenticated",
      app_metadata: { role: "admin" },
      exp: now + 300,
    };
    const sign = async (key: CryptoKey) => {
      const jwk = { ...(await crypto.subtle.exportKey("jwk", key)), kid: "k1", alg: "ES256" };
      return await Jwt.sign(claims, jwk, "ES256");
    };
    const good = await app.request("/sync/jobs", {
      headers: { authorization: `Bearer ${await sign(keys.privateKey)}` },
    });
    assert.equal(good.status, 200);
    const bad = await app.request("/sync/jobs", {
      headers: { authorization: `Bearer ${await sign(other.privateKey)}` },
    });
    assert.equal(bad.status, 401);
    assert.match((await bad.json()).error.message, /Invalid token/);
    const hs = await Jwt.sign(claims, "some-secret", "HS256");
    const refused = await app.request("/sync/jobs", { headers: { authorization: `Bearer ${hs}` } });
    assert.equal(refused.status, 401);
    assert.match((await refused.json()).error.message, /HS256 tokens are not accepted/);
  } finally {
    await jwks.shutdown();
  }
});
