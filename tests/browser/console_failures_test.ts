/// <reference lib="dom" />
// Failures in the console, at 1400 px and 420 px: a job that fails says what happened and what to do
// (the raw vendor answer behind a disclosure, as text: a vendor's "<img onerror>" stays text), its
// finished streams' bars stand still (live, when it fails while the page is open), the overview lists
// recent failed and partial jobs with their reasons, History shows the reason.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Connector, StreamDef } from "../../functions/_shared/engine/connector/mod.ts";
import { HttpError } from "../../functions/_shared/engine/errors.ts";
import { squareConnector } from "../../functions/_shared/connectors/square/mod.ts";
import { browserTest, consoleHarness } from "./_console.ts";

const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? "");

const SQUARE_401 = 'square: POST https://connect.squareup.com/v2/orders/search answered 401: {"errors":[{' +
  '"category":"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"This request could not be authorized."}]}';
const SQUARE_SENTENCE =
  "Square refused the access token: set SQUARE_ACCESS_TOKEN or re-authorise the account";
/** a vendor answer with markup in it: it must show as text */
const HOSTILE = '<img src=x onerror="window.__pwned = 1">';

/**
 * Widgets with seven more streams; "orders" answers 401 as Square does (its body carries markup), so a
 * run lands widgets, fails at orders and never reaches the other six.
 */
const failsAtOrders = (c: Connector): Connector => {
  const base = c.streams[0];
  const failing: StreamDef = {
    ...base,
    name: "orders",
    fetchPage() {
      throw new HttpError({
        source: "widgets",
        status: 401,
        message: `widgets: GET https://api.widgets.example/v2/orders answered 401: {"errors":[{"category":` +
          `"AUTHENTICATION_ERROR","code":"UNAUTHORIZED","detail":"${HOSTILE.replaceAll('"', '\\"')}"}]}`,
        transient: false,
      });
    },
  };
  const rest = ["locations", "customers", "catalog_items", "catalog_variations", "payments", "refunds"]
    .map((name) => ({ ...base, name }));
  return {
    ...c,
    streams: [base, failing, ...rest],
    operator: {
      vendor: "Widgets",
      credential: "access token",
      credentialKeys: ["accessToken"],
      renew: "re-authorise the account",
    },
  };
};

/** The bars of the job page that still animate (an indeterminate bar, or any running animation). */
function movingBars(page: Page) {
  return page.$$eval(
    "#progress .bar",
    (bars) =>
      bars.filter((b) =>
        b.classList.contains("indeterminate") || b.getAnimations({ subtree: true }).length > 0
      )
        .map((b) => b.closest("tr")?.getAttribute("data-stream")),
  );
}

Deno.test({
  name: "console failures: words and a disclosure, still bars, the overview's list, History's reason",
  ...browserTest,
  async fn(t) {
    await using h = await consoleHarness({
      widgets: 12,
      pageSize: 5,
      connector: failsAtOrders,
      moreConnectors: { square: squareConnector },
    });
    const sql = h.t.db.sql;
    // a Square job that failed on a refused token, and a partial widgets job (two failed records)
    const [sq] =
      await sql`select * from sync.create_job('square', array['locations', 'orders'], 'default', 'full')`;
    await sql`update sync.jobs set status = 'failed', started_at = now(), finished_at = now(), error = ${SQUARE_401}
      where id = ${sq.id}`;
    const [partial] = await sql`select * from sync.create_job('widgets', array['widgets'], 'eu', 'full')`;
    await sql`update sync.jobs set status = 'partial', started_at = now(), finished_at = now(),
      stats = '{"records": 12, "failed": 2, "streams": {"widgets": {"done": 12, "failed": 2}}}' where id = ${partial.id}`;

    const page = await h.signedInPage();
    // the widgets job is queued while its page is open: its bars move; then it fails
    const started = await h.t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
    assert.equal(started.status, 202);
    const id = started.body.job.id;

    await t.step("job: the failure arrives live, in words; every finished stream's bar stops", async () => {
      await page.goto(`${h.url}#/job/${id}`);
      await page.waitForSelector("#progress tbody tr[data-stream='payments']");
      assert.equal((await movingBars(page)).length, 8, "a queued job's streams are waiting: their bars move");
      await h.t.work();
      await page.waitForSelector("#job-failure .failure-sentence");
      assert.equal(await text(page, "#job-status"), "failed");
      assert.equal(
        await text(page, "#job-failure .failure-sentence"),
        "Widgets refused the access token: set WIDGETS_ACCESS_TOKEN or re-authorise the account",
      );
      await page.waitForFunction(() =>
        document.querySelectorAll("#progress tr[data-status='not run']").length === 6
      );
      assert.deepEqual(await movingBars(page), [], "no bar of a finished job moves");
      assert.equal(await text(page, "#progress tr[data-stream='orders'] .badge"), "failed");
      // the raw answer is behind a disclosure, as text
      assert.equal(await page.isVisible("#job-failure pre.raw"), false);
      await page.click("#job-failure details summary");
      assert.match(await text(page, "#job-failure pre.raw"), /answered 401: .*<img src=x onerror=/);
      assert.equal(await page.locator("#view img").count(), 0, "the vendor's markup is not HTML");
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      await h.shot(page, "failure-job");
      // read again from the start: the same
      await page.reload();
      await page.waitForSelector("#job-failure");
      assert.deepEqual(await movingBars(page), []);
    });

    await t.step("job: a Square 401 in Square's words", async () => {
      await page.goto(`${h.url}#/job/${sq.id}`);
      await page.waitForSelector("#job-failure");
      assert.equal(await text(page, "#job-failure .failure-sentence"), SQUARE_SENTENCE);
      assert.equal(await text(page, "#job-failure summary"), "Raw error (HTTP 401)");
    });

    await t.step("overview: recent failed and partial jobs with what happened and what to do", async () => {
      await page.goto(`${h.url}#/overview`);
      await page.waitForSelector("#recent-failures tbody tr");
      const rows = await page.$$eval(
        "#recent-failures tbody tr",
        (trs) =>
          trs.map((tr) => [tr.getAttribute("data-job"), tr.querySelector(".failure-sentence")?.textContent]),
      );
      assert.deepEqual(rows, [
        [
          String(id),
          "Widgets refused the access token: set WIDGETS_ACCESS_TOKEN or re-authorise the account",
        ],
        [
          String(partial.id),
          "2 records of widgets did not land: open Failed items: each says which field is wrong; " +
          "fix the source or the mapping, then retry them",
        ],
        [String(sq.id), SQUARE_SENTENCE],
      ]);
      await h.shot(page, "failure-overview");
    });

    await t.step("history: the reason beside the status", async () => {
      await page.goto(`${h.url}#/history`);
      await page.waitForSelector(`#history tr[data-job="${sq.id}"]`);
      assert.equal(await text(page, `#history tr[data-job="${sq.id}"] .reason`), SQUARE_SENTENCE);
      assert.equal(await page.locator(`#history tr[data-job="${sq.id}"] .reason details`).count(), 0);
    });

    await t.step("420 px: the sentences and the list fit", async () => {
      const narrow = await h.signedInPage(420, 900);
      for (const view of ["overview", `job/${id}`, "history"]) {
        await narrow.goto(`${h.url}#/${view}`);
        await narrow.waitForSelector(".failure-sentence");
        const over = await narrow.evaluate(() =>
          document.documentElement.scrollWidth - globalThis.innerWidth
        );
        assert.ok(over <= 0, `${view} is wider than 420 px by ${over} px`);
      }
      await narrow.goto(`${h.url}#/job/${id}`);
      await narrow.waitForSelector("#job-failure");
      await narrow.click("#job-failure details summary");
      const over = await narrow.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
      assert.ok(over <= 0, `the open raw error is wider than 420 px by ${over} px`);
      await h.shot(narrow, "failure-job-420px");
      await narrow.close();
    });
  },
});
