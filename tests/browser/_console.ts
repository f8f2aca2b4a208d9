/// <reference lib="dom" />
// Harness of the console's browser tests: the real API (Hono app + database, the in-memory
// "widgets" connector), the built console with the local Realtime stand-in, and Debian's
// Chromium through playwright-core. Screenshots go to .local/screenshots/ (ignored).
import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { startConsole } from "../../scripts/dashboard.ts";
import type { Connector } from "../../functions/_shared/engine/connector/mod.ts";
import { adminToken, JWT_SECRET, makeWidgets, testApp, type Widget } from "../api/_app.ts";

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
export const SHOTS = new URL("../../.local/screenshots/", import.meta.url);

export const browserTest = { sanitizeOps: false, sanitizeResources: false };

export async function consoleHarness(
  opts: {
    widgets?: number;
    /** the widgets source itself (tests change it between syncs); overrides `widgets` */
    source?: Widget[];
    /** changes the widgets connector (e.g. a listing that silently omits records) */
    connector?: (c: Connector) => Connector;
    realtime?: "on" | "unreachable";
    pageSize?: number;
    /** called before each page of the widgets source is read (tests pace the sync with it) */
    onPage?: (cursor: string | null) => Promise<void>;
    /** a fake Supabase Auth on the Realtime origin, and the console set to sign in with it */
    supabaseAuth?: (req: Request) => Response | Promise<Response>;
    /** more connectors beside widgets */
    moreConnectors?: Record<string, Connector>;
  } = {},
) {
  const t = await testApp(opts.source ?? makeWidgets(opts.widgets ?? 40), {
    pageSize: opts.pageSize ?? 10,
    onPage: opts.onPage,
    connector: opts.connector,
    moreConnectors: opts.moreConnectors,
    // the notification view posts to a hook on this machine: the local-development switch
    notify: {
      env: () => ({ slackWebhookUrl: null, emailApiKey: null, emailApiUrl: null, allowLocalUrls: true }),
    },
  });
  const apiServer = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.app.fetch);
  const api = `http://127.0.0.1:${apiServer.addr.port}/sync`;
  let dead: Deno.HttpServer | null = null;
  // each test builds into its own folder: tests run in parallel
  const outDir = new URL(`file://${await Deno.makeTempDir({ prefix: "syncline-console-" })}/`);
  const con = opts.realtime === "unreachable"
    ? await (async () => {
      // a Realtime URL where nothing speaks WebSocket: the console must say so and poll
      dead = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () =>
        new Response("no", { status: 503 }));
      const c = await startConsole({ api, realtime: null, outDir, quick: true });
      return { ...c, deadUrl: `http://127.0.0.1:${(dead as Deno.HttpServer<Deno.NetAddr>).addr.port}` };
    })()
    : {
      ...(await startConsole({
        api,
        realtime: { dbUrl: t.db.url, jwtSecret: JWT_SECRET, fallback: opts.supabaseAuth },
        auth: opts.supabaseAuth ? "supabase" : "token",
        outDir,
        quick: true,
      })),
      deadUrl: null,
    };
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  await Deno.mkdir(SHOTS, { recursive: true });
  const token = await adminToken();
  return {
    t,
    api,
    url: con.url,
    realtime: con.realtime,
    browser,
    token,
    /** A page signed in with the admin token (typed into the form, as an operator does). */
    async signedInPage(width = 1400, height = 900): Promise<Page> {
      const page = await browser.newPage({ viewport: { width, height } });
      if (con.deadUrl) {
        await page.route(
          "**/config.json",
          (r) =>
            r.fulfill({
              json: { api, supabaseUrl: con.deadUrl, supabaseAnonKey: "local-anon-key", auth: "token" },
            }),
        );
      }
      await page.goto(`${con.url}#api=${encodeURIComponent(api)}`);
      await page.fill("#api-token", token);
      await page.click("#connect");
      await page.waitForSelector("#app:not([hidden])");
      return page;
    },
    async shot(page: Page, name: string) {
      await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
    },
    async [Symbol.asyncDispose]() {
      await browser.close();
      await con.close();
      await apiServer.shutdown();
      await (dead as Deno.HttpServer | null)?.shutdown();
      await t[Symbol.asyncDispose]();
      await Deno.remove(outDir, { recursive: true });
    },
  };
}

/** Counts the requests a page makes whose URL matches. */
export function countRequests(page: Page, pattern: RegExp): { count: number; urls: string[] } {
  const seen = { count: 0, urls: [] as string[] };
  page.on("request", (r) => {
    if (pattern.test(r.url())) {
      seen.count++;
      seen.urls.push(`${r.method()} ${r.url()}`);
    }
  });
  return seen;
}

/** A view on a narrow screen: every control labelled, nothing wider than the window. */
export async function assertFitsNarrow(page: Page, view: string): Promise<void> {
  const unlabelled = await page.$$eval("input, select, textarea", (els) =>
    els.filter((e) => {
      const i = e as HTMLInputElement;
      return !i.labels?.length && !i.getAttribute("aria-label") && i.type !== "hidden";
    }).map((e) => e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, [], `unlabelled controls on ${view}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
  assert.ok(overflow <= 1, `${view} is wider than the window by ${overflow} px`);
}
