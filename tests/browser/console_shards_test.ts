/// <reference lib="dom" />
// Shards in the console: the start view sends a full read's shards; the job view lists each shard
// with its window, status and figures, which add up to the stream's progress. At 1400 px and 420 px.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import { makeWidgets, type Widget } from "../api/_app.ts";
import { assertFitsNarrow, browserTest, consoleHarness } from "./_console.ts";

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? "");

/** The widgets listing read by time window, in ascending updated order: a shardable stream. */
function windowed(source: Widget[]) {
  return (c: Connector): Connector => {
    const stream: StreamDef = {
      ...c.streams[0],
      shardable: true,
      fetchPage(ctx, cursor) {
        const from = ctx.since?.getTime() ?? -Infinity;
        const to = ctx.until?.getTime() ?? Infinity;
        const all = source
          .filter((w) => Date.parse(w.updated_at) >= from && Date.parse(w.updated_at) < to)
          .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id));
        const start = cursor ? Number(cursor) : 0;
        const end = start + Math.max(1, ctx.pageSize);
        return Promise.resolve({
          records: all.slice(start, end),
          nextCursor: end < all.length ? String(end) : null,
        });
      },
    };
    return { ...c, streams: [stream] };
  };
}

Deno.test({
  name: "console: start a full read in 3 shards; the job view lists the shards and their figures",
  ...browserTest,
  async fn(t) {
    // 45 widgets, one every 5 days up to yesterday: each of 3 windows up to now holds some
    const day = 86_400_000;
    const source = makeWidgets(45).map((w, i) => ({
      ...w,
      updated_at: new Date(Date.now() - day - i * 5 * day).toISOString(),
    }));
    await using h = await consoleHarness({ source, pageSize: 4, connector: windowed(source) });
    const page = await h.signedInPage();
    let jobId = 0;

    await t.step("start: the shards field goes with a full read", async () => {
      await page.goto(`${h.url}#/start`);
      await page.waitForSelector("#start input[name=stream][value=widgets]");
      await page.selectOption("#mode", "full");
      await page.fill("#shards", "3");
      const bodies: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && r.url().endsWith("/jobs")) bodies.push(r.postData() ?? "");
      });
      await page.click("#start-button");
      await page.waitForURL(/#\/job\/\d+/);
      assert.deepEqual(JSON.parse(bodies[0]), {
        connector: "widgets",
        mode: "full",
        streams: ["widgets"],
        shards: 3,
      });
      jobId = Number(page.url().split("/").at(-1));
    });

    await t.step(
      "job: the shards appear live, one row per shard, windows in order, figures adding up",
      async () => {
        // the job view is open from the start; the run's progress brings the shards in
        await h.t.work();
        await page.waitForFunction(() =>
          document.querySelector("#job-status")?.textContent === "succeeded" &&
          document.querySelectorAll("#shards tbody tr").length === 3 &&
          [...document.querySelectorAll("#shards tbody tr")].every((tr) => tr.textContent?.includes("done"))
        );
        const rows = await page.$$eval(
          "#shards tbody tr",
          (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
        );
        assert.equal(rows.length, 3);
        assert.deepEqual(rows.map((r) => r[1]), ["0", "1", "2"]);
        assert.match(rows[0][2], /^the beginning → /);
        assert.match(rows[2][2], / → now$/);
        assert.deepEqual(rows.map((r) => r[3]), ["done", "done", "done"]);
        const done = rows.map((r) => Number(r[4].replaceAll(",", "")));
        assert.ok(done.every((n) => n > 0), `every window read some: ${done}`);
        assert.equal(done.reduce((a, b) => a + b, 0), 45);
        assert.equal(await text(page, "#progress tr[data-stream='widgets'] .done"), "45");
        await h.shot(page, "job-shards");
      },
    );

    await t.step("420 px: the shards stack as cards and the start view labels the field", async () => {
      await page.setViewportSize({ width: 420, height: 900 });
      await page.goto(`${h.url}#/job/${jobId}`);
      await page.waitForSelector("#shards tbody tr");
      await assertFitsNarrow(page, "job with shards");
      await page.goto(`${h.url}#/start`);
      await page.waitForSelector("#shards");
      await assertFitsNarrow(page, "start");
    });
  },
});
