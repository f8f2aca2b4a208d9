/// <reference lib="dom" />
// Every view of the console in Chromium with data in it, at a large and a 420 px wide screen;
// screenshots of each go to .local/screenshots/.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { assertFitsNarrow, browserTest, consoleHarness } from "./_console.ts";

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? "");

Deno.test({
  name:
    "console views: overview, job, history, failed items, stats, schedules, notifications, integrity, start",
  ...browserTest,
  async fn(t) {
    await using h = await consoleHarness({ widgets: 30, pageSize: 10 });
    const sql = h.t.db.sql;
    // data: a finished full sync, a dry run, a single-record sync, a failed item, an open
    // circuit, a notification, an orphan check, and a running job with no total yet
    await h.t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
    await h.t.work();
    await h.t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full", dryRun: true });
    await h.t.work();
    const single = await h.t.call("POST", "/sync/jobs", {
      connector: "widgets",
      records: { widgets: ["w1", "w2", "gone-1"] },
    });
    await h.t.work();
    const [failedJob] = await sql`select id from sync.jobs order by id limit 1`;
    await sql`select sync.record_failed_item(${failedJob.id}, 'widgets', 'w-bad', '{"id": "w-bad", "name": null}',
      'validation', 'Record does not match the widgets schema: name: expected string, received null')`;
    await sql`insert into sync.circuit_breakers (source, state, failures, opened_at, retry_at, last_error)
      values ('widgets/default', 'open', 5, now(), now() + interval '1 minute', 'HTTP 503 from widgets.example')`;
    await sql`select sync.enqueue_notification('job_failed', 'widgets/default', '{"job_id": 1, "connector": "widgets"}')`;
    await sql`select sync.register_integrity_check('widgets-by-name', 'public.widgets', 'name', 'public.widgets', 'id')`;
    const [running] =
      await sql`select * from sync.create_job('widgets', array['widgets'], 'other-account', 'full')`;
    await sql`select sync.report_progress(${running.id}, 'widgets', 7, null)`;
    const [counted] =
      await sql`select * from sync.create_job('widgets', array['widgets'], 'eu', 'incremental')`;
    await sql`select sync.report_progress(${counted.id}, 'widgets', 1234, 4000, null, '{"inserted": 1000, "updated": 234}')`;

    const page = await h.signedInPage();

    await t.step(
      "overview: running job with an indeterminate bar, freshness, open failures, circuits",
      async () => {
        await page.waitForSelector(`#running [data-job="${running.id}"] .bar.indeterminate`);
        assert.match(await text(page, `#running [data-job="${running.id}"] .count`), /^7$/);
        assert.equal(await text(page, `#running [data-job="${counted.id}"] .count`), "1,234 / 4,000");
        assert.equal(
          await page.getAttribute(`#running [data-job="${counted.id}"] .bar`, "aria-valuenow"),
          "31",
          "a determinate bar when the total is known",
        );
        await page.waitForSelector("#freshness tr[data-stream='widgets/widgets']");
        await page.waitForSelector("#open-failures tbody tr");
        assert.match(await text(page, "#circuits tbody"), /widgets\/default\s*open/);
        // the running job's figures move live
        await sql`select sync.report_progress(${running.id}, 'widgets', 5, null)`;
        await page.waitForFunction(
          (id) => document.querySelector(`#running [data-job="${id}"] .count`)?.textContent === "12",
          running.id,
        );
        await h.shot(page, "overview");
      },
    );

    await t.step("job: a single-record sync's step log, trigger, counts", async () => {
      await page.goto(`${h.url}#/job/${single.body.job.id}`);
      await page.waitForSelector("#steps tbody tr");
      const steps = await page.$$eval(
        "#steps tbody tr",
        (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
      );
      assert.deepEqual(steps.map((s) => [s[2], s[4]]), [["w1", "unchanged"], ["w2", "unchanged"], [
        "gone-1",
        "missing",
      ]]);
      assert.equal(await text(page, "#job-trigger"), "api");
      await h.shot(page, "job-single-record");
      const [dry] = await sql`select id from sync.jobs where options ? 'dryRun'`;
      await page.goto(`${h.url}#/job/${dry.id}`);
      await page.waitForSelector("#dry-run");
      // cancel a queued job from its page: the new status arrives over Realtime
      await page.goto(`${h.url}#/job/${running.id}`);
      await page.waitForSelector("#progress .bar.indeterminate");
      await page.click("#cancel");
      await page.waitForFunction(() => document.querySelector("#job-status")?.textContent === "cancelled");
    });

    await t.step("history: filters and paging", async () => {
      await page.goto(`${h.url}#/history`);
      await page.waitForSelector("#history tbody tr");
      assert.equal(await page.locator("#history tbody tr").count(), 5);
      await page.selectOption("#history-status", "queued");
      await page.click("#history-filters button[type=submit]");
      await page.waitForFunction(() => document.querySelectorAll("#history tbody tr").length === 1);
      await page.selectOption("#history-status", "");
      await page.fill("#history-since", "2000-01-01");
      await page.click("#history-filters button[type=submit]");
      await page.waitForFunction(() => document.querySelectorAll("#history tbody tr").length === 5);
      await h.shot(page, "history");
    });

    await t.step("failed items: payload and error, retry one, dismiss", async () => {
      await page.goto(`${h.url}#/failed`);
      await page.waitForSelector("#failed tbody tr");
      await page.click("#failed tbody tr details summary");
      assert.match(await text(page, "#failed tbody tr pre.payload"), /"w-bad"/);
      await h.shot(page, "failed-items");
      await page.click("#failed tbody tr .retry-one");
      await page.waitForSelector("#failed-note p");
      assert.match(await text(page, "#failed-note"), /Retry job \d+ queued/);
      const [retry] = await sql`select mode, options from sync.jobs where mode = 'retry'`;
      assert.equal(retry.mode, "retry");
      await sql`select sync.cancel_job(id) from sync.jobs where mode = 'retry'`;
      await page.click("#failed tbody tr .dismiss");
      await page.waitForFunction(() => document.querySelectorAll("#failed tbody tr").length === 0);
    });

    await t.step("stats: three Chart.js charts over 7/30/90 days", async () => {
      await page.goto(`${h.url}#/stats`);
      await page.waitForSelector("#chart-records");
      await page.waitForSelector("#stats-table tbody tr");
      assert.equal(await page.locator("canvas").count(), 3);
      await page.selectOption("#stats-days", "90");
      await page.waitForSelector("#chart-rates");
      await h.shot(page, "stats");
    });

    await t.step(
      "schedules: add (cron checked by the server), next run, disable, run now, remove",
      async () => {
        await page.goto(`${h.url}#/schedules`);
        await page.waitForSelector("#schedule-form input[name=schedule-stream]");
        await page.fill("#schedule-name", "nightly-widgets");
        await page.fill("#schedule-cron", "0 61 * * *");
        await page.click("#schedule-add");
        await page.waitForSelector("#schedules-note .error");
        await page.fill("#schedule-cron", "0 2 * * 1-5");
        assert.match(await text(page, "#schedule-next"), /next: .*02:00:00 UTC/);
        await page.click("#schedule-add");
        await page.waitForSelector("#schedules tr[data-schedule='nightly-widgets']");
        assert.match(
          await text(page, "#schedules tr[data-schedule='nightly-widgets'] .next-run"),
          /02:00:00 UTC/,
        );
        await h.shot(page, "schedules");
        await page.click("#schedules tr[data-schedule='nightly-widgets'] .toggle");
        await page.waitForFunction(() =>
          /disabled/.test(
            document.querySelector("#schedules tr[data-schedule='nightly-widgets']")?.textContent ?? "",
          )
        );
        await page.click("#schedules tr[data-schedule='nightly-widgets'] .run");
        await page.waitForSelector("#schedules-note p");
        await page.click("#schedules tr[data-schedule='nightly-widgets'] .remove");
        await page.waitForFunction(() =>
          !document.querySelector("#schedules tr[data-schedule='nightly-widgets']")
        );
      },
    );

    await t.step("notifications: settings, send test, recent deliveries", async () => {
      const hits: string[] = [];
      const hook = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
        hits.push(await req.text());
        return new Response("ok");
      });
      try {
        await page.goto(`${h.url}#/notifications`);
        await page.waitForSelector("#deliveries tbody tr");
        await page.fill("#notify-slack_webhook_url", `http://127.0.0.1:${hook.addr.port}/hook`);
        await page.click("#notify-save");
        await page.waitForSelector("#notify-note .ok");
        await page.click("#notify-test");
        await page.waitForFunction(() =>
          /slack: delivered/.test(document.querySelector("#notify-note")?.textContent ?? "")
        );
        assert.equal(hits.length, 1);
        assert.match(hits[0], /Test notification from the Syncline console/);
        await h.shot(page, "notifications");
      } finally {
        await hook.shutdown();
      }
    });

    await t.step("integrity: counts and samples", async () => {
      await page.goto(`${h.url}#/integrity`);
      await page.waitForSelector("#integrity tr[data-check='widgets-by-name']");
      assert.equal(await text(page, "#integrity tr[data-check='widgets-by-name'] .orphans"), "30");
      assert.match(await text(page, "#integrity tr[data-check='widgets-by-name'] .samples"), /widget \d+/);
      await h.shot(page, "integrity");
    });

    await t.step("start a sync: single records and a date range", async () => {
      await page.goto(`${h.url}#/start`);
      await page.waitForSelector("#start input[name=stream]");
      await page.fill("#records", "w3, w4");
      await page.fill("#since", "2025-12-01T00:00");
      await page.check("#dry-run");
      await h.shot(page, "start");
      await page.click("#start-button");
      await page.waitForSelector("#job-status");
      const [job] = await sql`select mode, options from sync.jobs order by id desc limit 1`;
      assert.equal(job.mode, "single");
      assert.deepEqual(job.options.records, { widgets: ["w3", "w4"] });
      assert.equal(job.options.dryRun, true);
      assert.equal(job.options.since, "2025-12-01T00:00:00.000Z");
    });

    await t.step("420 px wide: every control has a label and the overview fits", async () => {
      const narrow = await h.signedInPage(420, 900);
      for (const view of ["overview", "start", "schedules", "notifications", "history", "failed"]) {
        await narrow.goto(`${h.url}#/${view}`);
        await narrow.waitForSelector("#view h2");
        await narrow.waitForTimeout(200);
        await assertFitsNarrow(narrow, view);
      }
      await narrow.goto(`${h.url}#/overview`);
      await narrow.waitForSelector("#freshness");
      await h.shot(narrow, "overview-420px");
      // keyboard: from the view (focused after navigation) Shift+Tab walks back through the nav
      const reached: string[] = [];
      for (let n = 0; n < 12; n++) {
        await narrow.keyboard.press("Shift+Tab");
        reached.push(await narrow.evaluate(() => document.activeElement?.textContent?.trim() ?? ""));
      }
      for (const name of ["Sign out", "Integrity", "Schedules", "Start a sync", "Overview"]) {
        assert.ok(reached.includes(name), `${name} is reachable by keyboard (${reached.join(" | ")})`);
      }
    });
  },
});
