/// <reference lib="dom" />
// Schedules in their own time zones: the list shows each schedule's zone and its next run on that zone's
// clock (and in UTC); the form picks the zone when adding and when editing (saved by name, keeping what
// the form does not show); at 420 px the zone field is labelled and the view fits.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertFitsNarrow, browserTest, consoleHarness } from "./_console.ts";

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? "");
const row = (name: string) => `#schedules tr[data-schedule='${name}']`;

Deno.test({
  name: "console schedules: each in its own zone, the zone picked when adding and editing",
  ...browserTest,
  async fn(t) {
    await using h = await consoleHarness({ widgets: 5 });
    const sql = h.t.db.sql;
    for (
      const [name, cron, timezone] of [
        ["nightly-dublin", "0 2 * * *", "Europe/Dublin"],
        ["morning-tokyo", "0 9 * * *", "Asia/Tokyo"],
      ]
    ) {
      const r = await h.t.call("POST", "/sync/schedules", {
        name,
        connector: "widgets",
        streams: ["widgets"],
        cron,
        timezone,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const page = await h.signedInPage();

    await t.step("the list: each schedule's zone, its next run on that clock and in UTC", async () => {
      await page.goto(`${h.url}#/schedules`);
      await page.waitForSelector(row("morning-tokyo"));
      assert.doesNotMatch(await text(page, "#schedules caption"), /times in UTC/);
      assert.equal(await text(page, `${row("morning-tokyo")} .timezone`), "Asia/Tokyo");
      // 09:00 in Tokyo is 00:00 UTC (no daylight saving there)
      assert.match(
        await text(page, `${row("morning-tokyo")} .next-run`),
        /09:00:00 Asia\/Tokyo.*00:00:00 UTC/,
      );
      assert.match(await text(page, `${row("nightly-dublin")} .next-run`), /02:00:00 Europe\/Dublin/);
      const [{ next }] =
        await sql`select next_run_at as next from sync.schedules where name = 'morning-tokyo'`;
      assert.equal(new Date(next).getUTCHours(), 0, "the console shows the server's next run");
    });

    await t.step("add with a zone picked in the form", async () => {
      await page.waitForSelector("#schedule-form input[name=schedule-stream]");
      await page.fill("#schedule-name", "weekday-new-york");
      await page.fill("#schedule-cron", "30 6 * * 1-5");
      await page.selectOption("#schedule-timezone", "America/New_York");
      assert.match(await text(page, "#schedule-next"), /America\/New_York/);
      await page.click("#schedule-add");
      await page.waitForSelector(row("weekday-new-york"));
      const [s] =
        await sql`select cron, timezone, enabled from sync.schedules where name = 'weekday-new-york'`;
      assert.deepEqual({ ...s }, { cron: "30 6 * * 1-5", timezone: "America/New_York", enabled: true });
      assert.match(await text(page, `${row("weekday-new-york")} .next-run`), /06:30:00 America\/New_York/);
      await h.shot(page, "schedules-zones");
    });

    await t.step("edit: the zone and the cron change, the name and the disabled state stay", async () => {
      await page.click(`${row("weekday-new-york")} .toggle`);
      await page.waitForFunction(
        (sel) => /disabled/.test(document.querySelector(sel)?.textContent ?? ""),
        row("weekday-new-york"),
      );
      await page.click(`${row("weekday-new-york")} .edit`);
      assert.equal(await text(page, "#schedule-form-h"), "Edit schedule weekday-new-york");
      assert.equal(await page.inputValue("#schedule-name"), "weekday-new-york");
      assert.equal(await page.inputValue("#schedule-timezone"), "America/New_York");
      assert.equal(await page.inputValue("#schedule-cron"), "30 6 * * 1-5");
      await page.selectOption("#schedule-timezone", "Europe/Dublin");
      await page.fill("#schedule-cron", "0 7 * * *");
      await page.click("#schedule-add");
      await page.waitForFunction(
        (sel) => document.querySelector(`${sel} .timezone`)?.textContent === "Europe/Dublin",
        row("weekday-new-york"),
      );
      const rows =
        await sql`select cron, timezone, enabled from sync.schedules where name = 'weekday-new-york'`;
      assert.deepEqual(rows.map((r) => ({ ...r })), [{
        cron: "0 7 * * *",
        timezone: "Europe/Dublin",
        enabled: false,
      }]);
      assert.equal(await text(page, "#schedule-form-h"), "Add a schedule", "the form is back to adding");
      // a zone the server does not know is refused with its words
      await page.fill("#schedule-name", "bad-zone");
      await page.fill("#schedule-cron", "0 1 * * *");
      await page.evaluate(() => {
        const s = document.querySelector<HTMLSelectElement>("#schedule-timezone")!;
        s.append(new Option("Mars/Olympus", "Mars/Olympus"));
        s.value = "Mars/Olympus";
      });
      await page.click("#schedule-add");
      await page.waitForSelector("#schedules-note .error");
      assert.match(await text(page, "#schedules-note"), /"Mars\/Olympus" is not a time zone/);
    });

    await t.step("420 px: the zone field is labelled, the row's zone and actions are in view", async () => {
      const narrow = await h.signedInPage(420, 900);
      await narrow.goto(`${h.url}#/schedules`);
      await narrow.waitForSelector(row("nightly-dublin"));
      await assertFitsNarrow(narrow, "schedules");
      for (
        const sel of [
          `${row("nightly-dublin")} .timezone`,
          `${row("nightly-dublin")} .edit`,
          "#schedule-timezone",
        ]
      ) {
        const box = await narrow.locator(sel).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 421, `${sel} is in view`);
      }
      await h.shot(narrow, "schedules-zones-420px");
      await narrow.close();
    });
  },
});
