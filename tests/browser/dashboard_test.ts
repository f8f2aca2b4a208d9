/// <reference lib="dom" />
// The dashboard in a real browser (Debian's Chromium via playwright-core) against the real
// API and database: connect, start a sync, watch it finish, see the conflict error.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serveDashboard } from "../../scripts/dashboard.ts";
import { adminToken, makeWidgets, testApp } from "../api/_app.ts";

const CHROMIUM = Deno.env.get("SYNCLINE_CHROMIUM") ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

Deno.test({
  name: "dashboard starts a sync, shows its live progress to the end, and names a conflict",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using t = await testApp(makeWidgets(40), { pageSize: 10 });
    const api = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
    const dash = serveDashboard(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const token = await adminToken();
      const url = `http://127.0.0.1:${dash.addr.port}/#api=${
        encodeURIComponent(`http://127.0.0.1:${api.addr.port}/sync`)
      }&token=${token}`;
      await page.goto(url);
      await page.waitForFunction(() => document.querySelector("#conn-status")?.textContent === "connected");
      assert.deepEqual(
        await page.$$eval("#connector option", (o) => o.map((x) => (x as HTMLOptionElement).value)),
        [
          "widgets",
        ],
      );
      await page.check("#full");
      await page.click("#start-button");
      await page.waitForSelector("#job-status");
      assert.equal(await page.textContent("#job-status"), "queued");

      // a second start while the first is queued: the API's 409 message is shown
      await page.click("#start-button");
      await page.waitForFunction(() =>
        (document.querySelector("#start-error")?.textContent ?? "").length > 0
      );
      assert.match(await page.textContent("#start-error") ?? "", /already queued \(job \d+\)/);

      await t.work();
      await page.waitForFunction(() => document.querySelector("#job-status")?.textContent === "succeeded");
      const row = await page.$$eval("#progress tbody tr td", (tds) => tds.map((td) => td.textContent));
      assert.equal(row[0], "widgets");
      assert.equal(row[2], "40 / 40");
      assert.equal(row[5], "40");
      await page.waitForFunction(() => document.querySelectorAll("#history tbody tr").length === 1);
      assert.equal(await page.isDisabled("#cancel"), true);
      await page.screenshot({
        path: new URL("../../.local/dashboard.png", import.meta.url).pathname,
        fullPage: true,
      });
    } finally {
      await browser.close();
      await api.shutdown();
      await dash.shutdown();
    }
  },
});
