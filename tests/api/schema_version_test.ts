// The schema check against the real Postgres: a database whose schema is behind (older migrations,
// or none of the schema-version bookkeeping) or ahead of the code gets 503 on every route but health,
// naming both versions and `deno task install`; health, `sync --version` report both; the worker exits.
import assert from "node:assert/strict";
import { SCHEMA_VERSION, VERSION } from "../../functions/_shared/version.ts";
import { apiClient, makeWidgets, testApp, widgetConnector } from "./_app.ts";
import { cliProcess } from "./_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const OLDER = "20261130003000"; // the newest migration before schema versions (0.9.0)
const NEWER = "20991231235959";

type Setup = Awaited<ReturnType<typeof testApp>>;

/** Moves the test database's recorded schema to another version (null: as before 0.9.0). */
async function setSchema(t: Setup, version: string | null) {
  if (version === null) {
    await t.db.sql`drop function sync.schema_version()`;
    await t.db.sql`drop table sync.schema_versions`;
    return;
  }
  await t.db.sql`delete from sync.schema_versions`;
  await t.db.sql`insert into sync.schema_versions (version) values (${version})`;
}

/** A new app over the same database: the check happens at start, as a cold start does. */
function freshApp(t: Setup) {
  return apiClient({
    sql: t.db.sql,
    connectors: { widgets: widgetConnector(makeWidgets(3)) },
    connectorConfig: () => ({}),
  });
}

async function runWorker(dbUrl: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", `${ROOT}scripts/worker.ts`, "--once", "--poll-ms", "50"],
    cwd: ROOT,
    env: { SYNCLINE_DB_URL: dbUrl, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

async function versionCli(app: { fetch: (r: Request) => Response | Promise<Response> }) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  try {
    const api = `http://127.0.0.1:${server.addr.port}/sync`;
    const out = await cliProcess(api, "", { SYNCLINE_TOKEN: "" }, "--version").output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await server.shutdown();
  }
}

Deno.test({
  name:
    "a current schema: health and sync --version report both versions, the routes answer, the worker runs",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using t = await testApp(makeWidgets(3));
    const health = await t.app.request("/sync/health");
    assert.equal(health.status, 200);
    const body = await health.json();
    assert.equal(body.ok, true);
    assert.equal(body.version, VERSION);
    assert.deepEqual(body.schema, { status: "current", database: SCHEMA_VERSION, expected: SCHEMA_VERSION });
    assert.equal((await t.call("GET", "/sync/jobs")).status, 200);

    const v = await versionCli(t.app);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(
      v.stdout,
      new RegExp(`^Syncline ${VERSION} \\(this checkout; needs database schema ${SCHEMA_VERSION}\\)`),
    );
    assert.match(v.stdout, new RegExp(`^function  ${VERSION} at http://127\\.0\\.0\\.1:\\d+/sync$`, "m"));
    assert.match(v.stdout, new RegExp(`^database  schema ${SCHEMA_VERSION} \\(current;`, "m"));

    const w = await runWorker(t.db.url);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, new RegExp(`Syncline ${VERSION}, database schema ${SCHEMA_VERSION}`));
  },
});

for (
  const [label, version, status] of [
    ["behind (older migrations)", OLDER, "behind"],
    ["behind (installed before schema versions)", null, "behind"],
    ["ahead (a newer release migrated it)", NEWER, "ahead"],
  ] as const
) {
  Deno.test({
    name:
      `a database ${label}: every route but health is a 503 naming both versions and the fix; the worker exits 1`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      await using t = await testApp(makeWidgets(3));
      await setSchema(t, version);
      const { app, call, work } = await freshApp(t);

      for (
        const res of [
          await call("GET", "/sync/jobs"),
          await call("POST", "/sync/jobs", { connector: "widgets", mode: "full" }),
          await call("GET", "/sync/stats"),
          await work(),
          await jsonOf(app.request("/sync/webhooks/square", { method: "POST" })),
          await jsonOf(app.request("/sync/openapi.json")),
        ]
      ) {
        assert.equal(res.status, 503, JSON.stringify(res.body));
        const err = res.body.error;
        assert.equal(err.code, "schema_mismatch");
        assert.ok(err.message.includes(SCHEMA_VERSION), err.message);
        assert.ok(err.message.includes(version ?? "none"), err.message);
        assert.ok(err.message.includes('"deno task install"'), err.message);
        assert.deepEqual(err.details, {
          status,
          version: VERSION,
          schemaVersion: { database: version, expected: SCHEMA_VERSION },
          fix: "deno task install",
        });
      }
      const [{ jobs }] = await t.db.sql<{ jobs: number }[]>`select count(*)::int as jobs from sync.jobs`;
      assert.equal(jobs, 0, "a refused request writes nothing");

      const health = await app.request("/sync/health");
      assert.equal(health.status, 200);
      const body = await health.json();
      assert.equal(body.ok, false);
      assert.equal(body.database, "up");
      assert.equal(body.schema.status, status);
      assert.equal(body.schema.database, version);
      assert.equal(body.schema.fix, "deno task install");

      const v = await versionCli(app);
      assert.equal(v.code, 1, v.stdout + v.stderr);
      assert.match(
        v.stdout,
        new RegExp(
          `^database  schema ${version ?? "none"} \\(${status}; the function needs ${SCHEMA_VERSION}\\)`,
          "m",
        ),
      );
      assert.match(v.stdout, /deno task install/);

      const w = await runWorker(t.db.url);
      assert.equal(w.code, 1, w.stderr);
      assert.ok(w.stderr.includes(SCHEMA_VERSION) && w.stderr.includes(version ?? "none"), w.stderr);
      assert.match(w.stderr, /Run "deno task install"/);
    },
  });
}

async function jsonOf(res: Response | Promise<Response>) {
  const r = await res;
  return { status: r.status, body: await r.json() };
}
