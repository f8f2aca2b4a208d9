// `sync follow` over Realtime: with SYNCLINE_REALTIME_URL/_KEY the CLI joins the job's private
// channel (the local Realtime stand-in, authorised by the same RLS as on Supabase) and reads the API
// only at the start and the end; when Realtime cannot be reached it says so and polls.
import assert from "node:assert/strict";
import { startRealtime } from "../../scripts/realtime/server.ts";
import { adminToken, JWT_SECRET, makeWidgets, testApp } from "./_app.ts";
import { cliProcess } from "./_cli.ts";

/** The app served over HTTP, counting the job reads (GET /sync/jobs/<id>). */
function serve(fetchApp: (req: Request) => Response | Promise<Response>) {
  const counts = { jobReads: 0 };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    if (req.method === "GET" && /\/sync\/jobs\/\d+$/.test(new URL(req.url).pathname)) counts.jobReads++;
    return fetchApp(req);
  });
  return { server, counts, api: `http://127.0.0.1:${server.addr.port}/sync` };
}

Deno.test({
  name: "CLI follow over Realtime: progress arrives as broadcasts; the API is read at the start and the end",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // 10 pages, 150 ms each: a polling CLI would read the job ~6 times
    const pace = () => new Promise<void>((r) => setTimeout(r, 150));
    await using t = await testApp(makeWidgets(40), { pageSize: 4, onPage: pace });
    const realtime = await startRealtime({ dbUrl: t.db.url, jwtSecret: JWT_SECRET });
    const { server, counts, api } = serve(t.app.fetch);
    const token = await adminToken();
    try {
      const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
      const cli = cliProcess(
        api,
        token,
        {
          SYNCLINE_REALTIME_URL: realtime.url,
          SYNCLINE_REALTIME_KEY: "local-anon-key",
        },
        "follow",
        String(started.body.job.id),
      );
      // the worker starts once the CLI has joined the job's channel
      for (let i = 0; i < 100 && realtime.stats.joins === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(realtime.stats.joins, 1, "the CLI joined the job's channel");
      const readsBefore = counts.jobReads;
      await t.work();
      const out = await cli.output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.match(stdout, /widgets\s+40\s+40\s+0\s+0\s+0\s+0/, stdout);
      assert.ok(realtime.stats.delivered >= 10, `${realtime.stats.delivered} broadcasts delivered`);
      assert.equal(readsBefore, 1, "one read before the run");
      assert.ok(counts.jobReads <= 3, `${counts.jobReads} job reads in all (the start, the end)`);
    } finally {
      await server.shutdown();
      await realtime.close();
    }
  },
});

Deno.test({
  name: "CLI follow with Realtime unreachable: says so on stderr and polls the API to the end",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(12), { pageSize: 4 });
    const dead = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () => new Response("no", { status: 503 }),
    );
    const { server, api } = serve(t.app.fetch);
    const token = await adminToken();
    try {
      const started = await t.call("POST", "/sync/jobs", { connector: "widgets", mode: "full" });
      const cli = cliProcess(
        api,
        token,
        {
          SYNCLINE_REALTIME_URL: `http://127.0.0.1:${dead.addr.port}`,
          SYNCLINE_REALTIME_KEY: "local-anon-key",
        },
        "follow",
        String(started.body.job.id),
      );
      await t.work();
      const out = await cli.output();
      const dec = new TextDecoder();
      assert.equal(out.code, 0, dec.decode(out.stderr));
      assert.match(dec.decode(out.stderr), /live updates unavailable \(.+\); polling the API/);
      assert.match(dec.decode(out.stdout), /widgets\s+12\s+12/);
    } finally {
      await server.shutdown();
      await dead.shutdown();
    }
  },
});
