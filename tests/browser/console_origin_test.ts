/// <reference lib="dom" />
// Issue 10 item 11: a stored admin token is bound to the API origin it was entered for. A link
// with #api=<other origin> does not send it there (only after the operator confirms), and a
// token in the page URL is ignored and removed.
import assert from "node:assert/strict";
import { browserTest, consoleHarness } from "./_console.ts";

Deno.test({
  name: "console: #api= of another origin never receives the stored token unless the operator confirms",
  ...browserTest,
  async fn() {
    await using h = await consoleHarness({ widgets: 5 });
    const seen: { path: string; auth: string | null }[] = [];
    const evil = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
      const cors = {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "authorization, content-type",
      };
      if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
      seen.push({ path: new URL(req.url).pathname, auth: req.headers.get("authorization") });
      return Response.json({ connectors: [], jobs: [] }, { headers: cors });
    });
    try {
      const page = await h.signedInPage();
      await page.waitForSelector("#view h2");
      const evilApi = `http://127.0.0.1:${evil.addr.port}/sync`;

      await page.goto(`${h.url}?again#api=${encodeURIComponent(evilApi)}`);
      await page.waitForSelector("#origin-mismatch");
      assert.match(await page.textContent("#origin-mismatch") ?? "", /not sent to http:\/\/127\.0\.0\.1:\d+/);
      assert.equal(await page.isHidden("#app"), true, "the console does not open against the other origin");
      await page.waitForTimeout(500);
      assert.deepEqual(seen.filter((r) => r.auth), [], "no request to the other origin carried the token");
      assert.equal(new URL(page.url()).hash, "", "#api= is removed from the URL after reading");

      // the operator confirms: only then does the token go there
      await page.click("#confirm-origin");
      await page.waitForSelector("#app:not([hidden])");
      await page.waitForFunction(() => document.querySelector("#who")?.textContent?.includes("admin token"));
      assert.ok(
        seen.some((r) => r.auth === `Bearer ${h.token}`),
        "after confirming, the token is used there",
      );
    } finally {
      await evil.shutdown();
    }
  },
});

Deno.test({
  name: "console: a token in the page URL is ignored, removed from the URL and never stored",
  ...browserTest,
  async fn() {
    await using h = await consoleHarness({ widgets: 5 });
    const page = await h.browser.newPage();
    await page.goto(`${h.url}#api=${encodeURIComponent(h.api)}&token=${h.token}`);
    await page.waitForSelector("#settings");
    assert.match(await page.textContent("#conn-status") ?? "", /token in the page URL is ignored/);
    assert.equal(new URL(page.url()).hash, "");
    assert.equal(await page.isHidden("#app"), true);
    assert.equal(await page.evaluate(() => localStorage.getItem("syncline.credentials")), null);
    assert.equal(await page.inputValue("#api-url"), h.api, "#api= only pre-fills the API field");
  },
});
