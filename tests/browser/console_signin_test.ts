/// <reference lib="dom" />
// Hosted-style sign-in: the console signs in with Supabase Auth (supabase-js, email and password)
// and uses the session's JWT for the API and for Realtime. Supabase Auth is faked after its
// documented token endpoint (POST /auth/v1/token?grant_type=password).
import assert from "node:assert/strict";
import { Jwt } from "hono/utils/jwt";
import { JWT_SECRET } from "../api/_app.ts";
import { browserTest, consoleHarness } from "./_console.ts";

const USERS: Record<string, { password: string; app_metadata: Record<string, unknown> }> = {
  "ops@example.test": { password: "correct horse", app_metadata: { role: "admin" } },
  "viewer@example.test": { password: "battery staple", app_metadata: {} },
};
const cors = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers":
    "authorization, apikey, content-type, x-client-info, x-supabase-api-version",
};

async function fakeAuth(req: Request): Promise<Response> {
  if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
  const url = new URL(req.url);
  if (url.pathname !== "/auth/v1/token" || url.searchParams.get("grant_type") !== "password") {
    return Response.json({ code: 404, msg: "not found" }, { status: 404, headers: cors });
  }
  const { email, password } = await req.json();
  const user = USERS[email];
  if (!user || user.password !== password) {
    return Response.json({ code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" }, {
      status: 400,
      headers: cors,
    });
  }
  const now = Math.floor(Date.now() / 1000);
  const id = crypto.randomUUID();
  const access_token = await Jwt.sign({
    sub: id,
    aud: "authenticated",
    role: "authenticated",
    email,
    app_metadata: user.app_metadata,
    exp: now + 3600,
    iat: now,
  }, JWT_SECRET);
  return Response.json({
    access_token,
    token_type: "bearer",
    expires_in: 3600,
    expires_at: now + 3600,
    refresh_token: "fake-refresh-token",
    user: {
      id,
      aud: "authenticated",
      role: "authenticated",
      email,
      app_metadata: user.app_metadata,
      user_metadata: {},
    },
  }, { headers: cors });
}

Deno.test({
  name: "console: Supabase Auth sign-in; the session JWT opens the API and the private channels",
  ...browserTest,
  async fn() {
    await using h = await consoleHarness({ widgets: 10, supabaseAuth: fakeAuth });
    const page = await h.browser.newPage();
    await page.goto(h.url);
    await page.waitForSelector("#email:visible");
    assert.equal(await page.inputValue("#signin-mode"), "supabase");

    await page.fill("#email", "ops@example.test");
    await page.fill("#password", "wrong");
    await page.click("#connect");
    await page.waitForFunction(() =>
      /Invalid login credentials/.test(document.querySelector("#conn-status")?.textContent ?? "")
    );

    await page.fill("#password", "correct horse");
    await page.click("#connect");
    await page.waitForSelector("#app:not([hidden])");
    assert.match(await page.textContent("#who") ?? "", /Supabase session/);
    await page.waitForFunction(() =>
      document.querySelector("#live-status")?.textContent === "Live (Realtime)"
    );
    await h.shot(page, "signed-in-supabase");

    // a signed-in user who is no admin gets the API's 403, named
    const other = await h.browser.newPage();
    await other.goto(h.url);
    await other.waitForSelector("#email:visible");
    await other.fill("#email", "viewer@example.test");
    await other.fill("#password", "battery staple");
    await other.click("#connect");
    await other.waitForFunction(() =>
      /is not a Syncline admin/.test(document.querySelector("#conn-status")?.textContent ?? "")
    );
    assert.equal(await other.isHidden("#app"), true);
  },
});
