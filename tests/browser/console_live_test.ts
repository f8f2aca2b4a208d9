/// <reference lib="dom" />
// The console's live path in Chromium: progress arrives over Realtime (private channel, admin
// token, RLS) with no polling request, and when Realtime is unreachable the console says so and
// polls instead.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startRealtime } from "../../scripts/realtime/server.ts";
import { JWT_SECRET } from "../api/_app.ts";
import { browserTest, consoleHarness, countRequests } from "./_console.ts";

const jobPoll = /\/sync\/jobs\/\d+(\?|$)/;

Deno.test({
  name: "console: a started sync's progress arrives live over Realtime with zero polling requests",
  ...browserTest,
  async fn() {
    // each page of the source is read only once the browser shows the previous page's figures,
    // and halfway the sync pauses for 2.5 s: a console that polled would be caught asking
    const ui: { page?: Page } = {};
    const shown: string[] = [];
    const onPage = async (cursor: string | null) => {
      if (!cursor) return;
      await ui.page!.waitForFunction(
        (done) =>
          document.querySelector("#progress tr[data-stream=widgets] .done")?.textContent === `${done} / 40`,
        cursor,
      );
      shown.push(cursor);
      if (cursor === "20") await new Promise((r) => setTimeout(r, 2500));
    };
    await using h = await consoleHarness({ widgets: 40, pageSize: 10, onPage });
    const page = ui.page = await h.signedInPage();
    await page.click("a[href='#/start']");
    await page.waitForSelector("#start input[name=stream]");
    await page.selectOption("#mode", "full");
    await page.click("#start-button");
    await page.waitForSelector("#job-status");
    await page.waitForFunction(() =>
      document.querySelector("#live-status")?.textContent === "Live (Realtime)"
    );
    assert.equal(await page.textContent("#job-status"), "queued");
    // from here on, every figure must come over Realtime
    const polls = countRequests(page, jobPoll);
    const before = h.realtime!.stats.delivered;
    await h.t.work();
    await page.waitForFunction(() => document.querySelector("#job-status")?.textContent === "succeeded");
    await page.waitForFunction(() =>
      document.querySelector("#progress tr[data-stream=widgets] .done")?.textContent === "40 / 40"
    );
    assert.deepEqual(shown, ["10", "20", "30"], "each page's figures were on screen before the next page");
    const cells = await page.$$eval(
      "#progress tr[data-stream=widgets] td.num",
      (tds) => tds.map((td) => td.textContent),
    );
    // done / total, inserted, updated, unchanged, stale, failed: the counts add up to done
    assert.deepEqual(cells.slice(0, 6), ["40 / 40", "40", "0", "0", "0", "0"]);
    assert.equal(polls.count, 0, `no polling requests while live, saw: ${polls.urls.join(", ")}`);
    assert.ok(h.realtime!.stats.delivered - before >= 4, "progress and status arrived as broadcasts");
    assert.equal(await page.isDisabled("#cancel"), true);
    await h.shot(page, "job-live");
  },
});

Deno.test({
  name: "console: with Realtime unreachable it says so visibly and follows the job by polling",
  ...browserTest,
  async fn() {
    await using h = await consoleHarness({ widgets: 20, realtime: "unreachable" });
    const page = await h.signedInPage();
    const [job] = await h.t.db
      .sql`select * from sync.create_job('widgets', array['widgets'], 'default', 'full')`;
    const polls = countRequests(page, jobPoll);
    await page.goto(`${h.url}#/job/${job.id}`);
    await page.waitForFunction(
      () => /Realtime unreachable/.test(document.querySelector("#live-status")?.textContent ?? ""),
      null,
      { timeout: 20_000 },
    );
    await h.t.work();
    const [done] = await h.t.db.sql`select status from sync.jobs where id = ${job.id}`;
    assert.equal(done.status, "succeeded");
    await page.waitForFunction(
      () => document.querySelector("#job-status")?.textContent === "succeeded",
      null,
      { timeout: 60_000 },
    ).catch(async (err) => {
      const badge = await page.textContent("#live-status");
      const status = await page.textContent("#job-status");
      throw new Error(`${err.message}; badge "${badge}", status "${status}", ${polls.count} polls`);
    });
    assert.ok(polls.count >= 2, `the fallback polls GET /jobs/:id (saw ${polls.count})`);
    assert.equal(await page.textContent("#progress tr[data-stream=widgets] .done"), "20 / 20");
    await h.shot(page, "job-polling-fallback");
  },
});

Deno.test({
  name: "console: when Realtime drops mid-session the badge turns red, the job page polls, and live returns",
  ...browserTest,
  async fn() {
    await using h = await consoleHarness({ widgets: 20 });
    const page = await h.signedInPage();
    const [job] = await h.t.db
      .sql`select * from sync.create_job('widgets', array['widgets'], 'default', 'full')`;
    await page.goto(`${h.url}#/job/${job.id}`);
    await page.waitForFunction(() =>
      document.querySelector("#live-status")?.textContent === "Live (Realtime)"
    );
    const port = h.realtime!.port;
    await h.realtime!.close();
    await page.waitForFunction(() =>
      /Realtime unreachable/.test(document.querySelector("#live-status")?.textContent ?? "")
    );
    const polls = countRequests(page, jobPoll);
    await h.t.work();
    await page.waitForFunction(
      () => document.querySelector("#job-status")?.textContent === "succeeded",
      null,
      { timeout: 30_000 },
    ).catch(async (err) => {
      const badge = await page.textContent("#live-status");
      const status = await page.textContent("#job-status");
      throw new Error(`${err.message}; badge "${badge}", status "${status}", ${polls.count} polls`);
    });
    assert.ok(polls.count >= 1, "the job page polled while Realtime was away");
    const again = await startRealtime({ port, dbUrl: h.t.db.url, jwtSecret: JWT_SECRET });
    try {
      await page.waitForFunction(
        () => document.querySelector("#live-status")?.textContent === "Live (Realtime)",
        null,
        {
          timeout: 60_000,
        },
      );
    } finally {
      await again.close();
    }
  },
});
