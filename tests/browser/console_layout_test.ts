/// <reference lib="dom" />
// The console at 420 px and 1400 px wide with a connector of eight streams (as Square has): no view is
// wider than the window, no table hides a column (status, actions) out of sight, stream labels and
// bars do not overlap. Screenshots go to .local/screenshots/layout-<width>-<view>.png.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { browserTest, consoleHarness } from "./_console.ts";

const STREAMS = [
  "widgets",
  "locations",
  "customers",
  "catalog_items",
  "catalog_variations",
  "orders",
  "payments",
  "inventory_counts",
];

/** The widgets connector with seven more streams of long names (they are never read here). */
const eightStreams = (c: Connector): Connector => ({
  ...c,
  streams: [c.streams[0], ...STREAMS.slice(1).map((name) => ({ ...c.streams[0], name }))],
});

/** What sticks out: the page's overflow, cells outside the window or scrolled out of their table. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = globalThis.innerWidth;
    const problems: string[] = [];
    const page = document.documentElement.scrollWidth;
    if (page > width) problems.push(`page is ${page} px wide`);
    for (const wrap of document.querySelectorAll<HTMLElement>("#view .table-wrap")) {
      const id = wrap.querySelector("table")?.id || "table";
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        problems.push(`#${id} scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth})`);
      }
      for (const cell of wrap.querySelectorAll<HTMLElement>("tbody td, tbody th")) {
        const r = cell.getBoundingClientRect();
        if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
          problems.push(
            `#${id} cell "${cell.dataset.label}" at ${Math.round(r.left)}-${Math.round(r.right)}`,
          );
          break;
        }
      }
    }
    return problems;
  });
}

/** Pairs of boxes (matched by the selector) that overlap. */
function overlaps(page: Page, selector: string) {
  return page.$$eval(selector, (els) => {
    const boxes = els.map((e) => ({ text: e.textContent?.trim() ?? "", r: e.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0);
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          out.push(`"${boxes[i].text}" / "${boxes[j].text}"`);
        }
      }
    }
    return out;
  });
}

/** The element is shown and lies inside the window. */
async function assertInView(page: Page, selector: string) {
  const box = await page.locator(selector).first().boundingBox({ timeout: 5000 });
  assert.ok(box, `${selector} is shown`);
  const width = page.viewportSize()!.width;
  assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `${selector} lies inside ${width} px`);
}

Deno.test({
  name: "console layout: every view fits 420 px and 1400 px, columns stay visible, labels do not overlap",
  ...browserTest,
  async fn(t) {
    await using h = await consoleHarness({ widgets: 30, pageSize: 10, connector: eightStreams });
    const sql = h.t.db.sql;
    await h.t.call("POST", "/sync/jobs", { connector: "widgets", streams: ["widgets"], mode: "full" });
    await h.t.work();
    for (
      const [name, cron, timezone] of [
        ["nightly-orders-dublin", "0 2 * * *", "Europe/Dublin"],
        ["weekday-widgets", "30 4 * * 1-5", "UTC"],
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
    // a running job of eight streams, one of them moving
    const [running] = await sql`select * from sync.create_job('widgets', ${STREAMS}, 'eu', 'full')`;
    await sql`select sync.report_progress(${running.id}, 'catalog_variations', 1234, 4000, null, '{"inserted": 1234}')`;
    // a failed job whose vendor answer is long JSON
    const [failed] = await sql`select * from sync.create_job('widgets', ${STREAMS}, 'default', 'full')`;
    await sql`update sync.jobs set status = 'failed', started_at = now(), finished_at = now(),
      error = ${
      `widgets: GET https://api.widgets.example/v2/catalog/list?types=ITEM_VARIATION answered 401: ` +
      `{"errors":[{"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}`
    }
      where id = ${failed.id}`;
    await sql`update sync.progress set status = 'not_run' where job_id = ${failed.id}`;

    const views = [
      "overview",
      "start",
      "schedules",
      "history",
      "failed",
      "stats",
      "notifications",
      "integrity",
    ];
    for (const width of [420, 1400]) {
      await t.step(`${width} px: no view is wider than the window or hides a column`, async () => {
        const page = await h.signedInPage(width, 900);
        for (const view of [...views, `job/${failed.id}`, `job/${running.id}`]) {
          await page.goto(`${h.url}#/${view}`);
          await page.waitForSelector("#view h2");
          await page.waitForLoadState("networkidle");
          if (view === "overview") await page.waitForSelector("#freshness tbody tr");
          if (view === "schedules") await page.waitForSelector("#schedules tbody tr");
          if (view.startsWith("job/")) await page.waitForSelector("#progress tbody tr");
          await h.shot(page, `layout-${width}-${view.replace("/", "-")}`);
          assert.deepEqual(await overflow(page), [], `${view} at ${width} px`);
        }
        await page.close();
      });
    }

    await t.step("420 px: status and action columns, stream labels and bars", async () => {
      const page = await h.signedInPage(420, 900);
      await page.goto(`${h.url}#/overview`);
      await page.waitForSelector("#freshness tbody tr");
      await assertInView(page, "#freshness tbody tr td[data-label='Last run'] .badge");
      await page.waitForSelector(`#running [data-job="${running.id}"] .stream-line`);
      assert.equal(await page.locator(`#running [data-job="${running.id}"] .stream-line`).count(), 8);
      assert.deepEqual(
        await overlaps(page, `#running [data-job="${running.id}"] .stream-line > *`),
        [],
        "stream names, bars and counts of the running job",
      );
      await page.goto(`${h.url}#/schedules`);
      await page.waitForSelector("#schedules tbody tr");
      await assertInView(page, "#schedules tr[data-schedule='nightly-orders-dublin'] .row-actions .remove");
      await assertInView(
        page,
        "#schedules tr[data-schedule='nightly-orders-dublin'] td[data-label='Enabled']",
      );
      await page.goto(`${h.url}#/start`);
      await page.waitForSelector("#start input[name=stream]");
      assert.equal(await page.locator("#start input[name=stream]").count(), 8);
      assert.deepEqual(
        await overlaps(page, "#start fieldset.streams label"),
        [],
        "stream labels of the picker",
      );
      await page.close();
    });
  },
});
