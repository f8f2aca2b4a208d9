// Credentials as Supabase issues them today: secret API keys (sb_secret_...), user JWTs that expire
// and carry aud "authenticated", signing keys from the JWKS (inline or fetched once), the legacy
// HS256 secret only when configured. Refusals never repeat the presented credential.
import assert from "node:assert/strict";
import { Jwt } from "hono/utils/jwt";
import { type AuthConfig } from "../../functions/_shared/api/auth.ts";
import { loadConfig } from "../../functions/_shared/config.ts";
import { createApp } from "../../functions/sync/app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { widgetConnector } from "./_app.ts";

const HS_SECRET = "test-only-legacy-jwt-secret-0000000000000";
const SECRET_KEY = "sb_secret_TESTONLYnotARealKey000000000000";
const now = () => Math.floor(Date.now() / 1000);
const adminClaims = (extra: Record<string, unknown> = {}) => ({
  sub: "user-7",
  role: "authenticated",
  aud: "authenticated",
  app_metadata: { role: "admin" },
  exp: now() + 300,
  ...extra,
});

async function withApp(auth: Partial<AuthConfig>, fn: (get: GetFn) => Promise<void>) {
  await using db = await createTestDatabase();
  const app = createApp({
    sql: db.sql,
    connectors: { widgets: widgetConnector([]) },
    connectorConfig: () => ({}),
    auth: { jwtSecret: null, jwksUrl: null, workerSecret: null, ...auth },
    budgetMs: 10_000,
    log: () => {},
  });
  await fn(async (headers) => {
    const res = await app.request("/sync/jobs", { headers });
    const body = await res.json();
    return { status: res.status, message: String(body?.error?.message ?? "") };
  });
}
type GetFn = (headers: Record<string, string>) => Promise<{ status: number; message: string }>;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

Deno.test("JWTs must expire and be meant for users (aud authenticated); service_role keys need no aud", async () => {
  await withApp({ jwtSecret: HS_SECRET }, async (get) => {
    assert.equal((await get(bearer(await Jwt.sign(adminClaims(), HS_SECRET)))).status, 200);
    const noExp = adminClaims();
    delete (noExp as Record<string, unknown>).exp;
    const a = await get(bearer(await Jwt.sign(noExp, HS_SECRET)));
    assert.equal(a.status, 401);
    assert.match(a.message, /no exp claim/);
    const b = await get(bearer(await Jwt.sign(adminClaims({ aud: "other-app" }), HS_SECRET)));
    assert.equal(b.status, 401);
    assert.match(b.message, /aud must be "authenticated"/);
    const noAud = adminClaims();
    delete (noAud as Record<string, unknown>).aud;
    assert.equal((await get(bearer(await Jwt.sign(noAud, HS_SECRET)))).status, 401);
    assert.equal(
      (await get(bearer(await Jwt.sign(adminClaims({ aud: ["x", "authenticated"] }), HS_SECRET)))).status,
      200,
    );
    // the legacy service_role key: role service_role, no aud, a (long) exp
    const service = await Jwt.sign({ iss: "supabase", role: "service_role", exp: now() + 3600 }, HS_SECRET);
    assert.equal((await get(bearer(service))).status, 200);
  });
});

Deno.test("a refused token is never echoed in the error", async () => {
  await withApp({ jwtSecret: HS_SECRET }, async (get) => {
    const cases = [
      await Jwt.sign(adminClaims(), "another-secret-entirely-000000000000"),
      await Jwt.sign(adminClaims({ exp: now() - 10 }), HS_SECRET),
      await Jwt.sign(adminClaims({ nbf: now() + 600 }), HS_SECRET),
      (await Jwt.sign(adminClaims(), HS_SECRET)).slice(0, -3) + "%%%",
      "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
    ];
    for (const token of cases) {
      const r = await get(bearer(token));
      assert.equal(r.status, 401, token);
      for (const part of token.split(".")) {
        assert.ok(!r.message.includes(part), `"${r.message}" repeats part of the token`);
      }
      assert.match(r.message, /^(Invalid token: |Malformed bearer token)/);
    }
    const expired = await get(bearer(await Jwt.sign(adminClaims({ exp: now() - 10 }), HS_SECRET)));
    assert.equal(expired.message, "Invalid token: the token has expired");
  });
});

Deno.test("secret API keys (sb_secret_) act as admin in Authorization or apikey; publishable keys do not", async () => {
  await withApp({ secretKeys: ["sb_secret_other0000000000000000000", SECRET_KEY] }, async (get) => {
    assert.equal((await get(bearer(SECRET_KEY))).status, 200);
    assert.equal((await get({ apikey: SECRET_KEY })).status, 200);
    const wrong = await get(bearer("sb_secret_WRONGkey00000000000000000000"));
    assert.equal(wrong.status, 401);
    assert.match(wrong.message, /Unknown secret API key/);
    assert.ok(!wrong.message.includes("WRONGkey"));
    const publishable = await get({ apikey: "sb_publishable_TESTONLY0000000000000" });
    assert.equal(publishable.status, 403);
    assert.match(publishable.message, /publishable key grants no admin access/);
    const none = await get({});
    assert.equal(none.status, 401);
    assert.match(
      none.message,
      /Missing credentials: send Authorization: Bearer <admin JWT or sb_secret_ key>/,
    );
  });
  await withApp({}, async (get) => {
    const r = await get(bearer(SECRET_KEY));
    assert.equal(r.status, 401);
    assert.match(r.message, /SUPABASE_SECRET_KEYS is not set/);
  });
});

Deno.test("signing keys: inline SUPABASE_JWKS needs no fetch; the JWKS endpoint is fetched once and cached", async () => {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const pub = { ...(await crypto.subtle.exportKey("jwk", keys.publicKey)), kid: "kid-a", alg: "ES256" };
  const priv = { ...(await crypto.subtle.exportKey("jwk", keys.privateKey)), kid: "kid-a", alg: "ES256" };
  const token = await Jwt.sign(adminClaims(), priv, "ES256");
  await withApp({ jwks: [pub] }, async (get) => {
    assert.equal((await get(bearer(token))).status, 200);
    const hs = await get(bearer(await Jwt.sign(adminClaims(), HS_SECRET)));
    assert.equal(hs.status, 401);
    assert.match(hs.message, /HS256 tokens are not accepted: SYNCLINE_JWT_SECRET/);
  });
  let fetches = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    fetches++;
    return Response.json({ keys: [pub] });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/auth/v1/.well-known/jwks.json`;
    await withApp({ jwksUrl: url }, async (get) => {
      for (let i = 0; i < 3; i++) assert.equal((await get(bearer(token))).status, 200);
      assert.equal(fetches, 1);
    });
    await withApp({ jwksUrl: "http://127.0.0.1:9/auth/v1/.well-known/jwks.json" }, async (get) => {
      const down = await get(bearer(token));
      assert.equal(down.status, 503, "a JWKS outage is ours, not a bad token");
      assert.match(down.message, /^Cannot verify the token now: the JWKS at .* is unreachable/);
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test("config: SUPABASE_SECRET_KEYS and SUPABASE_JWKS are read; SUPABASE_JWT_SECRET is not relied on", () => {
  const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
  const cfg = loadConfig(
    env({
      SUPABASE_DB_URL: "postgresql://u@h/db",
      SUPABASE_URL: "https://abc.supabase.co/",
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: SECRET_KEY, ci: "sb_secret_second000000000000000" }),
      SUPABASE_JWKS: JSON.stringify({ keys: [{ kty: "EC", kid: "k" }] }),
      SUPABASE_JWT_SECRET: "ignored-because-supabase-never-sets-it",
    }),
  );
  assert.deepEqual(cfg.secretKeys, [SECRET_KEY, "sb_secret_second000000000000000"]);
  assert.equal(cfg.jwksUrl, "https://abc.supabase.co/auth/v1/.well-known/jwks.json");
  assert.deepEqual(cfg.jwks, [{ kty: "EC", kid: "k" }]);
  assert.equal(cfg.jwtSecret, null);
  assert.throws(
    () => loadConfig(env({ SUPABASE_DB_URL: "postgresql://u@h/db", SUPABASE_SECRET_KEYS: "sb_secret_x" })),
    /SUPABASE_SECRET_KEYS must be a JSON object/,
  );
});
