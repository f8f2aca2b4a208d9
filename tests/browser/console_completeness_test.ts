/// <reference lib="dom" />
// Completeness and reconcile in the console, from real sync runs: a widgets listing that silently
// skips a day leaves a gap (the job is partial and says why), a reconcile started from the console
// re-fetches the missing and marks what the source deleted, a second one undeletes; the integrity
// view shows each stream's last check; a weekly reconcile schedule. At 1400 px and 420 px.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import { makeWidgets, type Widget } from "../api/_app.ts";
import { assertFitsNarrow, browserTest, consoleHarness } from "./_console.ts";

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? "");

/** The widgets listing skips records updated on 4 January (ids and single reads still see them), and
 * a "notes" stream whose API cannot list ids. */
function skipsADay(c: Connector): Connector {
  const base = c.streams[0];
  const widgets: StreamDef = {
    ...base,
    async fetchPage(ctx, cursor) {
      const page = await base.fetchPage(ctx, cursor);
      return {
        ...page,
        records: (page.records as Widget[]).filter((w) => !w.updated_at.startsWith("2026-01-04")),
      };
    },
  };
  return { ...c, streams: [widgets, { ...base, name: "notes", listIds: undefined }] };
}

Deno.test({
  name:
    "console: a gap makes a partial job that says why; reconcile from the start view; integrity; schedules",
  ...browserTest,
  async fn(t) {
    // 30 widgets over 10 days; w4, w14 and w24 were updated on 4 January
    const source = makeWidgets(30).map((w, i) => ({
      ...w,
      updated_at: `2026-01-${String(1 + (i % 10)).padStart(2, "0")}T00:00:00.000Z`,
    }));
    await using h = await consoleHarness({ source, pageSize: 7, connector: skipsADay });
    const sql = h.t.db.sql;
    const full = await h.t.call("POST", "/sync/jobs", {
      connector: "widgets",
      streams: ["widgets"],
      mode: "full",
    });
    await h.t.work();
    const fullId = full.body.job.id;
    const page = await h.signedInPage();

    await t.step("job: the gap in the stream's row, and the partial status explained in words", async () => {
      await page.goto(`${h.url}#/job/${fullId}`);
      await page.waitForSelector("#partial-reason");
      assert.equal(await text(page, "#job-status"), "partial");
      assert.equal(
        await text(page, "#partial-reason li[data-stream='widgets']"),
        "The completeness check of widgets found a gap: the source has 30 records, 3 did not land: " +
          "e.g. w14, w24, w4 (checked by the source's id listing). A reconcile re-fetches the missing records.",
      );
      assert.equal(await text(page, "#progress tr[data-stream='widgets'] .completeness .badge"), "gap");
      await h.shot(page, "job-gap");
    });

    await t.step("integrity: the last completeness check per stream next to the orphan checks", async () => {
      await page.goto(`${h.url}#/integrity`);
      const row = "#completeness tr[data-stream='widgets/default/widgets']";
      await page.waitForSelector(row);
      assert.equal(await text(page, `${row} .status`), "gap");
      assert.equal(await text(page, `${row} .counts`), "27 / 30");
      assert.equal(await text(page, `${row} .missing`), "3");
      assert.equal(await text(page, `${row} .samples`), "w14, w24, w4");
      assert.equal(await page.getAttribute(`${row} a`, "href"), `#/job/${fullId}`);
      await page.waitForSelector("#integrity");
      await h.shot(page, "integrity-completeness");
    });

    // at the source: w1 and w2 are deleted
    const removed = source.splice(0, 2);
    let reconcileId = 0;
    await t.step(
      "start: a reconcile sends no window, dry run or records; a refusal shows the API's words",
      async () => {
        await page.goto(`${h.url}#/start`);
        await page.waitForSelector("#start input[name=stream][value=notes]");
        await page.fill("#since", "2025-12-01T00:00");
        await page.check("#dry-run");
        await page.fill("#records", "w3");
        await page.selectOption("#mode", "reconcile");
        assert.equal(await page.isHidden("#since"), true, "the window is hidden for a reconcile");
        assert.equal(await page.isVisible("#force"), true);
        const bodies: string[] = [];
        page.on(
          "request",
          (r) => r.method() === "POST" && r.url().endsWith("/jobs") && bodies.push(r.postData() ?? ""),
        );
        await page.click("#start-button"); // both streams ticked: notes cannot list ids
        await page.waitForSelector("#start-error .error");
        assert.equal(
          await text(page, "#start-error"),
          'Cannot reconcile widgets stream "notes": it cannot list ids (reconcilable: widgets)',
        );
        assert.deepEqual(JSON.parse(bodies[0]), {
          connector: "widgets",
          mode: "reconcile",
          streams: ["widgets", "notes"],
        });
        await h.shot(page, "start-reconcile-refused");
        await page.uncheck("#start input[name=stream][value=notes]");
        await page.click("#start-button");
        await page.waitForFunction(() => /^#\/job\/\d+$/.test(location.hash));
        reconcileId = Number(page.url().split("/").pop());
        assert.deepEqual(JSON.parse(bodies[1]), {
          connector: "widgets",
          mode: "reconcile",
          streams: ["widgets"],
        });
      },
    );

    await t.step("job: a reconcile's counts (re-fetched the gap, marked the deleted)", async () => {
      await h.t.work();
      await page.goto(`${h.url}#/overview`);
      await page.goto(`${h.url}#/job/${reconcileId}`);
      const row = "#reconcile tr[data-stream='widgets']";
      await page.waitForSelector(row);
      const counts = await page.$$eval(`${row} td.num`, (tds) => tds.map((td) => td.textContent));
      assert.deepEqual(
        counts,
        ["28", "3", "0", "2", "0"],
        "listed, re-fetched, undeleted, deleted, vanished",
      );
      assert.equal(await text(page, "#job-status"), "succeeded");
      assert.equal(await page.$("#partial-reason"), null);
      assert.match(
        await text(page, "#progress tr[data-stream='widgets'] .completeness"),
        /^complete 28 of 28 records landed \(checked by the source's id listing\)$/,
      );
      await h.shot(page, "job-reconcile");
    });

    await t.step("a second reconcile undeletes what came back; integrity shows it complete", async () => {
      source.push(removed[0]); // w1 is back at the source
      const again = await h.t.call("POST", "/sync/jobs", { connector: "widgets", mode: "reconcile" });
      assert.equal(again.status, 202, JSON.stringify(again.body));
      await h.t.work();
      await page.goto(`${h.url}#/job/${again.body.job.id}`);
      await page.waitForSelector("#reconcile tr[data-stream='widgets']");
      const counts = await page.$$eval(
        "#reconcile tr[data-stream='widgets'] td.num",
        (tds) => tds.map((td) => td.textContent),
      );
      assert.deepEqual(counts, ["29", "1", "1", "0", "0"]);
      const [w1] = await sql`select _deleted_at from public.widgets where id = 'w1'`;
      assert.equal(w1._deleted_at, null);
      await page.goto(`${h.url}#/integrity`);
      const row = "#completeness tr[data-stream='widgets/default/widgets']";
      await page.waitForFunction(
        (sel) => document.querySelector(`${sel} .status`)?.textContent === "complete",
        row,
      );
      assert.equal(await text(page, `${row} .counts`), "29 / 29");
      assert.match(
        await text(page, `${row} .reconcile`),
        /29 ids listed, 1 re-fetched \(1 undeleted\), 0 marked deleted/,
      );
      assert.equal(await page.getAttribute(`${row} a`, "href"), `#/job/${again.body.job.id}`);
    });

    await t.step(
      "schedules: a weekly reconcile is saved and shown; one of a stream without ids is refused",
      async () => {
        await page.goto(`${h.url}#/schedules`);
        await page.waitForSelector("#schedule-form input[name=schedule-stream][value=notes]");
        await page.fill("#schedule-name", "weekly-reconcile");
        await page.fill("#schedule-cron", "0 3 * * 0");
        await page.selectOption("#schedule-mode", "reconcile");
        await page.click("#schedule-add");
        await page.waitForSelector("#schedules-note .error");
        assert.match(
          await text(page, "#schedules-note"),
          /Cannot reconcile widgets stream "notes": it cannot list ids/,
        );
        await page.uncheck("#schedule-form input[name=schedule-stream][value=notes]");
        await page.click("#schedule-add");
        const row = "#schedules tr[data-schedule='weekly-reconcile']";
        await page.waitForSelector(row);
        assert.equal(await text(page, `${row} .mode`), "reconcile");
        assert.match(await text(page, `${row} .next-run`), /03:00:00 UTC/);
        await h.shot(page, "schedules-reconcile");
        await page.click(`${row} .run`);
        await page.waitForSelector("#schedules-note a");
        const [job] = await sql`select mode, trigger, streams from sync.jobs order by id desc limit 1`;
        assert.deepEqual([job.mode, job.trigger, job.streams], ["reconcile", "schedule", ["widgets"]]);
      },
    );

    await t.step(
      "420 px wide: the job, integrity, start and schedules views fit and label every control",
      async () => {
        const narrow = await h.signedInPage(420, 900);
        for (const view of [`job/${fullId}`, `job/${reconcileId}`, "integrity", "start", "schedules"]) {
          await narrow.goto(`${h.url}#/${view}`);
          await narrow.waitForSelector("#view h2");
          await narrow.waitForSelector(
            view.startsWith("job") ? "#progress" : "#view .table-wrap, #view form",
          );
          if (view === "start") await narrow.selectOption("#mode", "reconcile");
          await assertFitsNarrow(narrow, view);
        }
        await narrow.goto(`${h.url}#/job/${fullId}`);
        await narrow.waitForSelector("#partial-reason");
        await h.shot(narrow, "job-gap-420px");
        await narrow.goto(`${h.url}#/integrity`);
        await narrow.waitForSelector("#completeness");
        await h.shot(narrow, "integrity-420px");
      },
    );
  },
});
