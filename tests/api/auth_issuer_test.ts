// A token signed with the project's key but issued for another project is refused: user tokens carry
// iss "https://<ref>.supabase.co/auth/v1", the legacy service_role key ref "<ref>" (issue 25, item 8).
import assert from "node:assert/strict";
import { Jwt } from "hono/utils/jwt";
import { loadConfig } from "../../functions/_shared/config.ts";
import { createApp } from "../../functions/sync/app.ts";
import { createTestDatabase } from "../_support/db.ts";
import { widgetConnector } from "./_app.ts";

const HS_SECRET = "test-only-legacy-jwt-secret-shared-by-two-projects";
const now = () => Math.floor(Date.now() / 1000);
const user = (extra: Record<string, unknown>) => ({
  sub: "user-7",
  role: "authenticated",
  aud: "authenticated",
  app_metadata: { role: "admin" },
  exp: now() + 300,
  ...extra,
});

async function withProject(
  vars: Record<string, string>,
  fn: (status: (claims: Record<string, unknown>) => Promise<[number, string]>) => Promise<void>,
) {
  await using db = await createTestDatabase();
  const config = loadConfig({
    get: (k) => ({ SYNCLINE_DB_URL: db.url, SYNCLINE_JWT_SECRET: HS_SECRET, ...vars })[k],
  });
  const app = createApp({
    sql: db.sql,
    connectors: { widgets: widgetConnector([]) },
    connectorConfig: () => ({}),
    auth: config,
    budgetMs: 10_000,
    log: () => {},
  });
  await fn(async (claims) => {
    const token = await Jwt.sign(claims, HS_SECRET);
    const res = await app.request("/sync/jobs", { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    return [res.status, String(body?.error?.message ?? "")];
  });
}

Deno.test("JWTs: iss must be the project's Auth URL and a service_role key's ref the project's", async () => {
  await withProject({ SUPABASE_URL: "https://abcdefghijklmnop.supabase.co" }, async (status) => {
    assert.equal((await status(user({ iss: "https://abcdefghijklmnop.supabase.co/auth/v1" })))[0], 200);
    const [other, message] = await status(user({ iss: "https://otherprojectref00.supabase.co/auth/v1" }));
    assert.equal(other, 401);
    assert.equal(message, 'Invalid token: iss must be "https://abcdefghijklmnop.supabase.co/auth/v1"');
    const [none] = await status(user({}));
    assert.equal(none, 401, "a user token without iss is refused when the project is known");
    // the legacy service_role key: iss "supabase", the project's ref
    const service = { iss: "supabase", ref: "abcdefghijklmnop", role: "service_role", exp: now() + 3600 };
    assert.equal((await status(service))[0], 200);
    const [foreign, why] = await status({ ...service, ref: "otherprojectref00" });
    assert.equal(foreign, 401);
    assert.equal(why, 'Invalid token: ref must be "abcdefghijklmnop" (a key of another project)');
  });
  // a custom domain or self-hosting names the issuer itself
  await withProject({ SYNCLINE_JWT_ISSUER: "https://auth.example.com/auth/v1" }, async (status) => {
    assert.equal((await status(user({ iss: "https://auth.example.com/auth/v1" })))[0], 200);
    assert.equal((await status(user({ iss: "https://evil.example.com/auth/v1" })))[0], 401);
  });
});
